/**
 * Who answers a workflow action execution (docs/program.md#payouts): one Redis hash per callbackId whose every
 * transition is a Lua script, so "the HTTP request stopped waiting" and "the job finished" cannot both win, and
 * HubSpot gets exactly one answer per execution: the job's outcome in the waiting HTTP response, or `BLOCK` there
 * and the outcome through the callback. HubSpot retries an action for days: a repeat of the same callbackId reads
 * the entry and never starts the work again.
 *
 * The store keeps whatever outcome its caller decides (`O`, checked by the caller's schema on the way back out);
 * it knows nothing of HubSpot or of payouts.
 */
import type { Redis } from 'ioredis';
import type { z } from 'zod';

/**
 * States of a callbackId:
 * - `waiting`  (token): the request holding `token` waits for the job's outcome;
 * - `blocked`: whoever answers HTTP answers BLOCK; the job must complete through the callback;
 * - `callback` (outcome): the job decided the outcome and owes the callback (kept so a retry sends the same);
 * - `done` (outcome, via `sync` | `callback`): HubSpot has (or is being given) its answer.
 */
export type LedgerEntry<O> =
  | { state: 'absent' }
  | { state: 'waiting'; token: string }
  | { state: 'blocked' }
  | { state: 'callback'; outcome: O }
  | { state: 'done'; outcome: O; via: 'sync' | 'callback'; token: string | null };

/** HubSpot retries an action for about three days, and a BLOCKed execution waits about a week. */
export const LEDGER_TTL_MS = 8 * 86_400_000;

const CLAIM = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  redis.call('HSET', KEYS[1], 'state', 'waiting', 'token', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 'claimed'
end
if state == 'waiting' then
  redis.call('HSET', KEYS[1], 'state', 'blocked')
  redis.call('HDEL', KEYS[1], 'token')
end
return 'repeat'
`;

const RELEASE = `
if redis.call('HGET', KEYS[1], 'state') == 'waiting' and redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;

const GIVE_UP = `
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'waiting' and redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'state', 'blocked')
  redis.call('HDEL', KEYS[1], 'token')
end
return 1
`;

const FINISH = `
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'waiting' then
  redis.call('HSET', KEYS[1], 'state', 'done', 'via', 'sync', 'outcome', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 'sync'
end
if state == 'done' then return 'done' end
if state ~= 'callback' then
  redis.call('HSET', KEYS[1], 'state', 'callback', 'outcome', ARGV[1])
  redis.call('HDEL', KEYS[1], 'token')
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 'callback'
`;

const MARK_CALLED_BACK = `
if redis.call('HGET', KEYS[1], 'state') == 'callback' then
  redis.call('HSET', KEYS[1], 'state', 'done', 'via', 'callback')
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return 1
`;

export interface WorkflowActionLedger<O> {
  /** A new callbackId becomes `waiting` for `token` ('claimed'); a known one is a 'repeat' (a waiting one is blocked). */
  claim(callbackId: string, token: string): Promise<'claimed' | 'repeat'>;
  /** Undo a claim whose job could not be enqueued, so HubSpot's retry starts afresh. */
  release(callbackId: string, token: string): Promise<void>;
  /** The waiting request stops waiting: from now on the answer goes through the callback. */
  giveUp(callbackId: string, token: string): Promise<void>;
  /** The job's outcome: handed to the waiting request ('sync'), or owed as a callback ('callback'), or already answered ('done'). */
  finish(callbackId: string, outcome: O): Promise<'sync' | 'callback' | 'done'>;
  markCalledBack(callbackId: string): Promise<void>;
  read(callbackId: string): Promise<LedgerEntry<O>>;
}

export function workflowActionKey(prefix: string, callbackId: string): string {
  return `${prefix}:workflow-action:${callbackId}`;
}

/** `outcome` checks an outcome read back: one that does not parse reads as blocked (the callback still comes). */
export function createWorkflowActionLedger<O>(redis: Redis, prefix: string, outcome: z.ZodType<O>, ttlMs = LEDGER_TTL_MS): WorkflowActionLedger<O> {
  const key = (callbackId: string) => workflowActionKey(prefix, callbackId);
  return {
    async claim(callbackId, token) {
      return (await redis.eval(CLAIM, 1, key(callbackId), token, ttlMs)) === 'claimed' ? 'claimed' : 'repeat';
    },
    async release(callbackId, token) {
      await redis.eval(RELEASE, 1, key(callbackId), token);
    },
    async giveUp(callbackId, token) {
      await redis.eval(GIVE_UP, 1, key(callbackId), token);
    },
    async finish(callbackId, decided) {
      const via = await redis.eval(FINISH, 1, key(callbackId), JSON.stringify(decided), ttlMs);
      return via === 'sync' || via === 'done' ? via : 'callback';
    },
    async markCalledBack(callbackId) {
      await redis.eval(MARK_CALLED_BACK, 1, key(callbackId), ttlMs);
    },
    async read(callbackId) {
      return toEntry(await redis.hgetall(key(callbackId)), outcome);
    },
  };
}

/** Redis is a trust boundary too: an entry that does not parse is treated as blocked (the callback still comes). */
function toEntry<O>(hash: Record<string, string>, schema: z.ZodType<O>): LedgerEntry<O> {
  const outcome = (): O | null => {
    try {
      const parsed = schema.safeParse(JSON.parse(hash.outcome ?? ''));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };
  switch (hash.state) {
    case undefined:
      return { state: 'absent' };
    case 'waiting':
      return hash.token ? { state: 'waiting', token: hash.token } : { state: 'blocked' };
    case 'callback': {
      const o = outcome();
      return o !== null ? { state: 'callback', outcome: o } : { state: 'blocked' };
    }
    case 'done': {
      const o = outcome();
      if (o === null) return { state: 'blocked' };
      return { state: 'done', outcome: o, via: hash.via === 'callback' ? 'callback' : 'sync', token: hash.token ?? null };
    }
    default:
      return { state: 'blocked' };
  }
}
