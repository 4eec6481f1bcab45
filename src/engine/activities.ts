/**
 * Partner activities, retainers and annual bonuses (docs/program.md#activities-retainers-and-bonuses): what an
 * approved activity pays, the holds on it, the retainer range a partner manager approves within, and the fields
 * approval freezes. Pure: the services read and write the `pp_activity` records.
 */
import { formatMoney } from './money.js';
import { isoDay } from './payout-diff.js';
import { activityKey, bonusKey, type BonusAward } from './payout-keys.js';
import type { MoneyRange, ProgramConfig } from './program-config.js';
import type { Instant, Minor, PartnerCompany, PartnerType, PayoutRecord } from './types.js';

export const ACTIVITY_TYPES = ['conference_presentation', 'case_study', 'joint_campaign', 'content_piece', 'event', 'retainer'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export const ACTIVITY_STATUSES = ['submitted', 'approved', 'rejected'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const ACTIVITY_TYPE_LABELS: Record<ActivityType, string> = {
  conference_presentation: 'Conference presentation',
  case_study: 'Case study',
  joint_campaign: 'Joint campaign',
  content_piece: 'Content piece',
  event: 'Event',
  retainer: 'Annual retainer',
};

/** One `pp_activity` record as the engine reads it. Enumerations stay raw so an unknown value gets a reason. */
export interface Activity {
  id: string;
  /** `pp_activity_type`, raw. */
  type: string;
  name: string;
  /** `pp_activity_date` as an ISO day (`2026-03-05`); null when unset or unreadable. */
  date: string | null;
  /** `pp_activity_status`, raw ('' when unset). */
  status: string;
  /** `pp_activity_amount` in minor units of the portal currency (retainers only); null when unset. */
  amount: Minor | null;
  /** The partner company it is associated with; null with none (or several: the app never guesses which). */
  companyId: string | null;
}

export const isActivityType = (v: string): v is ActivityType => (ACTIVITY_TYPES as readonly string[]).includes(v);

type ActivityConfig = Pick<ProgramConfig, 'activities' | 'currencies' | 'portalCurrency' | 'payouts'>;

/** What an approved activity of this partner pays, or why nothing: the fee, or the retainer's approved amount. */
export function activityFee(
  activity: Pick<Activity, 'type' | 'amount'>,
  partnerType: string | null,
  config: ActivityConfig,
): { amount: Minor; reason: string } | { amount: null; reason: string } {
  const currency = config.portalCurrency;
  if (!isActivityType(activity.type)) return { amount: null, reason: `unknown activity type "${activity.type}"` };
  if (!config.activities.payingPartnerTypes.includes(partnerType as PartnerType)) {
    return { amount: null, reason: `${partnerType || 'no partner type'} partners are not paid for activities` };
  }
  const money = config.currencies[currency]?.activities;
  if (!money) return { amount: null, reason: `no activity configuration for ${currency}` };
  if (activity.type === 'retainer') {
    if (activity.amount === null) return { amount: null, reason: 'the retainer has no approved amount' };
    return { amount: activity.amount, reason: `annual retainer of ${formatMoney(activity.amount, currency)}` };
  }
  const fee = money.fees[activity.type];
  if (fee === undefined || fee === 0) return { amount: null, reason: `${ACTIVITY_TYPE_LABELS[activity.type]}s pay no fee` };
  return { amount: fee, reason: `${ACTIVITY_TYPE_LABELS[activity.type]} fee of ${formatMoney(fee, currency)}` };
}

/**
 * Holds on an activity or bonus payout: the agreement, and for healthcare partner types the BAA and a
 * fair-market-value cap. Which cap: a retainer has its own (the other activity fees are fair-market fees by
 * definition, so no cap applies to them); a bonus faces the per-payout cap of any payout.
 */
export function nonDealHoldReason(
  partner: PartnerCompany,
  amount: Minor,
  cap: { kind: 'retainer' } | { kind: 'fee' } | { kind: 'payout' },
  config: ActivityConfig,
): string | null {
  const currency = config.portalCurrency;
  const reasons: string[] = [];
  if (!partner.agreementSigned) reasons.push('no signed partner agreement on file');
  if (config.payouts.healthcarePartnerTypes.includes(partner.partnerType as PartnerType)) {
    const limit =
      cap.kind === 'retainer'
        ? config.currencies[currency]?.activities?.retainerFairMarketValueCap
        : cap.kind === 'payout'
          ? config.currencies[currency]?.fairMarketValueCap
          : null;
    const what = cap.kind === 'retainer' ? 'retainer fair-market-value cap' : 'fair-market-value cap';
    if (limit === undefined) reasons.push(`no ${what} configured for ${currency}; anti-kickback review`);
    else if (limit !== null && amount > limit) reasons.push(`exceeds the ${formatMoney(limit, currency)} ${what}; anti-kickback review`);
    if (!partner.baaSigned) reasons.push('no business associate agreement (BAA) on file');
  }
  return reasons.length > 0 ? reasons.join('; ') : null;
}

/** Null when `amount` is inside `range`, else the refusal naming the range. */
export function outsideRange(amount: Minor, range: MoneyRange, currency: string, what: string): string | null {
  if (amount >= range.min && amount <= range.max) return null;
  return `${what} must be between ${formatMoney(range.min, currency)} and ${formatMoney(range.max, currency)}; ${formatMoney(amount, currency)} is outside that range.`;
}

/** The retainer range in the portal currency, or the refusal when it is not configured. */
export function retainerRange(config: ActivityConfig): MoneyRange | string {
  return config.currencies[config.portalCurrency]?.activities?.retainerRange ?? `no retainer range configured for ${config.portalCurrency}`;
}

export interface ActivityPayoutInput {
  /** As approved: its frozen type, date, amount and company. */
  activity: Activity;
  partner: PartnerCompany;
  config: ActivityConfig;
  programVersion: string;
  now: Instant;
}

/**
 * The payout an approved activity should have (`activity:<id>`, role `activity`, no deal, portal currency), or
 * null with the reason when it pays nothing. Upserted through `diffPayouts` like a deal's, so approving twice
 * writes nothing the second time, and rejecting (desired null) reverses it or adjusts a paid one.
 */
export function activityPayout(input: ActivityPayoutInput): { record: PayoutRecord | null; reason: string } {
  const { activity, partner, config, programVersion, now } = input;
  const fee = activityFee(activity, partner.partnerType, config);
  if (fee.amount === null || fee.amount <= 0) return { record: null, reason: fee.reason };
  const currency = config.portalCurrency;
  const hold = nonDealHoldReason(partner, fee.amount, { kind: activity.type === 'retainer' ? 'retainer' : 'fee' }, config);
  const what = `${ACTIVITY_TYPE_LABELS[activity.type as ActivityType]} "${activity.name}"${activity.date ? ` of ${activity.date}` : ''}`;
  return {
    reason: fee.reason,
    record: {
      key: activityKey(activity.id),
      dealId: '',
      partnerId: partner.id,
      role: 'activity',
      kind: 'activity',
      amount: fee.amount,
      currency,
      status: hold === null ? 'scheduled' : 'on_hold',
      holdReason: hold,
      explanation: `Activity approved, frozen on ${isoDay(now)} under program ${programVersion}: ${what}, ${fee.reason}.`,
      basis: null,
      rateBps: null,
      flatFee: fee.amount,
      frozenAt: now,
      programVersion,
    },
  };
}

export const BONUS_AWARD_LABELS: Record<BonusAward, string> = {
  achievement: 'Annual achievement bonus',
  partner_of_the_year: 'Partner of the Year',
};

/** The amount an award pays, or the refusal (outside the range, no configuration). */
export function bonusAmount(award: BonusAward, requested: Minor | null, config: ActivityConfig): { amount: Minor } | { refused: string } {
  const currency = config.portalCurrency;
  const money = config.currencies[currency]?.bonuses;
  if (!money) return { refused: `No bonus amounts are configured for ${currency}.` };
  if (award === 'partner_of_the_year') {
    if (requested !== null && requested !== money.partnerOfTheYear) {
      return {
        refused: `Partner of the Year is ${formatMoney(money.partnerOfTheYear, currency)} (configured); ${formatMoney(requested, currency)} was asked.`,
      };
    }
    return { amount: money.partnerOfTheYear };
  }
  if (requested === null) return { refused: 'An achievement bonus needs an amount.' };
  const out = outsideRange(requested, money.achievementRange, currency, 'An achievement bonus');
  return out === null ? { amount: requested } : { refused: out };
}

export interface BonusPayoutInput {
  year: number;
  award: BonusAward;
  amount: Minor;
  partner: PartnerCompany;
  /** Who awarded it and why, for the explanation. */
  awardedBy: string;
  note: string;
  config: ActivityConfig;
  programVersion: string;
  now: Instant;
}

/** The `bonus:<year>:<partnerId>:<award>` payout: role `bonus`, no deal, portal currency, the holds of any payout. */
export function bonusPayout(input: BonusPayoutInput): PayoutRecord {
  const { year, award, amount, partner, config, programVersion, now } = input;
  const currency = config.portalCurrency;
  const hold = nonDealHoldReason(partner, amount, { kind: 'payout' }, config);
  const why = input.note.trim() === '' ? '' : ` (${input.note.trim()})`;
  return {
    key: bonusKey(year, partner.id, award),
    dealId: '',
    partnerId: partner.id,
    role: 'bonus',
    kind: 'bonus',
    amount,
    currency,
    status: hold === null ? 'scheduled' : 'on_hold',
    holdReason: hold,
    explanation: `${BONUS_AWARD_LABELS[award]} ${year} of ${formatMoney(amount, currency)}, awarded on ${isoDay(now)} by ${input.awardedBy}${why} under program ${programVersion}.`,
    basis: null,
    rateBps: null,
    flatFee: amount,
    frozenAt: now,
    programVersion,
  };
}
