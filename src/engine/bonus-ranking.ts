/**
 * The annual bonus ranking (docs/program.md#activities-retainers-and-bonuses): partners by partner-sourced
 * revenue in the year, which is basis B of the deals closed-won in the year on which the partner had a payable
 * line (a non-zero line whose payout is not reversed), in the portal currency. A deal counts once per partner
 * however many roles the partner had on it. Deals in another currency are counted apart, never converted.
 */
import { compareIds } from './ids.js';
import type { Minor, PayoutRecord } from './types.js';

export interface RankedDeal {
  dealId: string;
  /** Basis B in minor units of `currency`; null when the deal has none (it adds nothing). */
  basis: Minor | null;
  currency: string;
}

export interface PartnerRevenue {
  partnerId: string;
  /** Portal-currency revenue, minor units. */
  revenue: Minor;
  deals: number;
  /** Deals in other currencies, by currency: named beside the figure, never added to it. */
  otherCurrencies: Record<string, number>;
}

/**
 * `deals`: the deals closed-won in the year; `payouts`: the payout records of those deals. Sorted by revenue,
 * highest first; ties by partner id. Partners with no qualifying deal are not listed.
 */
export function rankPartnersByRevenue(deals: readonly RankedDeal[], payouts: readonly PayoutRecord[], portalCurrency: string): PartnerRevenue[] {
  const byDeal = new Map(deals.map((d) => [d.dealId, d]));
  const dealsOf = new Map<string, Set<string>>();
  for (const p of payouts) {
    // A payable line is frozen into a commission record; a reversed one (deal lost, basis gone) no longer counts.
    if (p.kind !== 'commission' || p.status === 'reversed' || p.amount === 0 || !byDeal.has(p.dealId)) continue;
    const set = dealsOf.get(p.partnerId) ?? new Set<string>();
    set.add(p.dealId);
    dealsOf.set(p.partnerId, set);
  }
  const rows: PartnerRevenue[] = [];
  for (const [partnerId, ids] of dealsOf) {
    const row: PartnerRevenue = { partnerId, revenue: 0, deals: 0, otherCurrencies: {} };
    for (const id of ids) {
      const deal = byDeal.get(id)!;
      if (deal.currency !== portalCurrency) {
        row.otherCurrencies[deal.currency] = (row.otherCurrencies[deal.currency] ?? 0) + 1;
        continue;
      }
      row.revenue += deal.basis ?? 0;
      row.deals += 1;
    }
    rows.push(row);
  }
  return rows.sort((a, b) => b.revenue - a.revenue || compareIds(a.partnerId, b.partnerId));
}
