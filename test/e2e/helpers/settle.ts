/**
 * Waiting for an end-to-end run to come to rest, by looking at the work itself (webhooks in flight, jobs on the
 * queues), never by sleeping a fixed time: on a loaded CI machine any fixed sleep is either too short or slow.
 */
import { createServer } from 'node:net';
import type { Queue } from 'bullmq';
import { waitUntilIdle } from '../../../src/queue/idle.js';

export interface Quiet {
  /** Resolves when every webhook the portal has queued is delivered (or given up on). */
  flushWebhooks?: () => Promise<void>;
  /** Queues whose waiting, delayed, active and prioritized jobs must all be gone. */
  drained: Queue[];
  /** Queues with repeatable schedules (always a delayed job): only waiting, active and prioritized count. */
  drainedExceptDelayed?: Queue[];
  /** Default 45 s: well inside the test's own timeout, so a stuck run fails with this message, not a timeout. */
  deadlineMs?: number;
}

/**
 * Idle means: no webhook pending and no job anywhere, three looks in a row (src/queue/idle.ts).
 */
export function waitUntilQuiet(q: Quiet): Promise<void> {
  return waitUntilIdle({
    queues: q.drained,
    queuesExceptDelayed: q.drainedExceptDelayed ?? [],
    ...(q.flushWebhooks ? { beforeEachLook: q.flushWebhooks } : {}),
    timeoutMs: q.deadlineMs ?? 45_000,
  });
}

/** A port nobody listens on right now, so the receiver's URL is known before it starts (PUBLIC_BASE_URL). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
