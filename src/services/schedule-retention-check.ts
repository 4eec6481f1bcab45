/**
 * Scheduling the delayed retention check of a deal frozen at closed-won
 * (docs/program.md#rule-7-client-retention-bonus): due `retention.months` calendar months after the close, in the
 * program time zone; one job per deal and due date, so scheduling again is a no-op.
 */
import type { Queue } from 'bullmq';
import type { ProgramConfig } from '../engine/program-config.js';
import { retentionDueAt } from '../engine/retention.js';
import type { Instant } from '../engine/types.js';
import { enqueueRetentionCheck } from '../queue/queues.js';

export async function scheduleRetentionCheck(
  queue: Queue,
  deal: { dealId: string; closedWonAt: Instant },
  config: Pick<ProgramConfig, 'retention' | 'timeZone'>,
  now: Instant,
): Promise<{ jobId: string; dueAt: Instant; delayMs: number }> {
  const dueAt = retentionDueAt(deal.closedWonAt, config);
  const { jobId, delayMs } = await enqueueRetentionCheck(queue, { dealId: deal.dealId, dueAt }, now);
  return { jobId, dueAt, delayMs };
}
