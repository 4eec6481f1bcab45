/**
 * A `pp_payout` record someone changed (its custom-object webhook, docs/hubspot.md#webhooks): the record is read
 * by id through the payout store, which restores what anyone but the app changed (a finance user's status step
 * stands, resealed), with a note on the deal; then the deal is recomputed, so its payout summary follows at once
 * rather than at the next recompute of the deal.
 */
import type { SyncContext } from './sync-context.js';

export interface RepairPayoutResult {
  payoutId: string;
  status: 'checked' | 'not-a-payout' | 'unsupported';
  /** The deal enqueued for a recompute (null for payouts without a deal, such as activities and bonuses). */
  dealId: string | null;
}

export async function repairPayout(ctx: SyncContext, payoutId: string): Promise<RepairPayoutResult> {
  if (!ctx.payouts.byId) return { payoutId, status: 'unsupported', dealId: null };
  const record = await ctx.payouts.byId(payoutId);
  if (!record) return { payoutId, status: 'not-a-payout', dealId: null };
  // The sealed deal id, never the CRM's (which may be the edit): an edited pp_deal_id does not move the record.
  if (record.dealId !== '') await ctx.enqueue([{ kind: 'deal', id: record.dealId }], 'payout-changed');
  return { payoutId, status: 'checked', dealId: record.dealId === '' ? null : record.dealId };
}
