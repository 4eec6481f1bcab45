/**
 * The repeatable sweeps, registered idempotently with BullMQ job schedulers (upsert: restarting any number of
 * processes keeps exactly one schedule per sweep). Cron patterns run in the program time zone.
 */
import type { Queue } from 'bullmq';
import type { AppProgramConfig } from '../src/config/program.js';
import { MAINTENANCE_JOBS } from '../src/queue/job-data.js';

export async function registerSchedules(queue: Queue, config: AppProgramConfig): Promise<void> {
  const tz = config.timeZone;
  const s = config.schedules;
  const opts = { removeOnComplete: { count: 50 }, removeOnFail: { count: 200 }, attempts: 3, backoff: { type: 'exponential', delay: 30_000 } };
  await queue.upsertJobScheduler('reconcile', { every: s.reconcileEveryMinutes * 60_000 }, { name: MAINTENANCE_JOBS.reconcile, opts });
  await queue.upsertJobScheduler('association-refresh', { pattern: s.associationRefreshCron, tz }, { name: MAINTENANCE_JOBS.associationRefresh, opts });
  await queue.upsertJobScheduler('expiry-sweep', { pattern: s.expirySweepCron, tz }, { name: MAINTENANCE_JOBS.expirySweep, opts });
  await queue.upsertJobScheduler('retention-sweep', { pattern: s.retentionSweepCron, tz }, { name: MAINTENANCE_JOBS.retentionSweep, opts });
  await queue.upsertJobScheduler('quarter-start', { pattern: s.quarterStartCron, tz }, { name: MAINTENANCE_JOBS.quarterStart, opts });
  await queue.upsertJobScheduler('minimum-status', { pattern: s.minimumStatusCron, tz }, { name: MAINTENANCE_JOBS.minimumStatus, opts });
}
