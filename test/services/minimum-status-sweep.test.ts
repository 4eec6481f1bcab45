/**
 * The daily job (docs/program.md#program-performance: pp_minimum_status moves with time): only the partners whose
 * status or averages can change today are recomputed, each once; a second run the same day asks for nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepMinimumStatus } from '../../src/services/minimum-status-sweep.js';
import { createCustomer, createDeal, startPayoutsPortal, type PayoutsPortal } from './helpers/payouts-portal.js';

describe('sweepMinimumStatus', () => {
  let p: PayoutsPortal;
  const ids: Record<string, string> = {};
  const partner = (name: string, tier: string, count: number) =>
    p.user.createCompany({
      name,
      pp_partner_type: 'consultant',
      pp_consultant_count: tier === 'tier_1' ? '60' : tier === 'tier_2' ? '20' : '5',
      pp_referral_tier: tier,
      pp_referrals_this_quarter: String(count),
    }).id;

  beforeAll(async () => {
    // 00:15 UTC on 23 October 2026: day 23 of 92, the day tier_1's due count rises from 0 to 1 (⌊4 × 23 ÷ 92⌋).
    p = await startPayoutsPortal({ workers: false, now: Date.parse('2026-10-23T00:15:00Z') });
    ids.behind = partner('Falls behind today', 'tier_1', 0);
    ids.onTrack = partner('Has its one', 'tier_1', 1);
    ids.met = partner('Met already', 'tier_1', 4);
    ids.tier2 = partner('Tier 2, nothing due yet', 'tier_2', 0);
    ids.scored = partner('Scored deal leaves the window', 'tier_2', 2);
    const customer = createCustomer(p, 'Acme Health');
    // Won 12 months ago yesterday, with a score: it leaves the 12-month satisfaction window today.
    createDeal(p, {
      name: 'Won a year ago',
      amount: 300_000,
      stage: 'closedwon',
      closedate: Date.parse('2025-10-22T12:00:00Z'),
      customerId: customer,
      partners: [{ id: ids.scored, roles: ['pp_referral_partner'] }],
      extra: { pp_client_satisfaction: '6' },
    });
    // Won the day before: it left yesterday, not today.
    createDeal(p, {
      name: 'Left yesterday',
      amount: 300_000,
      stage: 'closedwon',
      closedate: Date.parse('2025-10-21T12:00:00Z'),
      customerId: customer,
      partners: [{ id: ids.onTrack, roles: ['pp_referral_partner'] }],
      extra: { pp_client_satisfaction: '6' },
    });
  });
  afterAll(async () => {
    await p?.close();
  });

  const queued = async () =>
    (await p.rt.queues.sync.getJobs(['delayed', 'waiting']))
      .map((j) => j.data as { companyId: string; reason: string })
      .sort((a, b) => (a.companyId < b.companyId ? -1 : 1));

  it('asks for the tier_1 partner falling behind today and the partner whose scored deal leaves the window, once each', async () => {
    const result = await sweepMinimumStatus(p.rt.ctx);
    expect(result.fallingBehind).toEqual({ tier_1: { from: 0, to: 1 }, tier_2: null, tier_3: null });
    expect([result.companies, result.dealsLeavingWindow]).toEqual([2, 1]);
    expect(await queued()).toEqual(
      [
        { companyId: ids.behind, reason: 'minimum-status' },
        { companyId: ids.scored, reason: 'minimum-status' },
      ].sort((a, b) => (a.companyId! < b.companyId! ? -1 : 1)),
    );
  });

  it('a second run the same day asks for nobody', async () => {
    await p.rt.queues.sync.obliterate({ force: true });
    p.setNow(Date.parse('2026-10-23T09:00:00Z'));
    const result = await sweepMinimumStatus(p.rt.ctx);
    expect([result.companies, result.fallingBehind.tier_1]).toEqual([0, null]);
    expect(await queued()).toEqual([]);
  });
});
