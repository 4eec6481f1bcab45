/**
 * Program performance (docs/program.md#program-performance): how a referral partner stands against its tier's
 * quarterly minimum, how it did last quarter, and the satisfaction and lead-quality averages its tier asks for.
 * Pure: the clock, the partner's deals and the configuration are parameters.
 *
 * Days are counted in the program time zone, today included: on the first day of a 92-day quarter one day of
 * 92 has elapsed, on its last day all 92. Scores are parsed exactly (micro-points, never a float sum), means are
 * compared unrounded against the requirement and written rounded half-even to one decimal.
 */
import { DateTime } from 'luxon';
import { roundHalfEven } from './money.js';
import type { ProgramConfig } from './program-config.js';
import { calendarQuarter, type CalendarQuarter } from './quarter.js';
import { qualifiedReferralCheck } from './tiers.js';
import type { DealPartner, DealSnapshot, Instant, LastQuarterResult, MinimumStatus, PartnerCompany, ReferralTier, RequirementsStatus } from './types.js';

type PerformanceConfig = Pick<ProgramConfig, 'timeZone' | 'referralTiers' | 'performance'>;

/** Where `at` is in its quarter, in whole local days (today included). */
export interface QuarterProgress {
  quarter: CalendarQuarter;
  /** Days of the quarter up to and including today (1 on the first day). */
  elapsedDays: number;
  daysInQuarter: number;
}

export function quarterProgress(at: Instant, timeZone: string): QuarterProgress {
  const quarter = calendarQuarter(at, timeZone);
  const start = DateTime.fromMillis(quarter.start, { zone: timeZone });
  const end = DateTime.fromMillis(quarter.end, { zone: timeZone });
  const today = DateTime.fromMillis(at, { zone: timeZone }).startOf('day');
  // Calendar days, not 24-hour spans: a quarter across a daylight-saving change still has 92 days.
  const daysInQuarter = Math.round(end.diff(start, 'days').days);
  const elapsedDays = Math.round(today.diff(start, 'days').days) + 1;
  return { quarter, elapsedDays, daysInQuarter };
}

/** ⌊minimum × elapsed days ÷ days in the quarter⌋: the qualified referrals that keep a partner on track today. */
export function requiredToDate(minimum: number, progress: Pick<QuarterProgress, 'elapsedDays' | 'daysInQuarter'>): number {
  return Math.floor((minimum * progress.elapsedDays) / progress.daysInQuarter);
}

export interface MinimumStanding {
  value: MinimumStatus;
  /** Qualified referrals counted this quarter. */
  count: number;
  minimum: number;
  /** What on track asks for today. */
  requiredToDate: number;
  /** Referrals still missing to meet the minimum (0 when met). */
  remaining: number;
  quarterLabel: string;
  reason: string;
}

/** `pp_minimum_status`: met (count ≥ minimum), on track (count ≥ what is due by today), else at risk. */
export function minimumStanding(count: number, minimum: number, progress: QuarterProgress): MinimumStanding {
  const required = requiredToDate(minimum, progress);
  const remaining = Math.max(0, minimum - count);
  const day = `day ${progress.elapsedDays} of ${progress.daysInQuarter}`;
  const got = `${plural(count, 'qualified referral')} of the ${minimum} required in ${progress.quarter.label}`;
  const quarterLabel = progress.quarter.label;
  if (count >= minimum) return { value: 'met', count, minimum, requiredToDate: required, remaining, quarterLabel, reason: `${got}: minimum met` };
  const more = `${remaining} more to meet the minimum`;
  if (count >= required) {
    return {
      value: 'on_track',
      count,
      minimum,
      requiredToDate: required,
      remaining,
      quarterLabel,
      reason: `${got}: on track (${required} due by ${day}); ${more}`,
    };
  }
  return {
    value: 'at_risk',
    count,
    minimum,
    requiredToDate: required,
    remaining,
    quarterLabel,
    reason: `${got}: at risk (${required} due by ${day}, ${required - count} behind); ${more}`,
  };
}

/** The calendar quarter before the one containing `at`. */
export function previousQuarter(at: Instant, timeZone: string): CalendarQuarter {
  return calendarQuarter(calendarQuarter(at, timeZone).start - 1, timeZone);
}

/** A score on a 0–10 scale in micro-points (8.5 → 8_500_000): exact, so sums and comparisons are exact. */
export type MicroScore = number;
const MICRO = 1_000_000;
const SCORE = /^\s*(\d+)(?:\.(\d*))?\s*$/;

/**
 * A HubSpot number string as a score within [min, max], or a reason it is not one. Digits past the sixth
 * decimal round half-even (nobody scores 8.1234567 on purpose).
 */
export function parseScore(
  raw: string | null | undefined,
  min: number,
  max: number,
  what: string,
): { ok: true; value: MicroScore | null } | { ok: false; reason: string } {
  const text = raw?.trim() ?? '';
  if (text === '') return { ok: true, value: null };
  const m = SCORE.exec(text);
  if (!m) return { ok: false, reason: `${what} "${text}" is not a number from ${min} to ${max}` };
  const fraction = m[2] ?? '';
  const digits = BigInt(`${m[1]}${fraction}`);
  const value = fraction.length <= 6 ? Number(digits * 10n ** BigInt(6 - fraction.length)) : Number(roundHalfEven(digits, 10n ** BigInt(fraction.length - 6)));
  if (value < min * MICRO || value > max * MICRO) return { ok: false, reason: `${what} ${text} is outside ${min}–${max}` };
  return { ok: true, value };
}

/** What one referral deal contributes to its partner's performance, as of `now`. */
export interface DealPerformanceFacts {
  dealId: string;
  /** Qualified referral of the previous calendar quarter (deal created in it, same qualification as this quarter's). */
  qualifiedLastQuarter: boolean;
  /** Closed-won within the window with a valid satisfaction score. */
  satisfaction: MicroScore | null;
  /** Created within the window with a valid lead-quality score. */
  leadQuality: MicroScore | null;
  /** Scores set but not usable (out of range, not a number), with why: shown, never guessed. */
  ignored: string[];
}

/** The start of the look-back window of the averages: `windowMonths` before `now`, in the program time zone. */
export function windowStart(now: Instant, config: Pick<ProgramConfig, 'timeZone' | 'performance'>): Instant {
  return DateTime.fromMillis(now, { zone: config.timeZone }).minus({ months: config.performance.windowMonths }).toMillis();
}

export function dealPerformanceFacts(deal: DealSnapshot, partner: DealPartner, config: ProgramConfig, now: Instant): DealPerformanceFacts {
  const facts: DealPerformanceFacts = { dealId: deal.id, qualifiedLastQuarter: false, satisfaction: null, leadQuality: null, ignored: [] };
  if (!partner.roles.includes('pp_referral_partner')) return facts;
  facts.qualifiedLastQuarter = qualifiedReferralCheck(deal, partner, config, previousQuarter(now, config.timeZone)).qualified;
  const since = windowStart(now, config);
  const within = (t: Instant | null): boolean => t !== null && t > since && t <= now;
  if (deal.isClosedWon && within(deal.closeDate)) {
    const s = parseScore(deal.clientSatisfaction, 0, 10, `client satisfaction on ${deal.name}`);
    if (s.ok) facts.satisfaction = s.value;
    else facts.ignored.push(s.reason);
  }
  if (within(deal.createDate)) {
    const q = parseScore(deal.leadQualityScore, 1, 10, `lead quality score on ${deal.name}`);
    if (q.ok) facts.leadQuality = q.value;
    else facts.ignored.push(q.reason);
  }
  return facts;
}

/** A short, stable summary of the facts: the deal recompute compares it to know when the partner must follow. */
export function performanceFingerprint(f: DealPerformanceFacts): string {
  return `${f.qualifiedLastQuarter ? 1 : 0}|${f.satisfaction ?? ''}|${f.leadQuality ?? ''}`;
}

export interface ScoreAverage {
  /** Unrounded mean in micro-points; null without any score. */
  mean: MicroScore | null;
  /** Sum and count: the exact mean is sum ÷ count. */
  sum: number;
  count: number;
  /** Rounded half-even to one decimal ("8.7"); "" without any score. */
  written: string;
}

export function scoreAverage(scores: readonly MicroScore[]): ScoreAverage {
  const sum = scores.reduce((a, b) => a + b, 0);
  const count = scores.length;
  if (count === 0) return { mean: null, sum: 0, count: 0, written: '' };
  const tenths = Number(roundHalfEven(BigInt(sum), BigInt(count) * BigInt(MICRO / 10)));
  return { mean: sum / count, sum, count, written: (tenths / 10).toFixed(1) };
}

export interface PartnerPerformance {
  tier: ReferralTier | null;
  /** Null without a referral tier (every output empty then). */
  minimum: MinimumStanding | null;
  lastQuarter: { value: LastQuarterResult | null; label: string; count: number | null; reason: string };
  satisfaction: ScoreAverage & { required: number | null; below: boolean; reason: string };
  leadQuality: ScoreAverage & { reason: string };
  requirements: { value: RequirementsStatus | null; reasons: string[] };
  /** Scores that were set but could not be used. */
  ignored: string[];
}

export interface PerformanceInput {
  company: Pick<PartnerCompany, 'createdAt'>;
  tier: ReferralTier | null;
  /** Qualified referrals this quarter (`pp_referrals_this_quarter`). */
  referralsThisQuarter: number;
  /** One entry per referral deal of the partner. */
  deals: readonly DealPerformanceFacts[];
  now: Instant;
  config: PerformanceConfig;
}

export function partnerPerformance(input: PerformanceInput): PartnerPerformance {
  const { tier, config, now } = input;
  const prev = previousQuarter(now, config.timeZone);
  const ignored = input.deals.flatMap((d) => d.ignored);
  if (tier === null) {
    const none = 'no referral tier: program performance applies to referral partners with a tier';
    return {
      tier,
      minimum: null,
      lastQuarter: { value: null, label: prev.label, count: null, reason: none },
      satisfaction: { ...scoreAverage([]), required: null, below: false, reason: none },
      leadQuality: { ...scoreAverage([]), reason: none },
      requirements: { value: null, reasons: [none] },
      ignored,
    };
  }
  const minimumCount = config.referralTiers[tier].quarterlyMinimum;
  const minimum = minimumStanding(wholeCount(input.referralsThisQuarter), minimumCount, quarterProgress(now, config.timeZone));

  const lastCount = input.deals.filter((d) => d.qualifiedLastQuarter).length;
  const createdAt = input.company.createdAt ?? null;
  const lastQuarter =
    createdAt !== null && createdAt > prev.start
      ? { value: null, label: prev.label, count: null, reason: `the partner was created after ${prev.label} began: no full quarter to judge` }
      : {
          value: (lastCount >= minimumCount ? 'met' : 'missed') as LastQuarterResult,
          label: prev.label,
          count: lastCount,
          reason: `${plural(lastCount, 'qualified referral')} in ${prev.label} against the ${tier} minimum of ${minimumCount}: ${lastCount >= minimumCount ? 'met' : 'missed'}`,
        };

  const months = config.performance.windowMonths;
  const sat = scoreAverage(input.deals.flatMap((d) => (d.satisfaction === null ? [] : [d.satisfaction])));
  const required = config.performance.satisfactionMinimums[tier];
  // Compared unrounded and exactly: sum ≥ required × count, in micro-points.
  const below = required !== null && sat.count > 0 && sat.sum < Math.round(required * 10) * (MICRO / 10) * sat.count;
  const satReason =
    sat.count === 0
      ? `no scored closed-won referral deal in the last ${months} months`
      : `${sat.written} over ${plural(sat.count, 'closed-won referral deal')} of the last ${months} months` +
        (required === null
          ? ` (${tier} has no satisfaction requirement)`
          : below
            ? `: below the ${tier} requirement of ${required.toFixed(1)}`
            : `: meets the ${tier} requirement of ${required.toFixed(1)}`);
  const quality = scoreAverage(input.deals.flatMap((d) => (d.leadQuality === null ? [] : [d.leadQuality])));
  const qualityReason =
    quality.count === 0
      ? `no scored referral deal created in the last ${months} months`
      : `${quality.written} over ${plural(quality.count, 'referral deal')} created in the last ${months} months`;

  const reasons: string[] = [];
  if (below) reasons.push(`satisfaction ${sat.written} is below the ${tier} requirement of ${required!.toFixed(1)}`);
  if (lastQuarter.value === 'missed') reasons.push(`missed the quarterly minimum in ${prev.label}`);
  const requirements: PartnerPerformance['requirements'] =
    reasons.length > 0
      ? { value: 'not_met', reasons }
      : { value: 'met', reasons: [sat.count === 0 && lastQuarter.value === null ? 'nothing to judge yet: met by default' : `${tier} requirements met`] };

  return {
    tier,
    minimum,
    lastQuarter,
    satisfaction: { ...sat, required, below, reason: satReason },
    leadQuality: { ...quality, reason: qualityReason },
    requirements,
    ignored,
  };
}

/** The six company outputs; "" is empty (left unset). */
export function performanceOutputs(p: PartnerPerformance): Record<string, string> {
  return {
    pp_quarterly_minimum: p.minimum === null ? '' : String(p.minimum.minimum),
    pp_minimum_status: p.minimum?.value ?? '',
    pp_last_quarter_result: p.lastQuarter.value ?? '',
    pp_satisfaction_avg: p.satisfaction.written,
    pp_lead_quality_avg: p.leadQuality.written,
    pp_requirements_status: p.requirements.value ?? '',
  };
}

/**
 * The days on which time alone moves partners of a tier from on track to at risk: the partners whose count is
 * in [required the day before, required today). Used by the daily job to recompute only those.
 * `since` is the last day the job ran (or yesterday); within one quarter only, as the quarter-start job
 * recomputes everyone at the turn.
 */
export function countsFallingBehind(minimum: number, since: Instant, now: Instant, timeZone: string): { from: number; to: number } | null {
  const today = quarterProgress(now, timeZone);
  const before = quarterProgress(since, timeZone);
  const from = before.quarter.label === today.quarter.label ? requiredToDate(minimum, before) : 0;
  const to = requiredToDate(minimum, today);
  return to > from ? { from, to } : null;
}

function wholeCount(n: number): number {
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
