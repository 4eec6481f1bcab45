/**
 * The two queues and how a job is put on them. `sync` carries the high-volume recomputes (one job per deal or
 * company, deduplicated); `maintenance` carries the scheduled sweeps (reconcile, expiry, retention, …).
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { MAINTENANCE_JOBS, MAINTENANCE_QUEUE, SYNC_JOBS, SYNC_QUEUE, type CompleteWorkflowActionData, type RetentionCheckData } from './job-data.js';

export interface Queues {
  sync: Queue;
  maintenance: Queue;
  close(): Promise<void>;
}

export function createQueues(connection: Redis, prefix: string): Queues {
  const sync = new Queue(SYNC_QUEUE, { connection, prefix });
  const maintenance = new Queue(MAINTENANCE_QUEUE, { connection, prefix });
  return {
    sync,
    maintenance,
    async close() {
      // A queue still initialising (BullMQ asks Redis for its version) must finish first: cutting the shared
      // connection under it leaves BullMQ's init with a rejection nobody handles.
      await Promise.all([sync.waitUntilReady().catch(() => undefined), maintenance.waitUntilReady().catch(() => undefined)]);
      await Promise.all([sync.close(), maintenance.close()]);
    },
  };
}

export type RecomputeKind = 'deal' | 'company' | 'activity' | 'payout' | 'contact';

const JOB_OF_KIND: Record<RecomputeKind, string> = {
  deal: SYNC_JOBS.recomputeDeal,
  company: SYNC_JOBS.recomputeCompany,
  activity: SYNC_JOBS.syncActivity,
  payout: SYNC_JOBS.repairPayout,
  contact: SYNC_JOBS.checkPortalAccess,
};
const ID_OF_KIND: Record<RecomputeKind, string> = { deal: 'dealId', company: 'companyId', activity: 'activityId', payout: 'payoutId', contact: 'contactId' };

export interface BulkJob {
  name: string;
  data: Record<string, unknown>;
  opts: JobsOptions;
}

const RETRY: Pick<JobsOptions, 'attempts' | 'backoff' | 'removeOnComplete' | 'removeOnFail'> = {
  // 5xx and network errors are already retried inside the HubSpot client; these attempts cover longer outages.
  attempts: 8,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  // Failed jobs stay visible (dashboard, metrics) for two weeks.
  removeOnFail: { age: 14 * 24 * 3_600 },
};

/**
 * One recompute per deal or company, however many events ask for it: while a job for the same record waits
 * (the debounce delay), further requests collapse into it; while it runs, the last request is kept and runs
 * right after, so a change that lands mid-recompute is never lost and two recomputes of one record never run
 * at once (BullMQ deduplication `keepLastIfActive`).
 */
export function recomputeJob(kind: RecomputeKind, id: string, reason: string, debounceMs: number): BulkJob {
  return {
    name: JOB_OF_KIND[kind],
    data: { [ID_OF_KIND[kind]]: id, reason },
    opts: {
      ...RETRY,
      delay: debounceMs,
      deduplication: { id: `${kind}:${id}`, keepLastIfActive: true },
    },
  };
}

export async function enqueueRecomputes(queue: Queue, targets: { kind: RecomputeKind; id: string }[], reason: string, debounceMs: number): Promise<void> {
  const seen = new Set<string>();
  const jobs: BulkJob[] = [];
  for (const t of targets) {
    const key = `${t.kind}:${t.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    jobs.push(recomputeJob(t.kind, t.id, reason, debounceMs));
  }
  if (jobs.length > 0) await queue.addBulk(jobs);
}

/**
 * Partner recomputes that deals ask for (PARTNER_FOLLOW_UP) run on a common beat, every `followUpBeatMs` of the
 * clock: asked for early or late in a burst, they come due together and share their reads and writes; the worker
 * holds them back a beat at a time while deals are still being recomputed (workers/processors/sync.ts).
 */
export function followUpBeatMs(debounceMs: number): number {
  return Math.max(250, debounceMs);
}

/**
 * The first beat at least `beatMs` from now, give or take a quarter of it: a job held back at a beat a few ms late
 * goes to the next beat, with the partners first asked for since, not to the one after.
 */
export function nextBeat(now: number, beatMs: number): number {
  return Math.ceil((now + beatMs - beatMs / 4) / beatMs) * beatMs;
}

/** BullMQ job ids may not contain ':'; callbackIds are HubSpot's and could. */
export function workflowActionJobId(callbackId: string): string {
  return `workflow-action-${encodeURIComponent(callbackId)}`;
}

/**
 * One job per workflow action execution (the job id makes a second add a no-op). LIFO puts it before the
 * recomputes already waiting, so a burst of webhooks does not push the answer past the route's short wait.
 */
export async function enqueueWorkflowAction(queue: Queue, data: CompleteWorkflowActionData): Promise<void> {
  await queue.add(SYNC_JOBS.completeWorkflowAction, data, {
    jobId: workflowActionJobId(data.callbackId),
    lifo: true,
    // Longer than a recompute's retries: a blocked workflow waits for this job, so it outlasts a HubSpot outage.
    attempts: 12,
    backoff: { type: 'exponential', delay: 10_000 },
    removeOnComplete: { age: 86_400, count: 10_000 },
    removeOnFail: { age: 14 * 86_400 },
  });
}

export function retentionCheckJobId(dealId: string, dueAt: number): string {
  return `retention-check-${dealId}-${dueAt}`;
}

/**
 * The delayed retention check of a deal, run at its due date. Adding it again is a no-op (same job id); a deal
 * won again later gets a new due date and so its own job, and the old one finds the deal not due yet.
 */
export async function enqueueRetentionCheck(queue: Queue, data: RetentionCheckData, now: number): Promise<{ jobId: string; delayMs: number }> {
  const jobId = retentionCheckJobId(data.dealId, data.dueAt);
  const delayMs = Math.max(0, data.dueAt - now);
  await queue.add(MAINTENANCE_JOBS.retentionCheck, data, {
    jobId,
    delay: delayMs,
    attempts: 8,
    backoff: { type: 'exponential', delay: 60_000 },
    removeOnComplete: { age: 30 * 86_400 },
    removeOnFail: { age: 30 * 86_400 },
  });
  return { jobId, delayMs };
}
