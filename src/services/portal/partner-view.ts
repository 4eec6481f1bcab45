/**
 * What a signed-in partner sees, always for the ONE partner company of the session: its standing (tiers and
 * why, qualified referrals this quarter against the minimum, high-performer status), its referrals (the deals
 * it is on, with the registration, the protection and its OWN commission lines), and its payouts. Built from
 * the same services as the cards (evaluateDeal, partnerStanding, the stats store, the payout search): the
 * portal re-implements no rule. Another partner's lines and amounts are filtered out here, at the source.
 */
import { formatMoney } from '../../engine/money.js';
import { formatDay, protectionDaysLeft } from '../../engine/protection.js';
import { partnerStanding, type PartnerStanding } from '../../engine/tiers.js';
import type { CommissionLine, PayoutRecord, ProtectionStatus, RegistrationStatus } from '../../engine/types.js';
import { compareIds, toPartnerCompany, toPayoutRecord } from '../../hubspot/mappers.js';
import { searchPayouts } from '../../hubspot/payouts.js';
import { ROLE_LABELS } from '../../hubspot/properties.js';

import { evaluateDeal, type DealEvaluation } from '../evaluate-deal.js';
import { countOnce } from '../partner-referrals.js';
import { partnerHoldReason } from './hold-reason.js';
import type { PortalContext } from './portal-context.js';

/** Deal payouts name the partner's role; activity and bonus payouts (no deal) say what they pay for. */
const payoutRoleLabel = (role: PayoutRecord['role']): string => (role === 'activity' ? 'Activity' : role === 'bonus' ? 'Annual bonus' : ROLE_LABELS[role]);

/** A portal list stops here; a partner with more deals reads the rest in their statement. */
export const PORTAL_LIST_LIMIT = 200;

export interface ReferralView {
  dealId: string;
  dealName: string;
  customerName: string | null;
  stage: 'open' | 'won' | 'lost';
  /** Roles of this partner on the deal, as labels ("Referral partner"). */
  roles: string[];
  createdOn: string | null;
  registration: {
    status: RegistrationStatus;
    /** Whether this partner holds the registration (another partner's is shown only as "registered by another partner"). */
    own: boolean;
    reason: string | null;
  } | null;
  protection: ProtectionStatus;
  protectionEndsOn: string | null;
  daysLeft: number | null;
  /** Only this partner's lines. */
  lines: { role: string; amount: string; status: CommissionLine['status']; reason: string }[];
  expected: { amount: number; currency: string } | null;
  fromPortal: boolean;
}

export interface PortalHome {
  partner: { id: string; name: string; type: string | null };
  standing: PartnerStanding;
  quarterLabel: string;
  /** "3 of 4 — 1 more this quarter" */
  minimumText: string | null;
  highPerformerText: string;
  totals: { label: string; currency: string; amount: string; count: number; detail: string | null }[];
  agreements: { agreementSigned: boolean; baaSigned: boolean };
}

export interface PayoutView {
  key: string;
  dealId: string;
  dealName: string | null;
  role: string;
  status: PayoutRecord['status'];
  amount: string;
  amountMinor: number;
  currency: string;
  frozenOn: string;
  holdReason: string | null;
  explanation: string;
}

async function partnerRecord(pc: PortalContext, partnerId: string) {
  const record = await pc.ctx.crm.company(partnerId);
  return record ? toPartnerCompany(partnerId, record.properties) : null;
}

/** The partner's deals, each evaluated by the engine (shared by Home and Referrals; cached briefly). */
export function partnerEvaluations(pc: PortalContext, partnerId: string): Promise<DealEvaluation[]> {
  return pc.cache.get(`partner:${partnerId}:deals`, async () => {
    const dealIds = (await pc.ctx.crm.companyDeals(partnerId)).sort(compareIds).reverse().slice(0, PORTAL_LIST_LIMIT);
    const evaluations = await Promise.all(dealIds.map((id) => evaluateDeal(pc.ctx, id)));
    return evaluations.filter((ev): ev is DealEvaluation => ev !== null && ev.partners.some((p) => p.company.id === partnerId));
  });
}

export function referralView(pc: PortalContext, ev: DealEvaluation, partnerId: string, customerName: string | null): ReferralView {
  const config = pc.ctx.program.config;
  const now = pc.ctx.clock();
  const me = ev.partners.find((p) => p.company.id === partnerId);
  const reg = ev.snapshot.registration;
  const own = reg !== null && reg.partnerId === partnerId;
  const lines = ev.commission.lines.filter((l) => l.partnerId === partnerId);
  const payable = lines.filter((l) => l.status === 'payable');
  const stage = ev.snapshot.isClosedWon ? 'won' : ev.snapshot.isClosedLost ? 'lost' : 'open';
  return {
    dealId: ev.snapshot.id,
    dealName: ev.snapshot.name,
    customerName,
    stage,
    roles: (me?.roles ?? []).map((r) => ROLE_LABELS[r]),
    createdOn: ev.snapshot.createDate === null ? null : formatDay(ev.snapshot.createDate, config.timeZone),
    registration: reg === null ? null : { status: reg.status, own, reason: own ? partnerReason(reg.status, reg.reason) : null },
    // Another partner's registration protects them, not this partner: shown as none.
    protection: own ? ev.protection : 'none',
    protectionEndsOn: own && reg?.protectionExpiresAt ? formatDay(reg.protectionExpiresAt, config.timeZone) : null,
    daysLeft: own && !ev.snapshot.isClosedWon ? protectionDaysLeft(reg, now) : null,
    lines: lines.map((l) => ({
      role: ROLE_LABELS[l.role] + (l.kind === 'retention' ? ' · retention bonus' : ''),
      amount: formatMoney(l.amount, l.currency),
      status: l.status,
      reason: l.reason,
    })),
    expected: payable.length === 0 ? null : { amount: payable.reduce((s, l) => s + l.amount, 0), currency: ev.commission.currency },
    fromPortal: ev.record.properties.pp_referral_source === 'partner_portal',
  };
}

/**
 * The registration's reason as a partner may read it: a dispute names the other partner on the CRM timeline,
 * but the portal does not tell one partner about another's registration.
 */
function partnerReason(status: RegistrationStatus, reason: string | null): string | null {
  if (status === 'disputed')
    return 'Another partner holds a protected registration for this customer. A partner manager resolves the dispute; payouts wait until then.';
  return reason;
}

/** Customer names of the deals (one batch read). */
async function customerNames(pc: PortalContext, evaluations: DealEvaluation[]): Promise<Map<string, string>> {
  const ids = [...new Set(evaluations.flatMap((ev) => (ev.snapshot.customerCompanyId ? [ev.snapshot.customerCompanyId] : [])))];
  const records = await pc.ctx.crm.companies(ids);
  return new Map(records.flatMap((r) => (r ? [[r.id, r.properties.name?.trim() || `Company ${r.id}`] as [string, string]] : [])));
}

export async function listReferrals(pc: PortalContext, partnerId: string): Promise<ReferralView[]> {
  const evaluations = await partnerEvaluations(pc, partnerId);
  const names = await customerNames(pc, evaluations);
  return evaluations.map((ev) => referralView(pc, ev, partnerId, names.get(ev.snapshot.customerCompanyId ?? '') ?? null));
}

/**
 * One deal, only when the session's partner is on it (any partner role). Any other id, existing or not,
 * answers null: a guessed id learns nothing.
 */
export async function referralDetail(pc: PortalContext, partnerId: string, dealId: string): Promise<ReferralView | null> {
  const ev = await evaluateDeal(pc.ctx, dealId);
  if (ev === null || !ev.partners.some((p) => p.company.id === partnerId)) return null;
  const names = await customerNames(pc, [ev]);
  return referralView(pc, ev, partnerId, names.get(ev.snapshot.customerCompanyId ?? '') ?? null);
}

export async function listPayouts(pc: PortalContext, partnerId: string): Promise<PayoutView[]> {
  return pc.cache.get(`partner:${partnerId}:payouts`, async () => {
    const type = await pc.ctx.payouts.objectType();
    const records: PayoutRecord[] = [];
    for await (const page of searchPayouts(pc.hs, type, { partnerId })) {
      for (const raw of page) {
        const r = toPayoutRecord(raw.properties);
        // The search filter is the first guard; the record's own partner is the second.
        if (r !== null && r.partnerId === partnerId) records.push(r);
      }
      if (records.length >= 10_000) break;
    }
    const dealIds = [...new Set(records.map((r) => r.dealId).filter((id) => /^\d+$/.test(id)))];
    const deals = await pc.ctx.crm.deals(dealIds);
    const dealNames = new Map(deals.flatMap((d) => (d ? [[d.id, d.properties.dealname?.trim() || `Deal ${d.id}`] as [string, string]] : [])));
    const tz = pc.ctx.program.config.timeZone;
    return records
      .sort((a, b) => b.frozenAt - a.frozenAt || (a.key < b.key ? -1 : 1))
      .map((r) => ({
        key: r.key,
        dealId: r.dealId,
        dealName: dealNames.get(r.dealId) ?? null,
        role: payoutRoleLabel(r.role) + (r.kind === 'retention' ? ' · retention bonus' : r.kind === 'adjustment' ? ' · adjustment' : ''),
        status: r.status,
        amount: formatMoney(r.amount, r.currency),
        amountMinor: r.amount,
        currency: r.currency,
        frozenOn: formatDay(r.frozenAt, tz),
        holdReason: r.status === 'on_hold' ? partnerHoldReason(r.holdReason) : null,
        explanation: r.explanation,
      }));
  });
}

export async function buildPortalHome(pc: PortalContext, partnerId: string): Promise<PortalHome | null> {
  const { ctx } = pc;
  const company = await partnerRecord(pc, partnerId);
  if (company === null) return null;
  const quarter = ctx.stats.quarter(ctx.clock());
  const record = await ctx.crm.company(partnerId);
  const count = (await ctx.stats.isCounted(partnerId, quarter))
    ? await ctx.stats.count(partnerId, quarter)
    : await countOnce(ctx, partnerId, record?.properties ?? {}, quarter);
  const standing = partnerStanding(company, count, ctx.program.config);
  const [referrals, payouts] = await Promise.all([listReferrals(pc, partnerId), listPayouts(pc, partnerId)]);
  return {
    partner: { id: partnerId, name: company.name, type: company.partnerType },
    standing,
    quarterLabel: quarter.label,
    minimumText: minimumText(standing),
    highPerformerText: highPerformerText(standing, ctx.program.config.highPerformer.thresholdPercent),
    totals: totals(referrals, payouts),
    agreements: { agreementSigned: company.agreementSigned, baaSigned: company.baaSigned },
  };
}

/** "3 of 4 — 1 more this quarter" / "4 of 4 — minimum met". */
export function minimumText(s: PartnerStanding): string | null {
  if (s.quarterlyMinimum === null) return null;
  const n = s.referralsThisQuarter;
  const min = s.quarterlyMinimum;
  if (n >= min) return `${n} of ${min} — minimum met`;
  return `${n} of ${min} — ${min - n} more this quarter`;
}

/** High-performer status and what it takes: count × 100 ≥ minimum × threshold%. */
export function highPerformerText(s: PartnerStanding, thresholdPercent: number): string {
  if (s.quarterlyMinimum === null || s.quarterlyMinimum === 0) return s.highPerformer.reason;
  const needed = Math.ceil((s.quarterlyMinimum * thresholdPercent) / 100);
  if (s.highPerformer.value)
    return `High performer this quarter (${s.referralsThisQuarter} qualified referrals; ${needed} needed): +2 points on this quarter's open referral deals.`;
  const more = needed - s.referralsThisQuarter;
  return `Not yet a high performer: ${needed} qualified referrals this quarter make you one (${more} more).`;
}

function totals(referrals: ReferralView[], payouts: PayoutView[]): PortalHome['totals'] {
  const rows = new Map<string, { label: string; currency: string; amount: number; count: number; details: Set<string> }>();
  const add = (label: string, currency: string, amount: number, detail?: string) => {
    const key = `${label}:${currency}`;
    const row = rows.get(key) ?? { label, currency, amount: 0, count: 0, details: new Set<string>() };
    row.amount += amount;
    row.count += 1;
    if (detail) row.details.add(detail);
    rows.set(key, row);
  };
  for (const r of referrals) if (r.stage === 'open' && r.expected) add('Expected on open deals', r.expected.currency, r.expected.amount);
  const labels: Partial<Record<PayoutRecord['status'], string>> = {
    scheduled: 'Scheduled',
    on_hold: 'On hold',
    approved: 'Approved for payment',
    paid: 'Paid',
  };
  for (const p of payouts) {
    const label = labels[p.status];
    if (label) add(label, p.currency, p.amountMinor, p.holdReason ?? undefined);
  }
  const order = ['Expected on open deals', 'Scheduled', 'On hold', 'Approved for payment', 'Paid'];
  return [...rows.values()]
    .sort((a, b) => order.indexOf(a.label) - order.indexOf(b.label) || (a.currency < b.currency ? -1 : 1))
    .map((r) => ({
      label: r.label,
      currency: r.currency,
      amount: formatMoney(r.amount, r.currency),
      count: r.count,
      detail: r.details.size > 0 ? [...r.details].join(' ') : null,
    }));
}
