/**
 * A portal validation rule (enforced on API writes from 2026-09) against the whole app: webhook → queue →
 * recompute → write-back into the sandbox portal. The deal that breaks the rule fails for good with the rule's
 * message; the other deal is written. Both answers HubSpot may give are covered (the whole batch refused with
 * a 400, or a 207 item naming the record: which one it gives is unconfirmed).
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxApi, type RunningSandboxApi } from '../../sandbox/api/server.js';
import { ensureAppContract } from '../../sandbox/contract.js';
import { dealPropertyChange } from '../helpers/hubspot-events.js';
import { startSyncHarness, type SyncHarness } from '../helpers/sync-harness.js';

const TOKEN = 'validation-token';
const RULE = 'Close date is required for deals named "Needs a close date"';

let api: RunningSandboxApi | undefined;
let h: SyncHarness | undefined;

beforeAll(() => {
  nock.enableNetConnect();
});
afterEach(async () => {
  await h?.close();
  await api?.close();
  h = undefined;
  api = undefined;
});

async function portalWithRule(mode: 'whole-batch' | 'per-input') {
  api = await startSandboxApi({ accessToken: TOKEN });
  ensureAppContract(api.store);
  const store = api.store;
  const partner = store.createObject('companies', {
    name: 'Beacon Advisors',
    pp_partner_type: 'consultant',
    pp_consultant_count: '20',
    pp_agreement_signed: 'true',
  }).id;
  const deals = store.silently(() => ({
    refused: store.createObject('deals', { dealname: 'Needs a close date', amount: '300000' }).id,
    written: store.createObject('deals', { dealname: 'Acme rollout', amount: '300000', closedate: '2026-12-15T00:00:00Z' }).id,
  }));
  for (const id of Object.values(deals)) store.asIntegration().associateDealCompany(id, partner, { roles: ['pp_referral_partner'] });
  store.addValidationRule({ objectType: 'deals', requires: 'closedate', when: { property: 'dealname', equals: 'Needs a close date' }, message: RULE });
  store.validationBatchMode = mode;
  return deals;
}

describe('a write refused by a portal validation rule', () => {
  it.each(['whole-batch', 'per-input'] as const)(
    '(%s answer) fails that deal’s recompute for good with the rule’s message; the other deal is written',
    async (mode) => {
      const deals = await portalWithRule(mode);
      h = await startSyncHarness({ hubspot: { basePath: api!.url, accessToken: TOKEN } });

      await h.postWebhook([dealPropertyChange(Number(deals.refused), 'amount', '300000'), dealPropertyChange(Number(deals.written), 'amount', '300000')]);
      await h.waitForIdle();

      expect(api!.store.getRecord('deals', deals.written).properties.get('pp_commission_total')).toBe('45000');
      expect(api!.store.getRecord('deals', deals.refused).properties.get('pp_commission_total')).toBeUndefined();
      const failed = await h.rt.queues.sync.getFailed();
      expect(failed.map((j) => [j.name, j.data.dealId, j.attemptsMade])).toEqual([['recompute-deal', deals.refused, 1]]);
      expect(failed[0]!.failedReason).toBe(`HubSpot refused this deal's write (VALIDATION_ERROR): ${RULE}`);
    },
  );
});
