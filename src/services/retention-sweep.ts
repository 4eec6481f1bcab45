/**
 * The daily retention sweep (docs/program.md#rule-7-client-retention-bonus): a 24-month delayed job alone would not
 * survive a lost Redis, so every day the deals that came due in the last few days are checked again, the
 * retention payouts on hold are re-checked (a partner's fix releases them), and the deals closed-won lately get
 * their delayed check scheduled.
 */
import { parsePayoutKey } from '../engine/payout-keys.js';
import { DAY_MS } from '../engine/protection.js';
import { closedWonDueBy } from '../engine/retention.js';
import { searchDeals } from '../hubspot/deals.js';
import { resolvePayoutObjectType, searchPayouts } from '../hubspot/payouts.js';
import { checkRetentionBonus, type RetentionOutcome } from './check-retention-bonus.js';
import { scheduleRetentionCheck } from './schedule-retention-check.js';
import type { SyncContext } from './sync-context.js';

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

export async function retentionSweep(ctx: SyncContext, opts: RetentionSweepOptions = {}): Promise<RetentionSweepResult> {
  const { hs } = ctx;
  const config = ctx.program.config;
  const now = ctx.clock();
  const closedWon = [...(await ctx.portal.stages()).closedWon];
  const result: RetentionSweepResult = { checked: 0, outcomes: {}, heldRechecked: 0, scheduled: 0, failed: 0 };
  if (closedWon.length === 0) return result;
  const stageFilter = { propertyName: 'dealstage', operator: 'IN' as const, values: closedWon };

  const errors: unknown[] = [];
  const checkAll = async (dealIds: string[]) => {
    for (let i = 0; i < dealIds.length; i += opts.concurrency ?? 20) {
      const settled = await Promise.allSettled(dealIds.slice(i, i + (opts.concurrency ?? 20)).map((id) => checkRetentionBonus(ctx, id)));
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

  // The safety net of the delayed checks (the freeze schedules them): the deals closed-won lately.
  const recent = [{ ...stageFilter }, { propertyName: 'closedate', operator: 'GTE' as const, value: String(now - (opts.scheduleLookbackDays ?? 7) * DAY_MS) }];
  for await (const page of searchDeals(hs, { filterGroups: [{ filters: recent }], properties: ['closedate'] })) {
    for (const d of page) {
      const closedWonAt = Date.parse(d.properties.closedate ?? '');
      if (Number.isNaN(closedWonAt)) continue;
      await scheduleRetentionCheck(ctx, { dealId: d.id, closedWonAt });
      result.scheduled++;
    }
  }
  if (errors.length > 0) {
    // The others are done and idempotent: failing the job makes BullMQ run the sweep again for the ones that failed.
    throw new AggregateError(errors, `retention sweep: ${errors.length} of ${result.checked + errors.length} deals failed`);
  }
  return result;
}
