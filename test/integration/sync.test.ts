import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { minimumStanding, quarterProgress } from '../../src/engine/performance.js';
import { dealPropertyChange } from '../helpers/hubspot-events.js';
import { nockPortal, RATE_LIMIT_429, SERVER_ERROR_500, type NockPortal, type PortalLink } from '../helpers/nock-portal.js';
import { startSyncHarness, type SyncHarness } from '../helpers/sync-harness.js';

const NOW_ISO = new Date().toISOString();

function consultantPortal() {
  return nockPortal({
    deals: {
      '101': {
        dealname: 'Acme rollout',
        amount: '300000',
        dealstage: 'appointmentscheduled',
        pipeline: 'default',
        createdate: NOW_ISO,
        deal_currency_code: 'USD',
      },
    },
    companies: {
      // Created today: no full previous quarter to judge (pp_last_quarter_result stays empty).
      '9001': { name: 'Beacon Advisors', pp_partner_type: 'consultant', pp_consultant_count: '20', pp_agreement_signed: 'true', createdate: NOW_ISO },
      '8001': { name: 'Acme Health', lifecyclestage: 'opportunity' },
    },
    links: [
      { dealId: '101', companyId: '8001', primary: true },
      { dealId: '101', companyId: '9001', roles: ['pp_referral_partner'] },
    ],
  });
}

let portal: NockPortal;
let h: SyncHarness;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
afterEach(async () => {
  await h?.close();
  portal?.close();
});

describe('webhook → queue → engine → write-back', () => {
  it('a signed batch produces the exact batch-update payload HubSpot receives (rule 1: tier_2 15% of $300,000)', async () => {
    portal = consultantPortal();
    h = await startSyncHarness();
    const res = await h.postWebhook([dealPropertyChange(101, 'amount', '300000')]);
    expect(res.status).toBe(200);
    await h.waitForIdle();

    const updates = portal.callsTo('POST /crm/objects/2026-09/deals/batch/update');
    expect(updates.map((c) => c.body)).toEqual([
      {
        inputs: [
          {
            id: '101',
            properties: {
              pp_commission_total: '45000.00',
              pp_commission_breakdown: expect.stringContaining('Beacon Advisors — Referral partner: 15% of $300,000.00 = $45,000.00'),
              pp_partner_tier: 'tier_2',
              pp_protection_status: 'none',
              pp_payout_status: 'none',
            },
          },
        ],
      },
    ]);
    // The partner's own outputs follow from a full count: one qualified referral this quarter.
    expect(portal.callsTo('POST /crm/objects/2026-09/companies/batch/update').map((c) => c.body)).toEqual([
      {
        inputs: [
          {
            id: '9001',
            properties: {
              pp_referral_tier: 'tier_2',
              pp_referrals_this_quarter: '1',
              pp_high_performer: 'false',
              pp_quarterly_minimum: '3',
              // 1 of 3 is on track until two thirds of the quarter have passed: the test runs on any day.
              pp_minimum_status: minimumStanding(1, 3, quarterProgress(Date.now(), 'UTC')).value,
              pp_requirements_status: 'met',
              // Never sealed before: its partner inputs are adopted and sealed in the same write (docs/SECURITY.md).
              pp_partner_inputs_seal: expect.stringMatching(/^v1\./),
            },
          },
        ],
      },
    ]);
  });

  it('the same batch again writes nothing; a new event with the values already right writes nothing', async () => {
    portal = consultantPortal();
    h = await startSyncHarness();
    const batch = [dealPropertyChange(101, 'amount', '300000')];
    await h.postWebhook(batch);
    await h.waitForIdle();
    const writesAfterFirst = portal.callsTo('POST /crm/objects/2026-09/deals/batch/update').length;
    expect(writesAfterFirst).toBe(1);

    const again = await h.postWebhook(batch);
    expect(again.body).toMatchObject({ duplicates: 1, accepted: 0 });
    await h.postWebhook([dealPropertyChange(101, 'dealname', 'Acme rollout')]); // not an input: ignored
    await h.postWebhook([dealPropertyChange(101, 'closedate', '2026-12-31')]); // an input, but nothing changes
    await h.waitForIdle();
    expect(portal.callsTo('POST /crm/objects/2026-09/deals/batch/update')).toHaveLength(1);
    expect(portal.callsTo('POST /crm/objects/2026-09/companies/batch/update')).toHaveLength(1);
  });
});

describe('HubSpot manners under failure', () => {
  it('429 with Retry-After, then success → one write, after the wait', async () => {
    portal = consultantPortal();
    portal.failNext('POST /crm/objects/2026-09/deals/batch/update', RATE_LIMIT_429);
    h = await startSyncHarness();
    await h.postWebhook([dealPropertyChange(101, 'amount', '300000')]);
    await h.waitForIdle();
    const updates = portal.callsTo('POST /crm/objects/2026-09/deals/batch/update');
    expect(updates.map((c) => c.status)).toEqual([429, 200]);
    expect(portal.deals.get('101')?.pp_commission_total).toBe('45000');
  });

  it('500 twice, then success → one write', async () => {
    portal = consultantPortal();
    portal.failNext('POST /crm/objects/2026-09/deals/batch/update', SERVER_ERROR_500, 2);
    h = await startSyncHarness();
    await h.postWebhook([dealPropertyChange(101, 'amount', '300000')]);
    await h.waitForIdle();
    expect(portal.callsTo('POST /crm/objects/2026-09/deals/batch/update').map((c) => c.status)).toEqual([500, 500, 200]);
    expect(portal.deals.get('101')?.pp_commission_total).toBe('45000');
  });

  it('a 400 from HubSpot fails the job for good: visible as failed, not retried for ever', async () => {
    portal = consultantPortal();
    portal.failNext('POST /crm/objects/2026-09/deals/batch/update', {
      status: 400,
      body: { status: 'error', message: 'Property values were not valid', category: 'VALIDATION_ERROR', correlationId: 'c0ffee00-0000-4000-8000-000000000400' },
      headers: { 'content-type': 'application/json' },
    });
    h = await startSyncHarness();
    await h.postWebhook([dealPropertyChange(101, 'amount', '300000')]);
    await h.waitForIdle();
    expect(portal.callsTo('POST /crm/objects/2026-09/deals/batch/update')).toHaveLength(1);
    const failed = await h.rt.queues.sync.getFailed();
    expect(failed.map((j) => [j.name, j.attemptsMade])).toEqual([['recompute-deal', 1]]);
    expect(failed[0]!.failedReason).toMatch(/Property values were not valid/);
  });
});

describe('bursts', () => {
  it('300 events over 120 deals: every deal right, reads and writes batched', async () => {
    const deals: Record<string, Record<string, string | null>> = {};
    const companies: Record<string, Record<string, string | null>> = {};
    const links: PortalLink[] = [];
    for (let p = 0; p < 6; p++) {
      companies[String(9100 + p)] = {
        name: `Partner ${p}`,
        pp_partner_type: 'technology',
        pp_agreement_signed: 'true',
        pp_annual_sales_volume_potential: '1000000',
      };
    }
    for (let d = 0; d < 120; d++) {
      const id = String(5000 + d);
      deals[id] = {
        dealname: `Deal ${d}`,
        amount: String(10_000 * (d + 1)),
        dealstage: 'appointmentscheduled',
        createdate: NOW_ISO,
        pp_referral_kind: 'software_integration',
      };
      links.push({ dealId: id, companyId: String(9100 + (d % 6)), roles: ['pp_referral_partner', 'pp_finder'] });
    }
    portal = nockPortal({ deals, companies, links });
    h = await startSyncHarness({ debounceMs: 300, concurrency: 100 });

    const events = Array.from({ length: 300 }, (_, i) => dealPropertyChange(5000 + ((i * 7) % 120), 'amount', 'hint'));
    for (let i = 0; i < events.length; i += 100) expect((await h.postWebhook(events.slice(i, i + 100))).status).toBe(200);
    await h.waitForIdle();

    for (let d = 0; d < 120; d++) {
      // software_integration 10% + preferred finder 12.5% of B = 22.5% of B
      expect(portal.deals.get(String(5000 + d))?.pp_commission_total).toBe(String((10_000 * (d + 1) * 225) / 1000));
    }
    const updates = portal.callsTo('POST /crm/objects/2026-09/deals/batch/update');
    expect(updates.reduce((n, c) => n + (c.body as { inputs: unknown[] }).inputs.length, 0)).toBe(120);
    // 120 deals in batches of up to 100: a handful of calls, where one call per deal would be 120.
    expect(updates.length).toBeLessThanOrEqual(4);
    expect(portal.callsTo('POST /crm/objects/2026-09/deals/batch/read').length).toBeLessThanOrEqual(6);
    expect(portal.calls.length).toBeLessThanOrEqual(30);
  });
});

describe('crashes', () => {
  it('a worker closed mid-job: the job is picked up again and the end state is the same', async () => {
    portal = consultantPortal();
    h = await startSyncHarness({ workers: false });
    // The first read hangs long enough for the worker to die with the job in hand.
    portal.delayNext('POST /crm/objects/2026-09/deals/batch/read', 3000);
    const first = await h.startWorkers({ lockDurationMs: 1000, stalledIntervalMs: 500 });
    const started = new Promise<void>((resolve) => first.sync.once('active', () => resolve()));
    await h.postWebhook([dealPropertyChange(101, 'amount', '300000')]);
    await started;
    await first.close(true);

    await h.startWorkers({ lockDurationMs: 1000, stalledIntervalMs: 500 });
    await h.waitForIdle();
    expect(portal.deals.get('101')).toMatchObject({ pp_commission_total: '45000', pp_partner_tier: 'tier_2' });
    const completed = await h.rt.queues.sync.getCompleted();
    expect(completed.some((j) => j.name === 'recompute-deal' && j.data.dealId === '101')).toBe(true);
  });
});
