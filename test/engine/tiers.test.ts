import { describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import { calendarQuarter } from '../../src/engine/quarter.js';
import {
  coMarketingTier,
  coSellingTier,
  companyOutputs,
  highPerformerThreshold,
  isHighPerformer,
  isQualifiedReferral,
  partnerStanding,
  qualifiedReferralCheck,
  referralTier,
} from '../../src/engine/tiers.js';
import type { DealPartner, PartnerCompany, ReferralTier } from '../../src/engine/types.js';
import { dealSnapshot } from '../helpers/deal-snapshot.js';

const config = buildProgramConfig(undefined).config;

function company(overrides: Partial<PartnerCompany> = {}): PartnerCompany {
  return {
    id: '101',
    name: 'Acme Consulting',
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

const deal = dealSnapshot;

describe('pp_referral_tier: consultants only, 50+ → tier_1, 10–49 → tier_2, 1–9 → tier_3', () => {
  it.each([
    { count: '60', tier: 'tier_1', reason: '60 consultants: tier_1 (50 or more)' },
    { count: '50', tier: 'tier_1', reason: '50 consultants: tier_1 (50 or more)' },
    { count: '49', tier: 'tier_2', reason: '49 consultants: tier_2 (10–49)' },
    { count: '10', tier: 'tier_2', reason: '10 consultants: tier_2 (10–49)' },
    { count: '9', tier: 'tier_3', reason: '9 consultants: tier_3 (1–9)' },
    { count: '1', tier: 'tier_3', reason: '1 consultant: tier_3 (1–9)' },
    { count: '0', tier: null, reason: '0 consultants: tier_3 needs at least 1' },
    { count: '', tier: null, reason: 'consultant count is not set' },
    { count: null, tier: null, reason: 'consultant count is not set' },
    { count: 'lots', tier: null, reason: 'consultant count "lots" is not a number' },
  ])('a consultant with consultant count $count → $tier', ({ count, tier, reason }) => {
    expect(referralTier(company({ consultantCount: count }), config)).toEqual({ value: tier, reason });
  });

  it.each([
    { type: 'technology', reason: 'referral tiers are for consultant partners; partner type is "technology"' },
    { type: 'spaceship', reason: 'referral tiers are for consultant partners; partner type is "spaceship"' },
    { type: null, reason: 'referral tiers are for consultant partners; no partner type is set' },
  ])('a $type partner has no referral tier, whatever its consultant count', ({ type, reason }) => {
    expect(referralTier(company({ partnerType: type, consultantCount: '80' }), config)).toEqual({ value: null, reason });
  });

  it('reads the thresholds from the configuration, not from code', () => {
    const raised = buildProgramConfig({ referralTiers: { tier_1: { minConsultants: 100 } } }).config;
    expect(referralTier(company({ consultantCount: '60' }), raised)).toEqual({
      value: 'tier_2',
      reason: '60 consultants: tier_2 (10–99)',
    });
  });
});

describe('pp_co_marketing_tier: the highest tier whose investment and commitment both hold', () => {
  it.each([
    { investment: '250000', years: '3', tier: 'platinum', reason: '$250,000.00 a year for 3 years: platinum (at least $250,000.00 for at least 3 years)' },
    { investment: '250000', years: '2', tier: 'gold', reason: '$250,000.00 a year for 2 years: gold (at least $100,000.00 for at least 2 years)' },
    { investment: '100000', years: '1', tier: 'silver', reason: '$100,000.00 a year for 1 year: silver (at least $25,000.00 for at least 1 year)' },
    { investment: '25000', years: '1', tier: 'silver', reason: '$25,000.00 a year for 1 year: silver (at least $25,000.00 for at least 1 year)' },
    {
      investment: '24999',
      years: '5',
      tier: null,
      reason: '$24,999.00 a year for 5 years meets no co-marketing tier (silver needs at least $25,000.00 for at least 1 year)',
    },
    {
      investment: '1000000',
      years: '0',
      tier: null,
      reason: '$1,000,000.00 a year for 0 years meets no co-marketing tier (silver needs at least $25,000.00 for at least 1 year)',
    },
    { investment: '', years: '3', tier: null, reason: 'annual co-marketing investment is not set' },
    { investment: '250000', years: null, tier: null, reason: 'commitment years are not set' },
    { investment: 'a lot', years: '3', tier: null, reason: 'annual co-marketing investment "a lot" is not a number' },
  ])('$investment for $years years → $tier', ({ investment, years, tier, reason }) => {
    const partner = company({ partnerType: 'technology', annualCoMarketingInvestment: investment, commitmentYears: years });
    expect(coMarketingTier(partner, config)).toEqual({ value: tier, reason });
  });
});

describe('pp_co_selling_tier: $5M+ strategic, $1M+ preferred, $250K+ registered', () => {
  it.each([
    { volume: '5000000', tier: 'strategic', reason: '$5,000,000.00 annual sales volume potential: strategic (at least $5,000,000.00)' },
    { volume: '4999999', tier: 'preferred', reason: '$4,999,999.00 annual sales volume potential: preferred (at least $1,000,000.00)' },
    { volume: '1000000', tier: 'preferred', reason: '$1,000,000.00 annual sales volume potential: preferred (at least $1,000,000.00)' },
    { volume: '250000', tier: 'registered', reason: '$250,000.00 annual sales volume potential: registered (at least $250,000.00)' },
    { volume: '249999', tier: null, reason: '$249,999.00 annual sales volume potential is below registered (at least $250,000.00)' },
    { volume: null, tier: null, reason: 'annual sales volume potential is not set' },
    { volume: '5M', tier: null, reason: 'annual sales volume potential "5M" is not a number' },
  ])('$volume → $tier', ({ volume, tier, reason }) => {
    const partner = company({ partnerType: 'channel', annualSalesVolumePotential: volume });
    expect(coSellingTier(partner, config)).toEqual({ value: tier, reason });
  });
});

describe('pp_high_performer: count × 100 ≥ quarterly minimum × 125', () => {
  it.each([
    { tier: 'tier_1', count: 5, expected: true },
    { tier: 'tier_1', count: 4, expected: false },
    { tier: 'tier_2', count: 4, expected: true },
    { tier: 'tier_2', count: 3, expected: false },
    { tier: 'tier_3', count: 3, expected: true },
    { tier: 'tier_3', count: 2, expected: false },
    { tier: null, count: 50, expected: false },
  ] as { tier: ReferralTier | null; count: number; expected: boolean }[])('$tier with $count qualified referrals → $expected', ({ tier, count, expected }) => {
    expect(isHighPerformer(count, tier, config)).toBe(expected);
  });

  it.each([
    { tier: 'tier_1', needed: 5 },
    { tier: 'tier_2', needed: 4 },
    { tier: 'tier_3', needed: 3 },
  ] as { tier: ReferralTier; needed: number }[])('$tier needs $needed qualified referrals', ({ tier, needed }) => {
    expect(highPerformerThreshold(tier, config)).toBe(needed);
  });

  it('a tier configured with no quarterly minimum has no goal to exceed, so no high performer', () => {
    const noMinimum = buildProgramConfig({ referralTiers: { tier_3: { quarterlyMinimum: 0 } } }).config;
    expect(isHighPerformer(0, 'tier_3', noMinimum)).toBe(false);
    expect(isHighPerformer(7, 'tier_3', noMinimum)).toBe(false);
  });
});

describe('qualified referrals: referral partner, created this quarter, new deal, B at or above the tier minimum', () => {
  const quarter = calendarQuarter(Date.parse('2026-05-15T00:00:00Z'), 'UTC');
  const consultant: DealPartner = { company: company({ consultantCount: '60' }), roles: ['pp_referral_partner'] };

  it.each([
    {
      label: 'a $600,000 new deal created this quarter qualifies for tier_1',
      d: deal(),
      qualified: true,
      reason: 'new deal created in 2026-Q2, $600,000.00 at or above the tier_1 minimum of $500,000.00',
    },
    {
      label: 'an empty deal type is new',
      d: deal({ dealType: '' }),
      qualified: true,
      reason: 'new deal created in 2026-Q2, $600,000.00 at or above the tier_1 minimum of $500,000.00',
    },
    {
      label: 'the first-year contract value is the basis when set',
      d: deal({ amount: '100', firstYearContractValue: '500000' }),
      qualified: true,
      reason: 'new deal created in 2026-Q2, $500,000.00 at or above the tier_1 minimum of $500,000.00',
    },
    {
      label: 'created in the previous quarter',
      d: deal({ createDate: Date.parse('2026-03-31T23:59:59Z') }),
      qualified: false,
      reason: 'the deal was not created in 2026-Q2',
    },
    { label: 'no create date', d: deal({ createDate: null }), qualified: false, reason: 'the deal was not created in 2026-Q2' },
    { label: 'an expansion deal', d: deal({ dealType: 'expansion' }), qualified: false, reason: 'only new deals qualify; this one is "expansion"' },
    {
      label: 'B $499,999.99 is below the tier_1 minimum',
      d: deal({ amount: '499999.99' }),
      qualified: false,
      reason: '$499,999.99 is below the tier_1 minimum deal size of $500,000.00',
    },
    { label: 'no basis', d: deal({ amount: null }), qualified: false, reason: 'the deal has no amount or first-year contract value' },
    { label: 'a basis that is not a number', d: deal({ amount: 'n/a' }), qualified: false, reason: 'amount "n/a" is not a number' },
    { label: 'a currency with no configuration', d: deal({ currency: 'JPY' }), qualified: false, reason: 'no configuration for JPY' },
    {
      label: "the partner's registration was rejected",
      d: deal({
        registration: {
          status: 'rejected',
          partnerId: '101',
          submittedAt: null,
          submittedBy: null,
          decidedAt: null,
          decidedBy: null,
          protectionExpiresAt: null,
          reason: null,
          conflict: null,
        },
      }),
      qualified: false,
      reason: "the partner's registration of this deal was rejected",
    },
  ])('$label', ({ d, qualified, reason }) => {
    expect(qualifiedReferralCheck(d, consultant, config, quarter)).toEqual({ qualified, reason });
    expect(isQualifiedReferral(d, consultant, config, quarter)).toBe(qualified);
  });

  it('a partner that is only the finder made no referral', () => {
    expect(qualifiedReferralCheck(deal(), { ...consultant, roles: ['pp_finder'] }, config, quarter)).toEqual({
      qualified: false,
      reason: 'the partner is not the referral partner on this deal',
    });
  });

  it('a partner with no referral tier has no minimum to meet, so its referrals do not qualify', () => {
    const technology: DealPartner = { company: company({ partnerType: 'technology' }), roles: ['pp_referral_partner'] };
    expect(qualifiedReferralCheck(deal(), technology, config, quarter)).toEqual({
      qualified: false,
      reason:
        'qualified referrals count toward consultant referral tiers only, and this partner has none (referral tiers are for consultant partners; partner type is "technology")',
    });
  });
});

describe('partner standing and the company output properties', () => {
  it('a tier_1 consultant with 5 qualified referrals is a high performer, with every tier explained', () => {
    const partner = company({
      consultantCount: '60',
      annualCoMarketingInvestment: '100000',
      commitmentYears: '2',
      annualSalesVolumePotential: '1000000',
    });
    const standing = partnerStanding(partner, 5, config);
    expect(standing).toEqual({
      referralTier: { value: 'tier_1', reason: '60 consultants: tier_1 (50 or more)' },
      coMarketingTier: { value: 'gold', reason: '$100,000.00 a year for 2 years: gold (at least $100,000.00 for at least 2 years)' },
      coSellingTier: { value: 'preferred', reason: '$1,000,000.00 annual sales volume potential: preferred (at least $1,000,000.00)' },
      referralsThisQuarter: 5,
      quarterlyMinimum: 4,
      highPerformer: { value: true, reason: '5 qualified referrals this quarter: at least 125% of the tier_1 minimum of 4 (5 needed)' },
    });
    expect(companyOutputs(standing)).toEqual({
      pp_referral_tier: 'tier_1',
      pp_co_marketing_tier: 'gold',
      pp_co_selling_tier: 'preferred',
      pp_referrals_this_quarter: '5',
      pp_high_performer: 'true',
    });
  });

  it('a tier_2 consultant with 3 qualified referrals is not yet a high performer, and says how many it needs', () => {
    const standing = partnerStanding(company({ consultantCount: '12' }), 3, config);
    expect(standing.highPerformer).toEqual({
      value: false,
      reason: '3 qualified referrals this quarter: 4 needed (125% of the tier_2 minimum of 3)',
    });
    expect(standing.quarterlyMinimum).toBe(3);
  });

  it('a technology partner with nothing set writes empty tiers, 0 referrals and not a high performer', () => {
    const standing = partnerStanding(company({ partnerType: 'technology' }), 0, config);
    expect(standing.highPerformer).toEqual({
      value: false,
      reason: 'only consultant partners with a referral tier can be high performers',
    });
    expect(standing.quarterlyMinimum).toBeNull();
    expect(companyOutputs(standing)).toEqual({
      pp_referral_tier: '',
      pp_co_marketing_tier: '',
      pp_co_selling_tier: '',
      pp_referrals_this_quarter: '0',
      pp_high_performer: 'false',
    });
  });
});
