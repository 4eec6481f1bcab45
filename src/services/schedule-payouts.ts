/**
 * The freeze behind the "Schedule partner payouts" workflow action (docs/program.md#payouts): the second trigger of
 * the closed-won freeze, beside the deal-stage webhook, with one result. The work is the same recompute the webhook
 * runs (`recomputeDeal`), so both triggers upsert the same `pp_payout_key`s and a deal gets one set of payouts.
 * Who answers HubSpot, and how, is `answer-workflow-action.ts` and `complete-workflow-action.ts`.
 */
import { toMajorString } from '../engine/money.js';
import type { PayoutRecord } from '../engine/types.js';
import { parseInstant } from '../hubspot/mappers.js';
import type { PayoutStore } from '../hubspot/payout-store.js';
import type { WorkflowActionOutcome } from '../hubspot/workflow-action.js';
import { recomputeDeal } from './recompute-deal.js';
import type { SyncContext } from './sync-context.js';

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
