/**
 * Load a deal with its partners and run the engine on it: the one evaluation behind both the write-back and
 * the card preview, so what a rep sees on the card is what the workers write to the deal.
 */
import { computeCommission } from '../engine/commission.js';
import { partnerStanding, type PartnerStanding } from '../engine/tiers.js';
import { protectionStatus } from '../engine/protection.js';
import type { CalendarQuarter } from '../engine/quarter.js';
import type {
  CommissionResult,
  DealPartner,
  DealSnapshot,
  PartnerQuarterStats,
  ProtectionStatus,
} from '../engine/types.js';
import {
  customerCompanyOf,
  partnersOf,
  rolesOf,
  toDealSnapshot,
  toPartnerCompany,
  type AssociatedCompany,
  type Properties,
} from '../hubspot/mappers.js';
import type { CrmRecordLite } from './crm-access.js';
import { qualifiedDealIds } from './partner-stats.js';
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
  /** Referral partners whose count this evaluation changed (their outputs and other deals follow). */
  movedPartners: string[];
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
  const movedPartners: string[] = [];
  for (const partner of partners.filter((p) => p.roles.includes('pp_referral_partner'))) {
    const id = partner.company.id;
    if (!(await ctx.stats.isCounted(id, quarter))) await countPartnerReferrals(ctx, id, companies.get(id) ?? {}, quarter);
    const qualifies = qualifiedDealIds(id, [{ deal: snapshot, partners }], config, quarter).length === 1;
    const { count, moved } = await ctx.stats.place(id, quarter, dealId, qualifies);
    if (moved) movedPartners.push(id);
    stats[id] = { partnerId: id, qualifiedReferrals: count };
    standings.set(id, partnerStanding(partner.company, count, config));
  }

  return {
    record,
    snapshot,
    associations,
    partners,
    companies,
    quarter,
    stats,
    standings,
    movedPartners,
    commission: computeCommission({ deal: snapshot, partners, stats, config }),
    protection: protectionStatus(snapshot.registration, snapshot, now, config),
  };
}

/**
 * A full count of one partner's qualified referrals this quarter: every deal it is associated with, kept where
 * it holds the referral-partner label and qualifies (RULES.md `pp_referrals_this_quarter`).
 */
export async function countPartnerReferrals(
  ctx: SyncContext,
  companyId: string,
  companyProperties: Properties,
  quarter: CalendarQuarter,
): Promise<number> {
  const [dealIds, roles, stages] = await Promise.all([ctx.crm.companyDeals(companyId), ctx.portal.roles(), ctx.portal.stages()]);
  const associations = await ctx.crm.dealCompaniesMany(dealIds);
  const referred = dealIds.filter((_, i) =>
    associations[i]!.some((a) => a.companyId === companyId && rolesOf(a.types, roles).includes('pp_referral_partner')),
  );
  const records = await ctx.crm.deals(referred);
  const company = toPartnerCompany(companyId, companyProperties);
  const candidates = records.flatMap((r, i) => {
    if (!r) return [];
    const assoc = associations[dealIds.indexOf(referred[i]!)]!;
    const deal = toDealSnapshot(r.id, r.properties, { stages, customerCompanyId: customerCompanyOf(assoc, roles) });
    const roleList = rolesOf(assoc.find((a) => a.companyId === companyId)?.types ?? [], roles);
    return [{ deal, partners: [{ company, roles: roleList }] }];
  });
  const ids = qualifiedDealIds(companyId, candidates, ctx.program.config, quarter);
  return ctx.stats.replace(companyId, quarter, ids);
}
