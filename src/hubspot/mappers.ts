/**
 * HubSpot records ⇄ engine data. The only place that knows both the CRM property names and the engine types.
 * Values from HubSpot are strings (or null); the engine keeps enumerations raw so unknown values get a reason.
 */
import type { Activity } from '../engine/activities.js';
import { dealIdOfKey, parsePayoutKey, partnerIdOfKey } from '../engine/payout-keys.js';
import {
  PARTNER_ROLES,
  PAYOUT_ROLES,
  PROGRAM_COMPONENTS,
  REGISTRATION_STATUSES,
  type ProgramComponent,
  type DealPartner,
  type DealSnapshot,
  type PartnerCompany,
  type PartnerRole,
  type PayoutRecord,
  type PayoutRole,
  type Registration,
  type RegistrationStatus,
} from '../engine/types.js';
import { compareIds } from '../engine/ids.js';
import { parseMoney, toMajorString } from '../engine/money.js';
import { ASSOCIATION_LABELS, HUBSPOT_ASSOCIATION_TYPES } from './properties.js';

export type Properties = Record<string, string | null | undefined>;

export interface AssociationType {
  category: string;
  typeId: number;
  label: string | null;
}

export interface AssociatedCompany {
  companyId: string;
  types: AssociationType[];
}

/** The portal's deal→company label type ids, resolved by name at start-up. */
export type RoleByTypeId = ReadonlyMap<number, PartnerRole>;

export interface StageSets {
  closedWon: ReadonlySet<string>;
  closedLost: ReadonlySet<string>;
}

const text = (v: string | null | undefined): string | null => (v === undefined || v === null || v.trim() === '' ? null : v);
const bool = (v: string | null | undefined): boolean => v === 'true';

/** HubSpot datetimes arrive as ISO 8601 or epoch-ms strings; dates as YYYY-MM-DD. */
export function parseInstant(v: string | null | undefined): number | null {
  const t = text(v);
  if (t === null) return null;
  if (/^\d+$/.test(t)) return Number(t);
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

export function formatInstant(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

export function toPartnerCompany(id: string, p: Properties): PartnerCompany {
  return {
    id,
    name: text(p.name) ?? `Company ${id}`,
    partnerType: text(p.pp_partner_type),
    consultantCount: text(p.pp_consultant_count),
    annualCoMarketingInvestment: text(p.pp_annual_co_marketing_investment),
    commitmentYears: text(p.pp_commitment_years),
    annualSalesVolumePotential: text(p.pp_annual_sales_volume_potential),
    agreementSigned: bool(p.pp_agreement_signed),
    baaSigned: bool(p.pp_baa_signed),
    lifecycleStage: text(p.lifecyclestage),
    createdAt: parseInstant(p.createdate),
  };
}

export function toRegistration(p: Properties): Registration | null {
  const status = text(p.pp_registration_status);
  const partnerId = text(p.pp_registered_partner_id);
  if (!status || !partnerId) return null;
  // An unknown status is treated as no registration rather than guessed; the card shows the raw value.
  if (!(REGISTRATION_STATUSES as readonly string[]).includes(status)) return null;
  const conflict = text(p.pp_registration_conflict);
  const [conflictDealId, conflictPartnerId] = conflict?.split(':') ?? [];
  return {
    status: status as RegistrationStatus,
    partnerId,
    submittedAt: parseInstant(p.pp_registration_submitted_at),
    submittedBy: text(p.pp_registration_submitted_by),
    decidedAt: parseInstant(p.pp_registration_decided_at),
    decidedBy: text(p.pp_registration_decided_by),
    protectionExpiresAt: parseInstant(p.pp_protection_expires_at),
    reason: text(p.pp_registration_reason),
    conflict: conflictDealId && conflictPartnerId ? { dealId: conflictDealId, partnerId: conflictPartnerId } : null,
  };
}

/** The registration as deal properties; `""` clears a property (HubSpot's way to unset). */
export function registrationProperties(reg: Registration): Record<string, string> {
  return {
    pp_registration_status: reg.status,
    pp_registered_partner_id: reg.partnerId,
    pp_registration_submitted_at: formatInstant(reg.submittedAt),
    pp_registration_submitted_by: reg.submittedBy ?? '',
    pp_registration_decided_at: formatInstant(reg.decidedAt),
    pp_registration_decided_by: reg.decidedBy ?? '',
    pp_protection_expires_at: formatInstant(reg.protectionExpiresAt),
    pp_registration_reason: reg.reason ?? '',
    pp_registration_conflict: reg.conflict ? `${reg.conflict.dealId}:${reg.conflict.partnerId}` : '',
  };
}

/** Resolve the portal's label type ids to roles, by internal name when HubSpot gives it, else by label. */
export function resolveRoleTypeIds(labels: { typeId: number; label: string | null; name?: string | null }[]): Map<number, PartnerRole> {
  const byName = new Map<string, PartnerRole>(ASSOCIATION_LABELS.map((l) => [l.name, l.name]));
  const byLabel = new Map<string, PartnerRole>(ASSOCIATION_LABELS.map((l) => [l.label.toLowerCase(), l.name]));
  const out = new Map<number, PartnerRole>();
  for (const l of labels) {
    const role = (l.name ? byName.get(l.name) : undefined) ?? (l.label ? byLabel.get(l.label.toLowerCase()) : undefined);
    if (role) out.set(l.typeId, role);
  }
  return out;
}

export function rolesOf(types: AssociationType[], roleByTypeId: RoleByTypeId): PartnerRole[] {
  const roles = new Set<PartnerRole>();
  for (const t of types) {
    const role = roleByTypeId.get(t.typeId);
    if (role) roles.add(role);
  }
  return PARTNER_ROLES.filter((r) => roles.has(r));
}

/**
 * docs/program.md#deal-partners-and-association-labels: the customer company is the primary associated company, or else the associated company without
 * any pp_ label with the lowest id. A partner company is never the customer.
 */
export function customerCompanyOf(associations: AssociatedCompany[], roleByTypeId: RoleByTypeId): string | null {
  const unlabelled = associations.filter((a) => rolesOf(a.types, roleByTypeId).length === 0);
  const primary = associations.find((a) => a.types.some((t) => t.typeId === HUBSPOT_ASSOCIATION_TYPES.dealToCompanyPrimary));
  if (primary && rolesOf(primary.types, roleByTypeId).length === 0) return primary.companyId;
  const sorted = unlabelled.map((a) => a.companyId).sort(compareIds);
  return sorted[0] ?? null;
}

export function partnersOf(associations: AssociatedCompany[], companies: ReadonlyMap<string, Properties>, roleByTypeId: RoleByTypeId): DealPartner[] {
  const partners: DealPartner[] = [];
  for (const a of [...associations].sort((x, y) => compareIds(x.companyId, y.companyId))) {
    const roles = rolesOf(a.types, roleByTypeId);
    const props = companies.get(a.companyId);
    if (roles.length === 0 || !props) continue;
    partners.push({ company: toPartnerCompany(a.companyId, props), roles });
  }
  return partners;
}

export function toDealSnapshot(id: string, p: Properties, ctx: { stages: StageSets; customerCompanyId: string | null }): DealSnapshot {
  const stage = text(p.dealstage);
  return {
    id,
    name: text(p.dealname) ?? `Deal ${id}`,
    amount: text(p.amount),
    firstYearContractValue: text(p.pp_first_year_contract_value),
    currency: text(p.deal_currency_code),
    dealType: text(p.pp_deal_type),
    referralKind: text(p.pp_referral_kind),
    dealstage: stage,
    pipeline: text(p.pipeline),
    closeDate: parseInstant(p.closedate),
    createDate: parseInstant(p.createdate),
    isClosedWon: stage !== null && ctx.stages.closedWon.has(stage),
    isClosedLost: stage !== null && ctx.stages.closedLost.has(stage),
    customerCompanyId: ctx.customerCompanyId,
    registration: toRegistration(p),
    clientSatisfaction: text(p.pp_client_satisfaction),
    leadQualityScore: text(p.pp_lead_quality_score),
  };
}

export { compareIds };

/** A payout record as `pp_payout` properties (money in major units of its currency). */
export function payoutProperties(r: PayoutRecord): Record<string, string> {
  return {
    pp_payout_key: r.key,
    pp_deal_id: r.dealId,
    pp_partner_id: r.partnerId,
    pp_role: r.role,
    pp_amount: toMajorString(r.amount, r.currency),
    pp_currency: r.currency,
    pp_status: r.status,
    pp_hold_reason: r.holdReason ?? '',
    pp_explanation: r.explanation,
    pp_basis: r.basis === null ? '' : toMajorString(r.basis, r.currency),
    pp_rate_bps: r.rateBps === null ? '' : String(r.rateBps),
    pp_flat_fee: r.flatFee === null ? '' : toMajorString(r.flatFee, r.currency),
    pp_frozen_at: formatInstant(r.frozenAt),
    pp_program_version: r.programVersion,
    pp_program_component: r.programComponent ?? '',
  };
}

const PAYOUT_STATUS_SET = new Set(['scheduled', 'on_hold', 'approved', 'paid', 'reversed']);

/** A `pp_payout` record back into engine data; null when it is not one of ours (missing key fields). */
export function toPayoutRecord(p: Properties): PayoutRecord | null {
  const key = text(p.pp_payout_key);
  const currency = text(p.pp_currency);
  const role = text(p.pp_role);
  const status = text(p.pp_status);
  if (!key || !currency || !role || !status || !PAYOUT_STATUS_SET.has(status)) return null;
  if (!(PAYOUT_ROLES as readonly string[]).includes(role)) return null;
  const parsed = parsePayoutKey(key);
  if (!parsed) return null;
  const money = (v: string | null | undefined) => parseMoney(text(v), currency);
  return {
    key,
    dealId: text(p.pp_deal_id) ?? dealIdOfKey(parsed) ?? '',
    partnerId: text(p.pp_partner_id) ?? partnerIdOfKey(parsed) ?? '',
    role: role as PayoutRole,
    kind: parsed.kind,
    amount: money(p.pp_amount) ?? 0,
    currency,
    status: status as PayoutRecord['status'],
    holdReason: text(p.pp_hold_reason),
    explanation: text(p.pp_explanation) ?? '',
    basis: money(p.pp_basis),
    rateBps: text(p.pp_rate_bps) === null ? null : Number(p.pp_rate_bps),
    flatFee: money(p.pp_flat_fee),
    frozenAt: parseInstant(p.pp_frozen_at) ?? 0,
    programVersion: text(p.pp_program_version) ?? '',
    programComponent: (PROGRAM_COMPONENTS as readonly string[]).includes(text(p.pp_program_component) ?? '')
      ? (text(p.pp_program_component) as ProgramComponent)
      : null,
  };
}

/** A HubSpot date property (`2026-03-05`, or midnight UTC in epoch ms) as an ISO day; null when unset or unreadable. */
export function parseDay(v: string | null | undefined): string | null {
  const t = text(v);
  if (t === null) return null;
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) return t.slice(0, 10);
  if (/^\d+$/.test(t)) return new Date(Number(t)).toISOString().slice(0, 10);
  return null;
}

/**
 * A `pp_activity` record into engine data. The amount is in the portal currency; one that is not a number reads as
 * NaN, which equals nothing the app wrote, so it is put back rather than guessed. The company is the one associated
 * company, null with none or several.
 */
export function toActivity(id: string, p: Properties, companyIds: readonly string[], portalCurrency: string): Activity {
  let amount: number | null;
  try {
    amount = parseMoney(text(p.pp_activity_amount), portalCurrency, 'activity amount');
  } catch {
    amount = Number.NaN;
  }
  return {
    id,
    type: text(p.pp_activity_type) ?? '',
    name: text(p.pp_activity_name) ?? '',
    date: parseDay(p.pp_activity_date),
    status: text(p.pp_activity_status) ?? '',
    amount,
    companyId: companyIds.length === 1 ? companyIds[0]! : null,
  };
}

/** Engine values back into `pp_activity` properties (only the fields given). */
export function activityProperties(
  values: Partial<Pick<Activity, 'status' | 'amount' | 'type' | 'date' | 'name'>>,
  portalCurrency: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (values.status !== undefined) out.pp_activity_status = values.status;
  if (values.amount !== undefined) out.pp_activity_amount = values.amount === null ? '' : toMajorString(values.amount, portalCurrency);
  if (values.type !== undefined) out.pp_activity_type = values.type;
  if (values.date !== undefined) out.pp_activity_date = values.date ?? '';
  if (values.name !== undefined) out.pp_activity_name = values.name;
  return out;
}
