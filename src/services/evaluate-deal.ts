/**
 * Load a deal with its partners and run the engine on it: the one evaluation behind both the write-back and
 * the card preview, so what a rep sees on the card is what the workers write to the deal.
 */
import { computeCommission } from '../engine/commission.js';
import { companyOutputs, partnerStanding, type PartnerStanding } from '../engine/tiers.js';
import { dealPerformanceFacts, performanceFingerprint } from '../engine/performance.js';
import { protectionStatus } from '../engine/protection.js';
import type { CalendarQuarter } from '../engine/quarter.js';
import type { CommissionResult, DealPartner, DealSnapshot, PartnerQuarterStats, ProtectionStatus } from '../engine/types.js';
import { customerCompanyOf, partnersOf, rolesOf, toDealSnapshot, type AssociatedCompany, type Properties } from '../hubspot/mappers.js';
import { changedProperties, COMPANY_OUTPUT_KINDS } from '../hubspot/changed-properties.js';
import type { CrmRecordLite } from '../hubspot/crm-access.js';
import { qualifiedDealIds } from '../stores/partner-stats.js';
import type { SyncContext } from './sync-context.js';
import { countOnce, releaseFormerReferrers } from './partner-referrals.js';

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
