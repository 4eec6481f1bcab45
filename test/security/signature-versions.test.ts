/**
 * Attack (issue 11, item 6): signature versions. An attacker who captured one HubSpot request (a proxy log,
 * a shared HAR file) replays it, or rewrites its headers so a weaker check applies:
 * - a webhook or card request with a stale or wrong v3 signature plus a valid v2 one → 401 (v3 alone counts);
 * - a webhook signed only with v2 (no timestamp, replayable for ever) → 401;
 * - any request with an unknown `X-HubSpot-Signature-Version` → 401;
 * - a workflow action signed v2 (where HubSpot sends v2) is accepted; replayed after the callbackId ledger
 *   forgot it (8 days, longer than HubSpot's ~3 days of retries), it changes nothing: same payouts, no
 *   second record, no adjustment.
 */
import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { errorHandler } from '../../src/server/middleware/errors.js';
import { rawBody } from '../../src/server/middleware/raw-body.js';
import { verifyHubSpot } from '../../src/server/middleware/verify-hubspot.js';
import { signHubSpotRequest } from '../../src/server/verify-hubspot-request.js';
import { workflowActionJobId } from '../../src/queue/queues.js';
import { LEDGER_TTL_MS, workflowActionKey } from '../../src/stores/workflow-action-ledger.js';
import { TEST_SECRET } from '../helpers/hubspot-events.js';
import { PUBLIC_BASE_URL, createCustomer, createDeal, createPartner, startPayoutsPortal, type PayoutsPortal } from '../services/helpers/payouts-portal.js';

const NOW = 1_764_000_000_000;
const BODY = '[{"eventId":1}]';

function guarded(allowV2: boolean) {
  const app = express();
  let reached = 0;
  app.post(
    '/x',
    ...rawBody(65_536),
    verifyHubSpot({ clientSecret: TEST_SECRET, publicBaseUrl: PUBLIC_BASE_URL, toleranceMs: 300_000, clock: () => NOW }, { allowV2 }),
    (_req, res) => {
      reached += 1;
      res.status(204).end();
    },
  );
  app.use(errorHandler(silentLogger));
  return { app, reached: () => reached };
}

const sign = (version: 'v1' | 'v2' | 'v3', opts: { timestamp?: number; secret?: string } = {}) =>
  signHubSpotRequest({
    method: 'POST',
    uri: `${PUBLIC_BASE_URL}/x`,
    rawBody: BODY,
    secret: opts.secret ?? TEST_SECRET,
    timestamp: opts.timestamp ?? NOW,
    version,
  });

describe('which signature version counts', () => {
  it.each([
    { attack: 'stale v3 plus a valid v2 (workflow action)', allowV2: true, headers: () => ({ ...sign('v2'), ...sign('v3', { timestamp: NOW - 6 * 60_000 }) }) },
    { attack: 'wrong v3 plus a valid v2 (workflow action)', allowV2: true, headers: () => ({ ...sign('v2'), ...sign('v3', { secret: 'other' }) }) },
    { attack: 'a valid v2 alone on a webhook or card route', allowV2: false, headers: () => sign('v2') },
    { attack: 'a valid v1 alone on a webhook or card route', allowV2: false, headers: () => sign('v1') },
    { attack: 'a valid v1 on a workflow action', allowV2: true, headers: () => sign('v1') },
    { attack: 'a valid v3 with an unknown version header', allowV2: false, headers: () => ({ ...sign('v3'), 'x-hubspot-signature-version': 'v9' }) },
    { attack: 'a valid v2 with an unknown version header', allowV2: true, headers: () => ({ ...sign('v2'), 'x-hubspot-signature-version': 'v2-legacy' }) },
    {
      attack: 'a valid v2 signature without its version header',
      allowV2: true,
      headers: () => ({ 'x-hubspot-signature': sign('v2')['x-hubspot-signature']! }),
    },
  ])('$attack → 401, the handler never runs', async ({ allowV2, headers }) => {
    const { app, reached } = guarded(allowV2);
    const res = await request(app)
      .post('/x')
      .set({ 'content-type': 'application/json', ...headers() })
      .send(BODY);
    expect(res.status).toBe(401);
    expect(reached()).toBe(0);
  });

  it.each([
    {
      what: 'v3 on a webhook (HubSpot adds X-HubSpot-Signature-Version: v1 beside it)',
      allowV2: false,
      headers: () => ({ ...sign('v3'), 'x-hubspot-signature-version': 'v1' }),
    },
    { what: 'v3 on a workflow action', allowV2: true, headers: () => sign('v3') },
    { what: 'v2 on a workflow action', allowV2: true, headers: () => sign('v2') },
  ])('$what is accepted', async ({ allowV2, headers }) => {
    const { app, reached } = guarded(allowV2);
    const res = await request(app)
      .post('/x')
      .set({ 'content-type': 'application/json', ...headers() })
      .send(BODY);
    expect(res.status).toBe(204);
    expect(reached()).toBe(1);
  });
});

describe('a v2 workflow action replayed after the callbackId is forgotten', () => {
  let p: PayoutsPortal;
  afterEach(async () => {
    await p?.close();
  });

  it('the ledger outlives HubSpot’s retries (≥ 3 days of retries, ~1 week of BLOCK)', () => {
    expect(LEDGER_TTL_MS).toBeGreaterThanOrEqual(8 * 86_400_000);
  });

  it('changes nothing: same payout records, no second payout, no adjustment', async () => {
    p = await startPayoutsPortal();
    const beacon = createPartner(p, { name: 'Beacon Advisors', type: 'consultant', consultants: 20 });
    const deal = createDeal(p, {
      name: 'Acme rollout',
      amount: 300_000,
      stage: 'closedwon',
      closedate: Date.now() - 86_400_000,
      customerId: createCustomer(p, 'Acme Health'),
      partners: [{ id: beacon, roles: ['pp_referral_partner'] }],
    });
    const callbackId = 'ap-replay-1';
    const raw = JSON.stringify({ callbackId, origin: { portalId: 62515 }, object: { objectId: Number(deal), objectType: 'DEAL' }, inputFields: {} });
    const headers = {
      'content-type': 'application/json',
      ...signHubSpotRequest({
        method: 'POST',
        uri: `${PUBLIC_BASE_URL}/hubspot/actions/schedule-payouts`,
        rawBody: raw,
        secret: TEST_SECRET,
        timestamp: 0,
        version: 'v2',
      }),
    };
    const first = await request(p.app).post('/hubspot/actions/schedule-payouts').set(headers).send(raw);
    expect(first.body.outputFields.hs_execution_state).toBe('SUCCESS');
    await p.waitForIdle();
    const before = p.payouts();
    expect(before.map((r) => [r.key, r.amount, r.status])).toEqual([[`${deal}:${beacon}:pp_referral_partner`, 4_500_000, 'scheduled']]);
    // Any write to a payout record (whatever the API version of the path).
    const payoutWrites = () => p.requestsTo('POST', /\/objects\/(?:[\d-]+\/)?(?:2-\d+|pp_payout)\/batch\/(?:upsert|update|create)$/).length;
    const writesBefore = payoutWrites();
    expect(writesBefore).toBeGreaterThan(0);

    // Nine days later: the ledger entry and the finished job are gone; the captured request is sent again.
    await p.rt.producerRedis.del(workflowActionKey(p.prefix, callbackId));
    await (await p.rt.queues.sync.getJob(workflowActionJobId(callbackId)))?.remove();
    const replay = await request(p.app).post('/hubspot/actions/schedule-payouts').set(headers).send(raw);
    expect(replay.status).toBe(200);
    await p.waitForIdle();

    expect(p.payouts()).toEqual(before);
    expect(payoutWrites()).toBe(writesBefore);
  });
});
