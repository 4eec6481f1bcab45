import { describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import { componentForLine, derivedComponent, periodBounds, programResults, proRata, wholePercent, type ResultsInput } from '../../src/engine/results.js';
import type { PartnerCompany, PayoutRecord, ProgramComponent } from '../../src/engine/types.js';

const { config } = buildProgramConfig(undefined);
const at = (iso: string): number => Date.parse(iso);

const partner = (partnerType: string | null, consultantCount: string | null = null): PartnerCompany => ({
  id: '9001',
  name: 'P',
  partnerType,
  consultantCount,
  annualCoMarketingInvestment: null,
  commitmentYears: null,
  annualSalesVolumePotential: null,
  agreementSigned: true,
  baaSigned: true,
});

describe('componentForLine: pp_program_component recorded when a line is frozen', () => {
  it.each([
    { rule: 'rule_1_consultant_referral', kind: 'commission', p: partner('consultant', '60'), component: 'consultant_tier_1' },
    { rule: 'rule_1_consultant_referral', kind: 'commission', p: partner('consultant', '10'), component: 'consultant_tier_2' },
    { rule: 'rule_1_consultant_referral', kind: 'commission', p: partner('consultant', '9'), component: 'consultant_tier_3' },
    { rule: 'rule_2_expansion', kind: 'commission', p: partner('consultant', '60'), component: 'expansion' },
    { rule: 'rule_2_expansion', kind: 'commission', p: partner('technology'), component: 'expansion' },
    { rule: 'rule_3_technology_referral', kind: 'commission', p: partner('technology'), component: 'technology' },
    { rule: 'rule_4_association_referral', kind: 'commission', p: partner('association'), component: 'association' },
    { rule: 'rule_5_medical_advisor_referral', kind: 'commission', p: partner('medical_advisor'), component: 'medical_advisory_board' },
    { rule: 'rule_6_co_selling', kind: 'commission', p: partner('consultant', '60'), component: 'co_selling' },
    { rule: 'rule_6_co_selling', kind: 'commission', p: partner('medical_advisor'), component: 'co_selling' },
    // Retention bonus: by the partner's type.
    { rule: 'rule_7_retention_bonus', kind: 'retention', p: partner('consultant', '20'), component: 'consultant_tier_2' },
    { rule: 'rule_7_retention_bonus', kind: 'retention', p: partner('medical_advisor'), component: 'medical_advisory_board' },
    { rule: 'rule_7_retention_bonus', kind: 'retention', p: partner('channel'), component: 'other' },
  ] as const)('$rule ($kind) for $p.partnerType → $component', ({ rule, kind, p, component }) => {
    expect(componentForLine({ rule, kind }, p, config)).toBe(component);
  });
});

describe('derivedComponent: payouts frozen before pp_program_component existed', () => {
  it.each([
    { role: 'pp_referral_partner', kind: 'commission', p: partner('consultant', '60'), dealType: 'new', component: 'consultant_tier_1' },
    { role: 'pp_referral_partner', kind: 'commission', p: partner('consultant', '60'), dealType: 'expansion', component: 'expansion' },
    { role: 'pp_referral_partner', kind: 'commission', p: partner('technology'), dealType: null, component: 'technology' },
    { role: 'pp_referral_partner', kind: 'commission', p: partner('association'), dealType: null, component: 'association' },
    { role: 'pp_referral_partner', kind: 'commission', p: partner('medical_advisor'), dealType: null, component: 'medical_advisory_board' },
    { role: 'pp_referral_partner', kind: 'retention', p: partner('technology'), dealType: 'expansion', component: 'other' },
    { role: 'pp_finder', kind: 'commission', p: partner('technology'), dealType: null, component: 'co_selling' },
    { role: 'bonus', kind: 'commission', p: partner('consultant', '5'), dealType: null, component: 'consultant_tier_3' },
    { role: 'activity', kind: 'commission', p: partner('medical_advisor'), dealType: null, component: 'medical_advisory_board' },
  ] as const)('$role of a $p.partnerType on a $dealType deal → $component', ({ role, kind, p, dealType, component }) => {
    expect(derivedComponent({ role: role as PayoutRecord['role'], kind }, p, { dealType }, config)).toBe(component);
  });
});

describe('wholePercent: whole percent, half to even', () => {
  it.each([
    { n: 200_000_000, d: 50_000_000, expected: 400 },
    { n: 650_000_000, d: 220_000_000, expected: 295 },
    { n: 1, d: 8, expected: 12 },
    { n: 3, d: 8, expected: 38 },
    { n: 5, d: 0, expected: null },
  ])('$n ÷ $d → $expected', ({ n, d, expected }) => {
    expect(wholePercent(n, d)).toBe(expected);
  });
});

describe('proRata: annual fixed costs for a shorter period', () => {
  it.each([
    { label: 'the whole year 2026', from: '2026-01-01', to: '2026-12-31', annual: 55_000_000, expected: 55_000_000 },
    // 90 of 365 days: 13,561,643.83… cents
    { label: '2026-Q1 (90 days)', from: '2026-01-01', to: '2026-03-31', annual: 55_000_000, expected: 13_561_644 },
    // 91 of 366 days in a leap year
    { label: '2028-Q1 (91 of 366 days)', from: '2028-01-01', to: '2028-03-31', annual: 36_600_000, expected: 9_100_000 },
    { label: 'one day', from: '2026-06-01', to: '2026-06-01', annual: 36_500_000, expected: 100_000 },
    // Across a year end: 31 days of 2026 and 31 of 2027.
    { label: 'December to January', from: '2026-12-01', to: '2027-01-31', annual: 36_500_000, expected: 6_200_000 },
  ])('$label', ({ from, to, annual, expected }) => {
    expect(proRata(annual, periodBounds({ from, to }, 'UTC').years)).toBe(expected);
  });
});

type P = PayoutRecord & { component: ProgramComponent };
const payout = (key: string, over: Partial<P>): P => ({
  key,
  dealId: key.split(':')[0]!,
  partnerId: '9001',
  role: 'pp_referral_partner',
  kind: 'commission',
  amount: 0,
  currency: 'USD',
  status: 'scheduled',
  holdReason: null,
  explanation: '',
  basis: null,
  rateBps: null,
  flatFee: null,
  frozenAt: at('2026-03-01T10:00:00Z'),
  programVersion: 'v',
  component: 'other',
  ...over,
});
const deal = (id: string, amount: string, closeDate: string, currency = 'USD') => ({
  id,
  name: `Deal ${id}`,
  amount,
  firstYearContractValue: null,
  currency,
  isClosedWon: true,
  closeDate: at(closeDate),
});

/** A portal where each component's revenue and cost are known literals (cents). */
export const RESULTS_FIXTURE: Pick<ResultsInput, 'payouts' | 'deals'> = {
  payouts: [
    payout('1:9001:pp_referral_partner', { amount: 12_000_000, component: 'consultant_tier_1' }),
    payout('1:9002:pp_finder', { partnerId: '9002', role: 'pp_finder', amount: 15_000_000, component: 'co_selling' }),
    payout('2:9003:pp_referral_partner', { partnerId: '9003', amount: 2_000_000, component: 'technology', frozenAt: at('2026-05-01T10:00:00Z') }),
    payout('3:9001:pp_referral_partner', { amount: 3_200_000, component: 'expansion', status: 'reversed' }),
    payout('activity:77', { dealId: '', role: 'activity' as PayoutRecord['role'], amount: 250_000, component: 'medical_advisory_board' }),
    payout('4:9003:pp_referral_partner', { partnerId: '9003', amount: 3_000_000, currency: 'EUR', component: 'technology' }),
    payout('5:9004:pp_referral_partner', {
      partnerId: '9004',
      amount: 4_500_000,
      component: 'consultant_tier_2',
      frozenAt: at('2025-12-20T10:00:00Z'),
      status: 'paid',
    }),
    payout('5:9004:pp_referral_partner:adj:1', {
      partnerId: '9004',
      kind: 'adjustment',
      amount: -500_000,
      component: 'consultant_tier_2',
      frozenAt: at('2026-02-01T10:00:00Z'),
    }),
  ],
  deals: new Map([
    ['1', deal('1', '1000000', '2026-03-01T09:00:00Z')],
    ['2', deal('2', '200000', '2026-05-01T09:00:00Z')],
    ['3', deal('3', '400000', '2026-06-01T09:00:00Z')],
    ['4', deal('4', '300000', '2026-07-01T09:00:00Z', 'EUR')],
    ['5', deal('5', '300000', '2025-12-20T09:00:00Z')],
  ]),
};

describe('programResults: revenue, cost, ROI and budget per component, to the cent', () => {
  const results = programResults({ ...RESULTS_FIXTURE, period: { from: '2026-01-01', to: '2026-12-31' }, config });
  const row = (c: ProgramComponent) => results.components.find((r) => r.component === c)!;

  it.each([
    { component: 'consultant_tier_1', revenue: 100_000_000, cost: 12_000_000, roi: 833, budget: 50_000_000, used: 24 },
    { component: 'consultant_tier_2', revenue: 0, cost: -500_000, roi: null, budget: 30_000_000, used: -2 },
    { component: 'consultant_tier_3', revenue: 0, cost: 0, roi: null, budget: 20_000_000, used: 0 },
    { component: 'medical_advisory_board', revenue: 0, cost: 250_000, roi: 0, budget: 40_000_000, used: 1 },
    { component: 'technology', revenue: 20_000_000, cost: 2_000_000, roi: 1000, budget: 15_000_000, used: 13 },
    { component: 'association', revenue: 0, cost: 0, roi: null, budget: 10_000_000, used: 0 },
    { component: 'expansion', revenue: 0, cost: 0, roi: null, budget: null, used: null },
    { component: 'co_selling', revenue: 100_000_000, cost: 15_000_000, roi: 667, budget: null, used: null },
    { component: 'other', revenue: 0, cost: 0, roi: null, budget: null, used: null },
  ] as const)('$component: revenue $revenue, cost $cost, ROI $roi%, budget used $used%', ({ component, revenue, cost, roi, budget, used }) => {
    const r = row(component);
    expect({ revenue: r.revenue, cost: r.cost, roi: r.roiPercent, budget: r.budget, used: r.budgetUsedPercent }).toEqual({ revenue, cost, roi, budget, used });
  });

  it('the total counts each deal once, adds the fixed costs, and compares with the whole budget', () => {
    expect(results.fixedCosts).toEqual([
      { name: 'platform_development', annual: 25_000_000, amount: 25_000_000 },
      { name: 'program_management', annual: 30_000_000, amount: 30_000_000 },
    ]);
    // Deal 1 feeds two components and counts once: 1,000,000 + 200,000.
    expect(results.total).toEqual({ revenue: 120_000_000, deals: 2, cost: 83_750_000, roiPercent: 143, budget: 220_000_000, budgetUsedPercent: 38 });
  });

  it('another currency is listed apart and never converted', () => {
    expect(results.otherCurrencies).toEqual([{ currency: 'EUR', revenue: 30_000_000, deals: 1, cost: 3_000_000, payouts: 1, dealNames: ['Deal 4'] }]);
  });

  it('a quarter: only its deals and payouts, fixed costs pro rata', () => {
    const q1 = programResults({ ...RESULTS_FIXTURE, period: { from: '2026-01-01', to: '2026-03-31' }, config });
    expect(q1.total).toEqual({
      revenue: 100_000_000,
      deals: 1,
      cost: 12_000_000 + 15_000_000 + 250_000 - 500_000 + 13_561_644,
      roiPercent: 248,
      budget: 220_000_000,
      budgetUsedPercent: 18,
    });
  });

  it('a basis that is not a number leaves the deal out, with the reason', () => {
    const deals = new Map(RESULTS_FIXTURE.deals);
    deals.set('2', { ...deal('2', 'lots', '2026-05-01T09:00:00Z') });
    const r = programResults({ ...RESULTS_FIXTURE, deals, period: { from: '2026-01-01', to: '2026-12-31' }, config });
    expect(r.skipped).toEqual(['Deal 2: amount "lots" is not a number']);
    expect(r.components.find((c) => c.component === 'technology')!.revenue).toBe(0);
  });
});
