import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import { computeCommission } from '../../src/engine/commission.js';
import type { ProgramConfig } from '../../src/engine/program-config.js';
import {
  PARTNER_ROLES,
  REGISTRATION_STATUSES,
  type CommissionResult,
  type DealPartner,
  type DealSnapshot,
  type PartnerCompany,
  type PartnerQuarterStats,
  type PartnerRole,
  type Registration,
  type RegistrationStatus,
} from '../../src/engine/types.js';
import { dealSnapshot } from '../helpers/deal-snapshot.js';

const config = buildProgramConfig(undefined).config;

/** The defaults plus a yen configuration: docs/program.md figures converted at a round ¥150 to the dollar. */
const withYen = buildProgramConfig({
  currencies: {
    JPY: {
      referralTierMinimums: { tier_1: 75_000_000, tier_2: 37_500_000, tier_3: 15_000_000 },
      flatFees: {
        technical_consultation: 375_000,
        educational_event: 150_000,
        research_collaboration: 750_000,
        vendor_show: 75_000,
        c_level_referral: 750_000,
      },
      fairMarketValueCap: 750_000,
    },
  },
}).config;

function company(id: string, name: string, overrides: Partial<PartnerCompany> = {}): PartnerCompany {
  return {
    id,
    name,
    partnerType: 'consultant',
    consultantCount: null,
    annualCoMarketingInvestment: null,
    commitmentYears: null,
    annualSalesVolumePotential: null,
    agreementSigned: true,
    baaSigned: false,
    ...overrides,
  };
}

const acme = (overrides: Partial<PartnerCompany> = {}): PartnerCompany => company('101', 'Acme Consulting', { consultantCount: '60', ...overrides });
const beta = (overrides: Partial<PartnerCompany> = {}): PartnerCompany =>
  company('202', 'Beta Labs', { partnerType: 'technology', annualSalesVolumePotential: '1000000', ...overrides });

const deal = dealSnapshot;

function registration(status: RegistrationStatus, partnerId: string, reason: string | null = null): Registration {
  return {
    status,
    partnerId,
    submittedAt: null,
    submittedBy: null,
    decidedAt: null,
    decidedBy: null,
    protectionExpiresAt: null,
    reason,
    conflict: null,
  };
}

const on = (c: PartnerCompany, ...roles: PartnerRole[]): DealPartner => ({ company: c, roles });

function compute(d: DealSnapshot, partners: DealPartner[], stats: Record<string, PartnerQuarterStats> = {}, cfg: ProgramConfig = config): CommissionResult {
  return computeCommission({ deal: d, partners, stats, config: cfg });
}

const stats = (partnerId: string, qualifiedReferrals: number): Record<string, PartnerQuarterStats> => ({
  [partnerId]: { partnerId, qualifiedReferrals },
});

/** The parts of a line a rep reads, for compact literal expectations. */
const brief = (r: CommissionResult) =>
  r.lines.map((l) => ({ partnerId: l.partnerId, role: l.role, kind: l.kind, rule: l.rule, amount: l.amount, status: l.status, reason: l.reason }));

function onlyLine(r: CommissionResult) {
  expect(r.lines).toHaveLength(1);
  const [line] = r.lines;
  return { rule: line!.rule, amount: line!.amount, status: line!.status, reason: line!.reason };
}

describe('rule 1: consultant referral partner on a new deal earns the tier rate of B', () => {
  it.each([
    {
      label: 'tier_1 consultant on B $600,000 earns 12%: $72,000.00',
      count: '60',
      amount: '600000',
      referrals: 0,
      expected: 7_200_000,
      status: 'payable',
      reason: '12% of $600,000.00 = $72,000.00 (tier_1 consultant, new deal)',
    },
    {
      label: 'tier_2 consultant on B $300,000 earns 15%: $45,000.00',
      count: '12',
      amount: '300000',
      referrals: 0,
      expected: 4_500_000,
      status: 'payable',
      reason: '15% of $300,000.00 = $45,000.00 (tier_2 consultant, new deal)',
    },
    {
      label: 'tier_2 consultant below the $250,000 minimum earns nothing, and says why',
      count: '12',
      amount: '200000',
      referrals: 0,
      expected: 0,
      status: 'zero',
      reason: '$200,000.00 is below the tier_2 minimum deal size of $250,000.00',
    },
    {
      label: 'tier_3 consultant on B $100,000 earns 18%: $18,000.00',
      count: '5',
      amount: '100000',
      referrals: 0,
      expected: 1_800_000,
      status: 'payable',
      reason: '18% of $100,000.00 = $18,000.00 (tier_3 consultant, new deal)',
    },
    {
      label: 'tier_3 consultant one cent below the $100,000 minimum earns nothing',
      count: '5',
      amount: '99999.99',
      referrals: 0,
      expected: 0,
      status: 'zero',
      reason: '$99,999.99 is below the tier_3 minimum deal size of $100,000.00',
    },
    {
      label: 'tier_3 high performer (3 qualified referrals) earns 18% + 2% on B $100,000: $20,000.00',
      count: '5',
      amount: '100000',
      referrals: 3,
      expected: 2_000_000,
      status: 'payable',
      reason: '20% of $100,000.00 = $20,000.00 (tier_3 consultant, new deal: 18% + 2% high-performer bonus for 3 qualified referrals this quarter)',
    },
    {
      label: 'tier_3 consultant with 2 qualified referrals is not yet a high performer',
      count: '5',
      amount: '100000',
      referrals: 2,
      expected: 1_800_000,
      status: 'payable',
      reason: '18% of $100,000.00 = $18,000.00 (tier_3 consultant, new deal)',
    },
    {
      label: 'a consultant with no tier earns nothing, and says why',
      count: '0',
      amount: '600000',
      referrals: 0,
      expected: 0,
      status: 'zero',
      reason: 'consultant partner with no referral tier: 0 consultants: tier_3 needs at least 1',
    },
  ])('$label', ({ count, amount, referrals, expected, status, reason }) => {
    const r = compute(deal({ amount }), [on(acme({ consultantCount: count }), 'pp_referral_partner')], stats('101', referrals));
    expect(r.lines[0]).toMatchObject({ rule: 'rule_1_consultant_referral', amount: expected, status, reason });
  });

  it('the first-year contract value is the basis when set, not the amount', () => {
    const r = compute(deal({ amount: '900000', firstYearContractValue: '600000' }), [on(acme(), 'pp_referral_partner')]);
    expect(r.lines[0]).toMatchObject({ basis: 60_000_000, rateBps: 1200, amount: 7_200_000 });
  });
});

describe('rule 2: an expansion deal pays 8% of B to a referral partner of any known type', () => {
  it.each([
    {
      label: 'technology partner, expansion B $50,000 → $4,000.00',
      partner: beta({ partnerType: 'technology' }),
      reason: '8% of $50,000.00 = $4,000.00 (expansion revenue share, technology partner)',
    },
    {
      label: 'a tier_1 consultant below its $500,000 minimum still earns the expansion share (rule 2 wins over rule 1)',
      partner: acme(),
      reason: '8% of $50,000.00 = $4,000.00 (expansion revenue share, consultant partner)',
    },
    {
      label: 'a channel partner, which has no referral rule of its own, earns the expansion share',
      partner: beta({ partnerType: 'channel' }),
      reason: '8% of $50,000.00 = $4,000.00 (expansion revenue share, channel partner)',
    },
  ])('$label', ({ partner, reason }) => {
    const r = compute(deal({ amount: '50000', dealType: 'expansion', referralKind: 'vendor_show' }), [on(partner, 'pp_referral_partner')]);
    expect(r.lines[0]).toMatchObject({ rule: 'rule_2_expansion', rateBps: 800, amount: 400_000, status: 'payable', reason });
  });
});

describe('rules 3–5: technology, association and medical advisor referrals pay by referral kind', () => {
  it.each([
    {
      type: 'technology',
      kind: 'software_integration',
      amount: '80000',
      rule: 'rule_3_technology_referral',
      expected: 800_000,
      rateBps: 1000,
      flatFee: null,
      reason: '10% of $80,000.00 = $8,000.00 (technology partner, software_integration referral)',
    },
    {
      type: 'technology',
      kind: 'joint_solution',
      amount: '80000',
      rule: 'rule_3_technology_referral',
      expected: 640_000,
      rateBps: 800,
      flatFee: null,
      reason: '8% of $80,000.00 = $6,400.00 (technology partner, joint_solution referral)',
    },
    {
      type: 'technology',
      kind: 'customer_expansion',
      amount: '80000',
      rule: 'rule_3_technology_referral',
      expected: 400_000,
      rateBps: 500,
      flatFee: null,
      reason: '5% of $80,000.00 = $4,000.00 (technology partner, customer_expansion referral)',
    },
    {
      type: 'technology',
      kind: 'technical_consultation',
      amount: '80000',
      rule: 'rule_3_technology_referral',
      expected: 250_000,
      rateBps: null,
      flatFee: 250_000,
      reason: '$2,500.00 flat fee (technology partner, technical_consultation referral)',
    },
    {
      type: 'association',
      kind: 'member_referral',
      amount: '40000',
      rule: 'rule_4_association_referral',
      expected: 320_000,
      rateBps: 800,
      flatFee: null,
      reason: '8% of $40,000.00 = $3,200.00 (association partner, member_referral referral)',
    },
    {
      type: 'association',
      kind: 'educational_event',
      amount: '40000',
      rule: 'rule_4_association_referral',
      expected: 100_000,
      rateBps: null,
      flatFee: 100_000,
      reason: '$1,000.00 flat fee (association partner, educational_event referral)',
    },
    {
      type: 'association',
      kind: 'research_collaboration',
      amount: '40000',
      rule: 'rule_4_association_referral',
      expected: 500_000,
      rateBps: null,
      flatFee: 500_000,
      reason: '$5,000.00 flat fee (association partner, research_collaboration referral)',
    },
    {
      type: 'association',
      kind: 'vendor_show',
      amount: '40000',
      rule: 'rule_4_association_referral',
      expected: 50_000,
      rateBps: null,
      flatFee: 50_000,
      reason: '$500.00 flat fee (association partner, vendor_show referral)',
    },
    {
      type: 'medical_advisor',
      kind: 'c_level_referral',
      amount: '40000',
      rule: 'rule_5_medical_advisor_referral',
      expected: 500_000,
      rateBps: null,
      flatFee: 500_000,
      reason: '$5,000.00 flat fee (medical_advisor partner, c_level_referral referral)',
    },
  ])('$type, $kind on B $amount → $expected cents', ({ type, kind, amount, rule, expected, rateBps, flatFee, reason }) => {
    const r = compute(deal({ amount, referralKind: kind }), [on(beta({ partnerType: type }), 'pp_referral_partner')]);
    expect(r.lines[0]).toMatchObject({ rule, amount: expected, rateBps, flatFee, status: 'payable', reason });
    expect(r.total).toBe(expected);
  });
});

describe('rule 8: a kind that does not fit, a type with no referral rule or an unknown value gives a zero line, never a guess', () => {
  it.each([
    {
      label: 'medical_advisor with software_integration',
      type: 'medical_advisor',
      kind: 'software_integration',
      dealType: null,
      rule: 'rule_8_unknown',
      reason: 'referral kind software_integration does not fit a medical_advisor partner (medical_advisor referrals: c_level_referral)',
    },
    {
      label: 'technology with an association kind',
      type: 'technology',
      kind: 'vendor_show',
      dealType: null,
      rule: 'rule_8_unknown',
      reason:
        'referral kind vendor_show does not fit a technology partner (technology referrals: software_integration, joint_solution, customer_expansion, technical_consultation)',
    },
    {
      label: 'technology with a kind the program does not know',
      type: 'technology',
      kind: 'golf_outing',
      dealType: null,
      rule: 'rule_8_unknown',
      reason: 'referral kind "golf_outing" is not one the program knows',
    },
    {
      label: 'channel partner (no referral rule)',
      type: 'channel',
      kind: 'member_referral',
      dealType: null,
      rule: 'rule_8_unknown',
      reason: 'channel partners have no referral commission rule',
    },
    {
      label: 'complementary_solution partner (no referral rule)',
      type: 'complementary_solution',
      kind: null,
      dealType: null,
      rule: 'rule_8_unknown',
      reason: 'complementary_solution partners have no referral commission rule',
    },
    {
      label: 'healthcare_organization partner (no referral rule)',
      type: 'healthcare_organization',
      kind: 'c_level_referral',
      dealType: null,
      rule: 'rule_8_unknown',
      reason: 'healthcare_organization partners have no referral commission rule',
    },
    {
      label: 'a partner type the program does not know',
      type: 'reseller',
      kind: 'software_integration',
      dealType: null,
      rule: 'rule_8_unknown',
      reason: 'partner type "reseller" is not one the program knows',
    },
    {
      label: 'an empty partner type',
      type: '',
      kind: 'software_integration',
      dealType: null,
      rule: 'rule_8_unknown',
      reason: 'no partner type is set on the partner company',
    },
    {
      label: 'an unknown partner type on an expansion deal',
      type: 'reseller',
      kind: null,
      dealType: 'expansion',
      rule: 'rule_8_unknown',
      reason: 'partner type "reseller" is not one the program knows',
    },
    {
      label: 'a deal type the program does not know',
      type: 'technology',
      kind: 'software_integration',
      dealType: 'renewal',
      rule: 'rule_8_unknown',
      reason: 'deal type "renewal" is not one the program knows (new or expansion)',
    },
    {
      label: 'a technology referral with no referral kind set',
      type: 'technology',
      kind: null,
      dealType: null,
      rule: 'rule_3_technology_referral',
      reason: 'no referral kind set: technology referrals pay by kind (software_integration, joint_solution, customer_expansion, technical_consultation)',
    },
    {
      label: 'an association referral with a blank referral kind',
      type: 'association',
      kind: '  ',
      dealType: null,
      rule: 'rule_4_association_referral',
      reason: 'no referral kind set: association referrals pay by kind (member_referral, educational_event, research_collaboration, vendor_show)',
    },
  ])('$label → $0.00 with the reason', ({ type, kind, dealType, rule, reason }) => {
    const r = compute(deal({ amount: '80000', referralKind: kind, dealType }), [on(beta({ partnerType: type }), 'pp_referral_partner')]);
    expect(onlyLine(r)).toEqual({ rule, amount: 0, status: 'zero', reason });
    expect(r.total).toBe(0);
  });

  it('a kind an admin configured for another partner type pays under the rule that defines the kind', () => {
    const channelRefers = buildProgramConfig({ referralRules: { channel: { member_referral: { pays: 'rate', rateBps: 600 } } } }).config;
    const r = compute(
      deal({ amount: '40000', referralKind: 'member_referral' }),
      [on(beta({ partnerType: 'channel' }), 'pp_referral_partner')],
      {},
      channelRefers,
    );
    expect(r.lines[0]).toMatchObject({
      rule: 'rule_4_association_referral',
      amount: 240_000,
      status: 'payable',
      reason: '6% of $40,000.00 = $2,400.00 (channel partner, member_referral referral)',
    });
  });
});

describe('rule 6: co-selling roles pay a rate of B by the co-selling tier, whatever the partner type', () => {
  it('a preferred partner as finder and implementation partner on B $1,000,000 earns $125,000.00 + $75,000.00', () => {
    const r = compute(deal({ amount: '1000000' }), [on(beta(), 'pp_implementation_partner', 'pp_finder')]);
    expect(brief(r)).toEqual([
      {
        partnerId: '202',
        role: 'pp_finder',
        kind: 'commission',
        rule: 'rule_6_co_selling',
        amount: 12_500_000,
        status: 'payable',
        reason: '12.5% of $1,000,000.00 = $125,000.00 (preferred co-selling tier, middle of the 10%–15% range)',
      },
      {
        partnerId: '202',
        role: 'pp_implementation_partner',
        kind: 'commission',
        rule: 'rule_6_co_selling',
        amount: 7_500_000,
        status: 'payable',
        reason: '7.5% of $1,000,000.00 = $75,000.00 (preferred co-selling tier, middle of the 5%–10% range)',
      },
    ]);
    expect(r.total).toBe(20_000_000);
  });

  it.each([
    { role: 'pp_finder', volume: '5000000', rateBps: 1500, amount: 15_000_000 },
    { role: 'pp_finder', volume: '1000000', rateBps: 1250, amount: 12_500_000 },
    { role: 'pp_finder', volume: '250000', rateBps: 1000, amount: 10_000_000 },
    { role: 'pp_finder', volume: null, rateBps: 1000, amount: 10_000_000 },
    { role: 'pp_co_selling_partner', volume: '5000000', rateBps: 2500, amount: 25_000_000 },
    { role: 'pp_co_selling_partner', volume: '1000000', rateBps: 2250, amount: 22_500_000 },
    { role: 'pp_co_selling_partner', volume: '250000', rateBps: 2000, amount: 20_000_000 },
    { role: 'pp_customer_success_partner', volume: '5000000', rateBps: 1000, amount: 10_000_000 },
    { role: 'pp_customer_success_partner', volume: '100', rateBps: 500, amount: 5_000_000 },
  ] as { role: PartnerRole; volume: string | null; rateBps: number; amount: number }[])(
    '$role with sales volume potential $volume → $rateBps bps of B $1,000,000',
    ({ role, volume, rateBps, amount }) => {
      const r = compute(deal({ amount: '1000000' }), [on(beta({ partnerType: 'reseller', annualSalesVolumePotential: volume }), role)]);
      expect(r.lines[0]).toMatchObject({ rule: 'rule_6_co_selling', rateBps, amount, status: 'payable' });
    },
  );

  it('a partner with no co-selling tier is paid the bottom of the range, and the reason says why', () => {
    const r = compute(deal({ amount: '1000000' }), [on(beta({ annualSalesVolumePotential: null }), 'pp_finder')]);
    expect(r.lines[0]?.reason).toBe(
      '10% of $1,000,000.00 = $100,000.00 (no co-selling tier (annual sales volume potential is not set), bottom of the 10%–15% range)',
    );
  });

  it('a preferred midpoint that falls on half a basis point rounds half-to-even to a whole one', () => {
    const odd = buildProgramConfig({ coSellingRates: { pp_finder: { minBps: 1000, maxBps: 1501 } } }).config;
    const r = compute(deal({ amount: '1000000' }), [on(beta(), 'pp_finder')], {}, odd);
    expect(r.lines[0]).toMatchObject({ rateBps: 1250, amount: 12_500_000 });
  });
});

describe('rule 7: the client retention bonus is scheduled for the paid referral partner and not in the total', () => {
  it('a paid tier_1 referral on B $600,000 schedules 1% ($6,000.00) right after the referral line', () => {
    const r = compute(deal(), [on(acme(), 'pp_referral_partner')]);
    expect(brief(r)).toEqual([
      {
        partnerId: '101',
        role: 'pp_referral_partner',
        kind: 'commission',
        rule: 'rule_1_consultant_referral',
        amount: 7_200_000,
        status: 'payable',
        reason: '12% of $600,000.00 = $72,000.00 (tier_1 consultant, new deal)',
      },
      {
        partnerId: '101',
        role: 'pp_referral_partner',
        kind: 'retention',
        rule: 'rule_7_retention_bonus',
        amount: 600_000,
        status: 'scheduled',
        reason: '1% of $600,000.00 = $6,000.00 (client retention bonus, paid if the customer is still a customer 24 months after close)',
      },
    ]);
    expect(r.total).toBe(7_200_000);
  });

  it('a referral line that pays nothing schedules no retention bonus', () => {
    const r = compute(deal({ amount: '200000' }), [on(acme(), 'pp_referral_partner')]);
    expect(r.lines.map((l) => l.kind)).toEqual(['commission']);
  });

  it('co-selling roles earn no retention bonus', () => {
    const r = compute(deal(), [on(beta(), 'pp_finder', 'pp_co_selling_partner')]);
    expect(r.lines.filter((l) => l.kind === 'retention')).toEqual([]);
  });
});

describe('one paid referral line per deal, and rejected registrations pay nothing', () => {
  const twoReferrers = [on(acme(), 'pp_referral_partner'), on(beta(), 'pp_referral_partner')];

  it('with several referral partners, the one whose registration is approved is paid and the other gets a zero line', () => {
    const r = compute(deal({ referralKind: 'software_integration', registration: registration('approved', '202') }), twoReferrers);
    expect(brief(r)).toEqual([
      {
        partnerId: '101',
        role: 'pp_referral_partner',
        kind: 'commission',
        rule: 'referral_single_payee',
        amount: 0,
        status: 'zero',
        reason: 'only one referral partner is paid per deal: the registration of Beta Labs was approved',
      },
      {
        partnerId: '202',
        role: 'pp_referral_partner',
        kind: 'commission',
        rule: 'rule_3_technology_referral',
        amount: 6_000_000,
        status: 'payable',
        reason: '10% of $600,000.00 = $60,000.00 (technology partner, software_integration referral)',
      },
      {
        partnerId: '202',
        role: 'pp_referral_partner',
        kind: 'retention',
        rule: 'rule_7_retention_bonus',
        amount: 600_000,
        status: 'scheduled',
        reason: '1% of $600,000.00 = $6,000.00 (client retention bonus, paid if the customer is still a customer 24 months after close)',
      },
    ]);
    expect(r.total).toBe(6_000_000);
  });

  it.each([
    { label: 'no registration', reg: null },
    { label: 'a pending registration', reg: registration('pending', '101') },
    { label: 'a disputed registration', reg: registration('disputed', '202') },
    { label: 'an approved registration for a company that is not a referral partner here', reg: registration('approved', '777') },
  ])('with several referral partners and $label, all get zero lines saying a registration decision is needed', ({ reg }) => {
    const r = compute(deal({ referralKind: 'software_integration', registration: reg }), twoReferrers);
    const why =
      '2 referral partners on this deal and none has an approved registration: a registration decision is needed (only one referral partner is paid per deal)';
    expect(brief(r)).toEqual([
      { partnerId: '101', role: 'pp_referral_partner', kind: 'commission', rule: 'referral_single_payee', amount: 0, status: 'zero', reason: why },
      { partnerId: '202', role: 'pp_referral_partner', kind: 'commission', rule: 'referral_single_payee', amount: 0, status: 'zero', reason: why },
    ]);
    expect(r.total).toBe(0);
  });

  it('a single referral partner whose registration was rejected gets a zero line with the reason', () => {
    const r = compute(deal({ registration: registration('rejected', '101', 'the customer was already in our pipeline') }), [on(acme(), 'pp_referral_partner')]);
    expect(onlyLine(r)).toEqual({
      rule: 'registration_rejected',
      amount: 0,
      status: 'zero',
      reason: 'the registration of this deal for Acme Consulting was rejected: the customer was already in our pipeline',
    });
  });

  it.each([
    { label: 'no registration', reg: null },
    { label: 'a pending registration', reg: registration('pending', '101') },
    { label: "another partner's rejected registration", reg: registration('rejected', '999') },
  ])('a single referral partner is paid without waiting for a registration ($label)', ({ reg }) => {
    const r = compute(deal({ registration: reg }), [on(acme(), 'pp_referral_partner')]);
    expect(r.lines[0]).toMatchObject({ rule: 'rule_1_consultant_referral', amount: 7_200_000, status: 'payable' });
  });

  it("a rejected referral partner's other roles are still paid", () => {
    const r = compute(deal({ registration: registration('rejected', '202') }), [on(beta(), 'pp_referral_partner', 'pp_finder')]);
    expect(r.lines.map((l) => [l.role, l.rule, l.amount])).toEqual([
      ['pp_referral_partner', 'registration_rejected', 0],
      ['pp_finder', 'rule_6_co_selling', 7_500_000],
    ]);
  });
});

describe('basis and currency: no basis or no configuration gives zero lines with the reason', () => {
  it.each([
    { label: 'no amount and no first-year contract value', amount: null, fycv: null, reason: 'deal has no amount or first-year contract value' },
    { label: 'blank amount', amount: '  ', fycv: '', reason: 'deal has no amount or first-year contract value' },
    { label: 'an amount that is not a number', amount: '12k', fycv: null, reason: 'amount "12k" is not a number' },
    { label: 'a first-year contract value that is not a number', amount: '600000', fycv: 'TBD', reason: 'first-year contract value "TBD" is not a number' },
    { label: 'a negative basis', amount: '-5000', fycv: null, reason: 'the commission basis -$5,000.00 is negative' },
  ])('$label → every line $0.00', ({ amount, fycv, reason }) => {
    const r = compute(deal({ amount, firstYearContractValue: fycv }), [on(acme(), 'pp_referral_partner'), on(beta(), 'pp_finder')]);
    expect(r.lines.map((l) => [l.partnerId, l.role, l.rule, l.amount, l.status, l.basis, l.reason])).toEqual([
      ['101', 'pp_referral_partner', 'basis_missing', 0, 'zero', null, reason],
      ['202', 'pp_finder', 'basis_missing', 0, 'zero', null, reason],
    ]);
    expect(r.total).toBe(0);
  });

  it('a deal in JPY with no JPY configuration gets zero lines "no configuration for JPY", never a converted guess', () => {
    const r = compute(deal({ currency: 'JPY', amount: '90000000' }), [on(acme(), 'pp_referral_partner'), on(beta(), 'pp_finder')]);
    expect(r.currency).toBe('JPY');
    expect(r.lines.map((l) => [l.rule, l.amount, l.currency, l.reason])).toEqual([
      ['currency_not_configured', 0, 'JPY', 'no configuration for JPY'],
      ['currency_not_configured', 0, 'JPY', 'no configuration for JPY'],
    ]);
    expect(r.total).toBe(0);
  });

  it('a deal with no currency code is in the portal currency', () => {
    expect(compute(deal({ currency: null }), [on(beta(), 'pp_finder')]).currency).toBe('USD');
  });

  it('a JPY-configured deal rounds half-to-even to whole yen: 10% of ¥1,234,565 is ¥123,456', () => {
    const r = compute(deal({ currency: 'JPY', amount: '1234565' }), [on(beta({ annualSalesVolumePotential: null }), 'pp_finder')], {}, withYen);
    expect(r.lines[0]).toMatchObject({ currency: 'JPY', basis: 1_234_565, rateBps: 1000, amount: 123_456 });
    expect(r.breakdown).toBe(
      'Beta Labs — Finder: 10% of ¥1,234,565 = ¥123,456 (no co-selling tier (annual sales volume potential is not set), bottom of the 10%–15% range)',
    );
  });

  it('a JPY consultant referral uses the JPY minimum and a JPY flat fee uses the JPY fee', () => {
    const below = compute(deal({ currency: 'JPY', amount: '74999999' }), [on(acme(), 'pp_referral_partner')], {}, withYen);
    expect(below.lines[0]).toMatchObject({ amount: 0, reason: '¥74,999,999 is below the tier_1 minimum deal size of ¥75,000,000' });
    const fee = compute(
      deal({ currency: 'JPY', amount: '1000000', referralKind: 'c_level_referral' }),
      [on(beta({ partnerType: 'medical_advisor' }), 'pp_referral_partner')],
      {},
      withYen,
    );
    expect(fee.lines[0]).toMatchObject({ amount: 750_000, flatFee: 750_000, reason: '¥750,000 flat fee (medical_advisor partner, c_level_referral referral)' });
  });
});

describe('lines: one per (partner, role), roles stacking, in a fixed order', () => {
  it('a referral partner that is also the finder earns both lines', () => {
    const r = compute(deal({ referralKind: 'software_integration' }), [on(beta(), 'pp_finder', 'pp_referral_partner')]);
    expect(r.lines.map((l) => [l.role, l.kind, l.amount])).toEqual([
      ['pp_referral_partner', 'commission', 6_000_000],
      ['pp_referral_partner', 'retention', 600_000],
      ['pp_finder', 'commission', 7_500_000],
    ]);
    expect(r.total).toBe(13_500_000);
  });

  it('lines are ordered by numeric company id, then role, whatever order the associations came in', () => {
    const r = compute(deal({ amount: '1000000' }), [
      on(company('abc', 'Zeta'), 'pp_finder'),
      on(company('1000', 'Kappa'), 'pp_customer_success_partner', 'pp_finder'),
      on(company('99', 'Gamma'), 'pp_co_selling_partner'),
      on(company('202', 'Delta'), 'pp_implementation_partner'),
    ]);
    expect(r.lines.map((l) => `${l.partnerId}:${l.role}`)).toEqual([
      '99:pp_co_selling_partner',
      '202:pp_implementation_partner',
      '1000:pp_finder',
      '1000:pp_customer_success_partner',
      'abc:pp_finder',
    ]);
  });

  it('a company listed twice, or with a role twice, still gets one line per role', () => {
    const r = compute(deal(), [on(beta(), 'pp_finder', 'pp_finder'), on(beta(), 'pp_finder')]);
    expect(r.lines).toHaveLength(1);
  });

  it('an associated company with no partner role (the customer) gets no line', () => {
    const r = compute(deal(), [on(company('500', 'Customer Clinic'))]);
    expect(r).toEqual({ dealId: '9001', currency: 'USD', lines: [], total: 0, breakdown: '', partnerTier: null });
  });
});

describe('pp_partner_tier: the headline tier of the deal', () => {
  it.each([
    {
      label: 'a consultant referral partner shows its referral tier',
      partners: [on(acme(), 'pp_referral_partner'), on(beta({ annualSalesVolumePotential: '5000000' }), 'pp_finder')],
      reg: null,
      expected: 'tier_1',
    },
    {
      label: 'a technology referral partner shows its co-selling tier',
      partners: [on(beta({ annualSalesVolumePotential: '5000000' }), 'pp_referral_partner')],
      reg: null,
      expected: 'strategic',
    },
    {
      label: 'of several referral partners, the paid (approved) one',
      partners: [on(acme(), 'pp_referral_partner'), on(beta(), 'pp_referral_partner')],
      reg: registration('approved', '202'),
      expected: 'preferred',
    },
    {
      label: 'of several referral partners and none approved, the lowest id',
      partners: [on(beta(), 'pp_referral_partner'), on(acme(), 'pp_referral_partner')],
      reg: null,
      expected: 'tier_1',
    },
    {
      label: 'a referral partner with no tier shows none, not a co-seller’s',
      partners: [on(acme({ consultantCount: '0' }), 'pp_referral_partner'), on(beta(), 'pp_co_selling_partner')],
      reg: null,
      expected: null,
    },
    {
      label: 'with no referral partner, the lowest-id partner in a co-selling role',
      partners: [
        on(company('300', 'Strat', { annualSalesVolumePotential: '5000000' }), 'pp_co_selling_partner'),
        on(company('250', 'Reg', { annualSalesVolumePotential: '250000' }), 'pp_finder'),
      ],
      reg: null,
      expected: 'registered',
    },
    { label: 'no partners at all', partners: [], reg: null, expected: null },
  ])('$label → $expected', ({ partners, reg, expected }) => {
    expect(compute(deal({ referralKind: 'software_integration', registration: reg }), partners).partnerTier).toBe(expected);
  });
});

describe('pp_commission_breakdown: one row per partner and role, with the amount and why', () => {
  it('a two-partner deal reads line by line', () => {
    const r = compute(deal(), [on(beta(), 'pp_finder'), on(acme(), 'pp_referral_partner')]);
    expect(r.breakdown).toBe(
      [
        'Acme Consulting — Referral partner: 12% of $600,000.00 = $72,000.00 (tier_1 consultant, new deal)',
        'Acme Consulting — Referral partner (retention bonus): scheduled, 1% of $600,000.00 = $6,000.00 (client retention bonus, paid if the customer is still a customer 24 months after close)',
        'Beta Labs — Finder: 12.5% of $600,000.00 = $75,000.00 (preferred co-selling tier, middle of the 10%–15% range)',
      ].join('\n'),
    );
    expect(r.total).toBe(14_700_000);
  });

  it('zero lines say $0.00 and why', () => {
    const r = compute(deal({ amount: null }), [on(acme(), 'pp_referral_partner'), on(beta(), 'pp_finder')]);
    expect(r.breakdown).toBe(
      [
        'Acme Consulting — Referral partner: $0.00 — deal has no amount or first-year contract value',
        'Beta Labs — Finder: $0.00 — deal has no amount or first-year contract value',
      ].join('\n'),
    );
  });

  it('a company without a name is named by its id', () => {
    const r = compute(deal(), [on(company('303', ' ', { annualSalesVolumePotential: '250000' }), 'pp_finder')]);
    expect(r.breakdown).toBe('Company 303 — Finder: 10% of $600,000.00 = $60,000.00 (registered co-selling tier, bottom of the 10%–15% range)');
  });
});

describe('properties: any input from HubSpot gives integer lines that add up, and never an exception', () => {
  const text = fc.oneof(
    fc.constant(null),
    fc.string({ maxLength: 12 }),
    fc.constantFrom(
      '',
      ' ',
      'new',
      'expansion',
      'consultant',
      'technology',
      'association',
      'medical_advisor',
      'channel',
      'software_integration',
      'technical_consultation',
      'c_level_referral',
      'member_referral',
    ),
  );
  const money = fc.oneof(
    fc.constant(null),
    fc.string({ maxLength: 10 }),
    fc.stringMatching(/^-?\d{1,20}(\.\d{0,4})?$/),
    fc.constantFrom('600000', '99999.99', '0', '0.01', '250000'),
  );
  const currency = fc.oneof(fc.constant(null), fc.string({ maxLength: 5 }), fc.constantFrom('USD', 'JPY', 'jpy', 'EUR', 'KWD', ''));
  const partnerCompany = fc.record({
    id: fc.oneof(fc.integer({ min: 1, max: 50 }).map(String), fc.string({ maxLength: 4 })),
    name: fc.string({ maxLength: 8 }),
    partnerType: text,
    consultantCount: money,
    annualCoMarketingInvestment: money,
    commitmentYears: money,
    annualSalesVolumePotential: money,
    agreementSigned: fc.boolean(),
    baaSigned: fc.boolean(),
  });
  const dealPartner = fc.record({ company: partnerCompany, roles: fc.subarray([...PARTNER_ROLES]) });
  const reg = fc.option(
    fc
      .record({ status: fc.constantFrom(...REGISTRATION_STATUSES), partnerId: fc.integer({ min: 1, max: 50 }).map(String) })
      .map((r) => registration(r.status, r.partnerId)),
  );
  const input = fc.record({
    amount: money,
    firstYearContractValue: money,
    currency,
    dealType: text,
    referralKind: text,
    registration: reg,
    partners: fc.array(dealPartner, { maxLength: 5 }),
    referrals: fc.integer({ min: -2, max: 10 }),
    yen: fc.boolean(),
  });

  it('total always equals the sum of payable lines; amounts are non-negative safe integers; nothing throws', () => {
    fc.assert(
      fc.property(input, (i) => {
        const partnerStats = Object.fromEntries(i.partners.map((p) => [p.company.id, { partnerId: p.company.id, qualifiedReferrals: i.referrals }]));
        const r = computeCommission({
          deal: deal({
            amount: i.amount,
            firstYearContractValue: i.firstYearContractValue,
            currency: i.currency,
            dealType: i.dealType,
            referralKind: i.referralKind,
            registration: i.registration,
          }),
          partners: i.partners,
          stats: partnerStats,
          config: i.yen ? withYen : config,
        });
        const payable = r.lines.filter((l) => l.status === 'payable');
        expect(r.total).toBe(payable.reduce((s, l) => s + l.amount, 0));
        for (const l of r.lines) {
          expect(Number.isSafeInteger(l.amount) && l.amount >= 0).toBe(true);
          expect(l.status === 'payable').toBe(l.kind === 'commission' && l.amount > 0);
        }
        expect(payable.filter((l) => l.role === 'pp_referral_partner').length).toBeLessThanOrEqual(1);
        expect(r.breakdown.split('\n').filter((row) => row !== '').length).toBe(r.lines.length);
      }),
      { numRuns: 2000 },
    );
  });
});
