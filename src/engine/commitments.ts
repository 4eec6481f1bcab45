/**
 * Co-marketing commitments (docs/program.md#co-marketing-commitments): approved activities dated in the calendar
 * year (program time zone) against the co-marketing tier's annual minimums. Campaigns count `joint_campaign`;
 * content pieces count `content_piece` and `case_study`; events count `event` and `conference_presentation`.
 * Status: `met` when all three reach their minimum; `on_track` when each reaches ⌊minimum × elapsed days ÷ days
 * in the year⌋ (today included); `at_risk` otherwise.
 */
import { DateTime } from 'luxon';
import type { Activity, ActivityType } from './activities.js';
import type { CommitmentMinimums, ProgramConfig } from './program-config.js';
import type { CoMarketingTier, Instant } from './types.js';

export const COMMITMENT_STATUSES = ['met', 'on_track', 'at_risk'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

export const COMMITMENT_COUNTERS = ['campaigns', 'contentPieces', 'events'] as const;
export type CommitmentCounter = (typeof COMMITMENT_COUNTERS)[number];

const COUNTED_AS: Partial<Record<ActivityType, CommitmentCounter>> = {
  joint_campaign: 'campaigns',
  content_piece: 'contentPieces',
  case_study: 'contentPieces',
  event: 'events',
  conference_presentation: 'events',
};

export const COMMITMENT_LABELS: Record<CommitmentCounter, string> = {
  campaigns: 'joint campaigns',
  contentPieces: 'content pieces',
  events: 'events',
};

export interface ProgramYear {
  year: number;
  /** Days of the year elapsed, today included (1 on 1 January, 365 or 366 on 31 December). */
  elapsedDays: number;
  daysInYear: number;
}

/** The calendar year that contains `at` in the program time zone, and how far into it `at` is. */
export function programYear(at: Instant, timeZone: string): ProgramYear {
  const local = DateTime.fromMillis(at, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`cannot place ${at} in time zone "${timeZone}"`);
  return { year: local.year, elapsedDays: local.ordinal, daysInYear: local.daysInYear };
}

export interface CommitmentStanding {
  tier: CoMarketingTier;
  year: number;
  counts: Record<CommitmentCounter, number>;
  minimums: CommitmentMinimums;
  /** What each count must reach today to be on track: ⌊minimum × elapsed ÷ days in year⌋. */
  dueByNow: CommitmentMinimums;
  status: CommitmentStatus;
}

/** Approved activities dated in `year`, counted per commitment. Other statuses, years and types do not count. */
export function countCommitments(activities: readonly Pick<Activity, 'type' | 'status' | 'date'>[], year: number): Record<CommitmentCounter, number> {
  const counts: Record<CommitmentCounter, number> = { campaigns: 0, contentPieces: 0, events: 0 };
  const prefix = `${year}-`;
  for (const a of activities) {
    if (a.status !== 'approved' || a.date === null || !a.date.startsWith(prefix)) continue;
    const counter = COUNTED_AS[a.type as ActivityType];
    if (counter) counts[counter] += 1;
  }
  return counts;
}

/** The partner's commitment standing, or null without a co-marketing tier (its outputs stay empty). */
export function commitmentStanding(
  tier: CoMarketingTier | null,
  activities: readonly Pick<Activity, 'type' | 'status' | 'date'>[],
  now: Instant,
  config: Pick<ProgramConfig, 'commitments' | 'timeZone'>,
): CommitmentStanding | null {
  if (tier === null) return null;
  const py = programYear(now, config.timeZone);
  const minimums = config.commitments[tier];
  const counts = countCommitments(activities, py.year);
  const due = (min: number): number => Math.floor((min * py.elapsedDays) / py.daysInYear);
  const dueByNow: CommitmentMinimums = { campaigns: due(minimums.campaigns), contentPieces: due(minimums.contentPieces), events: due(minimums.events) };
  const status: CommitmentStatus = COMMITMENT_COUNTERS.every((c) => counts[c] >= minimums[c])
    ? 'met'
    : COMMITMENT_COUNTERS.every((c) => counts[c] >= dueByNow[c])
      ? 'on_track'
      : 'at_risk';
  return { tier, year: py.year, counts, minimums, dueByNow, status };
}

/** "2 of 4 joint campaigns, 5 of 8 content pieces, 3 of 6 events". */
export function commitmentSummary(s: Pick<CommitmentStanding, 'counts' | 'minimums'>): string {
  return COMMITMENT_COUNTERS.map((c) => `${s.counts[c]} of ${s.minimums[c]} ${COMMITMENT_LABELS[c]}`).join(', ');
}

/** The company outputs: `pp_campaigns_this_year`, `pp_content_this_year`, `pp_events_this_year`, `pp_commitment_status`. */
export function commitmentOutputs(s: CommitmentStanding | null): Record<string, string> {
  if (s === null) return { pp_campaigns_this_year: '', pp_content_this_year: '', pp_events_this_year: '', pp_commitment_status: '' };
  return {
    pp_campaigns_this_year: String(s.counts.campaigns),
    pp_content_this_year: String(s.counts.contentPieces),
    pp_events_this_year: String(s.counts.events),
    pp_commitment_status: s.status,
  };
}
