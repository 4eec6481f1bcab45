/**
 * Calendar quarters in the program's time zone (docs/program.md#partner-outputs, `pp_referrals_this_quarter`: "createdate in the current
 * calendar quarter (program time zone, default UTC)"). Luxon does the calendar arithmetic so a quarter that starts
 * or ends across a daylight-saving change is still exactly midnight-to-midnight local time.
 */
import { DateTime } from 'luxon';
import type { Instant } from './types.js';

export interface CalendarQuarter {
  /** First instant of the quarter (inclusive). */
  start: Instant;
  /** First instant of the next quarter (exclusive). */
  end: Instant;
  /** "2026-Q4": the year and quarter as seen in the program time zone. */
  label: string;
}

/** The calendar quarter that contains `at`, as the program's time zone sees it. */
export function calendarQuarter(at: Instant, timeZone: string): CalendarQuarter {
  const local = DateTime.fromMillis(at, { zone: timeZone });
  // The configuration validates the zone at start-up, so an invalid one here is a programming error.
  if (!local.isValid) throw new RangeError(`cannot place ${at} in time zone "${timeZone}": ${local.invalidExplanation ?? local.invalidReason}`);
  const start = local.startOf('quarter');
  return {
    start: start.toMillis(),
    end: start.plus({ months: 3 }).toMillis(),
    label: `${start.year}-Q${start.quarter}`,
  };
}

/** Whether `at` falls inside `quarter` (start inclusive, end exclusive). */
export function isInQuarter(at: Instant, quarter: Pick<CalendarQuarter, 'start' | 'end'>): boolean {
  return at >= quarter.start && at < quarter.end;
}
