import { describe, expect, it } from 'vitest';
import { daysLeftText, formatDate, humanize, protectionTag } from '../../../../extensions/app/cards/format.js';

describe('card formatting', () => {
  it.each([
    { value: 'tier_1', expected: 'Tier 1' },
    { value: 'medical_advisor', expected: 'Medical advisor' },
    { value: 'on_hold', expected: 'On hold' },
    { value: 'platinum', expected: 'Platinum' },
    { value: null, expected: 'None' },
    { value: '', expected: 'None' },
  ])('humanize($value) → $expected', ({ value, expected }) => {
    expect(humanize(value)).toBe(expected);
  });

  it.each([
    { status: 'none', daysLeft: null, expected: { label: 'Not protected', variant: 'default' } },
    { status: 'pending', daysLeft: null, expected: { label: 'Awaiting approval', variant: 'info' } },
    { status: 'protected', daysLeft: 31, expected: { label: 'Protected · 31 days left', variant: 'success' } },
    { status: 'expiring_soon', daysLeft: 30, expected: { label: 'Expiring soon · 30 days left', variant: 'warning' } },
    { status: 'expiring_soon', daysLeft: 1, expected: { label: 'Expiring soon · 1 day left', variant: 'warning' } },
    { status: 'expired', daysLeft: 0, expected: { label: 'Protection expired', variant: 'default' } },
    { status: 'conflict', daysLeft: null, expected: { label: 'In conflict', variant: 'error' } },
    { status: 'paused_by_admin', daysLeft: null, expected: { label: 'Paused by admin', variant: 'default' } },
  ])('protection $status with $daysLeft days left reads "$expected.label"', ({ status, daysLeft, expected }) => {
    expect(protectionTag(status, daysLeft)).toEqual(expected);
  });

  it.each([
    { iso: '2025-03-03T14:00:00.000Z', expected: 'Mar 3, 2025' },
    // A UTC instant late in the day stays on its UTC date for every viewer.
    { iso: '2025-12-31T23:30:00.000Z', expected: 'Dec 31, 2025' },
    { iso: null, expected: '—' },
    { iso: 'not a date', expected: 'not a date' },
  ])('formatDate($iso) → $expected', ({ iso, expected }) => {
    expect(formatDate(iso)).toBe(expected);
  });

  it('days left reads in the singular for one day', () => {
    expect([daysLeftText(1), daysLeftText(2), daysLeftText(0)]).toEqual(['1 day left', '2 days left', '0 days left']);
  });
});
