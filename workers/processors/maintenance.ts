/** The `maintenance` queue's processor: the scheduled sweeps, each one service call. */
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import { MAINTENANCE_JOBS } from '../../src/queue/job-data.js';
import { reconcileModified, recomputeAllPartners, refreshOpenDeals, resyncEverything } from '../../src/services/reconcile.js';
import type { Runtime } from '../../src/runtime.js';
import { sweepMinimumStatus } from '../../src/services/minimum-status-sweep.js';
import { mapJobError } from './map-errors.js';

export interface MaintenanceHandlers {
  /** Sweeps owned by other features (registration expiry, retention bonus), keyed by job name. */
  [jobName: string]: (rt: Runtime, job: Job) => Promise<unknown>;
}

export function maintenanceProcessor(rt: Runtime, extra: MaintenanceHandlers, getWorker: () => Worker | undefined) {
  return async (job: Job): Promise<unknown> => {
    const log = rt.logger.child({ jobId: job.id, job: job.name });
    try {
      let result: unknown;
      switch (job.name) {
        case MAINTENANCE_JOBS.reconcile:
          result = await reconcileModified(rt.ctx);
          break;
        case MAINTENANCE_JOBS.associationRefresh:
          result = await refreshOpenDeals(rt.ctx);
          break;
        case MAINTENANCE_JOBS.quarterStart:
          result = await recomputeAllPartners(rt.ctx, 'quarter-start');
          break;
        case MAINTENANCE_JOBS.minimumStatus:
          result = await sweepMinimumStatus(rt.ctx);
          break;
        case MAINTENANCE_JOBS.resync:
          result = await resyncEverything(rt.ctx);
          break;
        default: {
          const handler = extra[job.name];
          if (!handler) throw new UnrecoverableError(`unknown job ${job.name}`);
          result = await handler(rt, job);
        }
      }
      log.info({ result }, `${job.name} done`);
      return result;
    } catch (err) {
      log.warn({ err }, `${job.name} failed`);
      return mapJobError(err, getWorker());
    }
  };
}
