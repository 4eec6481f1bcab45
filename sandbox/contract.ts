/**
 * The app's CRM contract in a sandbox portal, made with the very request bodies `npm run provision` sends
 * (src/hubspot/schema-admin.ts): the `pp_partner_program` group and properties on companies and deals, the
 * five deal → company labels, and the `pp_payout` and `pp_activity` custom objects. Idempotent: what exists is left alone, so
 * provisioning a seeded portal finds nothing to do.
 */
import {
  ACTIVITY_OBJECT,
  ACTIVITY_PROPERTIES,
  ASSOCIATION_LABELS,
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  DEAL_PROPERTIES,
  PAYOUT_OBJECT,
  PROPERTY_GROUP,
} from '../src/hubspot/properties.js';
import { customObjectSchemaBody, payoutSchemaBody, propertyCreateBody } from '../src/hubspot/schema-admin.js';
import type { PartnerRole } from '../src/engine/types.js';
import { parseBody } from './api/http.js';
import { propertyCreateSchema, schemaCreateSchema } from './api/routes/portal.js';
import type { SandboxStore } from './api/store.js';

export interface AppContractIds {
  /** `2-…` of the pp_payout custom object. */
  payoutObjectTypeId: string;
  /** `2-…` of the pp_activity custom object. */
  activityObjectTypeId: string;
  /** Deal → company label type ids of this portal, by internal name. */
  labelTypeIds: Record<PartnerRole, number>;
}

export function ensureAppContract(store: SandboxStore): AppContractIds {
  for (const [objectType, defs] of [
    ['companies', COMPANY_PROPERTIES],
    ['deals', DEAL_PROPERTIES],
    ['contacts', CONTACT_PROPERTIES],
  ] as const) {
    if (!store.listGroups(objectType).some((g) => g.name === PROPERTY_GROUP.name)) {
      store.createGroup(objectType, { name: PROPERTY_GROUP.name, label: PROPERTY_GROUP.label });
    }
    for (const def of defs) {
      if (store.findProperty(objectType, def.name)) continue;
      store.createProperty(objectType, parseBody(propertyCreateSchema, propertyCreateBody(def)));
    }
  }

  const existing = new Set(store.definitionsBetween('deals', 'companies').map((d) => d.name));
  for (const l of ASSOCIATION_LABELS) {
    if (!existing.has(l.name)) store.createLabel('deals', 'companies', { label: l.label, name: l.name, inverseLabel: l.inverseLabel });
  }

  const payout = store.listSchemas().find((s) => s.name === PAYOUT_OBJECT.name) ?? store.createSchema(parseBody(schemaCreateSchema, payoutSchemaBody()));

  const activity =
    store.listSchemas().find((s) => s.name === ACTIVITY_OBJECT.name) ??
    store.createSchema(parseBody(schemaCreateSchema, customObjectSchemaBody(ACTIVITY_OBJECT, ACTIVITY_PROPERTIES)));

  const labelTypeIds = Object.fromEntries(ASSOCIATION_LABELS.map((l) => [l.name, store.labelTypeId('deals', 'companies', l.name)])) as Record<
    PartnerRole,
    number
  >;
  return { payoutObjectTypeId: payout.objectTypeId, activityObjectTypeId: activity.objectTypeId, labelTypeIds };
}
