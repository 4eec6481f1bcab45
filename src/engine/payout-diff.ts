/**
 * How a deal's existing payout records follow its current state (docs/program.md#payouts): what to create and
 * what to update so the records match `desired` (the output of `freezePayouts`), or `null` when the deal is
 * not closed-won any more.
 *
 * - Finance owns `approved` and `paid`: such a record is never rewritten. A change on it goes into an
 *   adjustment `<key>:adj:<n>` with the signed difference, so record + non-reversed adjustments = what is due.
 * - Unpaid records change in place at the rate frozen on them; a deal won again after a reversal is frozen
 *   afresh on the same key.
 * - Applying the diff and diffing again gives nothing to do, so a retry or a repeated trigger writes nothing.
 */
import { applyRate, formatMoney, formatRate } from './money.js';
import { adjustmentKey, adjustmentNumber, baseKeyOf } from './payout-keys.js';
import type { Instant, Minor, PayoutRecord } from './types.js';

export interface PayoutDiffContext {
  now: Instant;
  /** Why this recompute happened ("deal left closed-won", "basis changed"): appended to every explanation. */
  why: string;
  /** Stamped on adjustments this diff creates. */
  programVersion: string;
}

export interface PayoutDiff {
  create: PayoutRecord[];
  update: PayoutRecord[];
  unchanged: PayoutRecord[];
}

export { adjustmentKey };

/** Payout dates are UTC days: finance reads them beside HubSpot's own UTC timestamps. */
export const isoDay = (at: Instant): string => new Date(at).toISOString().slice(0, 10);

interface PayoutGroup {
  baseKey: string;
  base: PayoutRecord | undefined;
  /** Sorted by n. */
  adjustments: { n: number; record: PayoutRecord }[];
  desired: PayoutRecord | undefined;
}

export function diffPayouts(existing: PayoutRecord[], desired: PayoutRecord[] | null, ctx: PayoutDiffContext): PayoutDiff {
  const groups = new Map<string, PayoutGroup>();
  const groupOf = (baseKey: string): PayoutGroup => {
    let g = groups.get(baseKey);
    if (!g) {
      g = { baseKey, base: undefined, adjustments: [], desired: undefined };
      groups.set(baseKey, g);
    }
    return g;
  };
  for (const record of existing) {
    const n = record.kind === 'adjustment' ? adjustmentNumber(record.key) : null;
    if (n !== null) groupOf(baseKeyOf(record.key)).adjustments.push({ n, record });
    else groupOf(record.key).base = record;
  }
  for (const record of desired ?? []) groupOf(record.key).desired = record;

  const diff: PayoutDiff = { create: [], update: [], unchanged: [] };
  for (const g of groups.values()) {
    g.adjustments.sort((a, b) => a.n - b.n);
    planGroup(g, desired === null, ctx, diff);
  }
  // Existing records come back in the order they were given, so a caller can line results up with its input.
  const position = new Map(existing.map((r, i) => [r.key, i]));
  const byPosition = (a: PayoutRecord, b: PayoutRecord): number => (position.get(a.key) ?? 0) - (position.get(b.key) ?? 0);
  diff.update.sort(byPosition);
  diff.unchanged.sort(byPosition);
  return diff;
}

/** The resulting set of records: updates replace their key, creates are appended. */
export function applyPayoutDiff(existing: PayoutRecord[], diff: PayoutDiff): PayoutRecord[] {
  const updates = new Map(diff.update.map((r) => [r.key, r]));
  return [...existing.map((r) => updates.get(r.key) ?? r), ...diff.create];
}

const financeOwned = (r: PayoutRecord): boolean => r.status === 'approved' || r.status === 'paid';
const unpaid = (r: PayoutRecord): boolean => r.status === 'scheduled' || r.status === 'on_hold';

function planGroup(g: PayoutGroup, dealGone: boolean, ctx: PayoutDiffContext, diff: PayoutDiff): void {
  const { base, desired } = g;
  const adjustments = g.adjustments.map((a) => a.record);
  // Retention records come from their own sweep: a commission recompute leaves them alone.
  if (base?.kind === 'retention' && !dealGone && desired === undefined) {
    diff.unchanged.push(base, ...adjustments);
    return;
  }

  if (base && financeOwned(base)) {
    diff.unchanged.push(base);
    settleAdjustments(g, base, desired === undefined ? 0 : frozenAmount(base, desired), ctx, diff);
    return;
  }

  if (!base) {
    if (desired) diff.create.push(desired);
  } else if (base.status === 'reversed') {
    if (desired) {
      diff.update.push({
        ...desired,
        explanation: appendLine(base.explanation, ctx, `frozen afresh (${ctx.why}). ${desired.explanation}`),
      });
    } else diff.unchanged.push(base);
  } else if (desired) {
    recomputeInPlace(base, desired, ctx, diff);
  } else {
    diff.update.push(reversed(base, ctx, dealGone ? ctx.why : `no payable line for this partner and role any more (${ctx.why})`));
  }
  // Adjustments correct a paid amount; with no paid base there is nothing for an unpaid one to correct.
  for (const adj of adjustments) {
    if (unpaid(adj)) diff.update.push(reversed(adj, ctx, `nothing paid left to adjust (${ctx.why})`));
    else diff.unchanged.push(adj);
  }
}

/** An unpaid record follows the deal at the rate frozen on it; status and hold follow the desired record. */
function recomputeInPlace(base: PayoutRecord, desired: PayoutRecord, ctx: PayoutDiffContext, diff: PayoutDiff): void {
  const amount = frozenAmount(base, desired);
  const changes: string[] = [];
  const money = (m: Minor | null): string => (m === null ? 'none' : formatMoney(m, desired.currency));
  if (desired.currency !== base.currency) changes.push(`currency ${base.currency} → ${desired.currency}`);
  if (desired.basis !== base.basis) changes.push(`basis ${money(base.basis)} → ${money(desired.basis)}`);
  if (amount !== base.amount) changes.push(`amount ${money(base.amount)} → ${money(amount)}${frozenRateText(base)}`);
  if (desired.status !== base.status || desired.holdReason !== base.holdReason) {
    changes.push(desired.holdReason === null ? 'hold released' : `on hold: ${desired.holdReason}`);
  }
  if (changes.length === 0) {
    diff.unchanged.push(base);
    return;
  }
  diff.update.push({
    ...base,
    amount,
    currency: desired.currency,
    basis: desired.basis,
    status: desired.status,
    holdReason: desired.holdReason,
    explanation: appendLine(base.explanation, ctx, `${changes.join('; ')} (${ctx.why}).`),
  });
}

/**
 * Bring record + non-reversed adjustments to `target`: the difference goes into the latest unpaid adjustment
 * (reversed when it comes to zero), else into a new `:adj:<n+1>`. Reusing the unpaid one keeps a repeat from
 * piling up adjustments that finance would have to cancel by hand.
 */
function settleAdjustments(g: PayoutGroup, base: PayoutRecord, target: Minor, ctx: PayoutDiffContext, diff: PayoutDiff): void {
  const live = g.adjustments.filter((a) => a.record.status !== 'reversed');
  const net = live.reduce((sum, a) => sum + a.record.amount, base.amount);
  const difference = target - net;
  const latest = [...live].reverse().find((a) => unpaid(a.record));
  const money = (m: Minor): string => formatMoney(m, base.currency);
  for (const a of g.adjustments) if (a !== latest) diff.unchanged.push(a.record);

  const hold = adjustmentHold(g.desired, latest ? latest.record.amount + difference : difference);
  if (latest) {
    const adj = latest.record;
    const amount = adj.amount + difference;
    if (amount === 0) {
      diff.update.push(reversed(adj, ctx, `no longer needed: ${base.key} is due ${money(target)} again (${ctx.why})`));
      return;
    }
    if (difference === 0 && hold.status === adj.status && hold.holdReason === adj.holdReason) {
      diff.unchanged.push(adj);
      return;
    }
    const what =
      difference === 0 ? (hold.holdReason === null ? 'hold released' : `on hold: ${hold.holdReason}`) : `amount ${money(adj.amount)} → ${money(amount)}`;
    diff.update.push({
      ...adj,
      amount,
      basis: g.desired?.basis ?? adj.basis,
      ...hold,
      explanation: appendLine(adj.explanation, ctx, `${what}; ${base.key} is now due ${money(target)} (${ctx.why}).`),
    });
    return;
  }
  if (difference === 0) return;
  const n = (g.adjustments.at(-1)?.n ?? 0) + 1;
  diff.create.push({
    key: adjustmentKey(base.key, n),
    dealId: base.dealId,
    partnerId: base.partnerId,
    role: base.role,
    kind: 'adjustment',
    amount: difference,
    currency: base.currency,
    ...hold,
    explanation:
      `${isoDay(ctx.now)}: adjustment of ${money(difference)} to ${base.key}, which finance has ${base.status} ` +
      `at ${money(base.amount)}: now due ${money(target)}${target === 0 ? '' : frozenRateText(base)}, ` +
      `${money(net)} so far (${ctx.why}).`,
    basis: g.desired?.basis ?? null,
    rateBps: base.rateBps,
    flatFee: base.flatFee,
    frozenAt: ctx.now,
    programVersion: ctx.programVersion,
    programComponent: base.programComponent ?? g.desired?.programComponent ?? null,
  });
}

/** A claw-back is never held; a top-up waits on the same hold as the payout it tops up. */
function adjustmentHold(desired: PayoutRecord | undefined, amount: Minor): Pick<PayoutRecord, 'status' | 'holdReason'> {
  return amount > 0 && desired?.status === 'on_hold' ? { status: 'on_hold', holdReason: desired.holdReason } : { status: 'scheduled', holdReason: null };
}

/**
 * What an existing record is due under the desired one, at the existing record's frozen rate (or its flat fee).
 * When rate and fee did not move, the desired amount is exact by definition.
 */
function frozenAmount(existing: PayoutRecord, desired: PayoutRecord): Minor {
  if (existing.rateBps === desired.rateBps && existing.flatFee === desired.flatFee) return desired.amount;
  if (existing.rateBps !== null && desired.basis !== null) return applyRate(desired.basis, existing.rateBps);
  if (existing.flatFee !== null) return existing.flatFee;
  return desired.amount;
}

const frozenRateText = (r: PayoutRecord): string => (r.rateBps !== null ? ` at the frozen ${formatRate(r.rateBps)}` : r.flatFee !== null ? ' (flat fee)' : '');

function reversed(record: PayoutRecord, ctx: PayoutDiffContext, why: string): PayoutRecord {
  return {
    ...record,
    status: 'reversed',
    holdReason: null,
    explanation: appendLine(record.explanation, ctx, `reversed, ${formatMoney(record.amount, record.currency)} not paid: ${why}.`),
  };
}

function appendLine(explanation: string, ctx: PayoutDiffContext, text: string): string {
  const line = `${isoDay(ctx.now)}: ${text}`;
  return explanation === '' ? line : `${explanation}\n${line}`;
}
