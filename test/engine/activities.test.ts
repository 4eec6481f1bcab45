import { describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import { activityPayout, bonusAmount, bonusPayout, type Activity } from '../../src/engine/activities.js';
import { rankPartnersByRevenue } from '../../src/engine/bonus-ranking.js';
import { diffPayouts } from '../../src/engine/payouts.js';
import type { PartnerCompany, PayoutRecord } from '../../src/engine/types.js';

const { config } = buildProgramConfig(undefined);
const NOW = Date.parse('2026-06-01T10:00:00Z');
const advisor = (over: Partial<PartnerCompany> = {}): PartnerCompany => ({
  id: '301',
  name: 'Dr. Rivera Advisory',
  partnerType: 'medical_advisor',
  consultantCount: null,
  annualCoMarketingInvestment: null,
  commitmentYears: null,
  annualSalesVolumePotential: null,
  agreementSigned: true,
  baaSigned: true,
  ...over,
});
const activity = (over: Partial<Activity> = {}): Activity => ({
  id: '9001',
  type: 'conference_presentation',
  name: 'HIMSS 2026 keynote',
  date: '2026-03-10',
  status: 'approved',
  amount: null,
  companyId: '301',
  ...over,
});
const freeze = (a: Activity, p: PartnerCompany = advisor()) => activityPayout({ activity: a, partner: p, config, programVersion: 'v1', now: NOW });

describe('activity pay (docs/program.md#activities-retainers-and-bonuses)', () => {
  it.each([
    ['conference presentation, medical advisor: $2,500', activity(), advisor(), 250_000, 'scheduled', null],
    ['case study, medical advisor: $1,000', activity({ type: 'case_study' }), advisor(), 100_000, 'scheduled', null],
    ['retainer of $30,000: within its $35,000 cap', activity({ type: 'retainer', amount: 3_000_000 }), advisor(), 3_000_000, 'scheduled', null],
    ['retainer of $35,000: at the cap is not above it', activity({ type: 'retainer', amount: 3_500_000 }), advisor(), 3_500_000, 'scheduled', null],
    [
      'retainer of $40,000: above the $35,000 retainer cap, held for anti-kickback review',
      activity({ type: 'retainer', amount: 4_000_000 }),
      advisor(),
      4_000_000,
      'on_hold',
      'exceeds the $35,000.00 retainer fair-market-value cap; anti-kickback review',
    ],
    [
      'presentation without a partner agreement: held',
      activity(),
      advisor({ agreementSigned: false }),
      250_000,
      'on_hold',
      'no signed partner agreement on file',
    ],
    [
      'case study without a BAA: held',
      activity({ type: 'case_study' }),
      advisor({ baaSigned: false }),
      100_000,
      'on_hold',
      'no business associate agreement (BAA) on file',
    ],
  ])('%s', (_name, a, p, amount, status, hold) => {
    const { record } = freeze(a, p);
    expect(record).toMatchObject({
      key: 'activity:9001',
      dealId: '',
      partnerId: '301',
      role: 'activity',
      kind: 'activity',
      currency: 'USD',
      amount,
      status,
      holdReason: hold,
    });
  });

  it.each([
    ['a joint campaign pays nothing', activity({ type: 'joint_campaign' }), advisor(), 'Joint campaigns pay no fee'],
    ['a technology partner is not paid for activities', activity(), advisor({ partnerType: 'technology' }), 'technology partners are not paid for activities'],
    ['an unknown type is never guessed', activity({ type: 'webinar' }), advisor(), 'unknown activity type "webinar"'],
    ['a retainer without an approved amount pays nothing', activity({ type: 'retainer' }), advisor(), 'the retainer has no approved amount'],
  ])('%s', (_name, a, p, reason) => {
    expect(freeze(a, p)).toEqual({ record: null, reason });
  });

  it('approving twice pays once: the second freeze diffs to nothing', () => {
    const first = freeze(activity()).record!;
    const diff = diffPayouts([first], [freeze(activity()).record!], { now: NOW, why: 'approved again', programVersion: 'v1' });
    expect(diff).toMatchObject({ create: [], update: [] });
  });

  it('rejected after approval: the unpaid payout is reversed; a paid one gets a claw-back adjustment', () => {
    const first = freeze(activity()).record!;
    const unpaid = diffPayouts([first], null, { now: NOW, why: 'activity rejected', programVersion: 'v1' });
    expect(unpaid.update).toMatchObject([{ key: 'activity:9001', status: 'reversed' }]);
    const paid = diffPayouts([{ ...first, status: 'paid' }], null, { now: NOW, why: 'activity rejected', programVersion: 'v1' });
    expect(paid.create).toMatchObject([{ key: 'activity:9001:adj:1', amount: -250_000, role: 'activity', dealId: '' }]);
  });
});

describe('annual bonuses', () => {
  it.each([
    ['achievement $10,000 (bottom of the range)', 'achievement', 1_000_000, { amount: 1_000_000 }],
    ['achievement $50,000 (top of the range)', 'achievement', 5_000_000, { amount: 5_000_000 }],
    [
      'achievement $9,999.99: refused naming the range',
      'achievement',
      999_999,
      { refused: 'An achievement bonus must be between $10,000.00 and $50,000.00; $9,999.99 is outside that range.' },
    ],
    [
      'achievement $50,000.01: refused',
      'achievement',
      5_000_001,
      { refused: 'An achievement bonus must be between $10,000.00 and $50,000.00; $50,000.01 is outside that range.' },
    ],
    ['Partner of the Year: the configured $25,000', 'partner_of_the_year', null, { amount: 2_500_000 }],
    [
      'Partner of the Year at another amount: refused',
      'partner_of_the_year',
      3_000_000,
      { refused: 'Partner of the Year is $25,000.00 (configured); $30,000.00 was asked.' },
    ],
  ] as const)('%s', (_name, award, requested, answer) => {
    expect(bonusAmount(award, requested, config)).toEqual(answer);
  });

  it('a bonus carries the holds of any payout: the $5,000 FMV cap for a healthcare partner', () => {
    const r = bonusPayout({
      year: 2026,
      award: 'partner_of_the_year',
      amount: 2_500_000,
      partner: advisor(),
      awardedBy: 'user 7',
      note: '',
      config,
      programVersion: 'v1',
      now: NOW,
    });
    expect(r).toMatchObject({
      key: 'bonus:2026:301:partner_of_the_year',
      role: 'bonus',
      kind: 'bonus',
      dealId: '',
      status: 'on_hold',
      holdReason: 'exceeds the $5,000.00 fair-market-value cap; anti-kickback review',
    });
    const c = bonusPayout({
      year: 2026,
      award: 'achievement',
      amount: 1_000_000,
      partner: advisor({ id: '101', partnerType: 'consultant' }),
      awardedBy: 'user 7',
      note: '',
      config,
      programVersion: 'v1',
      now: NOW,
    });
    expect(c).toMatchObject({ key: 'bonus:2026:101:achievement', status: 'scheduled', holdReason: null });
  });
});

describe('bonus ranking: basis B of deals closed-won in the year with a payable line of the partner', () => {
  const payout = (dealId: string, partnerId: string, over: Partial<PayoutRecord> = {}): PayoutRecord => ({
    key: `${dealId}:${partnerId}:pp_finder`,
    dealId,
    partnerId,
    role: 'pp_finder',
    kind: 'commission',
    amount: 1000,
    currency: 'USD',
    status: 'scheduled',
    holdReason: null,
    explanation: '',
    basis: null,
    rateBps: 1000,
    flatFee: null,
    frozenAt: NOW,
    programVersion: 'v1',
    ...over,
  });
  it('literal: A $300k + $200k = $500k; B $400k (two roles on one deal count once); C reversed → not ranked; EUR named apart', () => {
    const deals = [
      { dealId: '1', basis: 30_000_000, currency: 'USD' },
      { dealId: '2', basis: 20_000_000, currency: 'USD' },
      { dealId: '3', basis: 40_000_000, currency: 'USD' },
      { dealId: '4', basis: 90_000_000, currency: 'USD' },
      { dealId: '5', basis: 10_000_000, currency: 'EUR' },
    ];
    const payouts = [
      payout('1', 'A'),
      payout('2', 'A'),
      payout('3', 'B'),
      payout('3', 'B', { key: '3:B:pp_co_selling_partner', role: 'pp_co_selling_partner' }),
      payout('4', 'C', { status: 'reversed' }),
      payout('4', 'D', { amount: 0 }),
      payout('5', 'B', { currency: 'EUR' }),
      payout('99', 'A'), // not closed-won in the year
      payout('1', 'E', { kind: 'retention', key: '1:E:pp_referral_partner:retention' }),
    ];
    expect(rankPartnersByRevenue(deals, payouts, 'USD')).toEqual([
      { partnerId: 'A', revenue: 50_000_000, deals: 2, otherCurrencies: {} },
      { partnerId: 'B', revenue: 40_000_000, deals: 1, otherCurrencies: { EUR: 1 } },
    ]);
  });
});
