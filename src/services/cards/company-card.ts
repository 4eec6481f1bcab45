/**
 * The company card (GET /api/cards/companies/:companyId): the partner's tiers with their reasons, its
 * qualified referrals this quarter (the count the deal recomputes keep), its open registrations, its payouts
 * by status, and a signed link to download them as CSV.
 */
import type { CompanyCardView, PartnerPerformanceView } from '../../../extensions/app/cards/api/contract.js';
import type { PartnerPerformance } from '../../engine/performance.js';
import { formatMoney } from '../../engine/money.js';
import { formatDay, protectionDaysLeft, protectionStatus } from '../../engine/protection.js';
import type { CalendarQuarter } from '../../engine/quarter.js';
import { partnerStanding } from '../../engine/tiers.js';
import { PAYOUT_STATUSES, type PayoutRecord } from '../../engine/types.js';
import { NotFoundError } from '../../errors.js';
import { searchDeals } from '../../hubspot/deals.js';
import { compareIds, toPartnerCompany, toPayoutRecord, toRegistration, type Properties } from '../../hubspot/mappers.js';
import { searchPayouts } from '../../hubspot/payouts.js';
import { DEAL_READ_PROPERTIES } from '../../hubspot/properties.js';
import { countOnce } from '../evaluate-deal.js';
import { createExportLink } from '../export-link.js';
import { loadPartnerPerformance } from '../partner-performance.js';
import { firstRecords, type CardContext } from './card-context.js';

/** Registrations that still claim a customer: decided-against ones (rejected, expired) are history. */
const OPEN_REGISTRATION_STATUSES = ['pending', 'approved', 'disputed'];

export async function buildCompanyCardView(cc: CardContext, companyId: string): Promise<CompanyCardView> {
  const { ctx } = cc;
  const record = await ctx.crm.company(companyId);
  if (!record) throw new NotFoundError(`Company ${companyId} was not found in HubSpot: it may have been deleted or merged.`);
  const company = toPartnerCompany(companyId, record.properties);
  const now = ctx.clock();
  const quarter = ctx.stats.quarter(now);
  const [count, openRegistrations, payouts] = await Promise.all([
    referralCount(cc, companyId, record.properties, quarter),
    openRegistrationsOf(cc, companyId, now),
    payoutsByStatus(cc, companyId),
  ]);
  const standing = partnerStanding(company, count, ctx.program.config);
  const tier = standing.referralTier.value;
  const performance = tier === null ? null : performanceView(await loadPartnerPerformance(ctx, company, record.properties, tier, count));
  return {
    company: { id: companyId, name: company.name, partnerType: company.partnerType },
    tiers: { referral: standing.referralTier, coMarketing: standing.coMarketingTier, coSelling: standing.coSellingTier },
    referrals: { count: standing.referralsThisQuarter, minimum: standing.quarterlyMinimum, quarterLabel: quarter.label },
    highPerformer: standing.highPerformer,
    agreements: { agreementSigned: company.agreementSigned, baaSigned: company.baaSigned },
    openRegistrations,
    payouts,
    exportUrl: exportUrl(cc, companyId, quarter, now),
    performance,
  };
}

/** The card's view of the partner's performance: the same figures the recompute writes, with their reasons. */
export function performanceView(p: PartnerPerformance): PartnerPerformanceView | null {
  if (p.minimum === null || p.requirements.value === null) return null;
  const m = p.minimum;
  return {
    minimum: {
      status: m.value,
      count: m.count,
      minimum: m.minimum,
      requiredToDate: m.requiredToDate,
      remaining: m.remaining,
      quarterLabel: m.quarterLabel,
      reason: m.reason,
    },
    lastQuarter: { value: p.lastQuarter.value, label: p.lastQuarter.label, reason: p.lastQuarter.reason },
    satisfaction: {
      value: p.satisfaction.written === '' ? null : p.satisfaction.written,
      required: p.satisfaction.required === null ? null : p.satisfaction.required.toFixed(1),
      below: p.satisfaction.below,
      reason: p.satisfaction.reason,
    },
    leadQuality: { value: p.leadQuality.written === '' ? null : p.leadQuality.written, reason: p.leadQuality.reason },
    requirements: { value: p.requirements.value, reasons: p.requirements.reasons },
  };
}

/** The stats store's count when this quarter was counted; else one full count (shared with concurrent jobs). */
async function referralCount(cc: CardContext, companyId: string, props: Properties, quarter: CalendarQuarter): Promise<number> {
  const { ctx } = cc;
  if (await ctx.stats.isCounted(companyId, quarter)) return ctx.stats.count(companyId, quarter);
  return countOnce(ctx, companyId, props, quarter);
}

async function openRegistrationsOf(cc: CardContext, companyId: string, now: number): Promise<CompanyCardView['openRegistrations']> {
  const { ctx } = cc;
  const [records, stages] = await Promise.all([
    firstRecords(
      searchDeals(cc.hs, {
        filterGroups: [
          {
            filters: [
              { propertyName: 'pp_registered_partner_id', operator: 'EQ', value: companyId },
              { propertyName: 'pp_registration_status', operator: 'IN', values: OPEN_REGISTRATION_STATUSES },
            ],
          },
        ],
        properties: DEAL_READ_PROPERTIES,
      }),
    ),
    ctx.portal.stages(),
  ]);
  return records
    .flatMap((r) => {
      const reg = toRegistration(r.properties);
      // Search lags writes: a registration decided a moment ago may still match; the record itself is current.
      if (reg === null || reg.partnerId !== companyId || !OPEN_REGISTRATION_STATUSES.includes(reg.status)) return [];
      const stage = r.properties.dealstage ?? '';
      const deal = { isClosedWon: stages.closedWon.has(stage), isClosedLost: stages.closedLost.has(stage) };
      return [
        {
          dealId: r.id,
          dealName: r.properties.dealname?.trim() || `Deal ${r.id}`,
          status: reg.status,
          protectionStatus: protectionStatus(reg, deal, now, ctx.program.config),
          daysLeft: deal.isClosedWon ? null : protectionDaysLeft(reg, now),
        },
      ];
    })
    .sort((a, b) => compareIds(a.dealId, b.dealId));
}

/** Count and total per status and currency (no conversion: each currency is its own row). */
async function payoutsByStatus(cc: CardContext, companyId: string): Promise<CompanyCardView['payouts']> {
  const type = await cc.payoutObjectType();
  const groups = new Map<string, { status: PayoutRecord['status']; currency: string; count: number; total: number }>();
  for await (const page of searchPayouts(cc.hs, type, { partnerId: companyId })) {
    for (const raw of page) {
      const r = toPayoutRecord(raw.properties);
      if (r === null || r.partnerId !== companyId) continue;
      const key = `${r.status}:${r.currency}`;
      const g = groups.get(key) ?? { status: r.status, currency: r.currency, count: 0, total: 0 };
      g.count += 1;
      g.total += r.amount;
      groups.set(key, g);
    }
  }
  return [...groups.values()]
    .sort((a, b) => PAYOUT_STATUSES.indexOf(a.status) - PAYOUT_STATUSES.indexOf(b.status) || (a.currency < b.currency ? -1 : 1))
    .map((g) => ({ status: g.status, currency: g.currency, count: g.count, total: formatMoney(g.total, g.currency) }));
}

/**
 * This quarter's payouts of the partner, as a signed link that expires: a browser following it sends no
 * HubSpot signature. `from` and `to` are the quarter's first and last day in the program's time zone.
 */
function exportUrl(cc: CardContext, companyId: string, quarter: CalendarQuarter, now: number): string | null {
  if (cc.exportLink === null) return null;
  const tz = cc.ctx.program.config.timeZone;
  return createExportLink({
    publicBaseUrl: cc.exportLink.publicBaseUrl,
    secret: cc.exportLink.secret,
    query: { from: formatDay(quarter.start, tz), to: formatDay(quarter.end - 1, tz), partnerId: companyId },
    now,
  });
}
