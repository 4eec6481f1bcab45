/**
 * The retention bonus's maintenance jobs (docs/program.md#rule-7-client-retention-bonus), for
 * `StartWorkersOptions.maintenanceHandlers`: parse the job, call one service.
 */
import type { Job } from 'bullmq';
import { MAINTENANCE_JOBS, retentionCheckData } from '../../src/queue/job-data.js';
import type { Runtime } from '../../src/runtime.js';
import { checkRetentionBonus } from '../../src/services/check-retention-bonus.js';
import { retentionSweep } from '../../src/services/retention-sweep.js';
import type { MaintenanceHandlers } from './maintenance.js';

export const retentionMaintenanceHandlers: MaintenanceHandlers = {
  [MAINTENANCE_JOBS.retentionSweep]: (rt: Runtime) => retentionSweep(rt.ctx),
  [MAINTENANCE_JOBS.retentionCheck]: (rt: Runtime, job: Job) => checkRetentionBonus(rt.ctx, retentionCheckData.parse(job.data).dealId),
};
