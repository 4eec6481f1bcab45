/**
 * Load a deal with its partners and run the engine on it: the one evaluation behind both the write-back and
 * the card preview, so what a rep sees on the card is what the workers write to the deal.
 */
import { computeCommission } from '../engine/commission.js';
import { companyOutputs, partnerStanding, referralTier, type PartnerStanding } from '../engine/tiers.js';
import { dealPerformanceFacts, performanceFingerprint } from '../engine/performance.js';
import { protectionStatus } from '../engine/protection.js';
import type { CalendarQuarter } from '../engine/quarter.js';
import type { CommissionResult, DealPartner, DealSnapshot, PartnerCompany, PartnerQuarterStats, ProtectionStatus } from '../engine/types.js';
import { customerCompanyOf, partnersOf, rolesOf, toDealSnapshot, toPartnerCompany, type AssociatedCompany, type Properties } from '../hubspot/mappers.js';
import { changedProperties, COMPANY_OUTPUT_KINDS } from '../hubspot/changed-properties.js';
import type { CrmRecordLite } from '../hubspot/crm-access.js';
import { qualifiedDealIds } from '../stores/partner-stats.js';
import type { SyncContext } from './sync-context.js';

export interface DealEvaluation {
  record: CrmRecordLite;
  snapshot: DealSnapshot;
  associations: AssociatedCompany[];
  partners: DealPartner[];
  companies: Map<string, Properties>;
  quarter: CalendarQuarter;
  stats: Record<string, PartnerQuarterStats>;
  /** Standing of each referral partner with this deal counted (or not) as it should be. */
  standings: Map<string, PartnerStanding>;
  /**
   * Referral partners whose outputs in HubSpot no longer match their standing with this deal counted: the
   * partner recompute that follows writes them and, when a rate changed, its other deals.
   */
  stalePartners: string[];
  commission: CommissionResult;
  protection: ProtectionStatus;
}

export async function evaluateDeal(ctx: SyncContext, dealId: string): Promise<DealEvaluation | null> {
  const record = await ctx.crm.deal(dealId);
  if (!record) return null;
  const [associations, roles, stages] = await Promise.all([ctx.crm.dealCompanies(dealId), ctx.portal.roles(), ctx.portal.stages()]);
  const partnerIds = associations.filter((a) => rolesOf(a.types, roles).length > 0).map((a) => a.companyId);
  const companyRecords = await ctx.crm.companies(partnerIds);
  const companies = new Map<string, Properties>();
  companyRecords.forEach((c) => c && companies.set(c.id, c.properties));

  const snapshot = toDealSnapshot(dealId, record.properties, { stages, customerCompanyId: customerCompanyOf(associations, roles) });
  const partners = partnersOf(associations, companies, roles);
  const now = ctx.clock();
  const quarter = ctx.stats.quarter(now);
  const config = ctx.program.config;

  const stats: Record<string, PartnerQuarterStats> = {};
  const standings = new Map<string, PartnerStanding>();
  const stalePartners: string[] = [];
  const referrers = partners.filter((p) => p.roles.includes('pp_referral_partner'));
  for (const partner of referrers) {
    const id = partner.company.id;
    if (!(await ctx.stats.isCounted(id, quarter))) await countOnce(ctx, id, companies.get(id) ?? {}, quarter);
    const qualifies = qualifiedDealIds(id, [{ deal: snapshot, partners }], config, quarter).length === 1;
    const { count } = await ctx.stats.place(id, quarter, dealId, qualifies);
    stats[id] = { partnerId: id, qualifiedReferrals: count };
    const standing = partnerStanding(partner.company, count, config);
    standings.set(id, standing);
    const current = companies.get(id) ?? {};
    const outputsStale = Object.keys(changedProperties(current, companyOutputs(standing), COMPANY_OUTPUT_KINDS)).length > 0;
    // What this deal brings to the partner's performance (last quarter, satisfaction, lead quality): when it moved,
    // the partner recomputes its averages from its ledger. Only partners with a referral tier have any.
    const performanceMoved =
      standing.referralTier.value !== null &&
      (await ctx.stats.noteReferral(
        id,
        { deal: snapshot, roles: partner.roles },
        performanceFingerprint(dealPerformanceFacts(snapshot, partner, config, now)),
      ));
    if (outputsStale || performanceMoved) stalePartners.push(id);
  }
  // Partners this deal referred before and no longer does: it leaves their count and ledger, and they follow.
  stalePartners.push(
    ...(await releaseFormerReferrers(
      ctx,
      dealId,
      referrers.map((p) => p.company.id),
      quarter,
    )),
  );

  return {
    record,
    snapshot,
    associations,
    partners,
    companies,
    quarter,
    stats,
    standings,
    stalePartners,
    commission: computeCommission({ deal: snapshot, partners, stats, config }),
    protection: protectionStatus(snapshot.registration, snapshot, now, config),
  };
}

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
