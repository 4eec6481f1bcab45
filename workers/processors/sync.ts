/** The `sync` queue's processor: parse the job, call one service, map its errors. */
import { DelayedError, UnrecoverableError, type Job, type Worker } from 'bullmq';
import {
  checkPortalAccessData,
  completeWorkflowActionData,
  recomputeCompanyData,
  recomputeDealData,
  repairPayoutData,
  SYNC_JOBS,
  syncActivityData,
} from '../../src/queue/job-data.js';
import { followUpBeatMs, nextBeat } from '../../src/queue/queues.js';
import { repairPayout } from '../../src/services/repair-payout.js';
import { checkContactPortalAccess, type PortalAccessGuardDeps } from '../../src/services/portal/portal-access.js';
import { recomputeCompany } from '../../src/services/recompute-company.js';
import { PARTNER_FOLLOW_UP, recomputeDeal } from '../../src/services/recompute-deal.js';
import type { SyncContext } from '../../src/services/sync-context.js';
import { mapJobError } from './map-errors.js';

export interface SyncProcessorDeps {
  ctx: SyncContext;
  /** Optional handlers owned by other features (workflow action completion). */
  completeWorkflowAction?: (ctx: SyncContext, data: { callbackId: string; dealId: string }) => Promise<unknown>;
  /** Restore and pay one partner activity (webhook, sweep): owned by the activities feature. */
  syncActivity?: (activityId: string, reason: string) => Promise<unknown>;
  /** What the `pp_portal_access` guard needs (the portal's Redis keys); absent: contact jobs fail. */
  portalAccess?: PortalAccessGuardDeps;
  /**
   * A partner recompute its deals asked for (PARTNER_FOLLOW_UP) waits `delayMs` at a time while deal recomputes run
   * in this process (or one ended less than `delayMs` ago), for at most `maxMs` after it was first asked for; then it
   * runs whatever is running.
   */
  partnerFollowUp?: { delayMs: number; maxMs: number };
}

/** Defaults of `partnerFollowUp`: the follow-up beat (queues.ts) at a time, one minute at most. */
const FOLLOW_UP_MAX_MS = 60_000;

export function syncProcessor(deps: SyncProcessorDeps, getWorker: () => Worker | undefined) {
  const followUp = deps.partnerFollowUp ?? { delayMs: followUpBeatMs(deps.ctx.program.config.sync.debounceMs), maxMs: FOLLOW_UP_MAX_MS };
  /** Deal recomputes running in this process now, and when the last one ended (a burst's deals come in waves). */
  let dealsRunning = 0;
  let lastDealEndedAt = Number.NEGATIVE_INFINITY;
  const dealsBusy = () => dealsRunning > 0 || Date.now() - lastDealEndedAt < followUp.delayMs;
  return async (job: Job, token?: string): Promise<unknown> => {
    // Every line of this job names it and the record it is about, so one grep follows a deal end to end.
    const { dealId, companyId, callbackId } = (job.data ?? {}) as Record<string, unknown>;
    const log = deps.ctx.logger.child({ jobId: job.id, job: job.name, dealId, companyId, callbackId });
    try {
      switch (job.name) {
        case SYNC_JOBS.recomputeDeal: {
          const data = recomputeDealData.parse(job.data);
          dealsRunning++;
          let result;
          try {
            result = await recomputeDeal(deps.ctx, data.dealId);
          } finally {
            dealsRunning--;
            lastDealEndedAt = Date.now();
          }
          log.debug({ ...result }, 'deal recomputed');
          return result;
        }
        case SYNC_JOBS.recomputeCompany: {
          const data = recomputeCompanyData.parse(job.data);
          // Partners after their deals: a burst's deals each find their partner's outputs stale as they move its
          // count; recomputed while those deals still run, the partner is read, written (and its activities and
          // referred deals read) once per wave instead of once (`npm run bench:sync`). Deferred before any read,
          // so nothing it would compute is older than what started it; BullMQ's deduplication folds further asks
          // into the delayed job. No deal waits for it (recompute-deal.ts PARTNER_FOLLOW_UP).
          if (data.reason === PARTNER_FOLLOW_UP && dealsBusy() && token !== undefined && Date.now() - job.timestamp < followUp.maxMs) {
            // Due on a common beat (the next multiple of delayMs), so the partners held back come back together
            // and their reads and writes share batches.
            await job.moveToDelayed(nextBeat(Date.now(), followUp.delayMs), token);
            throw new DelayedError();
          }
          const result = await recomputeCompany(deps.ctx, data.companyId, data.reason);
          log.debug({ ...result }, 'company recomputed');
          return result;
        }
        case SYNC_JOBS.syncActivity: {
          const data = syncActivityData.parse(job.data);
          if (!deps.syncActivity) throw new Error('activities are not wired in this process');
          return await deps.syncActivity(data.activityId, data.reason);
        }
        case SYNC_JOBS.repairPayout: {
          const data = repairPayoutData.parse(job.data);
          const result = await repairPayout(deps.ctx, data.payoutId);
          log.debug({ ...result }, 'payout record checked');
          return result;
        }
        case SYNC_JOBS.checkPortalAccess: {
          const data = checkPortalAccessData.parse(job.data);
          if (!deps.portalAccess) throw new Error('the portal access guard is not wired in this process');
          return await checkContactPortalAccess(deps.portalAccess, data.contactId);
        }
        case SYNC_JOBS.completeWorkflowAction: {
          const data = completeWorkflowActionData.parse(job.data);
          if (!deps.completeWorkflowAction) throw new Error('workflow actions are not wired in this process');
          return await deps.completeWorkflowAction(deps.ctx, data);
        }
        default:
          throw new UnrecoverableError(`unknown job ${job.name}`);
      }
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      log.warn({ err, attempt: job.attemptsMade + 1 }, 'job failed');
      return mapJobError(err, getWorker());
    }
  };
}
