/** Annual bonuses against the sandbox portal: the ranking, awards inside the range, one Partner of the Year. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PayoutRecord } from '../../src/engine/types.js';
import { payoutProperties } from '../../src/hubspot/mappers.js';
import { awardBonus, bonusRanking, type BonusDeps } from '../../src/services/bonuses.js';
import { createRedisDecisionLock } from '../../src/stores/decision-lock.js';
import { createPartnerManagers } from '../../src/services/partner-managers.js';
import { startPayoutsPortal, type PayoutsPortal } from './helpers/payouts-portal.js';

const MANAGER = '7001';
const NOW = Date.parse('2026-11-30T10:00:00Z');

describe('annual bonuses (docs/activities.md#annual-bonuses)', () => {
  let p: PayoutsPortal;
  let deps: BonusDeps;
  let acme: string;
  let beta: string;
  let rivera: string;

  beforeEach(async () => {
    p = await startPayoutsPortal({ now: NOW });
    deps = {
      ctx: p.rt.ctx,
      hs: p.rt.hs,
      managers: createPartnerManagers({ userIds: [MANAGER], teamIds: [], readTeams: async () => null, clock: Date.now }),
      lock: createRedisDecisionLock(p.rt.producerRedis, p.prefix, 30_000, 'bonus'),
      redis: p.rt.producerRedis,
      prefix: p.prefix,
    };
    acme = p.user.createCompany({ name: 'Acme Consulting', pp_partner_type: 'consultant', pp_agreement_signed: 'true' }).id;
    beta = p.user.createCompany({ name: 'Beta Systems', pp_partner_type: 'technology', pp_agreement_signed: 'true' }).id;
    rivera = p.user.createCompany({ name: 'Dr. Rivera Advisory', pp_partner_type: 'medical_advisor', pp_agreement_signed: 'true', pp_baa_signed: 'true' }).id;
  });
  afterEach(async () => {
    await p.close();
  });

  const payout = (dealId: string, partnerId: string, over: Partial<PayoutRecord> = {}): void => {
    const r: PayoutRecord = {
      key: `${dealId}:${partnerId}:pp_finder`,
      dealId,
      partnerId,
      role: 'pp_finder',
      kind: 'commission',
      amount: 100_00,
      currency: 'USD',
      status: 'scheduled',
      holdReason: null,
      explanation: '',
      basis: null,
      rateBps: 1000,
      flatFee: null,
      frozenAt: NOW,
      programVersion: 'v',
      ...over,
    };
    p.user.createObject('pp_payout', payoutProperties(r));
  };
  const deal = (amount: string, closedate: string, stage = 'closedwon', extra: Record<string, string> = {}) =>
    p.user.createDeal({ dealname: `Deal ${amount}`, amount, dealstage: stage, pipeline: 'default', closedate, ...extra }).id;

  it('ranks by basis B of the year’s closed-won deals with a payable, non-reversed line (literal)', async () => {
    const d1 = deal('300000', '2026-02-01T00:00:00Z');
    const d2 = deal('200000', '2026-05-01T00:00:00Z', 'closedwon', { pp_first_year_contract_value: '250000' });
    const d3 = deal('400000', '2026-06-01T00:00:00Z');
    const d4 = deal('900000', '2025-12-31T12:00:00Z'); // last year
    const d5 = deal('800000', '2026-07-01T00:00:00Z'); // reversed
    payout(d1, acme);
    payout(d2, acme);
    payout(d3, beta);
    payout(d4, beta);
    payout(d5, rivera, { status: 'reversed' });
    const ranking = await bonusRanking(deps, 2026);
    expect(ranking.rows.map((r) => [r.partnerName, r.revenueText, r.deals])).toEqual([
      ['Acme Consulting', '$550,000.00', 2],
      ['Beta Systems', '$400,000.00', 1],
    ]);
  });

  it('an achievement bonus outside $10,000–$50,000 is refused naming the range; awarding again changes the one unpaid record', async () => {
    await expect(awardBonus(deps, { year: 2026, partnerId: acme, award: 'achievement', amount: '60000', note: '', userId: MANAGER })).rejects.toThrow(
      'An achievement bonus must be between $10,000.00 and $50,000.00; $60,000.00 is outside that range.',
    );
    await awardBonus(deps, { year: 2026, partnerId: acme, award: 'achievement', amount: '20000', note: 'top referrer', userId: MANAGER });
    await awardBonus(deps, { year: 2026, partnerId: acme, award: 'achievement', amount: '30000', note: '', userId: MANAGER });
    expect(p.payouts()).toMatchObject([
      { key: `bonus:2026:${acme}:achievement`, role: 'bonus', kind: 'bonus', dealId: '', amount: 3_000_000, status: 'scheduled' },
    ]);
    p.api.store.updateObject('pp_payout', p.payoutRecord(`bonus:2026:${acme}:achievement`)!.id, { pp_status: 'approved' }, {});
    await expect(awardBonus(deps, { year: 2026, partnerId: acme, award: 'achievement', amount: '40000', note: '', userId: MANAGER })).rejects.toThrow(
      /already approved by finance/,
    );
  });

  it('Partner of the Year goes to one partner a year: a second award to another partner names who holds it; a healthcare partner’s is held by the $5,000 FMV cap', async () => {
    const first = await awardBonus(deps, { year: 2026, partnerId: rivera, award: 'partner_of_the_year', amount: null, note: '', userId: MANAGER });
    expect(first.message).toBe(
      'Partner of the Year 2026 of $25,000.00 awarded. It is on hold: exceeds the $5,000.00 fair-market-value cap; anti-kickback review.',
    );
    await expect(awardBonus(deps, { year: 2026, partnerId: acme, award: 'partner_of_the_year', amount: null, note: '', userId: MANAGER })).rejects.toThrow(
      `Partner of the Year 2026 is already awarded to Dr. Rivera Advisory (company ${rivera}): one partner a year.`,
    );
    await awardBonus(deps, { year: 2025, partnerId: acme, award: 'partner_of_the_year', amount: null, note: '', userId: MANAGER });
    expect(
      p
        .payouts()
        .map((r) => r.key)
        .sort(),
    ).toEqual([`bonus:2025:${acme}:partner_of_the_year`, `bonus:2026:${rivera}:partner_of_the_year`].sort());
  });

  it('two managers awarding Partner of the Year to two partners at once: one wins', async () => {
    const results = await Promise.allSettled([
      awardBonus(deps, { year: 2026, partnerId: acme, award: 'partner_of_the_year', amount: null, note: '', userId: MANAGER }),
      awardBonus(deps, { year: 2026, partnerId: beta, award: 'partner_of_the_year', amount: null, note: '', userId: MANAGER }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(p.payouts().filter((r) => r.key.endsWith(':partner_of_the_year'))).toHaveLength(1);
  });

  it('someone who is not a partner manager cannot award', async () => {
    await expect(awardBonus(deps, { year: 2026, partnerId: acme, award: 'achievement', amount: '20000', note: '', userId: '42' })).rejects.toThrow(
      /Only partner managers/,
    );
  });
});
