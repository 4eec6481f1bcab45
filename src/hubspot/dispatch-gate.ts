/**
 * Makes coalesced HubSpot batches full. Recompute jobs start one after another (a worker takes its jobs from Redis
 * one at a time) and move through their reads in waves, so a burst's requests arrive as a stream: a fixed window
 * cut that stream into batches about half full, and re-read the same partners once per wave. Here a loader's open
 * batch is sent when
 *  - it is full (the batch limit, counted in distinct inputs), or
 *  - nobody joined it for `quietMs` and either nothing of this process has talked to HubSpot for `idleMs` (a
 *    lone card read is not held back) or it has been open `maxWaitMs` (under a burst, small batches wait for the next
 *    waves of jobs to join them: the same 50 partners are read once, not once per wave);
 * and only while fewer than `maxInFlight` batch calls are outstanding: while the shared rate limiter holds calls
 * back, requests keep joining the waiting batches instead of forming many small ones.
 *
 * Batches are of two kinds. `lead` batches (the CRM reads a recompute starts with) hold jobs back, many at once when
 * a partner's first count waits on them: they go first when batches wait for room, and wait at most
 * `leadMaxWaitMs`. `tail` batches (writes, and the payout reads only their own deal waits on) end their jobs: they
 * wait up to `maxWaitMs`, and while a lead batch is open they do not count the gate idle, so the jobs that lead
 * batch holds back join them instead of following in another wave (`npm run bench:sync` counts the calls).
 *
 * DataLoader does the batching; `coalescingLoader` gives it this schedule and counts what joins each batch.
 */
import DataLoader from 'dataloader';

export interface DispatchGate {
  /** A batch schedule for one loader (see `coalescingLoader`). */
  scheduler(maxBatchSize: number, kind: BatchKind): BatchScheduler;
  /** Wrap a batch call so the gate counts it while it is outstanding. */
  run<T>(call: () => Promise<T>): Promise<T>;
}

/** See the module comment: `lead` batches hold jobs back, `tail` batches end them. */
export type BatchKind = 'lead' | 'tail';

export interface BatchScheduler {
  /** For DataLoader's `batchScheduleFn`: called when a new batch opens, with the function that sends it. */
  schedule(dispatch: () => void): void;
  /** A new input joined the open batch (call after each `load` that added one). */
  added(): void;
}

export interface DispatchGateOptions {
  /** Batch calls of this process outstanding at once (default 4). */
  maxInFlight?: number;
  /** A batch nobody joined for this long may be sent (default 20 ms). */
  quietMs?: number;
  /** While other calls are outstanding, a tail batch that is not full waits at most this long (default 2,000 ms). */
  maxWaitMs?: number;
  /** The same for a lead batch (default 500 ms, at most `maxWaitMs`). */
  leadMaxWaitMs?: number;
  /**
   * "Nothing else outstanding" counts only after no batch call has been outstanding for this long (default 100 ms):
   * under a burst, jobs compute between calls, and those short gaps must not send small batches.
   */
  idleMs?: number;
  now?: () => number;
}

interface OpenBatch {
  lead: boolean;
  size: number;
  maxSize: number;
  openedAt: number;
  lastAt: number;
  dispatch: () => void;
  queued: boolean;
  timer?: NodeJS.Timeout;
}

export function createDispatchGate(opts: DispatchGateOptions = {}): DispatchGate {
  const maxInFlight = opts.maxInFlight ?? 4;
  const quietMs = opts.quietMs ?? 20;
  const maxWaitMs = opts.maxWaitMs ?? 2000;
  const leadMaxWaitMs = Math.min(maxWaitMs, opts.leadMaxWaitMs ?? 500);
  const idleMs = opts.idleMs ?? 100;
  const now = opts.now ?? Date.now;
  let inFlight = 0;
  /** When a batch call last ended (or started): "nothing else outstanding" must have held for `idleMs`. */
  let lastBusyAt = Number.NEGATIVE_INFINITY;
  /** Opened and not yet ready to go. */
  const open = new Set<OpenBatch>();
  /**
   * Ready, waiting for room: lead batches first, then the oldest (the jobs a read holds back write next, so a tail
   * does not wait long behind reads).
   */
  const ready: OpenBatch[] = [];
  let pumping = false;

  const pump = () => {
    pumping = false;
    const t = now();
    // Decided for all open batches against the same state: two loaders of one job that fall quiet together go
    // together.
    const idle = inFlight === 0 && ready.length === 0 && t - lastBusyAt >= idleMs;
    // A tail batch does not count the gate idle while a lead batch is about to go: the jobs waiting on that one
    // come next, and join this batch instead of following in a second one.
    const leadsOpen = [...open].some((b) => b.lead);
    for (const b of open) {
      const quiet = t - b.lastAt >= quietMs;
      const wait = b.lead ? leadMaxWaitMs : maxWaitMs;
      const idleForB = idle && (b.lead || !leadsOpen);
      if (b.size >= b.maxSize || (quiet && (idleForB || t - b.openedAt >= wait))) {
        open.delete(b);
        clearTimeout(b.timer);
        b.queued = true;
        ready.push(b);
      } else {
        clearTimeout(b.timer);
        const idleAt = inFlight > 0 ? Number.POSITIVE_INFINITY : !b.lead && leadsOpen ? t + quietMs : lastBusyAt + idleMs;
        const wake = quiet ? Math.min(b.openedAt + wait, idleAt) - t : b.lastAt + quietMs - t;
        b.timer = setTimeout(pump, Math.max(1, wake));
      }
    }
    while (inFlight < maxInFlight && ready.length > 0) {
      inFlight++;
      lastBusyAt = t;
      const firstLead = ready.findIndex((b) => b.lead);
      ready.splice(firstLead === -1 ? 0 : firstLead, 1)[0]!.dispatch();
    }
  };
  // Never from inside a caller's `load`: DataLoader adds the key after scheduling, and the call must carry it.
  const pumpSoon = () => {
    if (pumping) return;
    pumping = true;
    queueMicrotask(pump);
  };

  return {
    scheduler(maxBatchSize, kind) {
      let current: OpenBatch | null = null;
      return {
        schedule(dispatch) {
          const t = now();
          const batch: OpenBatch = { lead: kind === 'lead', size: 0, maxSize: maxBatchSize, openedAt: t, lastAt: t, dispatch, queued: false };
          current = batch;
          open.add(batch);
          batch.timer = setTimeout(pump, quietMs);
        },
        added() {
          if (!current || current.queued) return;
          current.size++;
          current.lastAt = now();
          if (current.size >= current.maxSize) pumpSoon();
        },
      };
    },
    async run(call) {
      try {
        return await call();
      } finally {
        inFlight--;
        lastBusyAt = now();
        pumpSoon();
      }
    },
  };
}

export interface CoalescingLoader<K, V> {
  load(key: K): Promise<V>;
  /** Every key's value, or the first error. */
  loadMany(keys: readonly K[]): Promise<V[]>;
}

export interface CoalescingLoaderOptions<K, C> {
  maxBatchSize: number;
  cacheKeyFn?: (key: K) => C;
  /**
   * Reads: a key asked for again while its batch is still open shares that batch's answer (fresh: the call has
   * not been made yet), so a batch holds up to `maxBatchSize` distinct inputs. Once the batch is sent the key is
   * forgotten: a later request reads again. Writes must not set this (two updates of one record both count).
   */
  shareWhileOpen?: boolean;
  /** How the gate schedules the loader's batches (default: `lead` for shared reads, else `tail`). */
  kind?: BatchKind;
}

/**
 * A DataLoader that caches nothing across batches (every job reads fresh data) and whose batches are sent by the
 * gate's schedule. The batch function runs inside `gate.run`, so the gate counts it.
 */
export function coalescingLoader<K, V, C = K>(
  gate: DispatchGate,
  batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>,
  opts: CoalescingLoaderOptions<K, C>,
): CoalescingLoader<K, V> {
  const scheduler = gate.scheduler(opts.maxBatchSize, opts.kind ?? (opts.shareWhileOpen === true ? 'lead' : 'tail'));
  const keyOf = opts.cacheKeyFn ?? ((k: K) => k as unknown as C);
  const openKeys = new Map<C, Promise<V>>();
  const loader = new DataLoader<K, V, C>(
    (keys) => {
      if (opts.shareWhileOpen) for (const k of keys) openKeys.delete(keyOf(k));
      return gate.run(() => batch(keys));
    },
    {
      cache: opts.shareWhileOpen === true,
      cacheMap: openKeys,
      maxBatchSize: opts.maxBatchSize,
      batchScheduleFn: scheduler.schedule,
      ...(opts.cacheKeyFn ? { cacheKeyFn: opts.cacheKeyFn } : {}),
    },
  );
  const load = (key: K) => {
    const joined = opts.shareWhileOpen === true && openKeys.has(keyOf(key));
    const value = loader.load(key);
    if (!joined) scheduler.added();
    return value;
  };
  return { load, loadMany: (keys) => Promise.all(keys.map(load)) };
}
