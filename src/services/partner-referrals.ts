/**
 * A partner's referred deals: its full count of qualified referrals this quarter (read from HubSpot once per partner
 * and quarter, shared by concurrent recomputes), the ledger of its referred deals that full reads fill
 * (stores/partner-stats.ts), and a deal leaving the partners it no longer refers.
 */
import { dealPerformanceFacts, performanceFingerprint } from '../engine/performance.js';
import type { CalendarQuarter } from '../engine/quarter.js';
import { referralTier } from '../engine/tiers.js';
import type { DealPartner, DealSnapshot, PartnerCompany } from '../engine/types.js';
import { customerCompanyOf, rolesOf, toDealSnapshot, toPartnerCompany, type Properties } from '../hubspot/mappers.js';
import { qualifiedDealIds } from '../stores/partner-stats.js';
import type { SyncContext } from './sync-context.js';

/**
 * Concurrent recomputes of one partner's deals share one full count instead of each starting its own (a burst
 * over a partner's 20 deals would otherwise read its deals 20 times).
 */
const countsInFlight = new Map<string, Promise<number>>();
export function countOnce(ctx: SyncContext, companyId: string, props: Properties, quarter: CalendarQuarter): Promise<number> {
  const key = `${companyId}:${quarter.label}`;
  let pending = countsInFlight.get(key);
  if (!pending) {
    pending = countPartnerReferrals(ctx, companyId, props, quarter).finally(() => countsInFlight.delete(key));
    countsInFlight.set(key, pending);
  }
  return pending;
}

/**
 * The deal stops referring partners it referred at its last recompute (a label removed, a partner unassociated;
 * `current` empty: the deal was deleted): it leaves their qualified set and ledger. Returns those partners, whose
 * outputs must follow.
 */
export async function releaseFormerReferrers(ctx: SyncContext, dealId: string, current: string[], quarter: CalendarQuarter): Promise<string[]> {
  const former = await ctx.stats.swapReferrers(dealId, current);
  for (const id of former) await ctx.stats.forgetReferral(id, quarter, dealId);
  return former;
}

/**
 * A full count of one partner's qualified referrals this quarter: every deal it is associated with, kept where
 * it holds the referral-partner label and qualifies (docs/program.md#partner-outputs, `pp_referrals_this_quarter`).
 */
export async function countPartnerReferrals(ctx: SyncContext, companyId: string, companyProperties: Properties, quarter: CalendarQuarter): Promise<number> {
  // Only partners with a referral tier have qualified referrals (docs/program.md#partner-outputs): for the others
  // the count is 0 without reading their deals (a burst's cold counts read every partner's deals, most for nothing).
  if (referralTier(toPartnerCompany(companyId, companyProperties), ctx.program.config).value === null) return ctx.stats.replace(companyId, quarter, []);
  const candidates = await readReferrals(ctx, companyId, companyProperties);
  const ids = qualifiedDealIds(companyId, candidates, ctx.program.config, quarter);
  return ctx.stats.replace(companyId, quarter, ids);
}

/**
 * The partner's referred deals read from HubSpot, and its ledger (partner-stats.ts) replaced with them: the sync's
 * full reads keep the ledger the follow-up recomputes use instead of reading again.
 */
export async function readReferrals(ctx: SyncContext, companyId: string, companyProperties: Properties): Promise<ReferredDeal[]> {
  const referred = await referredDeals(ctx, companyId, companyProperties);
  const now = ctx.clock();
  await ctx.stats.replaceReferrals(
    companyId,
    referred.map(({ deal, partners }) => ({
      entry: { deal, roles: partners[0]!.roles },
      fingerprint: performanceFingerprint(dealPerformanceFacts(deal, partners[0]!, ctx.program.config, now)),
    })),
  );
  return referred;
}

/** The partner's referred deals from its ledger (no HubSpot call), or null when the ledger is not complete. */
export async function ledgerReferrals(ctx: SyncContext, company: PartnerCompany): Promise<ReferredDeal[] | null> {
  const entries = await ctx.stats.referrals(company.id);
  return entries === null ? null : entries.map(({ deal, roles }) => ({ deal, partners: [{ company, roles }] }));
}

/** A deal the company refers, with the company as the engine sees it. */
export type ReferredDeal = { deal: DealSnapshot; partners: DealPartner[] };

/** Every deal on which the company holds the referral-partner label, with the company as the engine sees it. */
export async function referredDeals(ctx: SyncContext, companyId: string, companyProperties: Properties): Promise<ReferredDeal[]> {
  const [dealIds, roles, stages] = await Promise.all([ctx.crm.companyDeals(companyId), ctx.portal.roles(), ctx.portal.stages()]);
  const associations = await ctx.crm.dealCompaniesMany(dealIds);
  const referred = dealIds.filter((_, i) => associations[i]!.some((a) => a.companyId === companyId && rolesOf(a.types, roles).includes('pp_referral_partner')));
  const records = await ctx.crm.deals(referred);
  const company = toPartnerCompany(companyId, companyProperties);
  return records.flatMap((r, i) => {
    if (!r) return [];
    const assoc = associations[dealIds.indexOf(referred[i]!)]!;
    const deal = toDealSnapshot(r.id, r.properties, { stages, customerCompanyId: customerCompanyOf(assoc, roles) });
    const roleList = rolesOf(assoc.find((a) => a.companyId === companyId)?.types ?? [], roles);
    return [{ deal, partners: [{ company, roles: roleList }] }];
  });
}
