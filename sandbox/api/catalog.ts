/**
 * What a fresh HubSpot portal already has before the app provisions anything: the standard object types,
 * their HubSpot-defined properties and groups, the two deal pipelines, and the HUBSPOT_DEFINED association
 * types. Only what the app (and a demo) reads is here; the ids and names are HubSpot's own.
 */

export interface ObjectTypeInfo {
  /** `0-3`, `2-1000001` … */
  objectTypeId: string;
  /** API name: `deals`, or a custom object's `name`. */
  name: string;
  /** Singular upper-case name used in association type names and webhooks (`DEAL`, `COMPANY`). */
  singular: string;
  /** `p<portalId>_<name>` for custom objects. */
  fullyQualifiedName: string | null;
  custom: boolean;
  /** The property that holds the creation time (`createdate` on deals/companies/contacts, else `hs_createdate`). */
  createdProperty: string;
  /** Properties returned when a read names none. */
  defaultProperties: string[];
}

export const STANDARD_OBJECT_TYPES: ObjectTypeInfo[] = [
  {
    objectTypeId: '0-1',
    name: 'contacts',
    singular: 'CONTACT',
    fullyQualifiedName: null,
    custom: false,
    createdProperty: 'createdate',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  },
  {
    objectTypeId: '0-2',
    name: 'companies',
    singular: 'COMPANY',
    fullyQualifiedName: null,
    custom: false,
    createdProperty: 'createdate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  },
  {
    objectTypeId: '0-3',
    name: 'deals',
    singular: 'DEAL',
    fullyQualifiedName: null,
    custom: false,
    createdProperty: 'createdate',
    defaultProperties: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
  },
  {
    objectTypeId: '0-46',
    name: 'notes',
    singular: 'NOTE',
    fullyQualifiedName: null,
    custom: false,
    createdProperty: 'hs_createdate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  },
];

/** Names HubSpot also accepts for the standard types in paths and association endpoints. */
export const STANDARD_TYPE_ALIASES: Record<string, string> = {
  contact: '0-1',
  contacts: '0-1',
  company: '0-2',
  companies: '0-2',
  deal: '0-3',
  deals: '0-3',
  note: '0-46',
  notes: '0-46',
};

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

/** A property definition as the store keeps it (HubSpot's `Property` minus timestamps). */
export interface PropertySpec {
  name: string;
  label: string;
  type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number';
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  displayOrder: number;
  hubspotDefined: boolean;
  calculated: boolean;
  /** HubSpot refuses API writes to these (READ_ONLY_VALUE). */
  readOnlyValue: boolean;
  archived: boolean;
}

export interface PropertyGroupSpec {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

function prop(name: string, label: string, type: PropertySpec['type'], fieldType: string, groupName: string, extra: Partial<PropertySpec> = {}): PropertySpec {
  return {
    name,
    label,
    type,
    fieldType,
    groupName,
    description: '',
    options: [],
    hasUniqueValue: false,
    hidden: false,
    formField: false,
    displayOrder: -1,
    hubspotDefined: true,
    calculated: false,
    readOnlyValue: false,
    archived: false,
    ...extra,
  };
}

const opts = (pairs: [string, string][]): PropertyOption[] => pairs.map(([value, label], displayOrder) => ({ value, label, displayOrder, hidden: false }));

/** deal_currency_code is an enumeration of the portal's currencies; a demo portal has a few, JPY included. */
export const PORTAL_CURRENCIES: [string, string][] = [
  ['USD', 'US Dollar'],
  ['EUR', 'Euro'],
  ['GBP', 'British Pound'],
  ['CAD', 'Canadian Dollar'],
  ['JPY', 'Japanese Yen'],
];

const LIFECYCLE_STAGES: [string, string][] = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
];

function systemProps(group: string, created: string): PropertySpec[] {
  return [
    prop('hs_object_id', 'Record ID', 'number', 'number', group, { readOnlyValue: true }),
    prop(created, 'Create Date', 'datetime', 'date', group),
    prop('hs_lastmodifieddate', 'Last Modified Date', 'datetime', 'date', group, { readOnlyValue: true }),
  ];
}

export interface PipelineStageSpec {
  id: string;
  label: string;
  displayOrder: number;
  isClosed: boolean;
  /** HubSpot sends it as a string with one decimal: "1.0", "0.2". */
  probability: string;
}
export interface PipelineSpec {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStageSpec[];
}

/**
 * HubSpot's default sales pipeline (ids are HubSpot's) and a second pipeline with numeric ids, as custom
 * pipelines have, whose closed-won stage is not called `closedwon`: the app must read stages, not guess.
 */
export const DEAL_PIPELINES: PipelineSpec[] = [
  {
    id: 'default',
    label: 'Sales Pipeline',
    displayOrder: 0,
    stages: [
      { id: 'appointmentscheduled', label: 'Appointment Scheduled', displayOrder: 0, isClosed: false, probability: '0.2' },
      { id: 'qualifiedtobuy', label: 'Qualified To Buy', displayOrder: 1, isClosed: false, probability: '0.4' },
      { id: 'presentationscheduled', label: 'Presentation Scheduled', displayOrder: 2, isClosed: false, probability: '0.6' },
      { id: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', displayOrder: 3, isClosed: false, probability: '0.8' },
      { id: 'contractsent', label: 'Contract Sent', displayOrder: 4, isClosed: false, probability: '0.9' },
      { id: 'closedwon', label: 'Closed Won', displayOrder: 5, isClosed: true, probability: '1.0' },
      { id: 'closedlost', label: 'Closed Lost', displayOrder: 6, isClosed: true, probability: '0.0' },
    ],
  },
  {
    id: '705209413',
    label: 'Partner Pipeline',
    displayOrder: 1,
    stages: [
      { id: '1034521871', label: 'Partner sourced', displayOrder: 0, isClosed: false, probability: '0.1' },
      { id: '1034521872', label: 'Joint discovery', displayOrder: 1, isClosed: false, probability: '0.3' },
      { id: '1034521873', label: 'Proposal', displayOrder: 2, isClosed: false, probability: '0.7' },
      { id: '1034521874', label: 'Signed', displayOrder: 3, isClosed: true, probability: '1.0' },
      { id: '1034521875', label: 'Lost', displayOrder: 4, isClosed: true, probability: '0.0' },
    ],
  },
];

export function standardProperties(objectTypeId: string): { groups: PropertyGroupSpec[]; properties: PropertySpec[] } {
  switch (objectTypeId) {
    case '0-3': {
      const g = 'dealinformation';
      const stages = DEAL_PIPELINES.flatMap((p) => p.stages.map((s): [string, string] => [s.id, s.label]));
      return {
        groups: [{ name: g, label: 'Deal information', displayOrder: -1, archived: false }],
        properties: [
          ...systemProps(g, 'createdate'),
          prop('dealname', 'Deal Name', 'string', 'text', g),
          prop('amount', 'Amount', 'number', 'number', g),
          prop('dealstage', 'Deal Stage', 'enumeration', 'radio', g, { options: opts(stages) }),
          prop('pipeline', 'Pipeline', 'enumeration', 'select', g, {
            options: opts(DEAL_PIPELINES.map((p): [string, string] => [p.id, p.label])),
          }),
          prop('closedate', 'Close Date', 'datetime', 'date', g),
          prop('deal_currency_code', 'Currency', 'enumeration', 'select', g, { options: opts(PORTAL_CURRENCIES) }),
          prop('dealtype', 'Deal Type', 'enumeration', 'radio', g, {
            options: opts([
              ['newbusiness', 'New Business'],
              ['existingbusiness', 'Existing Business'],
            ]),
          }),
          prop('description', 'Deal Description', 'string', 'textarea', g),
          prop('hubspot_owner_id', 'Deal owner', 'string', 'text', g),
        ],
      };
    }
    case '0-2': {
      const g = 'companyinformation';
      return {
        groups: [{ name: g, label: 'Company information', displayOrder: -1, archived: false }],
        properties: [
          ...systemProps(g, 'createdate'),
          prop('name', 'Company name', 'string', 'text', g),
          prop('domain', 'Company Domain Name', 'string', 'text', g),
          prop('lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', g, { options: opts(LIFECYCLE_STAGES) }),
          prop('industry', 'Industry', 'string', 'text', g),
          prop('city', 'City', 'string', 'text', g),
          prop('country', 'Country/Region', 'string', 'text', g),
        ],
      };
    }
    case '0-1': {
      const g = 'contactinformation';
      return {
        groups: [{ name: g, label: 'Contact information', displayOrder: -1, archived: false }],
        properties: [
          prop('hs_object_id', 'Record ID', 'number', 'number', g, { readOnlyValue: true }),
          prop('createdate', 'Create Date', 'datetime', 'date', g),
          prop('lastmodifieddate', 'Last Modified Date', 'datetime', 'date', g, { readOnlyValue: true }),
          prop('hs_lastmodifieddate', 'Object last modified date/time', 'datetime', 'date', g, { readOnlyValue: true }),
          prop('email', 'Email', 'string', 'text', g),
          prop('firstname', 'First Name', 'string', 'text', g),
          prop('lastname', 'Last Name', 'string', 'text', g),
          prop('lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', g, { options: opts(LIFECYCLE_STAGES) }),
        ],
      };
    }
    case '0-46': {
      const g = 'engagement';
      return {
        groups: [{ name: g, label: 'Engagement', displayOrder: -1, archived: false }],
        properties: [
          ...systemProps(g, 'hs_createdate'),
          prop('hs_timestamp', 'Activity date', 'datetime', 'date', g),
          prop('hs_note_body', 'Note body', 'string', 'html', g),
          prop('hubspot_owner_id', 'Activity assigned to', 'string', 'text', g),
        ],
      };
    }
    default:
      return { groups: [], properties: [] };
  }
}

/** Properties every custom object gets from HubSpot when its schema is created. */
export function customObjectSystemProperties(group: string): PropertySpec[] {
  return systemProps(group, 'hs_createdate');
}

export interface AssociationDefinitionSpec {
  typeId: number;
  category: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';
  fromObjectTypeId: string;
  toObjectTypeId: string;
  /** null for an unlabelled type. */
  label: string | null;
  /** Internal name (USER_DEFINED labels); the labels API never returns it. */
  name: string | null;
  inverseTypeId: number;
  /** The "Primary" type (deal → company 5): at most one per record. */
  primary: boolean;
  /** The unlabelled type every association of the pair carries. */
  unlabelled: boolean;
}

function pair(
  fromObjectTypeId: string,
  toObjectTypeId: string,
  forward: number,
  inverse: number,
  extra: { label?: string | null; inverseLabel?: string | null; primary?: boolean } = {},
): AssociationDefinitionSpec[] {
  const primary = extra.primary ?? false;
  const unlabelled = !primary && (extra.label ?? null) === null;
  return [
    {
      typeId: forward,
      category: 'HUBSPOT_DEFINED',
      fromObjectTypeId,
      toObjectTypeId,
      label: extra.label ?? null,
      name: null,
      inverseTypeId: inverse,
      primary,
      unlabelled,
    },
    {
      typeId: inverse,
      category: 'HUBSPOT_DEFINED',
      fromObjectTypeId: toObjectTypeId,
      toObjectTypeId: fromObjectTypeId,
      label: extra.inverseLabel ?? null,
      name: null,
      inverseTypeId: forward,
      primary,
      unlabelled,
    },
  ];
}

/** HubSpot's standard type ids (https://developers.hubspot.com/docs/api/crm/associations/v4 type id table). */
export const HUBSPOT_DEFINED_ASSOCIATIONS: AssociationDefinitionSpec[] = [
  ...pair('0-3', '0-2', 341, 342),
  ...pair('0-3', '0-2', 5, 6, { label: 'Primary', inverseLabel: 'Primary', primary: true }),
  ...pair('0-1', '0-2', 279, 280),
  ...pair('0-1', '0-2', 1, 2, { label: 'Primary', inverseLabel: 'Primary', primary: true }),
  ...pair('0-3', '0-1', 3, 4),
  ...pair('0-46', '0-3', 214, 213),
  ...pair('0-46', '0-2', 190, 189),
  ...pair('0-46', '0-1', 202, 201),
];
