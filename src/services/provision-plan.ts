/**
 * What `npm run provision` would do to a portal, as a pure function of what the portal already has: the CRM
 * contract of src/hubspot/properties.ts (group, properties, deal→company labels, the pp_payout object) against
 * the definitions read from HubSpot. Only missing definitions become actions; an existing definition that
 * differs in a way the app depends on is a conflict, explained, and never overwritten: other integrations,
 * reports and workflows may rely on it as it is.
 */
import type { AssociationLabel } from '../hubspot/associations.js';
import {
  ACTIVITY_OBJECT,
  ACTIVITY_PROPERTIES,
  ASSOCIATION_LABELS,
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  DEAL_PROPERTIES,
  PAYOUT_OBJECT,
  PAYOUT_PROPERTIES,
  PROPERTY_GROUP,
  type PropertyDefinition,
} from '../hubspot/properties.js';
import type { PropertySummary } from '../hubspot/schema-admin.js';

export type CrmObjectType = 'deals' | 'companies' | 'contacts';

export type AssociationLabelDefinition = (typeof ASSOCIATION_LABELS)[number];

export type PayoutSchemaState =
  | { status: 'absent' }
  /** HubSpot refused to list custom object schemas (403: no Enterprise subscription, or a missing scope). */
  | { status: 'unreadable'; reason: string }
  | {
      status: 'present';
      /** `2-…`: what the properties API takes for this object. */
      objectTypeId: string;
      properties: PropertySummary[];
      groupNames: string[];
      /** The standard objects pp_payout has an association type with. */
      associatedWith: CrmObjectType[];
    };

/** The definitions of a portal that provisioning looks at. */
export interface PortalState {
  groupNames: Record<CrmObjectType, string[]>;
  properties: Record<CrmObjectType, PropertySummary[]>;
  labels: {
    /** Deal → company association types (what the app reads roles from). */
    dealToCompany: AssociationLabel[];
    /** Company → deal association types: where an inverse label shows. */
    companyToDeal: AssociationLabel[];
  };
  payout: PayoutSchemaState;
  /** The `pp_activity` object, read like `payout`. */
  activity: PayoutSchemaState;
}

export type ProvisionAction =
  | { kind: 'create-group'; subject: string; objectType: CrmObjectType }
  | {
      kind: 'create-property';
      subject: string;
      /** `deals`, `companies`, or the pp_payout objectTypeId. */
      objectType: string;
      groupName: string;
      definition: PropertyDefinition;
      /** Set when the group is created by an earlier action of the same plan (a failed group skips this). */
      dependsOnGroupOf?: CrmObjectType;
    }
  | { kind: 'create-label'; subject: string; label: AssociationLabelDefinition }
  | { kind: 'create-schema'; subject: string; object: typeof PAYOUT_OBJECT.name | typeof ACTIVITY_OBJECT.name };

export interface ProvisionConflict {
  subject: string;
  problem: string;
}

export interface ProvisionPlan {
  /** In the order they must run: groups before their properties. */
  actions: ProvisionAction[];
  /** Definitions already in the portal as the app needs them. */
  present: string[];
  conflicts: ProvisionConflict[];
}

const NOUN: Record<CrmObjectType, string> = { deals: 'deal', companies: 'company', contacts: 'contact' };
const CONTRACT: { objectType: CrmObjectType; properties: PropertyDefinition[] }[] = [
  { objectType: 'companies', properties: COMPANY_PROPERTIES },
  { objectType: 'deals', properties: DEAL_PROPERTIES },
  // pp_portal_access: who may sign in to the partner portal (docs/program.md#partner-portal).
  { objectType: 'contacts', properties: CONTACT_PROPERTIES },
];
/** PAYOUT_OBJECT.associatedObjects names the standard objects in HubSpot's schema spelling. */
const PAYOUT_ASSOCIATIONS: Record<(typeof PAYOUT_OBJECT.associatedObjects)[number], CrmObjectType> = { DEAL: 'deals', COMPANY: 'companies' };

export const groupSubject = (objectType: CrmObjectType): string => `property group ${PROPERTY_GROUP.name} on ${objectType}`;
export const propertySubject = (owner: string, name: string): string => `${owner} property ${name}`;
export const labelSubject = (l: AssociationLabelDefinition): string => `deal→company label ${l.name} ("${l.label}" / inverse "${l.inverseLabel}")`;
export const PAYOUT_SCHEMA_SUBJECT = `custom object ${PAYOUT_OBJECT.name}`;
export const ACTIVITY_SCHEMA_SUBJECT = `custom object ${ACTIVITY_OBJECT.name}`;

const sameText = (a: string | null, b: string): boolean => a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();
const shape = (type: string, fieldType: string): string => `${type} (${fieldType})`;

/**
 * What is wrong with an existing property for the app's use of it; empty when it will do. Labels, descriptions,
 * groups and extra enumeration options are the portal's own business: the app reads and writes values only.
 */
export function propertyProblems(existing: PropertySummary, wanted: PropertyDefinition): string[] {
  const problems: string[] = [];
  if (existing.type !== wanted.type || existing.fieldType !== wanted.fieldType) {
    const options = wanted.type === 'enumeration' ? ` with options ${(wanted.options ?? []).map((o) => o.value).join(', ')}` : '';
    problems.push(
      `it is ${shape(existing.type, existing.fieldType)}, the app needs ${shape(wanted.type, wanted.fieldType)}${options}; ` +
        'HubSpot does not change the type of a property that holds values, so rename or delete it in HubSpot and run provision again',
    );
  } else if (wanted.type === 'enumeration') {
    const have = new Set(existing.options.map((o) => o.value));
    const missing = (wanted.options ?? []).map((o) => o.value).filter((v) => !have.has(v));
    if (missing.length > 0) {
      problems.push(
        `it lacks the option${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which the app reads or writes; add ${missing.length > 1 ? 'them' : 'it'} to the property in HubSpot (internal value exactly as shown)`,
      );
    }
  }
  if (wanted.hasUniqueValue === true && !existing.hasUniqueValue) {
    problems.push(
      'it does not require unique values, and the app upserts on it (a repeat must never pay twice); HubSpot cannot make an existing ' +
        `property unique, so while ${PAYOUT_OBJECT.name} holds no records delete the object in HubSpot and run provision again`,
    );
  } else if (wanted.hasUniqueValue !== true && existing.hasUniqueValue) {
    problems.push('it requires unique values, but the app writes the same value on many records; delete it in HubSpot and run provision again');
  }
  return problems;
}

function checkProperty(
  plan: ProvisionPlan,
  subject: string,
  existing: PropertySummary | undefined,
  wanted: PropertyDefinition,
  create: () => ProvisionAction | ProvisionConflict,
  opts: { listWhenPresent: boolean } = { listWhenPresent: true },
): void {
  if (existing === undefined) {
    const next = create();
    if ('kind' in next) plan.actions.push(next);
    else plan.conflicts.push(next);
    return;
  }
  const problems = propertyProblems(existing, wanted);
  if (problems.length > 0) plan.conflicts.push({ subject, problem: problems.join('; ') });
  else if (opts.listWhenPresent) plan.present.push(subject);
}

function planCrmProperties(plan: ProvisionPlan, portal: PortalState): void {
  for (const { objectType } of CONTRACT) {
    if (portal.groupNames[objectType].includes(PROPERTY_GROUP.name)) plan.present.push(groupSubject(objectType));
    else plan.actions.push({ kind: 'create-group', subject: groupSubject(objectType), objectType });
  }
  for (const { objectType, properties } of CONTRACT) {
    const groupIsNew = !portal.groupNames[objectType].includes(PROPERTY_GROUP.name);
    for (const def of properties) {
      const subject = propertySubject(NOUN[objectType], def.name);
      checkProperty(
        plan,
        subject,
        portal.properties[objectType].find((p) => p.name === def.name),
        def,
        () => ({
          kind: 'create-property',
          subject,
          objectType,
          groupName: PROPERTY_GROUP.name,
          definition: def,
          ...(groupIsNew ? { dependsOnGroupOf: objectType } : {}),
        }),
      );
    }
  }
}

/**
 * Labels are matched on their display label, as the sync resolves roles (mappers.ts `resolveRoleTypeIds`):
 * the labels API never returns the internal name. The inverse is checked on the company → deal side, where
 * HubSpot lists it; a single (unpaired) label shows its own text there.
 */
function planLabels(plan: ProvisionPlan, portal: PortalState): void {
  for (const wanted of ASSOCIATION_LABELS) {
    const subject = labelSubject(wanted);
    if (!portal.labels.dealToCompany.some((l) => sameText(l.label, wanted.label))) {
      plan.actions.push({ kind: 'create-label', subject, label: wanted });
      continue;
    }
    if (portal.labels.companyToDeal.some((l) => sameText(l.label, wanted.inverseLabel))) {
      plan.present.push(subject);
      continue;
    }
    plan.conflicts.push({
      subject,
      problem:
        `the deal→company label "${wanted.label}" exists, but no company→deal label reads "${wanted.inverseLabel}": it has another ` +
        'inverse label or none (a single label). Roles still sync (the app reads the deal side); for company records to read right, ' +
        `edit the label in HubSpot's deal association settings into the pair "${wanted.label}" / "${wanted.inverseLabel}"`,
    });
  }
}

interface CustomObjectContract {
  object: typeof PAYOUT_OBJECT | typeof ACTIVITY_OBJECT;
  properties: PropertyDefinition[];
  subject: string;
  /** What the app cannot do without it, for the conflict message. */
  without: string;
  /** Its records, in words. */
  noun: string;
}

const CUSTOM_OBJECT_CONTRACTS: { state: (p: PortalState) => PayoutSchemaState; contract: CustomObjectContract }[] = [
  {
    state: (p) => p.payout,
    contract: {
      object: PAYOUT_OBJECT,
      properties: PAYOUT_PROPERTIES,
      subject: PAYOUT_SCHEMA_SUBJECT,
      without: 'the app computes commissions but cannot record payouts',
      noun: 'payouts',
    },
  },
  {
    state: (p) => p.activity,
    contract: {
      object: ACTIVITY_OBJECT,
      properties: ACTIVITY_PROPERTIES,
      subject: ACTIVITY_SCHEMA_SUBJECT,
      without: 'partner activities cannot be recorded or paid',
      noun: 'activities',
    },
  },
];

function objectGroup(state: Extract<PayoutSchemaState, { status: 'present' }>, c: CustomObjectContract): string | undefined {
  const names = new Set(c.properties.map((p) => p.name));
  return (
    state.properties.find((p) => names.has(p.name))?.groupName ?? state.groupNames.find((g) => g === `${c.object.name}_information`) ?? state.groupNames[0]
  );
}

function planCustomObject(plan: ProvisionPlan, state: PayoutSchemaState, c: CustomObjectContract): void {
  if (state.status === 'absent') {
    plan.actions.push({ kind: 'create-schema', subject: c.subject, object: c.object.name });
    return;
  }
  if (state.status === 'unreadable') {
    plan.conflicts.push({
      subject: c.subject,
      problem:
        `HubSpot refused to list custom object schemas (${state.reason}). Custom objects need an Enterprise subscription and a token ` +
        `with crm.schemas.custom.read and crm.schemas.custom.write; until ${c.object.name} exists ${c.without}`,
    });
    return;
  }

  plan.present.push(c.subject);
  const group = objectGroup(state, c);
  for (const def of c.properties) {
    const subject = propertySubject(c.object.name, def.name);
    checkProperty(
      plan,
      subject,
      state.properties.find((p) => p.name === def.name),
      def,
      () =>
        group === undefined
          ? { subject, problem: `${c.object.name} has no property group to add it to; add the property in HubSpot` }
          : { kind: 'create-property', subject, objectType: state.objectTypeId, groupName: group, definition: def },
      // The object counts as one definition when present, as it is one creation when absent.
      { listWhenPresent: false },
    );
  }
  for (const target of c.object.associatedObjects.map((o) => PAYOUT_ASSOCIATIONS[o])) {
    if (state.associatedWith.includes(target)) continue;
    plan.conflicts.push({
      subject: `${c.subject} association with ${target}`,
      problem: `${c.object.name} has no association with ${target}, so ${c.noun} cannot be linked to their ${NOUN[target]}; add it in HubSpot's settings of the ${c.object.labels.plural} object (associations)`,
    });
  }
}

/** The whole plan: missing definitions to create, in order, and what is present or in conflict. */
export function planProvisioning(portal: PortalState): ProvisionPlan {
  const plan: ProvisionPlan = { actions: [], present: [], conflicts: [] };
  planCrmProperties(plan, portal);
  planLabels(plan, portal);
  for (const { state, contract } of CUSTOM_OBJECT_CONTRACTS) planCustomObject(plan, state(portal), contract);
  return plan;
}
