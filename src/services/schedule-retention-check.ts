/**
 * Scheduling the delayed retention check of a deal frozen at closed-won
 * (docs/program.md#rule-7-client-retention-bonus): due `retention.months` calendar months after the close, in the
 * program time zone; one job per deal and due date, so scheduling again is a no-op.
 */
import { retentionDueAt } from '../engine/retention.js';
import type { Instant } from '../engine/types.js';
import { enqueueRetentionCheck } from '../queue/queues.js';
import type { SyncContext } from './sync-context.js';

export async function scheduleRetentionCheck(
  ctx: Pick<SyncContext, 'queues' | 'program' | 'clock'>,
  deal: { dealId: string; closedWonAt: Instant },
): Promise<{ jobId: string; dueAt: Instant; delayMs: number }> {
  const dueAt = retentionDueAt(deal.closedWonAt, ctx.program.config);
  const { jobId, delayMs } = await enqueueRetentionCheck(ctx.queues.maintenance, { dealId: deal.dealId, dueAt }, ctx.clock());
  return { jobId, dueAt, delayMs };
}
