/**
 * The program configuration as the engine reads it. Every number in docs/program.md is a default of this shape,
 * set and validated in `src/config/program.ts`; the engine only ever receives a validated value.
 * Money is in integer minor units of the named currency, rates in integer basis points.
 */
import type { ActivityType } from './activities.js';
import type { Bps, CoMarketingTier, CoSellingRole, CoSellingTier, Minor, PartnerType, ProgramComponent, ReferralKind, ReferralTier } from './types.js';

export interface ReferralTierConfig {
  /** Fewest consultants at the firm for this tier (tier_1 50, tier_2 10, tier_3 1). */
  minConsultants: number;
  /** Commission rate on B for a `new` deal (tier_1 1200, tier_2 1500, tier_3 1800). */
  rateBps: Bps;
  /** Qualified referrals per quarter the tier asks for (tier_1 4, tier_2 3, tier_3 2). */
  quarterlyMinimum: number;
}

export interface CoMarketingTierConfig {
  tier: CoMarketingTier;
  /** Committed annual investment, minor units of the portal currency. */
  minInvestment: Minor;
  minCommitmentYears: number;
}

export interface CoSellingTierConfig {
  tier: CoSellingTier;
  /** Annual sales volume potential, minor units of the portal currency. */
  minSalesVolume: Minor;
}

export interface RateRange {
  minBps: Bps;
  maxBps: Bps;
}

/** A referral kind pays either a rate of B or a flat fee (the fee itself is per currency). */
export type ReferralKindRule = { pays: 'rate'; rateBps: Bps } | { pays: 'flat_fee' };

export interface CurrencyConfig {
  /** Minimum B for a consultant referral per tier (USD: 500,000 / 250,000 / 100,000 dollars). */
  referralTierMinimums: Record<ReferralTier, Minor>;
  /** Flat fees by referral kind (USD: technical_consultation 2,500; educational_event 1,000; ...). */
  flatFees: Partial<Record<ReferralKind, Minor>>;
  /** Fair-market-value cap per payout for the FMV-reviewed partner types (USD 5,000.00). */
  fairMarketValueCap: Minor;
  /** Activity fees and the retainer range in this currency; absent → activities in it pay nothing, with the reason. */
  activities?: ActivityMoneyConfig;
  /** Annual bonus amounts in this currency; absent → awards in it are refused, with the reason. */
  bonuses?: BonusMoneyConfig;
}

export interface MoneyRange {
  min: Minor;
  max: Minor;
}

export interface ActivityMoneyConfig {
  /** Fee per approved activity of a paying type (USD: conference_presentation 2,500; case_study 1,000). */
  fees: Partial<Record<ActivityType, Minor>>;
  /** The annual retainer a partner manager sets when approving (USD 25,000–50,000). */
  retainerRange: MoneyRange;
  /** A retainer above this, for a healthcare partner type, is held for anti-kickback review (USD 35,000). */
  retainerFairMarketValueCap: Minor;
}

export interface BonusMoneyConfig {
  /** Annual achievement bonus range (USD 10,000–50,000). */
  achievementRange: MoneyRange;
  /** Partner of the Year amount (USD 25,000). */
  partnerOfTheYear: Minor;
}

/** A co-marketing tier's annual minimums of approved activities. */
export interface CommitmentMinimums {
  campaigns: number;
  contentPieces: number;
  events: number;
}

export interface ProgramConfig {
  /** Time zone of the program's calendar quarters (IANA name). */
  timeZone: string;
  /** Currency of company-level figures (co-marketing investment, sales volume) and of deals with no code. */
  portalCurrency: string;
  referralTiers: Record<ReferralTier, ReferralTierConfig>;
  highPerformer: {
    /** Referrals this quarter ≥ this percentage of the tier minimum (125). */
    thresholdPercent: number;
    /** Added to the consultant tier rate (200 = +2 percentage points). */
    bonusBps: Bps;
  };
  /** Rule 2: expansion revenue share on B (800). */
  expansionRateBps: Bps;
  /** Rules 3–5: which kinds each partner type may refer, and how they pay. Absent type → rule 8. */
  referralRules: Partial<Record<PartnerType, Partial<Record<ReferralKind, ReferralKindRule>>>>;
  /** Ordered from highest to lowest; the first whose both conditions hold wins. */
  coMarketingTiers: CoMarketingTierConfig[];
  /** Ordered from highest to lowest. */
  coSellingTiers: CoSellingTierConfig[];
  /** Rule 6 ranges: strategic → max, preferred → midpoint, registered or none → min. */
  coSellingRates: Record<CoSellingRole, RateRange>;
  retention: {
    /** Months after closed-won the customer must still be a customer (24). */
    months: number;
    rateBps: Bps;
    /** Lifecycle stages that count as "still a customer". */
    customerLifecycleStages: string[];
  };
  registration: {
    protectionDays: number;
    warningDays: number;
    /** A pending registration nobody decides expires after this many days. */
    pendingExpiryDays: number;
  };
  payouts: {
    /** Partner types whose payouts face the FMV cap and need a BAA (anti-kickback review). */
    healthcarePartnerTypes: PartnerType[];
  };
  activities: {
    /** Partner types whose approved activities are paid (medical_advisor). Others record activities for free. */
    payingPartnerTypes: PartnerType[];
  };
  /** Annual co-marketing commitments by co-marketing tier (calendar year, program time zone). */
  commitments: Record<CoMarketingTier, CommitmentMinimums>;
  /** Money figures per deal currency; a deal in a currency not listed gets zero lines with the reason. */
  currencies: Record<string, CurrencyConfig>;
  /** docs/program.md#program-performance. */
  performance: {
    /** Mean client satisfaction (0–10, one decimal) each tier requires; null: no requirement. */
    satisfactionMinimums: Record<ReferralTier, number | null>;
    /** Satisfaction and lead quality are averaged over this many months back (12). */
    windowMonths: number;
  };
  /** docs/program.md#program-results: annual figures in minor units of the portal currency. */
  results: {
    budgets: Partial<Record<ProgramComponent, Minor>>;
    /** Named annual fixed costs (platform development, program management), pro rata for a shorter period. */
    fixedCosts: Record<string, Minor>;
  };
}
