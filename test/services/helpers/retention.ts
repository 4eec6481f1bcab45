/** Deals for the retention bonus tests (docs/program.md#rule-7-client-retention-bonus), on the sandbox portal. */
import { recomputeDeal } from '../../../src/services/recompute-deal.js';
import { createCustomer, createDeal, createPartner, type PayoutsPortal } from './payouts-portal.js';

export const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 10, 20, 15, 0, 0);
/** Closed-won 24 months and a day before NOW: due yesterday. */
export const CLOSED_DUE = Date.UTC(2024, 10, 19, 15, 0, 0);

/** Summit (tier_1 consultant, 12%) refers a $600,000 deal for `customer`, closed-won at `closedAt`; frozen then. */
export async function wonDeal(p: PayoutsPortal, closedAt: number, lifecyclestage = 'customer', agreement = true) {
  const partner = createPartner(p, { name: 'Summit Advisory Group', type: 'consultant', consultants: 60, agreement });
  const customer = createCustomer(p, 'Wayne Foods', lifecyclestage);
  const deal = createDeal(p, {
    name: 'Wayne Foods platform',
    amount: 600_000,
    stage: 'closedwon',
    closedate: closedAt,
    createdate: closedAt - 30 * DAY,
    customerId: customer,
    partners: [{ id: partner, roles: ['pp_referral_partner'] }],
  });
  p.setNow(closedAt + 3_600_000);
  await recomputeDeal(p.rt.ctx, deal);
  p.setNow(NOW);
  return { partner, customer, deal };
}
