/**
 * Rule 7, the client retention bonus (docs/program.md#rule-7-client-retention-bonus): when the customer company of
 * a closed-won deal is still a customer `retention.months` after the deal was closed-won, its paid referral partner
 * earns `retention.rateBps` of the B frozen at close, as its own payout `<dealId>:<partnerId>:pp_referral_partner:retention`.
 *
 * The check is idempotent on the payout key; the delayed job per deal and the daily sweep both run it. The customer
 * check is made once, at the first check on or after the due date: a customer who churned then and came back later
 * does not revive the bonus (src/stores/retention-decisions.ts keeps that decision; a bonus already frozen stays
 * whatever the customer does afterwards).
 */
import { isoDay } from '../engine/payout-diff.js';
import { baseKeyOf, dealLineKey, retentionKey } from '../engine/payout-keys.js';
import { applyPayoutDiff, diffPayouts, retentionPayout, summarizePayoutStatus } from '../engine/payouts.js';
import { isRetainedCustomer, retentionDueAt } from '../engine/retention.js';
import type { Instant, PayoutRecord } from '../engine/types.js';
import { changedProperties, DEAL_OUTPUT_KINDS } from '../hubspot/changed-properties.js';
import { redisRetentionDecisions } from '../stores/retention-decisions.js';
import { evaluateDeal } from './evaluate-deal.js';
import type { SyncContext } from './sync-context.js';

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

/**
 * One deal: freeze its `:retention` payout when due and the customer is still a customer. Only the retention
 * key is diffed, so the commission records are never touched (a desired list holding only the retention record
 * would otherwise reverse them). The deal's `pp_payout_status` follows when the new record moves it.
 */
export async function checkRetentionBonus(ctx: SyncContext, dealId: string): Promise<RetentionCheckResult> {
  const decisions = redisRetentionDecisions(ctx.redis, ctx.prefix);
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

  const bonusKey = retentionKey(dealId, line.partnerId);
  const referralKey = dealLineKey(dealId, line.partnerId, 'pp_referral_partner');
  const commissionKeys = ev.commission.lines
    .filter((l) => l.kind === 'commission' && l.status === 'payable')
    .map((l) => dealLineKey(dealId, l.partnerId, l.role));
  const existing = await ctx.payouts.forDeal(dealId, [...new Set([...commissionKeys, referralKey, bonusKey])]);
  const current = existing.find((r) => r.key === bonusKey);
  const decided = current !== undefined && current.status !== 'reversed';
  if (!decided && (await decisions.get(dealId, dueAt)) === 'churned') return result('already_decided', dueAt);

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
    await decisions.set(dealId, dueAt, 'churned');
    return result('churned', dueAt);
  }
  // A basis that is gone or rounds the bonus to nothing: nothing is owed, and nothing was decided.
  if (!desired) return result('no_retention_line', dueAt);

  const group = existing.filter((r) => baseKeyOf(r.key) === bonusKey);
  const why = `retention check on ${isoDay(now)}, ${config.retention.months} months after close`;
  const diff = diffPayouts(group, [desired], { now, why, programVersion: ctx.program.version });
  const toSave = [...diff.create, ...diff.update];
  if (toSave.length > 0) await ctx.payouts.save(toSave);
  await decisions.set(dealId, dueAt, 'paid');

  const status = summarizePayoutStatus(applyPayoutDiff(existing, diff));
  const changed = changedProperties(ev.record.properties, { pp_payout_status: status }, DEAL_OUTPUT_KINDS);
  const written = Object.keys(changed);
  if (written.length > 0) await ctx.crm.updateDeal({ id: dealId, properties: changed });

  const payout = toSave.find((r) => r.key === bonusKey) ?? current ?? null;
  const outcome: RetentionOutcome = diff.create.some((r) => r.key === bonusKey) ? 'created' : toSave.length > 0 ? 'updated' : 'unchanged';
  return result(outcome, dueAt, payout, written);
}

/** docs/program.md#rule-7-client-retention-bonus: "still a customer" is the customer company's lifecycle stage. */
async function isStillCustomer(ctx: SyncContext, customerCompanyId: string | null): Promise<boolean> {
  if (customerCompanyId === null) return false;
  const company = await ctx.crm.company(customerCompanyId);
  return isRetainedCustomer(company?.properties.lifecyclestage, ctx.program.config);
}
