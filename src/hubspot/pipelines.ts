/**
 * Deal pipeline stages that close a deal. "Won" is a closed stage with probability 1.0, "lost" a closed stage
 * with probability 0, across every deal pipeline (stage ids are unique portal-wide). Callers cache the answer
 * and let the configuration override it (RULES.md "Payouts").
 * Pipelines API (stage metadata: isClosed, probability as strings); docs/hubspot-api.md.
 */
import { z } from 'zod';
import { hubspotPaths } from './api-paths.js';
import type { HubSpot } from './client.js';
import { HubSpotResponseError } from './errors.js';

export interface ClosedStages {
  closedWon: Set<string>;
  closedLost: Set<string>;
}

const pipelinesSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      id: z.string(),
      stages: z.array(
        z.looseObject({
          id: z.string(),
          metadata: z.record(z.string(), z.unknown()).optional(),
        }),
      ),
    }),
  ),
});

export async function readClosedStages(hs: HubSpot): Promise<ClosedStages> {
  const operation = 'pipelines.deals.getAll';
  const res = await hs.request(operation, { method: 'GET', path: hubspotPaths.pipelines('deals') });
  const parsed = pipelinesSchema.safeParse(res.data);
  if (!parsed.success) throw new HubSpotResponseError(operation, z.prettifyError(parsed.error));
  const closed: ClosedStages = { closedWon: new Set(), closedLost: new Set() };
  for (const pipeline of parsed.data.results) {
    for (const stage of pipeline.stages) {
      if (String(stage.metadata?.isClosed) !== 'true') continue;
      const probability = Number(stage.metadata?.probability);
      if (probability === 1) closed.closedWon.add(stage.id);
      else if (probability === 0) closed.closedLost.add(stage.id);
    }
  }
  return closed;
}

export async function readClosedWonStages(hs: HubSpot): Promise<Set<string>> {
  return (await readClosedStages(hs)).closedWon;
}
