/**
 * The partner managers' home page (GET /api/cards/home): registrations waiting for a decision (pending and
 * disputed, oldest first), approved ones whose protection ends within the warning window (30 days by
 * default), and payouts on hold with why.
 */
import { commitmentSummary } from '../../engine/commitments.js';
import type { CoMarketingTier } from '../../engine/types.js';
import { searchCompanies } from '../../hubspot/companies.js';
import { PAYOUT_ROLE_LABELS } from '../../hubspot/properties.js';
import type { HomeView, PerformanceRow, Viewer } from '../../../extensions/app/cards/api/contract.js';
import { previousQuarter, quarterProgress, requiredToDate } from '../../engine/performance.js';
import type { ReferralTier } from '../../engine/types.js';
import { formatMoney } from '../../engine/money.js';
import { DAY_MS, approvedProtectionEnd, protectionDaysLeft } from '../../engine/protection.js';
import { registrationVersion } from '../../engine/registration.js';
import type { Registration } from '../../engine/types.js';
import type { CrmRecord } from '../../hubspot/crm-records.js';
import { searchDeals } from '../../hubspot/deals.js';
import { compareIds, toPayoutRecord, toRegistration } from '../../hubspot/mappers.js';
import { searchPayouts } from '../../hubspot/payouts.js';
import { DEAL_READ_PROPERTIES } from '../../hubspot/properties.js';
import type { SyncContext } from '../sync-context.js';
import { guardRegistration } from '../../security/registration-guard.js';
import { CARD_LIST_LIMIT, firstRecords, isoOrNull, type CardContext } from './card-context.js';
import { ACTIVITY_TYPE_LABELS, isActivityType } from '../../engine/activities.js';
import { PayoutSchemaMissingError } from '../../hubspot/errors.js';
import { activitiesAwaitingDecision } from '../activities.js';

export async function buildHomeView(cc: CardContext, viewer: Viewer, portalId: string | null = null): Promise<HomeView> {
  const now = cc.ctx.clock();
  const [queue, expiringSoon, payoutsOnHold, performance, commitmentsAtRisk, activitiesAwaiting] = await Promise.all([
    decisionQueue(cc),
    expiringProtection(cc, now),
    heldPayouts(cc),
    performanceLists(cc, now, portalId),
    atRiskCommitments(cc),
    activityQueue(cc),
  ]);
  return { viewer, queue, expiringSoon, payoutsOnHold, performance, commitmentsAtRisk, activitiesAwaiting };
}

/**
 * docs/program.md#program-performance on the home page: partners at risk this quarter, those that missed last quarter
 * and those below their satisfaction requirement, from the outputs the partner recompute wrote (one search each).
 */
async function performanceLists(cc: CardContext, now: number, portalId: string | null): Promise<HomeView['performance']> {
  const config = cc.ctx.program.config;
  const properties = [
    'name',
    'pp_referral_tier',
    'pp_referrals_this_quarter',
    'pp_quarterly_minimum',
    'pp_minimum_status',
    'pp_last_quarter_result',
    'pp_satisfaction_avg',
    'pp_requirements_status',
  ];
  const find = (propertyName: string, value: string) =>
    firstRecords(searchCompanies(cc.hs, { filterGroups: [{ filters: [{ propertyName, operator: 'EQ', value }] }], properties }));
  const [atRisk, missed, notMet] = await Promise.all([
    find('pp_minimum_status', 'at_risk'),
    find('pp_last_quarter_result', 'missed'),
    find('pp_requirements_status', 'not_met'),
  ]);
  const progress = quarterProgress(now, config.timeZone);
  const previous = previousQuarter(now, config.timeZone).label;
  const row = (r: CrmRecord, detail: string): PerformanceRow => ({
    companyId: r.id,
    name: r.properties.name?.trim() || `Company ${r.id}`,
    tier: r.properties.pp_referral_tier || null,
    detail,
    recordUrl: portalId === null ? null : `https://app.hubspot.com/contacts/${portalId}/record/0-2/${r.id}`,
  });
  const tierOf = (r: CrmRecord) => r.properties.pp_referral_tier as ReferralTier | undefined;
  const byName = (a: PerformanceRow, b: PerformanceRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : compareIds(a.companyId, b.companyId));
  return {
    // Search lags writes: each record's own values decide.
    atRisk: atRisk
      .filter((r) => r.properties.pp_minimum_status === 'at_risk')
      .map((r) => {
        const minimum = Number(r.properties.pp_quarterly_minimum ?? 0);
        const count = Number(r.properties.pp_referrals_this_quarter ?? 0);
        return row(
          r,
          `${count} of ${minimum} qualified referrals in ${progress.quarter.label}; ${requiredToDate(minimum, progress)} due by today, ${Math.max(0, minimum - count)} more to meet the minimum`,
        );
      })
      .sort(byName),
    missedLastQuarter: missed
      .filter((r) => r.properties.pp_last_quarter_result === 'missed')
      .map((r) => {
        const tier = tierOf(r);
        const minimum = tier && config.referralTiers[tier] ? config.referralTiers[tier].quarterlyMinimum : Number(r.properties.pp_quarterly_minimum ?? 0);
        return row(r, `missed the minimum of ${minimum} qualified referrals in ${previous}`);
      })
      .sort(byName),
    belowSatisfaction: notMet
      .flatMap((r) => {
        const tier = tierOf(r);
        const required = tier ? config.performance.satisfactionMinimums[tier] : null;
        const avg = r.properties.pp_satisfaction_avg;
        if (r.properties.pp_requirements_status !== 'not_met' || required === null || required === undefined || !avg) return [];
        // The written average is rounded: an 8.46 reads 8.5 and is still below 8.5, so "not met" with last
        // quarter not missed means the satisfaction is the reason.
        const below = Number(avg) < required || r.properties.pp_last_quarter_result !== 'missed';
        return below
          ? [row(r, `client satisfaction ${avg} over the last ${config.performance.windowMonths} months; ${tier} requires ${required.toFixed(1)}`)]
          : [];
      })
      .sort(byName),
  };
}

type Registered = { record: CrmRecord; reg: Registration };

function registered(cc: CardContext, records: CrmRecord[], statuses: readonly Registration['status'][]): Registered[] {
  // Search lags writes: the record's own values decide, not the filter that found it; and of those only the
  // app's own (sealed) registration values: a status typed into the CRM puts nothing in a manager's queue.
  const config = cc.ctx.program.config;
  return records.flatMap((record) => {
    const parsed = toRegistration(guardRegistration(cc.ctx.sealKey, record.id, record.properties).trusted);
    const reg = parsed && { ...parsed, protectionExpiresAt: approvedProtectionEnd(parsed, config) };
    return reg !== null && statuses.includes(reg.status) ? [{ record, reg }] : [];
  });
}

async function decisionQueue(cc: CardContext): Promise<HomeView['queue']> {
  const records = await firstRecords(
    searchDeals(cc.hs, {
      filterGroups: [{ filters: [{ propertyName: 'pp_registration_status', operator: 'IN', values: ['pending', 'disputed'] }] }],
      properties: DEAL_READ_PROPERTIES,
    }),
  );
  const waiting = registered(cc, records, ['pending', 'disputed']);
  const names = await companyNames(
    cc.ctx,
    waiting.flatMap(({ reg }) => [reg.partnerId, ...(reg.conflict ? [reg.conflict.partnerId] : [])]),
  );
  return waiting
    .sort((a, b) => (a.reg.submittedAt ?? 0) - (b.reg.submittedAt ?? 0) || compareIds(a.record.id, b.record.id))
    .map(({ record, reg }) => ({
      dealId: record.id,
      dealName: dealName(record),
      partnerId: reg.partnerId,
      partnerName: names.get(reg.partnerId) ?? `Company ${reg.partnerId}`,
      status: reg.status as 'pending' | 'disputed',
      submittedAt: isoOrNull(reg.submittedAt),
      conflict: reg.conflict
        ? { dealId: reg.conflict.dealId, partnerId: reg.conflict.partnerId, partnerName: names.get(reg.conflict.partnerId) ?? null }
        : null,
      registrationVersion: registrationVersion(reg),
    }));
}

/** Approved, not yet won or lost, protection ending within the warning window from now. */
async function expiringProtection(cc: CardContext, now: number): Promise<HomeView['expiringSoon']> {
  const until = now + cc.ctx.program.config.registration.warningDays * DAY_MS;
  const [records, stages] = await Promise.all([
    firstRecords(
      searchDeals(cc.hs, {
        filterGroups: [
          {
            filters: [
              { propertyName: 'pp_registration_status', operator: 'EQ', value: 'approved' },
              { propertyName: 'pp_protection_expires_at', operator: 'GTE', value: String(now) },
              { propertyName: 'pp_protection_expires_at', operator: 'LTE', value: String(until) },
            ],
          },
        ],
        properties: DEAL_READ_PROPERTIES,
      }),
    ),
    cc.ctx.portal.stages(),
  ]);
  const expiring = registered(cc, records, ['approved']).filter(({ record, reg }) => {
    const stage = record.properties.dealstage ?? '';
    const endsAt = reg.protectionExpiresAt;
    // A won deal's protection never lapses; a lost one's already has.
    return !stages.closedWon.has(stage) && !stages.closedLost.has(stage) && endsAt !== null && endsAt >= now && endsAt <= until;
  });
  const names = await companyNames(
    cc.ctx,
    expiring.map(({ reg }) => reg.partnerId),
  );
  return expiring
    .sort((a, b) => (a.reg.protectionExpiresAt ?? 0) - (b.reg.protectionExpiresAt ?? 0) || compareIds(a.record.id, b.record.id))
    .map(({ record, reg }) => ({
      dealId: record.id,
      dealName: dealName(record),
      partnerName: names.get(reg.partnerId) ?? `Company ${reg.partnerId}`,
      protectionExpiresAt: new Date(reg.protectionExpiresAt ?? now).toISOString(),
      daysLeft: protectionDaysLeft(reg, now, cc.ctx.program.config) ?? 0,
    }));
}

async function heldPayouts(cc: CardContext): Promise<HomeView['payoutsOnHold']> {
  const type = await cc.payoutObjectType();
  const records = (await firstRecords(searchPayouts(cc.hs, type, { statuses: ['on_hold'] })))
    .map((r) => toPayoutRecord(r.properties))
    .filter((r) => r !== null && r.status === 'on_hold')
    .map((r) => r!);
  const [deals, names] = await Promise.all([
    cc.ctx.crm.deals([...new Set(records.map((r) => r.dealId).filter((id) => id !== ''))]),
    companyNames(
      cc.ctx,
      records.map((r) => r.partnerId),
    ),
  ]);
  const dealNames = new Map(deals.flatMap((d) => (d ? [[d.id, dealName(d)] as const] : [])));
  return records
    .sort((a, b) => compareIds(a.dealId, b.dealId) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => ({
      key: r.key,
      dealId: r.dealId,
      // Activity and bonus payouts have no deal: their label stands where the deal's name would.
      dealName: r.dealId === '' ? `${PAYOUT_ROLE_LABELS[r.role]} payout` : (dealNames.get(r.dealId) ?? `Deal ${r.dealId}`),
      partnerName: names.get(r.partnerId) ?? `Company ${r.partnerId}`,
      amount: formatMoney(r.amount, r.currency),
      holdReason: r.holdReason ?? 'on hold (no reason recorded on the payout)',
      explanation: r.explanation,
    }));
}

/** Partners whose `pp_commitment_status` is `at_risk` (written by the partner recompute), with their counts. */
async function atRiskCommitments(cc: CardContext): Promise<HomeView['commitmentsAtRisk']> {
  const config = cc.ctx.program.config;
  const records = await firstRecords(
    searchCompanies(cc.hs, {
      filterGroups: [{ filters: [{ propertyName: 'pp_commitment_status', operator: 'EQ', value: 'at_risk' }] }],
      properties: ['name', 'pp_co_marketing_tier', 'pp_campaigns_this_year', 'pp_content_this_year', 'pp_events_this_year', 'pp_commitment_status'],
    }),
  );
  return records
    .filter((r) => r.properties.pp_commitment_status === 'at_risk')
    .flatMap((r) => {
      const tier = r.properties.pp_co_marketing_tier as CoMarketingTier | undefined;
      const minimums = tier ? config.commitments[tier] : undefined;
      if (!minimums) return [];
      const counts = {
        campaigns: Number(r.properties.pp_campaigns_this_year ?? 0),
        contentPieces: Number(r.properties.pp_content_this_year ?? 0),
        events: Number(r.properties.pp_events_this_year ?? 0),
      };
      return [{ companyId: r.id, companyName: r.properties.name?.trim() || `Company ${r.id}`, summary: commitmentSummary({ counts, minimums }) }];
    })
    .sort((a, b) => compareIds(a.companyId, b.companyId));
}

/** Activities waiting for a decision (docs/program.md#activities-retainers-and-bonuses); none without the activity services. */
async function activityQueue(cc: CardContext): Promise<HomeView['activitiesAwaiting']> {
  if (!cc.activities) return [];
  const waiting = await activitiesAwaitingDecision(cc.activities, CARD_LIST_LIMIT).catch((err: unknown) => {
    // A portal without the pp_activity object has nothing to decide.
    if (err instanceof PayoutSchemaMissingError) return [];
    throw err;
  });
  const names = await companyNames(
    cc.ctx,
    waiting.flatMap((a) => (a.companyId ? [a.companyId] : [])),
  );
  return waiting.map((a) => ({
    id: a.id,
    type: a.type,
    typeLabel: isActivityType(a.type) ? ACTIVITY_TYPE_LABELS[a.type] : a.type,
    name: a.name,
    date: a.date,
    companyId: a.companyId,
    companyName: a.companyId ? (names.get(a.companyId) ?? `Company ${a.companyId}`) : 'no single partner company (fix its association)',
  }));
}

const dealName = (record: { id: string; properties: Record<string, string | null | undefined> }): string =>
  record.properties.dealname?.trim() || `Deal ${record.id}`;

async function companyNames(ctx: SyncContext, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const records = await ctx.crm.companies(unique);
  return new Map(records.flatMap((c) => (c ? [[c.id, c.properties.name?.trim() || `Company ${c.id}`] as const] : [])));
}
