/**
 * The retention bonus's maintenance jobs (docs/program.md#rule-7-client-retention-bonus), for
 * `StartWorkersOptions.maintenanceHandlers`: parse the job, call one service.
 */
import type { Job } from 'bullmq';
import { MAINTENANCE_JOBS, retentionCheckData } from '../../src/queue/job-data.js';
import type { Runtime } from '../../src/runtime.js';
import { checkRetentionBonus } from '../../src/services/check-retention-bonus.js';
import { retentionSweep } from '../../src/services/retention-sweep.js';
import { redisRetentionDecisions } from '../../src/stores/retention-decisions.js';
import type { MaintenanceHandlers } from './maintenance.js';

export const retentionMaintenanceHandlers: MaintenanceHandlers = {
  [MAINTENANCE_JOBS.retentionSweep]: (rt: Runtime) =>
    retentionSweep({ ctx: rt.ctx, hs: rt.hs, redis: rt.workerRedis, prefix: rt.env.QUEUE_PREFIX, queue: rt.queues.maintenance }),
  [MAINTENANCE_JOBS.retentionCheck]: (rt: Runtime, job: Job) => {
    const data = retentionCheckData.parse(job.data);
    return checkRetentionBonus(rt.ctx, data.dealId, redisRetentionDecisions(rt.workerRedis, rt.env.QUEUE_PREFIX));
  },
};
