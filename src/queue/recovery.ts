/**
 * Takes up at once the jobs of a worker process that died (SIGKILL, OOM, a crashed container), instead of
 * waiting for BullMQ's stalled-job check: that check needs the dead worker's lock to run out (30 s) and two of
 * its rounds (up to 30 s each), so the interrupted work resumed about a minute later.
 *
 * How a dead worker is told from a live one, without guessing from time:
 * - every worker process opens one extra Redis connection that does nothing but carry its name,
 *   `<prefix>:alive:<instance>`, and registers each of its BullMQ workers (`<prefix>:workers`, worker id →
 *   instance) BEFORE that worker takes its first job;
 * - a BullMQ lock holds the token `<worker id>:<n>`, so an active job names the worker that runs it;
 * - when a process dies, the kernel closes its sockets and Redis drops its connections at once: its name leaves
 *   CLIENT LIST while its jobs' locks are still valid.
 * A job is moved back to wait only when its lock names a registered worker whose process has no `alive`
 * connection, seen so on two looks at least `graceMs` apart (a connection that blips reconnects with its name
 * well within that), and only with the dead worker's own token (BullMQ's script refuses if the lock changed:
 * two processes recovering at once move it once). A live worker's job is never moved, however long it runs:
 * its lock is renewed as before and its connection is there. Workers this module does not know (another
 * version during a rolling deploy, a script) are left to BullMQ's stalled check, as is a machine that vanished
 * without closing its connections.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Job, type Queue, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export const livenessPrefix = (prefix: string): string => `${prefix}:alive:`;
export const workerRegistryKey = (prefix: string): string => `${prefix}:workers`;

export interface WorkerPresence {
  /** This process's instance id (in its `alive` connection's name). */
  instance: string;
  /** Registers a BullMQ worker (created with autorun: false) as this process's, then starts it. */
  run(worker: Worker): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens this process's `alive` connection (a duplicate of `redis`, named) and waits until Redis has it, so no
 * worker of this process runs a job before it can be seen alive.
 */
export async function announcePresence(redis: Redis, prefix: string): Promise<WorkerPresence> {
  const instance = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const alive = redis.duplicate({ connectionName: `${livenessPrefix(prefix)}${instance}`, maxRetriesPerRequest: null });
  alive.on('error', () => {});
  // Not ready until CLIENT SETNAME has been answered (ioredis sends it first on every connect).
  await alive.ping();
  return {
    instance,
    async run(worker) {
      await redis.hset(workerRegistryKey(prefix), worker.id, instance);
      worker.run().catch((err: unknown) => worker.emit('error', err as Error));
    },
    async close() {
      alive.disconnect();
    },
  };
}

/** Instances with an `alive` connection now. */
async function liveInstances(redis: Redis, prefix: string): Promise<Set<string>> {
  const list = (await redis.client('LIST')) as string;
  const head = livenessPrefix(prefix);
  const live = new Set<string>();
  for (const line of list.split('\n')) {
    const name = /\bname=(\S*)/.exec(line)?.[1];
    if (name?.startsWith(head)) live.add(name.slice(head.length));
  }
  return live;
}

export interface OrphanRecoveryOptions {
  redis: Redis;
  prefix: string;
  queues: Queue[];
  /** A job must be seen orphaned on two looks at least this far apart (default 2 s). */
  graceMs?: number;
  /** How often to look (default 1 s). */
  everyMs?: number;
  logger?: Logger;
  now?: () => number;
}

export interface OrphanRecovery {
  /** One look; answers the ids of the jobs moved back to wait. */
  look(): Promise<string[]>;
  /** Looks now and every `everyMs`. */
  start(): void;
  stop(): Promise<void>;
}

export function createOrphanRecovery(opts: OrphanRecoveryOptions): OrphanRecovery {
  const graceMs = opts.graceMs ?? 2_000;
  const everyMs = opts.everyMs ?? 1_000;
  const now = opts.now ?? Date.now;
  /** `queue|jobId|token` → when first seen orphaned. */
  const suspects = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  const look = async (): Promise<string[]> => {
    const registry = await opts.redis.hgetall(workerRegistryKey(opts.prefix));
    if (Object.keys(registry).length === 0) return [];
    const live = await liveInstances(opts.redis, opts.prefix);
    const t = now();
    const seen = new Set<string>();
    const moved: string[] = [];
    const owning = new Set<string>();

    for (const queue of opts.queues) {
      const ids = await opts.redis.lrange(queue.toKey('active'), 0, -1);
      if (ids.length === 0) continue;
      const tokens = await opts.redis.mget(...ids.map((id) => `${queue.toKey(id)}:lock`));
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        const token = tokens[i];
        // No lock: BullMQ's stalled check owns that case.
        if (!token) continue;
        const workerId = token.slice(0, token.lastIndexOf(':'));
        owning.add(workerId);
        const instance = registry[workerId];
        if (instance === undefined || live.has(instance)) continue;
        const key = `${queue.name}|${id}|${token}`;
        seen.add(key);
        const since = suspects.get(key);
        if (since === undefined) {
          suspects.set(key, t);
          continue;
        }
        if (t - since < graceMs) continue;
        const job = await Job.fromId(queue, id);
        try {
          await job?.moveToWait(token);
          moved.push(id);
          opts.logger?.warn({ queue: queue.name, jobId: id, job: job?.name, deadInstance: instance }, 'took up a job of a worker process that died');
        } catch {
          // The lock changed meanwhile (finished, or moved by another process): nothing to do.
        }
        suspects.delete(key);
      }
    }
    for (const key of suspects.keys()) if (!seen.has(key)) suspects.delete(key);
    // Forget dead workers that hold no job any more.
    const gone = Object.entries(registry)
      .filter(([workerId, instance]) => !live.has(instance) && !owning.has(workerId))
      .map(([workerId]) => workerId);
    if (gone.length > 0) await opts.redis.hdel(workerRegistryKey(opts.prefix), ...gone);
    return moved;
  };

  const tick = () => {
    running ??= look()
      .catch((err: unknown) => opts.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'orphaned-job look failed'))
      .finally(() => {
        running = null;
      });
  };

  return {
    look,
    start() {
      if (timer) return;
      tick();
      timer = setInterval(tick, everyMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
