/**
 * A deal as a registration decision needs it: its properties, its partners with their roles, its customer
 * company and its closed-won/closed-lost state. Lighter than `evaluateDeal` (no commission, no referral
 * counts): a decision changes registration properties only, and the recompute it enqueues does the rest.
 */
import type { DealPartner, DealSnapshot } from '../engine/types.js';
import { customerCompanyOf, partnersOf, rolesOf, toDealSnapshot, type Properties } from '../hubspot/mappers.js';
import type { CrmRecordLite } from '../hubspot/crm-access.js';
import type { SyncContext } from './sync-context.js';

export interface RegistrationDeal {
  record: CrmRecordLite;
  snapshot: DealSnapshot;
  partners: DealPartner[];
  /** Properties of the deal's partner companies, by id. */
  companies: Map<string, Properties>;
}

export async function loadRegistrationDeal(ctx: SyncContext, dealId: string): Promise<RegistrationDeal | null> {
  const record = await ctx.crm.deal(dealId);
  if (!record) return null;
  const [associations, roles, stages] = await Promise.all([ctx.crm.dealCompanies(dealId), ctx.portal.roles(), ctx.portal.stages()]);
  const partnerIds = associations.filter((a) => rolesOf(a.types, roles).length > 0).map((a) => a.companyId);
  const companies = new Map<string, Properties>();
  for (const c of await ctx.crm.companies(partnerIds)) if (c) companies.set(c.id, c.properties);
  const snapshot = toDealSnapshot(dealId, record.properties, { stages, customerCompanyId: customerCompanyOf(associations, roles) });
  return { record, snapshot, partners: partnersOf(associations, companies, roles), companies };
}

/** A company's display name: from what is already loaded, else read; `Company <id>` when HubSpot has none. */
export async function companyName(ctx: SyncContext, id: string, known: ReadonlyMap<string, Properties> = new Map()): Promise<string> {
  const props = known.get(id) ?? (await ctx.crm.company(id))?.properties;
  const name = props?.name?.trim();
  return name ? name : `Company ${id}`;
}
