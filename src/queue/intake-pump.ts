/**
 * The intake pump: turns the webhook deliveries stored in the intake stream (intake.ts) into recompute jobs.
 *
 * Every process that receives webhooks runs one, in a Redis consumer group, so each entry is taken by one pump:
 * - after each stored delivery the pump of the receiving process is told (`kick`); once deliveries pause
 *   (`gatherMs`, at most `maxGatherMs`) it reads every new entry (a burst's deliveries become one deduplicated set
 *   of records, made into jobs in the gaps between acknowledgements);
 * - it enqueues their recomputes (BullMQ addBulk, deduplicated per record, as before) and only then
 *   acknowledges and deletes the entries: a process that dies in between leaves them pending;
 * - every `sweepMs` it also takes over entries pending for longer than `claimAfterMs` with any consumer (a dead
 *   process, or its own failed attempt) and reads new entries no pump was told about (a receiver that died right
 *   after answering). An entry taken twice enqueues the same deduplicated recomputes twice: a recompute is
 *   idempotent, so that costs at most one more run, never a lost or a doubled change.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { enqueueRecomputes, type RecomputeKind } from './queues.js';

export const INTAKE_GROUP = 'intake-pump';
const JOBS_PER_SLICE = 100;

/** The stream a delivery's work waits in until a pump makes it jobs. */
export const intakeStreamKey = (prefix: string): string => `${prefix}:intake`;

export interface RecomputeTarget {
  kind: RecomputeKind;
  id: string;
}

/** A stream entry's `targets` field: `deal:123 company:9`. */
export function encodeTargets(targets: readonly RecomputeTarget[]): string {
  return targets.map((t) => `${t.kind}:${t.id}`).join(' ');
}

const TARGET_KINDS: ReadonlySet<string> = new Set<RecomputeKind>(['deal', 'company', 'activity', 'payout', 'contact']);

export function decodeTargets(value: string): RecomputeTarget[] {
  const out: RecomputeTarget[] = [];
  for (const part of value.split(' ')) {
    const [kind, id] = part.split(':');
    if (kind !== undefined && TARGET_KINDS.has(kind) && id && /^\d+$/.test(id)) out.push({ kind: kind as RecomputeKind, id });
  }
  return out;
}

export interface IntakePumpOptions {
  redis: Redis;
  queue: Queue;
  prefix: string;
  debounceMs: number;
  logger?: Logger;
  /** How often pending and unannounced entries are looked for (default 1 s). */
  sweepMs?: number;
  /** An entry taken this long ago and still pending is taken over (default 5 s; taking one takes milliseconds). */
  claimAfterMs?: number;
  /** Entries read per round (default 200). */
  count?: number;
  /**
   * After a kick, the pump waits until no delivery has come for `gatherMs` (default 100 ms), at most
   * `maxGatherMs` (default 1 s): under a burst it turns many deliveries into one deduplicated set of jobs, in the
   * gaps between acknowledgements instead of in their way. The jobs wait the debounce anyway.
   */
  gatherMs?: number;
  maxGatherMs?: number;
}

export interface IntakePump {
  /** A delivery was stored: pump now. */
  kick(): void;
  /** Resolves once every entry this pump knew of has become jobs (tests and benchmarks wait on it). */
  settled(): Promise<void>;
  /** Starts the periodic sweep. */
  start(): void;
  /** Stops the sweep and waits for a running round. */
  stop(): Promise<void>;
}

type StreamEntry = [id: string, fields: string[]];

function fieldsOf(fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i]!] = fields[i + 1]!;
  return out;
}

export function createIntakePump(opts: IntakePumpOptions): IntakePump {
  const stream = intakeStreamKey(opts.prefix);
  const consumer = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const sweepMs = opts.sweepMs ?? 1_000;
  const claimAfterMs = opts.claimAfterMs ?? 5_000;
  const count = opts.count ?? 200;
  const gatherMs = opts.gatherMs ?? 100;
  const maxGatherMs = opts.maxGatherMs ?? 1_000;
  let gathering: NodeJS.Timeout | null = null;
  let gatherStarted = 0;
  let groupReady: Promise<void> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let sweepAlso = false;
  let timer: NodeJS.Timeout | null = null;

  const ensureGroup = () => {
    groupReady ??= opts.redis.xgroup('CREATE', stream, INTAKE_GROUP, '0', 'MKSTREAM').then(
      () => undefined,
      (err: Error) => {
        if (!String(err.message).includes('BUSYGROUP')) {
          groupReady = null;
          throw err;
        }
      },
    );
    return groupReady;
  };

  /** Enqueue the entries' recomputes, then acknowledge and delete them. */
  const enqueueEntries = async (entries: StreamEntry[]) => {
    if (entries.length === 0) return;
    // One job per record per round, however many entries name it: a burst's 50 deliveries of 100 events over
    // 1,000 deals are 1,000 job adds, not 5,000 (each add is a BullMQ script in Redis and a job built here).
    const byReason = new Map<string, Map<string, RecomputeTarget>>();
    for (const [, fields] of entries) {
      const f = fieldsOf(fields);
      const reason = f['reason'] ?? 'webhook';
      let records = byReason.get(reason);
      if (!records) byReason.set(reason, (records = new Map()));
      for (const t of decodeTargets(f['targets'] ?? '')) records.set(`${t.kind}:${t.id}`, t);
    }
    for (const [reason, records] of byReason) {
      const targets = [...records.values()];
      // In slices, yielding between them: building a thousand jobs at once would hold up the receiver.
      for (let i = 0; i < targets.length; i += JOBS_PER_SLICE) {
        await enqueueRecomputes(opts.queue, targets.slice(i, i + JOBS_PER_SLICE), reason, opts.debounceMs);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const ids = entries.map(([id]) => id);
    await opts.redis
      .multi()
      .xack(stream, INTAKE_GROUP, ...ids)
      .xdel(stream, ...ids)
      .exec();
  };

  const readNew = async (): Promise<StreamEntry[]> => {
    const reply = (await opts.redis.xreadgroup('GROUP', INTAKE_GROUP, consumer, 'COUNT', count, 'STREAMS', stream, '>')) as [string, StreamEntry[]][] | null;
    return reply?.[0]?.[1] ?? [];
  };

  const claimAbandoned = async (): Promise<StreamEntry[]> => {
    const reply = (await opts.redis.xautoclaim(stream, INTAKE_GROUP, consumer, claimAfterMs, '0-0', 'COUNT', count)) as [
      string,
      (StreamEntry | null)[],
      string[]?,
    ];
    // Entries deleted meanwhile come back as null (Redis 6.2) or are listed apart (Redis 7).
    return (reply[1] ?? []).filter((e): e is StreamEntry => Array.isArray(e) && Array.isArray(e[1]));
  };

  const round = async () => {
    await ensureGroup();
    do {
      again = false;
      if (sweepAlso) {
        sweepAlso = false;
        for (let claimed = await claimAbandoned(); claimed.length > 0; claimed = claimed.length === count ? await claimAbandoned() : []) {
          await enqueueEntries(claimed);
        }
      }
      for (let fresh = await readNew(); fresh.length > 0; fresh = await readNew()) await enqueueEntries(fresh);
    } while (again);
  };

  const pump = (sweep: boolean) => {
    if (sweep) sweepAlso = true;
    if (running) {
      again = true;
      return;
    }
    running = round()
      .catch((err: unknown) => {
        // The stream or its group was removed under us: create it again next time.
        if (err instanceof Error && err.message.includes('NOGROUP')) groupReady = null;
        // The entries stay in the stream (pending or new): the next sweep takes them again.
        opts.logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'intake pump: could not enqueue stored deliveries yet');
      })
      .finally(() => {
        running = null;
      });
  };

  const gatherNow = () => {
    if (gathering) clearTimeout(gathering);
    gathering = null;
    pump(false);
  };

  return {
    kick() {
      const t = Date.now();
      if (!gathering) gatherStarted = t;
      else clearTimeout(gathering);
      gathering = setTimeout(gatherNow, Math.max(0, Math.min(gatherMs, gatherStarted + maxGatherMs - t)));
    },
    async settled() {
      if (gathering) gatherNow();
      while (running) await running;
    },
    start() {
      if (timer) return;
      pump(true);
      // While deliveries are being gathered the sweep leaves the new entries to the gather (it runs within
      // maxGatherMs and does the sweep's claims then): a sweep reading them mid-burst built their jobs in the
      // middle of the acknowledgements it is meant to stay out of (`npm run bench:ack`).
      timer = setInterval(() => {
        if (gathering) sweepAlso = true;
        else pump(true);
      }, sweepMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      if (gathering) gatherNow();
      while (running) await running;
    },
  };
}
