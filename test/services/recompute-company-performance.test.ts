/**
 * docs/program.md#program-performance through the partner recompute: the six company outputs computed from the
 * partner's referral deals, written in one update with the tiers, and only when they change.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recomputeCompany } from '../../src/services/recompute-company.js';
import { recomputeDeal } from '../../src/services/recompute-deal.js';
import { nockPortal, type NockPortal, type PortalLink } from '../helpers/nock-portal.js';
import { startSyncHarness, type SyncHarness } from '../helpers/sync-harness.js';

/** 2026-11-30 12:00 UTC: day 61 of the 92 days of 2026-Q4. tier_1 (4) is due ⌊4 × 61 ÷ 92⌋ = 2 by today. */
const NOW = Date.parse('2026-11-30T12:00:00Z');

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

function summitPortal(extraDeals: Record<string, Record<string, string | null>> = {}) {
  const deal = (name: string, createdate: string, more: Record<string, string | null> = {}) => ({
    dealname: name,
    amount: '600000',
    dealstage: 'appointmentscheduled',
    pipeline: 'default',
    createdate,
    ...more,
  });
  const deals: Record<string, Record<string, string | null>> = {
    // This quarter: one qualified referral (2 are due by today: at risk).
    '201': deal('Q4 referral', '2026-10-05T10:00:00Z'),
    // Last quarter: three qualified referrals of the four tier_1 needs (missed). Two won with scores.
    '202': deal('Q3 one', '2026-07-10T10:00:00Z', {
      dealstage: 'closedwon',
      closedate: '2026-09-01T00:00:00Z',
      pp_client_satisfaction: '8',
      pp_lead_quality_score: '6',
    }),
    '203': deal('Q3 two', '2026-08-10T10:00:00Z', {
      dealstage: 'closedwon',
      closedate: '2026-10-01T00:00:00Z',
      pp_client_satisfaction: '8.5',
      pp_lead_quality_score: '9',
    }),
    '204': deal('Q3 three', '2026-09-10T10:00:00Z'),
    // Below the tier_1 minimum deal size: not a qualified referral, but its score counts.
    '205': deal('Q3 small', '2026-09-11T10:00:00Z', {
      amount: '100000',
      dealstage: 'closedwon',
      closedate: '2026-10-02T00:00:00Z',
      pp_client_satisfaction: '9.5',
    }),
    // Won 13 months ago: outside the 12-month window.
    '206': deal('Old win', '2025-06-01T10:00:00Z', {
      dealstage: 'closedwon',
      closedate: '2025-10-15T00:00:00Z',
      pp_client_satisfaction: '2',
      pp_lead_quality_score: '1',
    }),
    ...extraDeals,
  };
  const links: PortalLink[] = Object.keys(deals).flatMap((id) => [
    { dealId: id, companyId: '8001', primary: true },
    { dealId: id, companyId: '9001', roles: ['pp_referral_partner'] },
  ]);
  return nockPortal({
    deals,
    companies: {
      '9001': {
        name: 'Summit Advisory Group',
        pp_partner_type: 'consultant',
        pp_consultant_count: '60',
        pp_agreement_signed: 'true',
        createdate: '2024-01-01T00:00:00Z',
      },
      '8001': { name: 'Acme Health', lifecyclestage: 'customer' },
    },
    links,
  });
}

describe('recomputeCompany: program performance outputs', () => {
  it('a tier_1 partner: at risk this quarter, missed last quarter, satisfaction 8.7 (8.0, 8.5, 9.5) meets 8.5 but last quarter does not', async () => {
    portal = summitPortal();
    h = await startSyncHarness({ workers: false, clock: () => NOW });
    const result = await recomputeCompany(h.rt.ctx, '9001', 'resync');
    expect(result.status).toBe('written');
    expect(portal.callsTo('POST /crm/objects/2026-09/companies/batch/update').map((c) => c.body)).toEqual([
      {
        inputs: [
          {
            id: '9001',
            properties: {
              pp_referral_tier: 'tier_1',
              pp_referrals_this_quarter: '1',
              pp_high_performer: 'false',
              pp_quarterly_minimum: '4',
              pp_minimum_status: 'at_risk',
              pp_last_quarter_result: 'missed',
              // (8 + 8.5 + 9.5) ÷ 3 = 8.666… → 8.7; lead quality (6 + 9) ÷ 2 = 7.5
              pp_satisfaction_avg: '8.7',
              pp_lead_quality_avg: '7.5',
              pp_requirements_status: 'not_met',
              // Never sealed before: its partner inputs are adopted and sealed in the same write (docs/SECURITY.md).
              pp_partner_inputs_seal: expect.stringMatching(/^v1\./),
            },
          },
        ],
      },
    ]);
    // A second recompute finds every value in place and writes nothing.
    expect((await recomputeCompany(h.rt.ctx, '9001', 'resync')).status).toBe('unchanged');
    expect(portal.callsTo('POST /crm/objects/2026-09/companies/batch/update')).toHaveLength(1);
  });

  it('a fourth Q3 referral makes last quarter met and the requirements met', async () => {
    portal = summitPortal({
      '207': { dealname: 'Q3 four', amount: '700000', dealstage: 'appointmentscheduled', pipeline: 'default', createdate: '2026-09-20T10:00:00Z' },
    });
    h = await startSyncHarness({ workers: false, clock: () => NOW });
    await recomputeCompany(h.rt.ctx, '9001', 'resync');
    expect(portal.companies.get('9001')).toMatchObject({ pp_last_quarter_result: 'met', pp_requirements_status: 'met', pp_minimum_status: 'at_risk' });
  });

  it('a lead quality score set on a deal moves the partner: the deal recompute asks for the partner recompute', async () => {
    portal = summitPortal();
    h = await startSyncHarness({ workers: false, clock: () => NOW });
    await recomputeCompany(h.rt.ctx, '9001', 'resync');
    // First sight of the deal's facts, then nothing new: only a change asks again.
    await recomputeDeal(h.rt.ctx, '204');
    await h.rt.queues.sync.obliterate({ force: true });
    await recomputeDeal(h.rt.ctx, '204');
    expect((await h.rt.queues.sync.getJobs(['delayed', 'waiting'])).map((j) => j.data)).toEqual([]);

    portal.deals.get('204')!.pp_lead_quality_score = '3';
    await recomputeDeal(h.rt.ctx, '204');
    const jobs = await h.rt.queues.sync.getJobs(['delayed', 'waiting']);
    expect(jobs.map((j) => j.data)).toContainEqual({ companyId: '9001', reason: 'referral-count-changed' });
    await recomputeCompany(h.rt.ctx, '9001', 'referral-count-changed');
    // (6 + 9 + 3) ÷ 3 = 6.0
    expect(portal.companies.get('9001')).toMatchObject({ pp_lead_quality_avg: '6', pp_satisfaction_avg: '8.7' });
  });

  it('the follow-up a deal asks for computes performance from the ledger the deals keep: no deal or association read', async () => {
    portal = summitPortal();
    h = await startSyncHarness({ workers: false, clock: () => NOW });
    // The resync reads every referred deal (the full count) and fills the ledger.
    await recomputeCompany(h.rt.ctx, '9001', 'resync');
    portal.deals.get('204')!.pp_lead_quality_score = '3';
    await recomputeDeal(h.rt.ctx, '204');
    const reads = () =>
      portal.calls.filter((c) => /\/deals\/batch\/read$|\/deals\/companies\/batch\/read$|\/companies\/deals\/batch\/read$/.test(c.path)).length;
    const before = reads();
    await recomputeCompany(h.rt.ctx, '9001', 'referral-count-changed');
    expect(reads()).toBe(before);
    // The same figure a full read gives: (6 + 9 + 3) ÷ 3 = 6.0
    expect(portal.companies.get('9001')).toMatchObject({ pp_lead_quality_avg: '6', pp_satisfaction_avg: '8.7' });
  });

  it('a deal whose referral label is removed leaves the partner: its score no longer counts', async () => {
    // An open Q3 deal below the minimum deal size: not a qualified referral, but its lead quality score counts.
    portal = summitPortal({
      '207': {
        dealname: 'Q3 scored',
        amount: '100000',
        dealstage: 'appointmentscheduled',
        pipeline: 'default',
        createdate: '2026-09-20T10:00:00Z',
        pp_lead_quality_score: '3',
      },
    });
    h = await startSyncHarness({ workers: false, clock: () => NOW });
    await recomputeCompany(h.rt.ctx, '9001', 'resync');
    // (6 + 9 + 3) ÷ 3 = 6.0
    expect(portal.companies.get('9001')).toMatchObject({ pp_lead_quality_avg: '6' });
    await recomputeDeal(h.rt.ctx, '207');
    await h.rt.queues.sync.obliterate({ force: true });
    // The Referral partner label comes off deal 207 (Summit stays associated, unlabelled).
    portal.links.find((l) => l.dealId === '207' && l.companyId === '9001')!.roles = [];
    await recomputeDeal(h.rt.ctx, '207');
    const jobs = await h.rt.queues.sync.getJobs(['delayed', 'waiting']);
    expect(jobs.map((j) => j.data)).toContainEqual({ companyId: '9001', reason: 'referral-count-changed' });
    await recomputeCompany(h.rt.ctx, '9001', 'referral-count-changed');
    // (6 + 9) ÷ 2 = 7.5
    expect(portal.companies.get('9001')).toMatchObject({ pp_lead_quality_avg: '7.5' });
  });

  it('a deleted deal leaves the partners it referred: its qualified referral no longer counts', async () => {
    portal = summitPortal();
    h = await startSyncHarness({ workers: false, clock: () => NOW });
    // This portal has no pp_payout object: the deleted deal finds no payouts to reverse.
    const ctx = { ...h.rt.ctx, payouts: { forDeal: async () => [], save: async () => {}, objectType: async () => '2-1' } };
    await recomputeCompany(ctx, '9001', 'resync');
    await recomputeDeal(ctx, '201');
    expect(portal.companies.get('9001')).toMatchObject({ pp_referrals_this_quarter: '1' });
    portal.deals.delete('201');
    portal.links = portal.links.filter((l) => l.dealId !== '201');
    await recomputeDeal(ctx, '201');
    await recomputeCompany(ctx, '9001', 'referral-count-changed');
    expect(portal.companies.get('9001')).toMatchObject({ pp_referrals_this_quarter: '0' });
  });

  it('a partner without a referral tier gets no performance outputs', async () => {
    portal = summitPortal();
    portal.companies.get('9001')!.pp_partner_type = 'technology';
    h = await startSyncHarness({ workers: false, clock: () => NOW });
    await recomputeCompany(h.rt.ctx, '9001', 'resync');
    const written = portal
      .callsTo('POST /crm/objects/2026-09/companies/batch/update')
      .map((c) => (c.body as { inputs: { properties: Record<string, string> }[] }).inputs[0]!.properties);
    expect(Object.keys(written[0] ?? {}).filter((k) => /quarterly_minimum|minimum_status|last_quarter|satisfaction|lead_quality|requirements/.test(k))).toEqual(
      [],
    );
  });
});
