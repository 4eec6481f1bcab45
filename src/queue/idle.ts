/**
 * "The work has come to rest": no webhook delivery waiting in the intake stream and no job waiting, delayed,
 * active or prioritized on the given queues, three looks in a row (a finishing job can enqueue another: a partner's recompute fans out to its deals). Used by the sandbox
 * scenarios, the benchmark and the tests to wait on the work itself rather than sleep a fixed time.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { intakeStreamKey } from './intake-pump.js';

export interface IdleOptions {
  /** Queues whose waiting, delayed, active and prioritized jobs must all be gone. */
  queues: Queue[];
  /** Queues with repeatable schedules (always a delayed job): only waiting, active and prioritized count. */
  queuesExceptDelayed?: Queue[];
  /** Run before each look, e.g. flushing the sandbox's pending webhooks into the receiver. */
  beforeEachLook?: () => Promise<void>;
  timeoutMs?: number;
  pollMs?: number;
}

async function busyJobs(queues: Queue[], states: ('waiting' | 'delayed' | 'active' | 'prioritized')[]): Promise<number> {
  let n = 0;
  for (const q of queues) for (const count of Object.values(await q.getJobCounts(...states))) n += count;
  return n;
}

/** Webhook deliveries stored in a queue's intake stream and not yet turned into jobs are work too (the queue's client is
 * the ioredis connection it was given). */
async function storedDeliveries(queues: Queue[]): Promise<number> {
  let n = 0;
  for (const q of queues) n += await ((await q.client) as unknown as Redis).xlen(intakeStreamKey(q.opts.prefix ?? 'bull'));
  return n;
}

export async function waitUntilIdle(opts: IdleOptions): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 45_000;
  const deadline = Date.now() + timeoutMs;
  for (let quiet = 0; quiet < 3;) {
    if (Date.now() > deadline) throw new Error(`the queues were still busy after ${timeoutMs} ms`);
    await opts.beforeEachLook?.();
    const busy =
      (await storedDeliveries(opts.queues)) +
      (await busyJobs(opts.queues, ['waiting', 'delayed', 'active', 'prioritized'])) +
      (await busyJobs(opts.queuesExceptDelayed ?? [], ['waiting', 'active', 'prioritized']));
    quiet = busy === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 100));
  }
}
