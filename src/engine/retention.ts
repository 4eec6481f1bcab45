/**
 * Rule 7, the client retention bonus (docs/program.md#rule-7-client-retention-bonus): when it falls due, and
 * whether the customer still counts as one. Months are calendar months in the program time zone; "closed-won at"
 * is the deal's close date.
 */
import { DateTime } from 'luxon';
import type { ProgramConfig } from './program-config.js';
import type { Instant } from './types.js';

type RetentionConfig = Pick<ProgramConfig, 'retention' | 'timeZone'>;

/** When the bonus falls due: closed-won + `retention.months` calendar months, in the program time zone. */
export function retentionDueAt(closedWonAt: Instant, config: RetentionConfig): Instant {
  return DateTime.fromMillis(closedWonAt, { zone: config.timeZone }).plus({ months: config.retention.months }).toMillis();
}

/** The latest closed-won instant that is due at `at` (the inverse of `retentionDueAt`, to the day). */
export function closedWonDueBy(at: Instant, config: RetentionConfig): Instant {
  return DateTime.fromMillis(at, { zone: config.timeZone }).minus({ months: config.retention.months }).toMillis();
}

/** "Still a customer": the customer company's lifecycle stage is one of the configured ones. */
export function isRetainedCustomer(lifecycleStage: string | null | undefined, config: Pick<ProgramConfig, 'retention'>): boolean {
  const stage = lifecycleStage?.trim() ?? '';
  return stage !== '' && config.retention.customerLifecycleStages.includes(stage);
}
