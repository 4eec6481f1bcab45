/**
 * A short cache of card reads (docs/SECURITY.md, "How much they may ask"): a deal or company card opened by many
 * users within a few seconds is built once, so card traffic does not spend the HubSpot budget webhook processing
 * needs. Kept in Redis, so every server process shares it and an invalidation reaches all of them.
 *
 * Invalidation by version, not by deletion: each entry's key carries the record's version (and its kind's), and
 * an action bumps the version. A build that started before the action then writes under the old version, which
 * no later read asks for, so a stale view can never come back after the action.
 */
import type { Redis } from 'ioredis';

export interface CardCache {
  /** The view cached for `kind:id`, or `build()`'s, kept for the TTL (one build per entry and process at a time). */
  get<T>(kind: string, id: string, build: () => Promise<T>): Promise<T>;
  /** The next read of this record builds afresh (an action changed it). */
  invalidate(kind: string, id: string): Promise<void>;
  /** The next read of every record of this kind builds afresh (an action whose record is not known here). */
  invalidateKind(kind: string): Promise<void>;
}

/** KEYS: the kind's version, the record's version. ARGV[1]: the entry key's stem. Answers { entry key, value | false }. */
const READ_SCRIPT = `
local k = ARGV[1] .. '@' .. (redis.call('GET', KEYS[1]) or '0') .. '.' .. (redis.call('GET', KEYS[2]) or '0')
return { k, redis.call('GET', k) or false }
`;

/** Versions outlive any entry by far; a day keeps them from piling up for records nobody opens again. */
const VERSION_TTL_MS = 86_400_000;

type ReadCommand = (numKeys: number, ...args: string[]) => Promise<[string, string | null]>;

export function createCardCache(opts: { redis: Redis; prefix: string; ttlMs: number }): CardCache {
  const base = `${opts.prefix}:card-cache`;
  const kindVersion = (kind: string) => `${base}:v:${kind}`;
  const recordVersion = (kind: string, id: string) => `${base}:v:${kind}:${id}`;
  const r = opts.redis as Redis & { ppCardCacheRead?: ReadCommand };
  if (!r.ppCardCacheRead) opts.redis.defineCommand('ppCardCacheRead', { lua: READ_SCRIPT });
  const building = new Map<string, Promise<unknown>>();

  return {
    async get<T>(kind: string, id: string, build: () => Promise<T>): Promise<T> {
      if (opts.ttlMs <= 0) return build();
      let key: string;
      try {
        let cached: string | null;
        [key, cached] = await r.ppCardCacheRead!(2, kindVersion(kind), recordVersion(kind, id), `${base}:${kind}:${id}`);
        if (cached) return JSON.parse(cached) as T;
      } catch {
        // Without Redis the card is still shown, built afresh (the per-user budget has refused it already if Redis is down).
        return build();
      }
      let pending = building.get(key) as Promise<T> | undefined;
      if (!pending) {
        pending = build().then(async (value) => {
          await opts.redis.set(key, JSON.stringify(value), 'PX', opts.ttlMs).catch(() => undefined);
          return value;
        });
        building.set(key, pending);
        void pending.finally(() => building.delete(key)).catch(() => undefined);
      }
      return pending;
    },
    async invalidate(kind, id) {
      await opts.redis.multi().incr(recordVersion(kind, id)).pexpire(recordVersion(kind, id), VERSION_TTL_MS).exec();
    },
    async invalidateKind(kind) {
      await opts.redis.multi().incr(kindVersion(kind)).pexpire(kindVersion(kind), VERSION_TTL_MS).exec();
    },
  };
}
