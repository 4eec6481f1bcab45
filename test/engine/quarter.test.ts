import { describe, expect, it } from 'vitest';
import { calendarQuarter, isInQuarter } from '../../src/engine/quarter.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('calendarQuarter: the calendar quarter of pp_referrals_this_quarter, in the program time zone', () => {
  it.each([
    { at: '2026-01-01T00:00:00.000Z', zone: 'UTC', label: '2026-Q1', start: '2026-01-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
    { at: '2026-03-31T23:59:59.999Z', zone: 'UTC', label: '2026-Q1', start: '2026-01-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' },
    { at: '2026-04-01T00:00:00.000Z', zone: 'UTC', label: '2026-Q2', start: '2026-04-01T00:00:00.000Z', end: '2026-07-01T00:00:00.000Z' },
    { at: '2026-12-31T23:59:59.999Z', zone: 'UTC', label: '2026-Q4', start: '2026-10-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' },
    // 23:00 on 31 March in New York (EDT, UTC−4): still the first quarter there.
    { at: '2026-04-01T03:00:00.000Z', zone: 'America/New_York', label: '2026-Q1', start: '2026-01-01T05:00:00.000Z', end: '2026-04-01T04:00:00.000Z' },
    { at: '2026-04-01T04:00:00.000Z', zone: 'America/New_York', label: '2026-Q2', start: '2026-04-01T04:00:00.000Z', end: '2026-07-01T04:00:00.000Z' },
    // Q4 starts in daylight time and ends in standard time: the quarter is midnight to midnight local.
    { at: '2026-11-15T12:00:00.000Z', zone: 'America/New_York', label: '2026-Q4', start: '2026-10-01T04:00:00.000Z', end: '2027-01-01T05:00:00.000Z' },
    { at: '2027-01-01T04:59:59.999Z', zone: 'America/New_York', label: '2026-Q4', start: '2026-10-01T04:00:00.000Z', end: '2027-01-01T05:00:00.000Z' },
  ])('$at in $zone is $label', ({ at: when, zone, label, start, end }) => {
    const q = calendarQuarter(at(when), zone);
    expect({ label: q.label, start: iso(q.start), end: iso(q.end) }).toEqual({ label, start, end });
  });

  it('refuses a time zone that does not exist rather than guessing UTC', () => {
    expect(() => calendarQuarter(at('2026-01-01T00:00:00Z'), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('isInQuarter: start inclusive, end exclusive', () => {
  const q1 = calendarQuarter(at('2026-02-01T00:00:00Z'), 'UTC');
  it.each([
    { when: '2025-12-31T23:59:59.999Z', inside: false },
    { when: '2026-01-01T00:00:00.000Z', inside: true },
    { when: '2026-03-31T23:59:59.999Z', inside: true },
    { when: '2026-04-01T00:00:00.000Z', inside: false },
  ])('$when inside 2026-Q1: $inside', ({ when, inside }) => {
    expect(isInQuarter(at(when), q1)).toBe(inside);
  });
});
