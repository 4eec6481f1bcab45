/**
 * Starts the workers of one process: `sync` (recomputes, many at once so HubSpot calls batch up) and
 * `maintenance` (sweeps, one at a time). Any number of such processes can share one Redis.
 *
 * Shutdown: `close()` stops taking jobs and waits for the running ones to finish. A job cut short by a crash is
 * taken up within seconds by any worker process (this one restarted, or another): see src/queue/recovery.ts;
 * BullMQ's stalled check stays as the fallback (recomputes are idempotent).
 */
import { Worker, type Job } from 'bullmq';
import { MAINTENANCE_QUEUE, SYNC_QUEUE } from '../src/queue/job-data.js';
import { announcePresence, createOrphanRecovery } from '../src/queue/recovery.js';
import type { Runtime } from '../src/runtime.js';
import { maintenanceProcessor, type MaintenanceHandlers } from './processors/maintenance.js';
import { syncProcessor, type SyncProcessorDeps } from './processors/sync.js';
import { registerSchedules } from './schedulers.js';

export interface Workers {
  sync: Worker;
  maintenance: Worker;
  /** Graceful by default (running jobs finish); `force` drops them, as a crash would. */
  close(force?: boolean): Promise<void>;
}

export interface StartWorkersOptions {
  concurrency?: number;
  schedules?: boolean;
  maintenanceHandlers?: MaintenanceHandlers;
  completeWorkflowAction?: SyncProcessorDeps['completeWorkflowAction'];
  syncActivity?: SyncProcessorDeps['syncActivity'];
  /** How long a job's lock lasts and how often stalled jobs are looked for (BullMQ defaults 30 s / 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Dead-worker recovery timing (tests): two looks `graceMs` apart, one every `everyMs`. */
  recovery?: { graceMs?: number; everyMs?: number };
}

export async function startWorkers(rt: Runtime, opts: StartWorkersOptions = {}): Promise<Workers> {
  const prefix = rt.env.QUEUE_PREFIX;
  const connection = rt.workerRedis;
  let sync: Worker | undefined;
  let maintenance: Worker | undefined;
  // Seen alive before any worker of this process takes a job, so no other process takes its jobs for a dead one's.
  const presence = await announcePresence(connection, prefix);

  sync = new Worker(
    SYNC_QUEUE,
    syncProcessor(
      {
        ctx: rt.ctx,
        completeWorkflowAction: opts.completeWorkflowAction,
        syncActivity: opts.syncActivity,
        portalAccess: { ctx: rt.ctx, hs: rt.hs, redis: rt.workerRedis, prefix: `${prefix}:portal`, logger: rt.logger },
      },
      () => sync,
    ),
    {
      connection,
      prefix,
      autorun: false,
      concurrency: opts.concurrency ?? rt.env.WORKER_CONCURRENCY,
      // A job whose worker died is taken up again by another worker after its lock runs out.
      maxStalledCount: 3,
      ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs } : {}),
      ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
    },
  );
  maintenance = new Worker(
    MAINTENANCE_QUEUE,
    maintenanceProcessor(rt, opts.maintenanceHandlers ?? {}, () => maintenance),
    {
      connection,
      prefix,
      autorun: false,
      concurrency: 1,
    },
  );

  for (const w of [sync, maintenance]) {
    w.on('completed', (job: Job) => rt.metrics.jobs.inc({ queue: w.name, name: job.name, outcome: 'completed' }));
    w.on('failed', (job: Job | undefined, err: Error) => {
      rt.metrics.jobs.inc({ queue: w.name, name: job?.name ?? 'unknown', outcome: 'failed' });
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) rt.logger.error({ jobId: job.id, job: job.name, err: err.message }, 'job failed for good');
    });
    w.on('error', (err) => rt.logger.error({ err: err.message, queue: w.name }, 'worker error'));
  }
  if (opts.schedules !== false) await registerSchedules(rt.queues.maintenance, rt.program.config);
  await Promise.all([sync.waitUntilReady(), maintenance.waitUntilReady()]);
  await presence.run(sync);
  await presence.run(maintenance);
  const recovery = createOrphanRecovery({
    redis: connection,
    prefix,
    queues: [rt.queues.sync, rt.queues.maintenance],
    logger: rt.logger,
    ...(opts.recovery ?? {}),
  });
  recovery.start();
  rt.logger.info({ concurrency: sync.opts.concurrency }, 'workers started');

  return {
    sync,
    maintenance,
    async close(force = false) {
      await recovery.stop();
      await Promise.all([sync!.close(force), maintenance!.close(force)]);
      await presence.close();
    },
  };
}
