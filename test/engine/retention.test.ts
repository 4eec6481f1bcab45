/**
 * Rule 7, the client retention bonus (docs/program.md#rule-7-client-retention-bonus): due closed-won +
 * retention.months calendar months in the program time zone; "still a customer" is the company's lifecycle stage.
 */
import { describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import { closedWonDueBy, isRetainedCustomer, retentionDueAt } from '../../src/engine/retention.js';

describe('when the bonus falls due: closed-won + retention.months calendar months, program time zone', () => {
  it.each([
    { label: '24 months after 2026-03-15 10:00Z is 2028-03-15 10:00Z', at: Date.UTC(2026, 2, 15, 10), months: 24, tz: 'UTC', due: Date.UTC(2028, 2, 15, 10) },
    { label: 'a month after Jan 31 is the last day of February', at: Date.UTC(2026, 0, 31, 9), months: 1, tz: 'UTC', due: Date.UTC(2026, 1, 28, 9) },
    { label: '24 months after Feb 29 is Feb 28', at: Date.UTC(2024, 1, 29, 12), months: 24, tz: 'UTC', due: Date.UTC(2026, 1, 28, 12) },
    {
      label: 'noon in New York stays noon across daylight saving (EDT → EST)',
      at: Date.UTC(2026, 6, 1, 16),
      months: 6,
      tz: 'America/New_York',
      due: Date.UTC(2027, 0, 1, 17),
    },
  ])('$label', ({ at, months, tz, due }) => {
    const config = buildProgramConfig({ timeZone: tz, retention: { months } }).config;
    expect(retentionDueAt(at, config)).toBe(due);
  });
});

describe('the deals due by a day: the inverse of the due date, for the sweep', () => {
  it.each([
    { label: 'due 2028-03-15 10:00Z means closed-won by 2026-03-15 10:00Z', at: Date.UTC(2028, 2, 15, 10), closed: Date.UTC(2026, 2, 15, 10) },
    { label: 'due 2026-02-28 12:00Z means closed-won by 2024-02-28 12:00Z', at: Date.UTC(2026, 1, 28, 12), closed: Date.UTC(2024, 1, 28, 12) },
  ])('$label', ({ at, closed }) => {
    expect(closedWonDueBy(at, buildProgramConfig({}).config)).toBe(closed);
  });
});

describe('still a customer: the lifecycle stage is one of retention.customerLifecycleStages', () => {
  const config = buildProgramConfig({ retention: { customerLifecycleStages: ['customer', 'evangelist'] } }).config;
  it.each([
    { stage: 'customer', retained: true },
    { stage: ' evangelist ', retained: true },
    { stage: 'other', retained: false },
    { stage: '', retained: false },
    { stage: undefined, retained: false },
  ])('$stage → $retained', ({ stage, retained }) => {
    expect(isRetainedCustomer(stage, config)).toBe(retained);
  });
});
