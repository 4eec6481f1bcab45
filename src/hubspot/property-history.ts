/**
 * Who set a property's current value, from HubSpot's property history (docs/hubspot.md#property-history): a
 * batch read with `propertiesWithHistory` answers, per record and property, the values it took, each with
 * `timestamp`, `sourceType` (CRM_UI, INTEGRATION, WORKFLOWS, IMPORT …), `sourceId` and, for a person's change,
 * `updatedByUserId`. The app reads it only when a value it guards differs from its seal and no webhook said who
 * changed it (the reconciliation sweep), so it costs one batch read per such record, never one per read.
 */
import { z } from 'zod';
import type { ChangeAuthor } from '../security/app-owned.js';
import type { HubSpot } from './client.js';
import { batchReadRecords, type CrmRecord } from './crm-records.js';

const versionSchema = z.looseObject({
  value: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
  timestamp: z.union([z.string(), z.number()]).optional(),
  sourceType: z.string().optional(),
  sourceId: z.string().nullable().optional(),
  updatedByUserId: z.union([z.number(), z.string()]).nullable().optional(),
});

const epoch = (t: string | number | undefined): number => (typeof t === 'number' ? t : t ? Date.parse(t) || 0 : 0);

/**
 * The author of the latest version of each property in a record's history, as a ChangeAuthor (the shape a
 * webhook gives): `sourceId` is `userId:<id>` whenever HubSpot names the user. Properties without history are
 * absent. Versions are ordered by timestamp here: HubSpot lists them newest first, but the order is not promised.
 */
export function latestAuthors(record: Pick<CrmRecord, 'propertiesWithHistory'>): Map<string, ChangeAuthor> {
  const out = new Map<string, ChangeAuthor>();
  for (const [property, raw] of Object.entries(record.propertiesWithHistory ?? {})) {
    const versions = raw.flatMap((v) => {
      const parsed = versionSchema.safeParse(v);
      return parsed.success ? [parsed.data] : [];
    });
    const latest = versions.reduce<(typeof versions)[number] | null>(
      (best, v) => (best === null || epoch(v.timestamp) > epoch(best.timestamp) ? v : best),
      null,
    );
    if (!latest) continue;
    const user = latest.updatedByUserId ?? latest.sourceId?.match(/^userId:(\d+)$/)?.[1] ?? null;
    out.set(property, {
      property,
      value: latest.value === null || latest.value === undefined ? '' : String(latest.value),
      changeSource: latest.sourceType ?? null,
      sourceId: user !== null && user !== '' ? `userId:${user}` : (latest.sourceId ?? null),
      occurredAt: epoch(latest.timestamp),
    });
  }
  return out;
}

/** Who set each of `properties` last on each record, by record id (records HubSpot does not find are absent). */
export async function readLatestAuthors(
  hs: HubSpot,
  objectType: string,
  ids: readonly string[],
  properties: readonly string[],
): Promise<Map<string, Map<string, ChangeAuthor>>> {
  const found = await batchReadRecords(hs, { objectType, label: `${objectType}.history`, ids, properties, propertiesWithHistory: properties });
  return new Map([...found].map(([id, record]) => [id, latestAuthors(record)]));
}

/**
 * Where a person acts in HubSpot themself. A change from anywhere else (INTEGRATION, WORKFLOWS, IMPORT, API …)
 * is not a person's decision even when HubSpot names the user behind it (the owner of a workflow, an import, or
 * a token): when unsure, not a person.
 */
const PERSON_SOURCES: ReadonlySet<string> = new Set(['CRM_UI', 'CRM', 'CRM_UI_BULK_ACTION', 'MOBILE_IOS', 'MOBILE_ANDROID']);

/** The HubSpot user who made a change in person (`userId:<id>` from the CRM), or null. */
export function personOf(author: Pick<ChangeAuthor, 'sourceId' | 'changeSource'> | undefined): string | null {
  if (!author || !PERSON_SOURCES.has(author.changeSource ?? '')) return null;
  return author.sourceId?.match(/^userId:(\d+)$/)?.[1] ?? null;
}
