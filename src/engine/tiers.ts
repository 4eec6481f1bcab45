/**
 * A partner's standing: the tiers and counts docs/program.md#partner-outputs
 * derives from the properties a partner manager sets. HubSpot numbers arrive as raw strings; a value that is empty
 * or not a number gives no tier and a reason that quotes it, never an exception.
 */
import { dealBasis, dealCurrency } from './basis.js';
import { MoneyParseError, formatMoney, parseMoney, parseQuantity } from './money.js';
import type { ProgramConfig } from './program-config.js';
import { isInQuarter, type CalendarQuarter } from './quarter.js';
import {
  REFERRAL_TIERS,
  type CoMarketingTier,
  type CoSellingTier,
  type DealPartner,
  type DealSnapshot,
  type Minor,
  type PartnerCompany,
  type ReferralTier,
} from './types.js';

/** A computed tier and the sentence that explains it (shown on the company card). */
export interface TierResult<T> {
  value: T | null;
  reason: string;
}

/** Everything the company card and the company write-back need about one partner. */
export interface PartnerStanding {
  referralTier: TierResult<ReferralTier>;
  coMarketingTier: TierResult<CoMarketingTier>;
  coSellingTier: TierResult<CoSellingTier>;
  /** Qualified referrals in the current calendar quarter (`pp_referrals_this_quarter`). */
  referralsThisQuarter: number;
  /** The referral tier's quarterly minimum; null without a referral tier. */
  quarterlyMinimum: number | null;
  highPerformer: { value: boolean; reason: string };
}

export interface QualifiedReferralCheck {
  qualified: boolean;
  reason: string;
}

type Parsed<T> = { ok: true; value: T | null } | { ok: false; reason: string };

/** `pp_referral_tier`: consultants only, by consultant count (thresholds from `config.referralTiers`). */
export function referralTier(company: PartnerCompany, config: ProgramConfig): TierResult<ReferralTier> {
  const type = company.partnerType?.trim() ?? '';
  if (type !== 'consultant') {
    const actual = type === '' ? 'no partner type is set' : `partner type is "${type}"`;
    return { value: null, reason: `referral tiers are for consultant partners; ${actual}` };
  }
  const count = parsed(() => parseQuantity(company.consultantCount, 'consultant count'));
  if (!count.ok) return { value: null, reason: count.reason };
  if (count.value === null) return { value: null, reason: 'consultant count is not set' };
  const n = count.value;
  // REFERRAL_TIERS runs highest first and the configuration guarantees falling minimums.
  for (const [i, tier] of REFERRAL_TIERS.entries()) {
    const min = config.referralTiers[tier].minConsultants;
    if (n < min) continue;
    const higher = i === 0 ? undefined : REFERRAL_TIERS[i - 1];
    const range = higher === undefined ? `${min} or more` : `${min}–${config.referralTiers[higher].minConsultants - 1}`;
    return { value: tier, reason: `${plural(n, 'consultant')}: ${tier} (${range})` };
  }
  const lowest = config.referralTiers.tier_3.minConsultants;
  return { value: null, reason: `${plural(n, 'consultant')}: tier_3 needs at least ${lowest}` };
}

/** `pp_co_marketing_tier`: the highest tier whose investment and commitment both hold. */
export function coMarketingTier(company: PartnerCompany, config: ProgramConfig): TierResult<CoMarketingTier> {
  const currency = config.portalCurrency;
  const investment = parsed(() => parseMoney(company.annualCoMarketingInvestment, currency, 'annual co-marketing investment'));
  if (!investment.ok) return { value: null, reason: investment.reason };
  const years = parsed(() => parseQuantity(company.commitmentYears, 'commitment years'));
  if (!years.ok) return { value: null, reason: years.reason };
  if (investment.value === null) return { value: null, reason: 'annual co-marketing investment is not set' };
  if (years.value === null) return { value: null, reason: 'commitment years are not set' };
  const committed = `${formatMoney(investment.value, currency)} a year for ${plural(years.value, 'year')}`;
  const needs = (t: { minInvestment: Minor; minCommitmentYears: number }): string =>
    `at least ${formatMoney(t.minInvestment, currency)} for at least ${plural(t.minCommitmentYears, 'year')}`;
  for (const t of config.coMarketingTiers) {
    if (investment.value >= t.minInvestment && years.value >= t.minCommitmentYears) {
      return { value: t.tier, reason: `${committed}: ${t.tier} (${needs(t)})` };
    }
  }
  const lowest = config.coMarketingTiers.at(-1);
  if (lowest === undefined) return { value: null, reason: 'no co-marketing tiers are configured' };
  return { value: null, reason: `${committed} meets no co-marketing tier (${lowest.tier} needs ${needs(lowest)})` };
}

/** `pp_co_selling_tier`: by annual sales volume potential, highest tier first. */
export function coSellingTier(company: PartnerCompany, config: ProgramConfig): TierResult<CoSellingTier> {
  const currency = config.portalCurrency;
  const volume = parsed(() => parseMoney(company.annualSalesVolumePotential, currency, 'annual sales volume potential'));
  if (!volume.ok) return { value: null, reason: volume.reason };
  if (volume.value === null) return { value: null, reason: 'annual sales volume potential is not set' };
  const potential = `${formatMoney(volume.value, currency)} annual sales volume potential`;
  for (const t of config.coSellingTiers) {
    if (volume.value >= t.minSalesVolume) {
      return { value: t.tier, reason: `${potential}: ${t.tier} (at least ${formatMoney(t.minSalesVolume, currency)})` };
    }
  }
  const lowest = config.coSellingTiers.at(-1);
  if (lowest === undefined) return { value: null, reason: 'no co-selling tiers are configured' };
  return {
    value: null,
    reason: `${potential} is below ${lowest.tier} (at least ${formatMoney(lowest.minSalesVolume, currency)})`,
  };
}

/**
 * `pp_high_performer`, in integers: `count × 100 ≥ quarterlyMinimum × thresholdPercent`.
 * A tier configured with no quarterly minimum has no goal to exceed, so nobody in it is a high performer
 * (the bare formula would make every partner of that tier one, with no referral at all).
 */
export function isHighPerformer(qualifiedReferrals: number, tier: ReferralTier | null, config: ProgramConfig): boolean {
  if (tier === null) return false;
  const minimum = config.referralTiers[tier].quarterlyMinimum;
  if (minimum <= 0) return false;
  return wholeCount(qualifiedReferrals) * 100 >= minimum * config.highPerformer.thresholdPercent;
}

/** Fewest qualified referrals that make a partner of `tier` a high performer (5, 4, 3 by default). */
export function highPerformerThreshold(tier: ReferralTier, config: ProgramConfig): number {
  const product = config.referralTiers[tier].quarterlyMinimum * config.highPerformer.thresholdPercent;
  return Math.floor((product + 99) / 100);
}

/**
 * Whether `deal` counts toward `partner`'s qualified referrals of `quarter`, and why (docs/program.md#partner-outputs,
 * `pp_referrals_this_quarter`). Two choices where the rules are silent (docs/program.md#choices-on-money-and-rules):
 * - a partner without a referral tier has no minimum to meet and qualified referrals only feed consultant tiers,
 *   so its deals do not qualify;
 * - a deal whose registration was rejected for this partner does not qualify: the partner manager refused
 *   the partner's claim to that referral, and the partner earns nothing on it either.
 */
export function qualifiedReferralCheck(
  deal: DealSnapshot,
  partner: DealPartner,
  config: ProgramConfig,
  quarter: Pick<CalendarQuarter, 'start' | 'end' | 'label'>,
): QualifiedReferralCheck {
  const no = (reason: string): QualifiedReferralCheck => ({ qualified: false, reason });
  if (!partner.roles.includes('pp_referral_partner')) return no('the partner is not the referral partner on this deal');
  if (deal.createDate === null || !isInQuarter(deal.createDate, quarter)) {
    return no(`the deal was not created in ${quarter.label}`);
  }
  const dealType = deal.dealType?.trim() ?? '';
  if (dealType !== '' && dealType !== 'new') return no(`only new deals qualify; this one is "${dealType}"`);
  const registration = deal.registration;
  if (registration?.status === 'rejected' && registration.partnerId === partner.company.id) {
    return no("the partner's registration of this deal was rejected");
  }
  const tier = referralTier(partner.company, config);
  if (tier.value === null) {
    return no(`qualified referrals count toward consultant referral tiers only, and this partner has none (${tier.reason})`);
  }
  const currency = dealCurrency(deal, config);
  const minimums = config.currencies[currency]?.referralTierMinimums;
  if (minimums === undefined) return no(`no configuration for ${currency}`);
  const basis = parsed(() => dealBasis(deal, currency));
  if (!basis.ok) return no(basis.reason);
  if (basis.value === null) return no('the deal has no amount or first-year contract value');
  const minimum = minimums[tier.value];
  if (basis.value < minimum) {
    return no(`${formatMoney(basis.value, currency)} is below the ${tier.value} minimum deal size of ${formatMoney(minimum, currency)}`);
  }
  return {
    qualified: true,
    reason: `new deal created in ${quarter.label}, ${formatMoney(basis.value, currency)} at or above the ${tier.value} minimum of ${formatMoney(minimum, currency)}`,
  };
}

export function isQualifiedReferral(
  deal: DealSnapshot,
  partner: DealPartner,
  config: ProgramConfig,
  quarter: Pick<CalendarQuarter, 'start' | 'end' | 'label'>,
): boolean {
  return qualifiedReferralCheck(deal, partner, config, quarter).qualified;
}

/** The company card's and the company write-back's view of one partner. */
export function partnerStanding(company: PartnerCompany, qualifiedReferrals: number, config: ProgramConfig): PartnerStanding {
  const referral = referralTier(company, config);
  const count = wholeCount(qualifiedReferrals);
  const tier = referral.value;
  const quarterlyMinimum = tier === null ? null : config.referralTiers[tier].quarterlyMinimum;
  return {
    referralTier: referral,
    coMarketingTier: coMarketingTier(company, config),
    coSellingTier: coSellingTier(company, config),
    referralsThisQuarter: count,
    quarterlyMinimum,
    highPerformer: { value: isHighPerformer(count, tier, config), reason: highPerformerReason(count, tier, config) },
  };
}

/** The HubSpot company output values; "" is an empty tier, which the caller leaves unset. */
export function companyOutputs(standing: PartnerStanding): Record<string, string> {
  return {
    pp_referral_tier: standing.referralTier.value ?? '',
    pp_co_marketing_tier: standing.coMarketingTier.value ?? '',
    pp_co_selling_tier: standing.coSellingTier.value ?? '',
    pp_referrals_this_quarter: String(standing.referralsThisQuarter),
    pp_high_performer: String(standing.highPerformer.value),
  };
}

function highPerformerReason(count: number, tier: ReferralTier | null, config: ProgramConfig): string {
  if (tier === null) return 'only consultant partners with a referral tier can be high performers';
  const minimum = config.referralTiers[tier].quarterlyMinimum;
  if (minimum <= 0) return `${tier} has no quarterly minimum to exceed`;
  const needed = highPerformerThreshold(tier, config);
  const rule = `${config.highPerformer.thresholdPercent}% of the ${tier} minimum of ${minimum}`;
  const referrals = plural(count, 'qualified referral');
  return isHighPerformer(count, tier, config)
    ? `${referrals} this quarter: at least ${rule} (${needed} needed)`
    : `${referrals} this quarter: ${needed} needed (${rule})`;
}

/** A count from outside that is not a whole non-negative number counts as none. */
function wholeCount(n: number): number {
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function parsed<T>(read: () => T | null): Parsed<T> {
  try {
    return { ok: true, value: read() };
  } catch (err) {
    if (err instanceof MoneyParseError) return { ok: false, reason: err.message };
    throw err;
  }
}
