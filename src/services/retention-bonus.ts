/**
 * Rule 7, the client retention bonus: when the customer company of a closed-won deal is still a customer
 * `retention.months` after the deal was closed-won, its paid referral partner earns `retention.rateBps` of the B
 * frozen at close, as its own payout `<dealId>:<partnerId>:pp_referral_partner:retention`.
 *
 * Two ways in, one check (`checkRetentionBonus`), idempotent on the payout key:
 * - a delayed job per deal at closed-won + months (`scheduleRetentionCheck`, deterministic job id);
 * - a daily sweep over the deals that came due in the last few days (docs/program.md#rule-7-client-retention-bonus: a 24-month delayed job alone
 *   would not survive a lost Redis). The sweep also schedules the delayed job of deals closed-won lately, and
 *   re-checks retention payouts on hold so a partner's fix releases them.
 *
 * "Closed-won at" is the deal's `closedate` (HubSpot sets it when a deal moves to a closed stage); months are
 * calendar months in the program time zone. The customer check is made once, at the first check on or after
 * the due date: a customer who churned then and came back later does not revive the bonus (a Redis marker keeps
 * that decision; a bonus already frozen stays whatever the customer does afterwards).
 */
import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { diffPayouts, applyPayoutDiff, payoutKey, retentionPayout, summarizePayoutStatus } from '../engine/payouts.js';
import { isoDay } from '../engine/payout-diff.js';
import { baseKeyOf, parsePayoutKey } from '../engine/payout-keys.js';
import type { ProgramConfig } from '../engine/program-config.js';
import { DAY_MS } from '../engine/protection.js';
import type { Instant, PayoutRecord } from '../engine/types.js';
import type { HubSpot } from '../hubspot/client.js';
import { searchDeals } from '../hubspot/deals.js';
import { resolvePayoutObjectType, searchPayouts } from '../hubspot/payouts.js';
import { MAINTENANCE_JOBS } from '../queue/job-data.js';
import { changedProperties, DEAL_OUTPUT_KINDS } from '../hubspot/changed-properties.js';
import { evaluateDeal } from './evaluate-deal.js';
import type { SyncContext } from './sync-context.js';

/** The delayed per-deal job, on the maintenance queue (its handler is `retentionMaintenanceHandlers`). */
export const RETENTION_CHECK_JOB = 'retention-check';
const RETENTION_SWEEP_JOB = MAINTENANCE_JOBS.retentionSweep;

export const retentionCheckData = z.object({
  dealId: z.string().regex(/^\d+$/, 'a HubSpot object id'),
  dueAt: z.number().int(),
});
export type RetentionCheckData = z.infer<typeof retentionCheckData>;

type RetentionConfig = Pick<ProgramConfig, 'retention' | 'timeZone'>;

/** When the bonus falls due: closed-won + `retention.months` calendar months, in the program time zone. */
export function retentionDueAt(closedWonAt: Instant, config: RetentionConfig): Instant {
  return DateTime.fromMillis(closedWonAt, { zone: config.timeZone }).plus({ months: config.retention.months }).toMillis();
}

/** The latest closed-won instant that is due at `at` (the inverse of `retentionDueAt`, to the day). */
function closedWonDueBy(at: Instant, config: RetentionConfig): Instant {
  return DateTime.fromMillis(at, { zone: config.timeZone }).minus({ months: config.retention.months }).toMillis();
}

export function retentionCheckJobId(dealId: string, dueAt: Instant): string {
  return `retention-check-${dealId}-${dueAt}`;
}

/**
 * The delayed check at the due date. Scheduling again is a no-op (same job id); a deal won again later gets a
 * new due date and so its own job, and the old one finds the deal not due yet and does nothing.
 */
export async function scheduleRetentionCheck(
  queue: Queue,
  deal: { dealId: string; closedWonAt: Instant },
  config: RetentionConfig,
  now: Instant,
): Promise<{ jobId: string; dueAt: Instant; delayMs: number }> {
  const dueAt = retentionDueAt(deal.closedWonAt, config);
  const jobId = retentionCheckJobId(deal.dealId, dueAt);
  const delayMs = Math.max(0, dueAt - now);
  const data: RetentionCheckData = { dealId: deal.dealId, dueAt };
  await queue.add(RETENTION_CHECK_JOB, data, {
    jobId,
    delay: delayMs,
    attempts: 8,
    backoff: { type: 'exponential', delay: 60_000 },
    removeOnComplete: { age: 30 * 86_400 },
    removeOnFail: { age: 30 * 86_400 },
  });
  return { jobId, dueAt, delayMs };
}

export type RetentionOutcome =
  'created' | 'updated' | 'unchanged' | 'churned' | 'already_decided' | 'not_due' | 'not_closed_won' | 'no_close_date' | 'no_retention_line' | 'deal_missing';

export interface RetentionCheckResult {
  dealId: string;
  outcome: RetentionOutcome;
  dueAt: Instant | null;
  /** The `:retention` record as it now stands, when there is one. */
  payout: PayoutRecord | null;
  /** Deal properties written (`pp_payout_status` when the new record moved it). */
  written: string[];
}

/** Where the one-time customer decision is remembered (see the file comment). */
export interface RetentionDecisions {
  get(dealId: string, dueAt: Instant): Promise<string | null>;
  set(dealId: string, dueAt: Instant, decision: 'paid' | 'churned'): Promise<void>;
}

export function redisRetentionDecisions(redis: Redis, prefix: string, keepMs = 60 * DAY_MS): RetentionDecisions {
  const key = (dealId: string, dueAt: Instant) => `${prefix}:retention:decided:${dealId}:${dueAt}`;
  return {
    get: (dealId, dueAt) => redis.get(key(dealId, dueAt)),
    async set(dealId, dueAt, decision) {
      await redis.set(key(dealId, dueAt), decision, 'PX', keepMs);
    },
  };
}

/**
 * One deal: freeze its `:retention` payout when due and the customer is still a customer. Only the retention
 * key is diffed, so the commission records are never touched (a desired list holding only the retention record
 * would otherwise reverse them). The deal's `pp_payout_status` follows when the new record moves it.
 */
export async function checkRetentionBonus(ctx: SyncContext, dealId: string, decisions?: RetentionDecisions): Promise<RetentionCheckResult> {
  const config = ctx.program.config;
  const now = ctx.clock();
  const result = (outcome: RetentionOutcome, dueAt: Instant | null, payout: PayoutRecord | null = null, written: string[] = []) => ({
    dealId,
    outcome,
    dueAt,
    payout,
    written,
  });

  const ev = await evaluateDeal(ctx, dealId);
  if (!ev) return result('deal_missing', null);
  if (!ev.snapshot.isClosedWon) return result('not_closed_won', null);
  if (ev.snapshot.closeDate === null) return result('no_close_date', null);
  const dueAt = retentionDueAt(ev.snapshot.closeDate, config);
  if (now < dueAt) return result('not_due', dueAt);
  const line = ev.commission.lines.find((l) => l.kind === 'retention' && l.role === 'pp_referral_partner');
  if (!line) return result('no_retention_line', dueAt);

  const retentionKey = payoutKey(dealId, line.partnerId, 'pp_referral_partner', 'retention');
  const referralKey = payoutKey(dealId, line.partnerId, 'pp_referral_partner');
  const commissionKeys = ev.commission.lines
    .filter((l) => l.kind === 'commission' && l.status === 'payable')
    .map((l) => payoutKey(dealId, l.partnerId, l.role));
  const existing = await ctx.payouts.forDeal(dealId, [...new Set([...commissionKeys, referralKey, retentionKey])]);
  const current = existing.find((r) => r.key === retentionKey);
  const decided = current !== undefined && current.status !== 'reversed';
  if (!decided && (await decisions?.get(dealId, dueAt)) === 'churned') return result('already_decided', dueAt);

  // Once frozen the bonus is owed: later checks only let its hold follow the partner.
  const customerStillCustomer = decided || (await isStillCustomer(ctx, ev.snapshot.customerCompanyId));
  const referral = existing.find((r) => r.key === referralKey && r.status !== 'reversed');
  const desired = retentionPayout({
    deal: ev.snapshot,
    commission: ev.commission,
    partners: ev.partners,
    config,
    programVersion: ctx.program.version,
    now,
    customerStillCustomer,
    frozenBasis: referral?.basis ?? null,
  });
  if (!customerStillCustomer) {
    await decisions?.set(dealId, dueAt, 'churned');
    return result('churned', dueAt);
  }
  // A basis that is gone or rounds the bonus to nothing: nothing is owed, and nothing was decided.
  if (!desired) return result('no_retention_line', dueAt);

  const group = existing.filter((r) => baseKeyOf(r.key) === retentionKey);
  const why = `retention check on ${isoDay(now)}, ${config.retention.months} months after close`;
  const diff = diffPayouts(group, [desired], { now, why, programVersion: ctx.program.version });
  const toSave = [...diff.create, ...diff.update];
  if (toSave.length > 0) await ctx.payouts.save(toSave);
  await decisions?.set(dealId, dueAt, 'paid');

  const status = summarizePayoutStatus(applyPayoutDiff(existing, diff));
  const changed = changedProperties(ev.record.properties, { pp_payout_status: status }, DEAL_OUTPUT_KINDS);
  const written = Object.keys(changed);
  if (written.length > 0) await ctx.crm.updateDeal({ id: dealId, properties: changed });

  const payout = toSave.find((r) => r.key === retentionKey) ?? current ?? null;
  const outcome: RetentionOutcome = diff.create.some((r) => r.key === retentionKey) ? 'created' : toSave.length > 0 ? 'updated' : 'unchanged';
  return result(outcome, dueAt, payout, written);
}

/** docs/program.md#rule-7-client-retention-bonus: "still a customer" is the customer company's lifecycle stage being one of the configured ones. */
async function isStillCustomer(ctx: SyncContext, customerCompanyId: string | null): Promise<boolean> {
  if (customerCompanyId === null) return false;
  const company = await ctx.crm.company(customerCompanyId);
  const stage = company?.properties.lifecyclestage?.trim() ?? '';
  return stage !== '' && ctx.program.config.retention.customerLifecycleStages.includes(stage);
}

export interface RetentionSweepDeps {
  ctx: SyncContext;
  hs: HubSpot;
  redis: Redis;
  prefix: string;
  /** The maintenance queue, to schedule the delayed checks of deals closed-won lately. */
  queue?: Queue;
}

export interface RetentionSweepOptions {
  /**
   * Deals that came due up to this many days ago are (re)checked, so a sweep missed during an outage is made
   * good by the next one. @defaultValue 7
   */
  lookbackDays?: number;
  /** Deals closed-won up to this many days ago get their delayed check scheduled. @defaultValue 7 */
  scheduleLookbackDays?: number;
  /** Deals checked at once (their reads coalesce into batches). @defaultValue 20 */
  concurrency?: number;
}

export interface RetentionSweepResult {
  checked: number;
  outcomes: Partial<Record<RetentionOutcome, number>>;
  /** Retention payouts on hold that were re-checked. */
  heldRechecked: number;
  scheduled: number;
  failed: number;
}

export async function retentionSweep(deps: RetentionSweepDeps, opts: RetentionSweepOptions = {}): Promise<RetentionSweepResult> {
  const { ctx, hs } = deps;
  const config = ctx.program.config;
  const now = ctx.clock();
  const decisions = redisRetentionDecisions(deps.redis, deps.prefix);
  const closedWon = [...(await ctx.portal.stages()).closedWon];
  const result: RetentionSweepResult = { checked: 0, outcomes: {}, heldRechecked: 0, scheduled: 0, failed: 0 };
  if (closedWon.length === 0) return result;
  const stageFilter = { propertyName: 'dealstage', operator: 'IN' as const, values: closedWon };

  const errors: unknown[] = [];
  const checkAll = async (dealIds: string[]) => {
    for (let i = 0; i < dealIds.length; i += opts.concurrency ?? 20) {
      const settled = await Promise.allSettled(dealIds.slice(i, i + (opts.concurrency ?? 20)).map((id) => checkRetentionBonus(ctx, id, decisions)));
      for (const s of settled) {
        if (s.status === 'rejected') {
          result.failed++;
          errors.push(s.reason);
          continue;
        }
        result.checked++;
        result.outcomes[s.value.outcome] = (result.outcomes[s.value.outcome] ?? 0) + 1;
      }
    }
  };

  // A day of slack each side: calendar months do not invert exactly (Mar 31 − 1 month is Feb 28), and the
  // check itself decides whether a deal is due.
  const lookback = (opts.lookbackDays ?? 7) * DAY_MS;
  const dueWindow = [
    { ...stageFilter },
    { propertyName: 'closedate', operator: 'GTE' as const, value: String(closedWonDueBy(now - lookback, config) - DAY_MS) },
    { propertyName: 'closedate', operator: 'LTE' as const, value: String(closedWonDueBy(now, config) + DAY_MS) },
  ];
  for await (const page of searchDeals(hs, { filterGroups: [{ filters: dueWindow }], properties: ['closedate'] })) {
    await checkAll(page.map((d) => d.id));
  }

  // Retention payouts on hold: the hold follows the partner (a signed agreement releases it).
  const objectType = await resolvePayoutObjectType(hs);
  const held = new Set<string>();
  for await (const page of searchPayouts(hs, objectType, { statuses: ['on_hold'] }, { properties: ['pp_payout_key', 'pp_deal_id'] })) {
    for (const r of page)
      if (parsePayoutKey(r.properties.pp_payout_key ?? '')?.kind === 'retention' && r.properties.pp_deal_id) held.add(r.properties.pp_deal_id);
  }
  result.heldRechecked = held.size;
  await checkAll([...held]);

  if (deps.queue) {
    const recent = [
      { ...stageFilter },
      { propertyName: 'closedate', operator: 'GTE' as const, value: String(now - (opts.scheduleLookbackDays ?? 7) * DAY_MS) },
    ];
    for await (const page of searchDeals(hs, { filterGroups: [{ filters: recent }], properties: ['closedate'] })) {
      for (const d of page) {
        const closedWonAt = Date.parse(d.properties.closedate ?? '');
        if (Number.isNaN(closedWonAt)) continue;
        await scheduleRetentionCheck(deps.queue, { dealId: d.id, closedWonAt }, config, now);
        result.scheduled++;
      }
    }
  }
  if (errors.length > 0) {
    // The others are done and idempotent: failing the job makes BullMQ run the sweep again for the ones that failed.
    throw new AggregateError(errors, `retention sweep: ${errors.length} of ${result.checked + errors.length} deals failed`);
  }
  return result;
}

/** What the maintenance handlers need of the runtime (the Runtime satisfies it). */
export interface RetentionRuntime {
  ctx: SyncContext;
  hs: HubSpot;
  workerRedis: Redis;
  env: { QUEUE_PREFIX: string };
  queues: { maintenance: Queue };
}

/** Maintenance handlers by job name, for `workers.maintenanceHandlers`. */
export const retentionMaintenanceHandlers = {
  [RETENTION_SWEEP_JOB]: (rt: RetentionRuntime, _job: Job) =>
    retentionSweep({ ctx: rt.ctx, hs: rt.hs, redis: rt.workerRedis, prefix: rt.env.QUEUE_PREFIX, queue: rt.queues.maintenance }),
  [RETENTION_CHECK_JOB]: (rt: RetentionRuntime, job: Job) => {
    const data = retentionCheckData.parse(job.data);
    return checkRetentionBonus(rt.ctx, data.dealId, redisRetentionDecisions(rt.workerRedis, rt.env.QUEUE_PREFIX));
  },
};
