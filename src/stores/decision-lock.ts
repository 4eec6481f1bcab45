/**
 * One registration decision per deal at a time. Two partner managers clicking at once would otherwise both
 * read `pending`, both pass the version check and both write (and both add a note). The second one is told to
 * refresh instead; it never waits, since a card request has 15 seconds at most.
 * The lock lives in Redis so it holds across receiver processes; it expires on its own if a process dies.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ConflictError } from '../errors.js';

export interface DecisionLock {
  /** Runs `fn` holding every deal's lock; ConflictError (409) when one is held by another decision. */
  run<T>(dealIds: readonly string[], fn: () => Promise<T>): Promise<T>;
}

/** HubSpot gives a card request 15 s; a lock outliving that by far only ever blocks a crashed decision. */
const DEFAULT_TTL_MS = 30_000;

// Delete only a lock this decision holds: an expired lock may already belong to the next decision.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** `scope` names what is locked: deals (registration decisions) or activities (activity decisions and syncs). */
export function createRedisDecisionLock(redis: Redis, prefix: string, ttlMs = DEFAULT_TTL_MS, scope: 'deal' | 'activity' | 'bonus' = 'deal'): DecisionLock {
  const keyOf = (dealId: string) => `${prefix}:card:decision-lock:${scope}:${dealId}`;
  return {
    async run(dealIds, fn) {
      const token = randomUUID();
      const held: string[] = [];
      const release = () => Promise.all(held.map((k) => redis.eval(RELEASE, 1, k, token))).catch(() => undefined);
      try {
        for (const id of [...new Set(dealIds)].sort()) {
          const ok = await redis.set(keyOf(id), token, 'PX', ttlMs, 'NX');
          if (ok !== 'OK') {
            throw new ConflictError(
              scope === 'deal'
                ? `Another registration decision on deal ${id} is being saved right now. Refresh the card in a moment to see it.`
                : `Another change to ${scope} ${id} is being saved right now. Refresh in a moment to see it.`,
            );
          }
          held.push(keyOf(id));
        }
        return await fn();
      } finally {
        await release();
      }
    },
  };
}

/** For callers that serialise decisions themselves (and for tests of the decision logic alone). */
export const NO_DECISION_LOCK: DecisionLock = { run: (_ids, fn) => fn() };
