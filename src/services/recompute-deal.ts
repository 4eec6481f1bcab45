/**
 * Recompute one deal from the source: re-read it, run the engine, freeze or follow its payouts, and write
 * back only the outputs whose value changed. Safe to repeat: the second run finds nothing to write.
 */
import { toMajorString } from '../engine/money.js';
import { retentionKey } from '../engine/payout-keys.js';
import { diffPayouts, freezePayouts, summarizePayoutStatus } from '../engine/payouts.js';
import type { DealPayoutStatus, PayoutRecord } from '../engine/types.js';
import { changedProperties, DEAL_OUTPUT_KINDS } from '../hubspot/changed-properties.js';
import { evaluateDeal, type DealEvaluation } from './evaluate-deal.js';
import { releaseFormerReferrers } from './partner-referrals.js';
import { scheduleRetentionCheck } from './schedule-retention-check.js';
import type { SyncContext } from './sync-context.js';
import { restoreNoteText } from '../security/app-owned.js';
import { REGISTRATION_KINDS } from './record-registration.js';
import { withRegistrationSeal } from '../security/registration-guard.js';

export interface RecomputeDealResult {
  dealId: string;
  status: 'written' | 'unchanged' | 'deleted';
  /** Deal properties written (empty when unchanged). */
  written: string[];
  payouts: { created: number; updated: number };
}

export async function recomputeDeal(ctx: SyncContext, dealId: string): Promise<RecomputeDealResult> {
  const ev = await evaluateDeal(ctx, dealId);
  if (!ev) {
    // A deleted deal is treated as leaving closed-won: its unpaid payouts are reversed.
    const payouts = await syncPayouts(ctx, dealId, null, 'the deal was deleted');
    // It no longer counts for the partners it referred, nor in their performance.
    const former = await releaseFormerReferrers(ctx, dealId, [], ctx.stats.quarter(ctx.clock()));
    await requestPartnerFollowUps(ctx, former);
    return { dealId, status: 'deleted', written: [], payouts: payouts.counts };
  }

  await requestPartnerFollowUps(ctx, ev.stalePartners);

  const currentPayoutStatus = ev.record.properties.pp_payout_status ?? '';
  let payoutStatus: DealPayoutStatus | null = null;
  let payoutCounts = { created: 0, updated: 0 };
  // Payout records exist only for deals that are or were closed-won; the deal's own summary says which.
  if (ev.snapshot.isClosedWon || (currentPayoutStatus !== '' && currentPayoutStatus !== 'none')) {
    const desired = ev.snapshot.isClosedWon
      ? freezePayouts({
          deal: ev.snapshot,
          commission: ev.commission,
          partners: ev.partners,
          config: ctx.program.config,
          programVersion: ctx.program.version,
          now: ctx.clock(),
        })
      : null;
    const why = ev.snapshot.isClosedWon
      ? 'recomputed after a change to the deal or its partners'
      : `the deal left closed-won (stage ${ev.snapshot.dealstage ?? 'none'})`;
    const synced = await syncPayouts(ctx, dealId, desired, why);
    payoutStatus = synced.status;
    payoutCounts = synced.counts;
    // The retention bonus falls due N months after the win; a deterministic job id makes this a no-op on repeats.
    if (ev.snapshot.isClosedWon && synced.counts.created > 0) {
      await scheduleRetentionCheck(ctx, { dealId, closedWonAt: ev.snapshot.closeDate ?? ctx.clock() });
    }
  }

  // App-owned registration values someone else changed are put back (the engine already used the app's own);
  // the outputs computed from those go out in the same write, and the seal follows every owned value written.
  const foreign = ev.record.foreign ?? [];
  const restore = Object.fromEntries(foreign.map((c) => [c.property, c.restored]));
  const desiredOutputs = { ...restore, ...dealOutputs(ev, payoutStatus) };
  const changed = changedProperties(ev.record.raw ?? ev.record.properties, desiredOutputs, { ...REGISTRATION_KINDS, ...DEAL_OUTPUT_KINDS });
  const written = Object.keys(changed);
  if (written.length > 0) await ctx.crm.updateDeal({ id: dealId, properties: withRegistrationSeal(ctx.sealKey, dealId, ev.record.sealed, changed) });
  if (foreign.length > 0) {
    const authors = await ctx.foreignChanges.take(`deal:${dealId}`);
    await ctx.addNote({ kind: 'deal', id: dealId }, restoreNoteText({ what: 'Deal registration fields', changes: foreign, authors }));
    ctx.logger.warn({ dealId, changes: foreign.map((c) => c.property) }, 'restored app-owned registration fields changed outside the app');
  }
  return { dealId, status: written.length > 0 ? 'written' : 'unchanged', written, payouts: payoutCounts };
}

/**
 * When a referral partner's outputs are stale (this deal moved its count or its performance, or stopped referring
 * it), the partner is recomputed (one job per partner however many of its deals moved) from its count and ledger:
 * it writes its own outputs and, when its high-performer status changed, recomputes its other open deals. This deal already used the new count, so its
 * own values are final. The deal never writes the company itself: two deals of one partner counted at once
 * would race to write it.
 */
async function requestPartnerFollowUps(ctx: SyncContext, companyIds: string[]): Promise<void> {
  if (companyIds.length === 0) return;
  await ctx.enqueue(
    [...new Set(companyIds)].map((id) => ({ kind: 'company' as const, id })),
    PARTNER_FOLLOW_UP,
  );
}

/**
 * The reason of a partner recompute a deal asked for. No deal's values wait for it (a deal computes its partners'
 * standing itself, from their inputs and the count), so the worker may hold it back while deals are still being
 * recomputed: one partner recompute after a burst instead of one per wave of its deals (workers/processors/sync.ts).
 */
export const PARTNER_FOLLOW_UP = 'referral-count-changed';

/** The deal's output properties (docs/program.md#deal-outputs); "" leaves or makes a property unset. */
export function dealOutputs(ev: DealEvaluation, payoutStatus: DealPayoutStatus | null): Record<string, string> {
  const { commission, snapshot } = ev;
  const involved = ev.partners.length > 0 || snapshot.registration !== null;
  return {
    pp_commission_total: ev.partners.length > 0 ? toMajorString(commission.total, commission.currency) : '',
    pp_commission_breakdown: commission.breakdown,
    pp_partner_tier: commission.partnerTier ?? '',
    pp_protection_status: involved ? ev.protection : '',
    pp_payout_status: payoutStatus ?? (ev.record.properties.pp_payout_status || (involved ? 'none' : '')),
  };
}

export async function syncPayouts(
  ctx: SyncContext,
  dealId: string,
  desired: PayoutRecord[] | null,
  why: string,
): Promise<{ status: DealPayoutStatus; counts: { created: number; updated: number } }> {
  // Name every key we can for a consistent read, the referral partners' `:retention` keys included (a bonus
  // frozen moments ago may not be searchable yet, and the summary must count it).
  const keys = (desired ?? []).flatMap((r) =>
    r.role === 'pp_referral_partner' && r.kind === 'commission' ? [r.key, retentionKey(r.dealId, r.partnerId)] : [r.key],
  );
  const existing = await ctx.payouts.forDeal(dealId, keys);
  const diff = diffPayouts(existing, desired, { now: ctx.clock(), why, programVersion: ctx.program.version });
  const toSave = [...diff.create, ...diff.update];
  if (toSave.length > 0) await ctx.payouts.save(toSave);
  const byKey = new Map(existing.map((r) => [r.key, r]));
  for (const r of toSave) byKey.set(r.key, r);
  if (ctx.notify) {
    // Partner-portal mail, once per payout and status (the notifier dedupes): scheduled, on hold, paid.
    for (const r of byKey.values()) {
      if (r.status !== 'scheduled' && r.status !== 'on_hold' && r.status !== 'paid') continue;
      await ctx.notify({
        type: 'payout',
        key: r.key,
        dealId: r.dealId,
        partnerId: r.partnerId,
        status: r.status,
        amount: r.amount,
        currency: r.currency,
        holdReason: r.holdReason,
      });
    }
  }
  return { status: summarizePayoutStatus([...byKey.values()]), counts: { created: diff.create.length, updated: diff.update.length } };
}
