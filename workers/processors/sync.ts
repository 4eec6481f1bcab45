/** The `sync` queue's processor: parse the job, call one service, map its errors. */
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import {
  checkPortalAccessData,
  completeWorkflowActionData,
  recomputeCompanyData,
  recomputeDealData,
  repairPayoutData,
  SYNC_JOBS,
  syncActivityData,
} from '../../src/queue/job-data.js';
import { repairPayout } from '../../src/services/repair-payout.js';
import { checkContactPortalAccess, type PortalAccessGuardDeps } from '../../src/services/portal/portal-access.js';
import { recomputeCompany } from '../../src/services/recompute-company.js';
import { recomputeDeal } from '../../src/services/recompute-deal.js';
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
}

export function syncProcessor(deps: SyncProcessorDeps, getWorker: () => Worker | undefined) {
  return async (job: Job): Promise<unknown> => {
    // Every line of this job names it and the record it is about, so one grep follows a deal end to end.
    const { dealId, companyId, callbackId } = (job.data ?? {}) as Record<string, unknown>;
    const log = deps.ctx.logger.child({ jobId: job.id, job: job.name, dealId, companyId, callbackId });
    try {
      switch (job.name) {
        case SYNC_JOBS.recomputeDeal: {
          const data = recomputeDealData.parse(job.data);
          const result = await recomputeDeal(deps.ctx, data.dealId);
          log.debug({ ...result }, 'deal recomputed');
          return result;
        }
        case SYNC_JOBS.recomputeCompany: {
          const data = recomputeCompanyData.parse(job.data);
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
      log.warn({ err, attempt: job.attemptsMade + 1 }, 'job failed');
      return mapJobError(err, getWorker());
    }
  };
}
