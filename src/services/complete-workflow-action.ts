/**
 * The `complete-workflow-action` job (docs/program.md#payouts): run the freeze once per execution and give HubSpot
 * its outcome exactly once, either to the HTTP request still waiting for it or through the callbacks API, as the
 * ledger (src/stores/workflow-action-ledger.ts) decides.
 */
import { AppError } from '../errors.js';
import { completeWorkflowCallback, workflowActionOutcomeSchema, type WorkflowActionOutcome } from '../hubspot/workflow-action.js';
import type { CompleteWorkflowActionData } from '../queue/job-data.js';
import { createWorkflowActionLedger } from '../stores/workflow-action-ledger.js';
import { schedulePayouts } from './schedule-payouts.js';
import { scheduleRetentionCheck } from './schedule-retention-check.js';
import type { SyncContext } from './sync-context.js';

export interface WorkflowActionJobResult {
  callbackId: string;
  dealId: string;
  state: WorkflowActionOutcome['state'];
  /** How HubSpot got its answer: in the waiting HTTP response, by callback, or it had it already. */
  answeredBy: 'response' | 'callback' | 'already-answered';
}

/**
 * A failure that retrying cannot fix (a HubSpot 4xx, a missing payout schema) is answered as FAIL_CONTINUE with
 * its message rather than left to fail the job: otherwise the workflow would stay blocked until HubSpot gives up
 * on it. Retryable failures throw, and BullMQ runs the job again. A successful freeze also schedules the deal's
 * retention check (docs/program.md#rule-7-client-retention-bonus).
 */
export async function completeWorkflowAction(ctx: SyncContext, data: CompleteWorkflowActionData): Promise<WorkflowActionJobResult> {
  const ledger = createWorkflowActionLedger(ctx.redis, ctx.prefix, workflowActionOutcomeSchema);
  const { callbackId, dealId } = data;
  const before = await ledger.read(callbackId);
  if (before.state === 'done') return { callbackId, dealId, state: before.outcome.state, answeredBy: 'already-answered' };

  // A retry after a failed callback sends the outcome already decided, not a new one.
  let outcome: WorkflowActionOutcome;
  if (before.state === 'callback') outcome = before.outcome;
  else {
    const { closedWonAt, ...decided } = await decide(ctx, dealId);
    outcome = decided;
    if (decided.state === 'SUCCESS' && closedWonAt !== undefined) await scheduleRetentionCheck(ctx, { dealId, closedWonAt });
  }

  const via = await ledger.finish(callbackId, outcome);
  if (via === 'done') return { callbackId, dealId, state: outcome.state, answeredBy: 'already-answered' };
  if (via === 'sync') return { callbackId, dealId, state: outcome.state, answeredBy: 'response' };
  const owed = await ledger.read(callbackId);
  const sent = owed.state === 'callback' ? owed.outcome : outcome;
  await completeWorkflowCallback(ctx.hs, callbackId, sent);
  await ledger.markCalledBack(callbackId);
  return { callbackId, dealId, state: sent.state, answeredBy: 'callback' };
}

async function decide(ctx: SyncContext, dealId: string): Promise<WorkflowActionOutcome & { closedWonAt?: number }> {
  try {
    return await schedulePayouts(ctx, dealId);
  } catch (err) {
    if (err instanceof AppError && !err.retryable) {
      ctx.logger.warn({ err, dealId }, 'workflow action failed for good; answering FAIL_CONTINUE');
      return { state: 'FAIL_CONTINUE', reason: `Payouts could not be scheduled: ${err.message}` };
    }
    throw err;
  }
}
