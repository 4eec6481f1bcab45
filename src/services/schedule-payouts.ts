/**
 * The "Schedule partner payouts" workflow action (docs/program.md#payouts): the second trigger of the closed-won
 * freeze, beside the deal-stage webhook, with one result. The work is the same recompute the webhook runs
 * (`recomputeDeal`), so both triggers upsert the same `pp_payout_key`s and a deal gets one set of payouts.
 *
 * The HTTP route enqueues a `complete-workflow-action` job and waits a little for it. HubSpot gets exactly one
 * answer per execution: the job's outputs in the HTTP response when it finished in time, else `BLOCK` and a
 * completion through the callbacks API from the worker. Who answers is settled by one Redis hash per callbackId
 * (the ledger below) whose every transition is a Lua script, so "the route stopped waiting" and "the job
 * finished" cannot both win. HubSpot retries an action for days: a repeat of the same callbackId reads the
 * ledger and never starts the work again.
 * https://developers.hubspot.com/docs/api-reference/automation-actions-v4-v4/guide
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { toMajorString } from '../engine/money.js';
import type { PayoutRecord } from '../engine/types.js';
import { AppError } from '../errors.js';
import { completeWorkflowCallback } from '../hubspot/callbacks.js';
import type { HubSpot } from '../hubspot/client.js';
import { parseInstant } from '../hubspot/mappers.js';
import { SYNC_JOBS } from '../queue/job-data.js';
import type { PayoutStore } from '../hubspot/payout-store.js';
import { recomputeDeal } from './recompute-deal.js';
import { scheduleRetentionCheck } from './retention-bonus.js';
import type { SyncContext } from './sync-context.js';

/** What the action reports back to the workflow. */
export type WorkflowActionOutcome =
  { state: 'SUCCESS'; payoutsCount: number; payoutsTotal: string; onHoldCount: number } | { state: 'FAIL_CONTINUE'; reason: string };

const outcomeSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('SUCCESS'),
    payoutsCount: z.number().int().nonnegative(),
    payoutsTotal: z.string(),
    onHoldCount: z.number().int().nonnegative(),
  }),
  z.object({ state: z.literal('FAIL_CONTINUE'), reason: z.string() }),
]);

/**
 * Freeze (or follow) the deal's payouts exactly as the webhook path does, then summarise the deal's records:
 * `payouts_count` and `on_hold_count` count its records that are not reversed (adjustments included, each is a
 * record finance pays), `payouts_total` sums their amounts per currency ("125000.00 USD").
 * A deal that does not exist or is not closed-won fails with the reason and freezes nothing.
 */
export async function schedulePayouts(ctx: SyncContext, dealId: string): Promise<WorkflowActionOutcome & { closedWonAt?: number }> {
  const record = await ctx.crm.deal(dealId);
  if (!record) return { state: 'FAIL_CONTINUE', reason: `Deal ${dealId} does not exist (it may have been deleted): no payouts scheduled.` };
  const stage = record.properties.dealstage ?? '';
  const stages = await ctx.portal.stages();
  if (!stages.closedWon.has(stage)) {
    return {
      state: 'FAIL_CONTINUE',
      reason: `Deal ${dealId} is not closed-won (stage ${stage === '' ? 'none' : stage}): payouts are frozen only when a deal is closed-won.`,
    };
  }

  const seen = recordingStore(ctx.payouts);
  await recomputeDeal({ ...ctx, payouts: seen.store }, dealId);
  const live = seen.records().filter((r) => r.dealId === dealId && r.status !== 'reversed');
  const currency = record.properties.deal_currency_code?.trim() || ctx.program.config.portalCurrency;
  const closedWonAt = parseInstant(record.properties.closedate) ?? ctx.clock();
  return {
    state: 'SUCCESS',
    payoutsCount: live.length,
    payoutsTotal: totalText(live, currency),
    onHoldCount: live.filter((r) => r.status === 'on_hold').length,
    closedWonAt,
  };
}

/**
 * The records `recomputeDeal` read and wrote, later writes winning: the deal's records as they now stand,
 * without reading them back (search lags writes by seconds, so a read-back could miss what was just frozen).
 */
function recordingStore(inner: PayoutStore): { store: PayoutStore; records(): PayoutRecord[] } {
  const byKey = new Map<string, PayoutRecord>();
  return {
    store: {
      async forDeal(dealId, candidateKeys) {
        const found = await inner.forDeal(dealId, candidateKeys);
        for (const r of found) byKey.set(r.key, r);
        return found;
      },
      async save(records) {
        await inner.save(records);
        for (const r of records) byKey.set(r.key, r);
      },
      objectType: () => inner.objectType(),
    },
    records: () => [...byKey.values()],
  };
}

function totalText(records: PayoutRecord[], fallbackCurrency: string): string {
  const sums = new Map<string, number>();
  for (const r of records) sums.set(r.currency, (sums.get(r.currency) ?? 0) + r.amount);
  if (sums.size === 0) sums.set(fallbackCurrency, 0);
  return [...sums].map(([currency, amount]) => `${toMajorString(amount, currency)} ${currency}`).join(', ');
}

// ── answers ──────────────────────────────────────────────────────────────────────────────────────────────

/** The synchronous HTTP answer: numbers as numbers, as the action's output field types declare them. */
export function responseOutputFields(outcome: WorkflowActionOutcome): Record<string, string | number> {
  if (outcome.state === 'FAIL_CONTINUE') return { hs_execution_state: 'FAIL_CONTINUE', failure_reason: outcome.reason };
  return {
    hs_execution_state: 'SUCCESS',
    payouts_count: outcome.payoutsCount,
    payouts_total: outcome.payoutsTotal,
    on_hold_count: outcome.onHoldCount,
  };
}

/** The callback completion: the callbacks API takes every output field as a string. */
export function callbackOutputFields(outcome: WorkflowActionOutcome): { hs_execution_state: 'SUCCESS' | 'FAIL_CONTINUE' } & Record<string, string> {
  const fields = responseOutputFields(outcome);
  const strings = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return { ...strings, hs_execution_state: outcome.state };
}

export const BLOCK_OUTPUT_FIELDS = { hs_execution_state: 'BLOCK' } as const;

// ── the ledger: one Redis hash per callbackId ───────────────────────────────────────────────────────────

/**
 * States of a callbackId:
 * - `waiting`  (token): the request holding `token` waits for the job's outcome;
 * - `blocked`: whoever answers HTTP answers BLOCK; the job must complete through the callback;
 * - `callback` (outcome): the job decided the outcome and owes the callback (kept so a retry sends the same);
 * - `done` (outcome, via `sync` | `callback`): HubSpot has (or is being given) its answer.
 */
export type LedgerEntry =
  | { state: 'absent' }
  | { state: 'waiting'; token: string }
  | { state: 'blocked' }
  | { state: 'callback'; outcome: WorkflowActionOutcome }
  | { state: 'done'; outcome: WorkflowActionOutcome; via: 'sync' | 'callback'; token: string | null };

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

export interface WorkflowActionLedger {
  /** A new callbackId becomes `waiting` for `token` ('claimed'); a known one is a 'repeat' (a waiting one is blocked). */
  claim(callbackId: string, token: string): Promise<'claimed' | 'repeat'>;
  /** Undo a claim whose job could not be enqueued, so HubSpot's retry starts afresh. */
  release(callbackId: string, token: string): Promise<void>;
  /** The waiting request stops waiting: from now on the answer goes through the callback. */
  giveUp(callbackId: string, token: string): Promise<void>;
  /** The job's outcome: handed to the waiting request ('sync'), or owed as a callback ('callback'), or already answered ('done'). */
  finish(callbackId: string, outcome: WorkflowActionOutcome): Promise<'sync' | 'callback' | 'done'>;
  markCalledBack(callbackId: string): Promise<void>;
  read(callbackId: string): Promise<LedgerEntry>;
}

export function workflowActionKey(prefix: string, callbackId: string): string {
  return `${prefix}:workflow-action:${callbackId}`;
}

export function createWorkflowActionLedger(redis: Redis, prefix: string, ttlMs = LEDGER_TTL_MS): WorkflowActionLedger {
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
    async finish(callbackId, outcome) {
      const via = await redis.eval(FINISH, 1, key(callbackId), JSON.stringify(outcome), ttlMs);
      return via === 'sync' || via === 'done' ? via : 'callback';
    },
    async markCalledBack(callbackId) {
      await redis.eval(MARK_CALLED_BACK, 1, key(callbackId), ttlMs);
    },
    async read(callbackId) {
      return toEntry(await redis.hgetall(key(callbackId)));
    },
  };
}

/** Redis is a trust boundary too: an entry that does not parse is treated as blocked (the callback still comes). */
function toEntry(hash: Record<string, string>): LedgerEntry {
  const outcome = (): WorkflowActionOutcome | null => {
    try {
      const parsed = outcomeSchema.safeParse(JSON.parse(hash.outcome ?? ''));
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
      return o ? { state: 'callback', outcome: o } : { state: 'blocked' };
    }
    case 'done': {
      const o = outcome();
      if (!o) return { state: 'blocked' };
      return { state: 'done', outcome: o, via: hash.via === 'callback' ? 'callback' : 'sync', token: hash.token ?? null };
    }
    default:
      return { state: 'blocked' };
  }
}

// ── the job ─────────────────────────────────────────────────────────────────────────────────────────────

/** BullMQ job ids may not contain ':'; callbackIds are HubSpot's and could. */
export function workflowActionJobId(callbackId: string): string {
  return `workflow-action-${encodeURIComponent(callbackId)}`;
}

/**
 * One job per callbackId (the job id makes a second add a no-op). LIFO puts it before the recomputes already
 * waiting, so a burst of webhooks does not push the answer past the route's short wait.
 */
export async function enqueueWorkflowAction(queue: Queue, data: { callbackId: string; dealId: string }): Promise<void> {
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

export interface WorkflowActionCompleterDeps {
  /** The workers' Redis connection (the ledger). */
  redis: Redis;
  prefix: string;
  hs: HubSpot;
  /** When given, a successful action also schedules the deal's retention check (rule 7). */
  maintenanceQueue?: Queue;
}

export interface WorkflowActionJobResult {
  callbackId: string;
  dealId: string;
  state: WorkflowActionOutcome['state'];
  /** How HubSpot got its answer: in the waiting HTTP response, by callback, or it had it already. */
  answeredBy: 'response' | 'callback' | 'already-answered';
}

/**
 * The sync processor's `completeWorkflowAction` handler. A failure that retrying cannot fix (a HubSpot 4xx, a
 * missing payout schema) is answered as FAIL_CONTINUE with its message rather than left to fail the job:
 * otherwise the workflow would stay blocked until HubSpot gives up on it. Retryable failures throw, and BullMQ
 * runs the job again.
 */
export function workflowActionCompleter(deps: WorkflowActionCompleterDeps) {
  const ledger = createWorkflowActionLedger(deps.redis, deps.prefix);
  return async (ctx: SyncContext, data: { callbackId: string; dealId: string }): Promise<WorkflowActionJobResult> => {
    const { callbackId, dealId } = data;
    const before = await ledger.read(callbackId);
    if (before.state === 'done') return { callbackId, dealId, state: before.outcome.state, answeredBy: 'already-answered' };

    // A retry after a failed callback sends the outcome already decided, not a new one.
    let outcome: WorkflowActionOutcome;
    if (before.state === 'callback') outcome = before.outcome;
    else {
      const result = await decide(ctx, dealId);
      const { closedWonAt, ...decided } = result;
      outcome = decided;
      if (decided.state === 'SUCCESS' && deps.maintenanceQueue && closedWonAt !== undefined) {
        await scheduleRetentionCheck(deps.maintenanceQueue, { dealId, closedWonAt }, ctx.program.config, ctx.clock());
      }
    }

    const via = await ledger.finish(callbackId, outcome);
    if (via === 'done') return { callbackId, dealId, state: outcome.state, answeredBy: 'already-answered' };
    if (via === 'sync') return { callbackId, dealId, state: outcome.state, answeredBy: 'response' };
    const owed = await ledger.read(callbackId);
    const sent = owed.state === 'callback' ? owed.outcome : outcome;
    await completeWorkflowCallback(deps.hs, callbackId, callbackOutputFields(sent));
    await ledger.markCalledBack(callbackId);
    return { callbackId, dealId, state: sent.state, answeredBy: 'callback' };
  };
}

async function decide(ctx: SyncContext, dealId: string): Promise<WorkflowActionOutcome & { closedWonAt?: number }> {
  try {
    return await schedulePayouts(ctx, dealId);
  } catch (err) {
    if (err instanceof AppError && !err.retryable) {
      ctx.logger.warn({ err, dealId }, 'workflow action failed for good; answering FAIL_CONTINUE');
      return { state: 'FAIL_CONTINUE', reason: `Payouts could not be scheduled: ${err.message}` };
    }
    throw err;
  }
}
