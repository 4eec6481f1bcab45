/**
 * A partner's program performance read from the CRM: its referral deals (one read, shared with the full count)
 * run through the pure `partnerPerformance`. Used by the partner recompute (the outputs) and the company card
 * (the same figures with their reasons).
 */
import { dealPerformanceFacts, partnerPerformance, type PartnerPerformance } from '../engine/performance.js';
import type { PartnerCompany, ReferralTier } from '../engine/types.js';
import type { Properties } from '../hubspot/mappers.js';
import { referredDeals, type ReferredDeal } from './partner-referrals.js';
import type { SyncContext } from './sync-context.js';

export async function loadPartnerPerformance(
  ctx: SyncContext,
  company: PartnerCompany,
  props: Properties,
  tier: ReferralTier | null,
  referralsThisQuarter: number,
  referred?: ReferredDeal[] | null,
): Promise<PartnerPerformance> {
  const now = ctx.clock();
  const config = ctx.program.config;
  const deals = tier === null ? [] : (referred ?? (await referredDeals(ctx, company.id, props)));
  return partnerPerformance({
    company,
    tier,
    referralsThisQuarter,
    deals: deals.map(({ deal, partners }) => dealPerformanceFacts(deal, partners[0]!, config, now)),
    now,
    config,
  });
}
