/**
 * The company card (GET /api/cards/companies/:companyId): the partner's tiers with their reasons, its
 * qualified referrals this quarter (the count the deal recomputes keep), its open registrations, its payouts
 * by status, and a signed link to download them as CSV.
 */
import type { CompanyCardView, PartnerPerformanceView, Viewer } from '../../../extensions/app/cards/api/contract.js';
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
import { countOnce } from '../partner-referrals.js';
import { createExportLink } from '../../security/export-link.js';
import { CARD_LIST_LIMIT, firstRecords, type CardContext } from './card-context.js';
import { ACTIVITY_TYPE_LABELS, isActivityType, type Activity } from '../../engine/activities.js';
import { commitmentStanding, commitmentSummary, programYear } from '../../engine/commitments.js';
import { PayoutSchemaMissingError } from '../../hubspot/errors.js';
import { PAYOUT_ROLE_LABELS } from '../../hubspot/properties.js';
import { activityKey } from '../../engine/payout-keys.js';
import { activitiesOfCompany } from '../activities.js';
import { guardRegistration } from '../../security/registration-guard.js';
import { loadPartnerPerformance } from '../partner-performance.js';

/** Registrations that still claim a customer: decided-against ones (rejected, expired) are history. */
const OPEN_REGISTRATION_STATUSES = ['pending', 'approved', 'disputed'];

/** `exportFor`: the viewer's user id when they may download payouts (finance, partner managers), else null: no link. */
export async function buildCompanyCardView(cc: CardContext, companyId: string, viewer: Viewer, exportFor: string | null = null): Promise<CompanyCardView> {
  const { ctx } = cc;
  const record = await ctx.crm.company(companyId);
  if (!record) throw new NotFoundError(`Company ${companyId} was not found in HubSpot: it may have been deleted or merged.`);
  const company = toPartnerCompany(companyId, record.properties);
  const now = ctx.clock();
  const quarter = ctx.stats.quarter(now);
  const [count, openRegistrations, { payouts, otherPayouts, activityPayouts }, activities] = await Promise.all([
    referralCount(cc, companyId, record.properties, quarter),
    openRegistrationsOf(cc, companyId, now),
    payoutsByStatus(cc, companyId),
    cc.activities ? activitiesOfCompany(cc.activities, companyId).catch(noActivityObject) : Promise.resolve([]),
  ]);
  const standing = partnerStanding(company, count, ctx.program.config);
  const commitments = cc.activities ? commitmentStanding(standing.coMarketingTier.value, activities, now, ctx.program.config) : null;
  const year = programYear(now, ctx.program.config.timeZone).year;
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
    activities: activities
      .filter((a) => a.status === 'submitted' || (a.date ?? '').startsWith(`${year}-`))
      .sort((a, b) => ((b.date ?? '') < (a.date ?? '') ? -1 : (b.date ?? '') > (a.date ?? '') ? 1 : compareIds(b.id, a.id)))
      .map((a) => ({
        id: a.id,
        type: a.type,
        typeLabel: isActivityType(a.type) ? ACTIVITY_TYPE_LABELS[a.type] : a.type,
        name: a.name,
        date: a.date,
        status: a.status,
        amount: a.amount === null || Number.isNaN(a.amount) ? null : formatMoney(a.amount, ctx.program.config.portalCurrency),
        payout: activityPayouts.get(activityKey(a.id)) ?? null,
      })),
    commitments: commitments && { tier: commitments.tier, status: commitments.status, summary: commitmentSummary(commitments), year: commitments.year },
    otherPayouts,
    exportUrl: exportFor === null ? null : exportUrl(cc, companyId, quarter, now, exportFor),
    performance,
    viewer,
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
      const reg = toRegistration(guardRegistration(ctx.sealKey, r.id, r.properties).trusted);
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
          daysLeft: deal.isClosedWon ? null : protectionDaysLeft(reg, now, ctx.program.config),
        },
      ];
    })
    .sort((a, b) => compareIds(a.dealId, b.dealId));
}

/** A portal without the pp_activity object shows no activities rather than failing the card. */
function noActivityObject(err: unknown): Activity[] {
  if (err instanceof PayoutSchemaMissingError) return [];
  throw err;
}

/**
 * Count and total per status and currency (no conversion: each currency is its own row), and the payouts with
 * no deal (activities, bonuses) one by one with their explanation.
 */
async function payoutsByStatus(
  cc: CardContext,
  companyId: string,
): Promise<{
  payouts: CompanyCardView['payouts'];
  otherPayouts: CompanyCardView['otherPayouts'];
  activityPayouts: Map<string, NonNullable<CompanyCardView['activities'][number]['payout']>>;
}> {
  const type = await cc.payoutObjectType();
  const groups = new Map<string, { status: PayoutRecord['status']; currency: string; count: number; total: number }>();
  const other: PayoutRecord[] = [];
  const activityPayouts = new Map<string, NonNullable<CompanyCardView['activities'][number]['payout']>>();
  for await (const page of searchPayouts(cc.hs, type, { partnerId: companyId })) {
    for (const raw of page) {
      const r = toPayoutRecord(raw.properties);
      if (r === null || r.partnerId !== companyId) continue;
      if (r.dealId === '') other.push(r);
      if (r.kind === 'activity') {
        activityPayouts.set(r.key, { amount: formatMoney(r.amount, r.currency), status: r.status, holdReason: r.holdReason });
      }
      const key = `${r.status}:${r.currency}`;
      const g = groups.get(key) ?? { status: r.status, currency: r.currency, count: 0, total: 0 };
      g.count += 1;
      g.total += r.amount;
      groups.set(key, g);
    }
  }
  const payouts = [...groups.values()]
    .sort((a, b) => PAYOUT_STATUSES.indexOf(a.status) - PAYOUT_STATUSES.indexOf(b.status) || (a.currency < b.currency ? -1 : 1))
    .map((g) => ({ status: g.status, currency: g.currency, count: g.count, total: formatMoney(g.total, g.currency) }));
  const otherPayouts = other
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, CARD_LIST_LIMIT)
    .map((r) => ({
      key: r.key,
      label: `${PAYOUT_ROLE_LABELS[r.role]}${r.kind === 'adjustment' ? ' (adjustment)' : ''}`,
      amount: formatMoney(r.amount, r.currency),
      status: r.status,
      holdReason: r.holdReason,
      explanation: r.explanation,
    }));
  return { payouts, otherPayouts, activityPayouts };
}

/**
 * The download link of a company card for `by` (finance users and partner managers), made per request: the view
 * without it is the same for every viewer and may be cached (src/stores/card-cache.ts), the link names its user.
 */
export function companyCardExportUrl(cc: CardContext, companyId: string, by: string): string | null {
  const now = cc.ctx.clock();
  return exportUrl(cc, companyId, cc.ctx.stats.quarter(now), now, by);
}

/**
 * This quarter's payouts of the partner, as a signed link that expires: a browser following it sends no
 * HubSpot signature. `from` and `to` are the quarter's first and last day in the program's time zone.
 */
function exportUrl(cc: CardContext, companyId: string, quarter: CalendarQuarter, now: number, by: string): string | null {
  if (cc.exportLink === null) return null;
  const tz = cc.ctx.program.config.timeZone;
  return createExportLink({
    publicBaseUrl: cc.exportLink.publicBaseUrl,
    secret: cc.exportLink.secret,
    query: { from: formatDay(quarter.start, tz), to: formatDay(quarter.end - 1, tz), partnerId: companyId, by },
    now,
  });
}
