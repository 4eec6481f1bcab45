import { describe, expect, it } from 'vitest';
import {
  ASSOCIATION_LABELS,
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  DEAL_PROPERTIES,
  PAYOUT_PROPERTIES,
  ACTIVITY_PROPERTIES,
  PROPERTY_GROUP,
  type PropertyDefinition,
} from '../../src/hubspot/properties.js';
import type { PropertySummary } from '../../src/hubspot/schema-admin.js';
import { planProvisioning, propertyProblems, type PortalState } from '../../src/services/provision-plan.js';

const summary = (def: PropertyDefinition, groupName: string): PropertySummary => ({
  name: def.name,
  label: def.label,
  type: def.type,
  fieldType: def.fieldType,
  groupName,
  hasUniqueValue: def.hasUniqueValue === true,
  options: (def.options ?? []).map((o) => ({ label: o.label, value: o.value })),
});

const HUBSPOT_DEAL_TO_COMPANY = [
  { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
  { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' },
];
const HUBSPOT_COMPANY_TO_DEAL = [
  { category: 'HUBSPOT_DEFINED', typeId: 342, label: null },
  { category: 'HUBSPOT_DEFINED', typeId: 6, label: 'Primary' },
];

function emptyPortal(): PortalState {
  return {
    groupNames: { deals: ['dealinformation'], companies: ['companyinformation'], contacts: ['contactinformation'] },
    properties: { deals: [], companies: [], contacts: [] },
    labels: { dealToCompany: [...HUBSPOT_DEAL_TO_COMPANY], companyToDeal: [...HUBSPOT_COMPANY_TO_DEAL] },
    payout: { status: 'absent' },
    activity: { status: 'absent' },
  };
}

/** A portal provisioned exactly as the contract says. */
function matchingPortal(): PortalState {
  return {
    groupNames: {
      deals: ['dealinformation', PROPERTY_GROUP.name],
      companies: ['companyinformation', PROPERTY_GROUP.name],
      contacts: ['contactinformation', PROPERTY_GROUP.name],
    },
    properties: {
      deals: DEAL_PROPERTIES.map((d) => summary(d, PROPERTY_GROUP.name)),
      companies: COMPANY_PROPERTIES.map((d) => summary(d, PROPERTY_GROUP.name)),
      contacts: CONTACT_PROPERTIES.map((d) => summary(d, PROPERTY_GROUP.name)),
    },
    labels: {
      dealToCompany: [...HUBSPOT_DEAL_TO_COMPANY, ...ASSOCIATION_LABELS.map((l, i) => ({ category: 'USER_DEFINED', typeId: 100 + 2 * i, label: l.label }))],
      companyToDeal: [
        ...HUBSPOT_COMPANY_TO_DEAL,
        ...ASSOCIATION_LABELS.map((l, i) => ({ category: 'USER_DEFINED', typeId: 101 + 2 * i, label: l.inverseLabel })),
      ],
    },
    payout: {
      status: 'present',
      objectTypeId: '2-900',
      properties: PAYOUT_PROPERTIES.map((d) => summary(d, 'pp_payout_information')),
      groupNames: ['pp_payout_information'],
      associatedWith: ['deals', 'companies'],
    },
    activity: {
      status: 'present',
      objectTypeId: '2-901',
      properties: ACTIVITY_PROPERTIES.map((d) => summary(d, 'pp_activity_information')),
      groupNames: ['pp_activity_information'],
      associatedWith: ['companies'],
    },
  };
}

function withProperty(portal: PortalState, objectType: 'deals' | 'companies', name: string, change: Partial<PropertySummary>): PortalState {
  portal.properties[objectType] = portal.properties[objectType].map((p) => (p.name === name ? { ...p, ...change } : p));
  return portal;
}

describe('planProvisioning', () => {
  it('an empty portal gets the whole contract: 3 groups first (contacts for pp_portal_access), 45 properties, 5 labels, the pp_payout object', () => {
    const plan = planProvisioning(emptyPortal());

    const kinds = plan.actions.map((a) => a.kind);
    expect(kinds.slice(0, 3)).toEqual(['create-group', 'create-group', 'create-group']);
    expect({
      groups: kinds.filter((k) => k === 'create-group').length,
      properties: kinds.filter((k) => k === 'create-property').length,
      labels: kinds.filter((k) => k === 'create-label').length,
      schemas: kinds.filter((k) => k === 'create-schema').length,
    }).toEqual({ groups: 3, properties: 45, labels: 5, schemas: 2 });
    expect(plan.actions.find((a) => a.kind === 'create-property' && a.definition.name === 'pp_portal_access')).toMatchObject({
      subject: 'contact property pp_portal_access',
      objectType: 'contacts',
    });
    expect(plan.actions.find((a) => a.kind === 'create-property' && a.definition.name === 'pp_deal_type')).toEqual({
      kind: 'create-property',
      subject: 'deal property pp_deal_type',
      objectType: 'deals',
      groupName: 'pp_partner_program',
      definition: DEAL_PROPERTIES.find((d) => d.name === 'pp_deal_type'),
      dependsOnGroupOf: 'deals',
    });
    expect([plan.present, plan.conflicts]).toEqual([[], []]);
  });

  it('a portal that already matches has nothing to do: 55 definitions present, no conflict', () => {
    const plan = planProvisioning(matchingPortal());

    expect([plan.actions, plan.conflicts, plan.present.length]).toEqual([[], [], 55]);
    expect(plan.present.slice(0, 4)).toEqual([
      'property group pp_partner_program on companies',
      'property group pp_partner_program on deals',
      'property group pp_partner_program on contacts',
      'company property pp_partner_type',
    ]);
    expect(plan.present.at(-1)).toBe('custom object pp_activity');
  });

  it.each([
    {
      rule: 'a pp_partner_type made as a string is a conflict: the app needs an enumeration with the partner types',
      portal: () => withProperty(matchingPortal(), 'companies', 'pp_partner_type', { type: 'string', fieldType: 'text', options: [] }),
      subject: 'company property pp_partner_type',
      problem:
        'it is string (text), the app needs enumeration (select) with options consultant, technology, association, medical_advisor, channel, ' +
        'complementary_solution, healthcare_organization; HubSpot does not change the type of a property that holds values, so rename or ' +
        'delete it in HubSpot and run provision again',
    },
    {
      rule: 'an enumeration shown as radio buttons is a different field type, hence a conflict',
      portal: () => withProperty(matchingPortal(), 'deals', 'pp_deal_type', { fieldType: 'radio' }),
      subject: 'deal property pp_deal_type',
      problem:
        'it is enumeration (radio), the app needs enumeration (select) with options new, expansion; HubSpot does not change the type of a ' +
        'property that holds values, so rename or delete it in HubSpot and run provision again',
    },
    {
      rule: 'a pp_registration_status without the disputed and expired options cannot hold every registration status',
      portal: () =>
        withProperty(matchingPortal(), 'deals', 'pp_registration_status', {
          options: ['pending', 'approved', 'rejected'].map((v) => ({ label: v, value: v })),
        }),
      subject: 'deal property pp_registration_status',
      problem: 'it lacks the options expired, disputed, which the app reads or writes; add them to the property in HubSpot (internal value exactly as shown)',
    },
    {
      rule: 'a unique pp_commission_total would refuse the same total on two deals',
      portal: () => withProperty(matchingPortal(), 'deals', 'pp_commission_total', { hasUniqueValue: true }),
      subject: 'deal property pp_commission_total',
      problem: 'it requires unique values, but the app writes the same value on many records; delete it in HubSpot and run provision again',
    },
  ])('$rule', ({ portal, subject, problem }) => {
    const plan = planProvisioning(portal());

    expect(plan.conflicts).toEqual([{ subject, problem }]);
    expect(plan.actions).toEqual([]);
    expect(plan.present).not.toContain(subject);
  });

  it('a pp_payout whose pp_payout_key is not unique is a conflict: upserts on it could pay twice', () => {
    const portal = matchingPortal();
    if (portal.payout.status !== 'present') throw new Error('fixture');
    portal.payout.properties = portal.payout.properties.map((p) => (p.name === 'pp_payout_key' ? { ...p, hasUniqueValue: false } : p));

    expect(planProvisioning(portal).conflicts).toEqual([
      {
        subject: 'pp_payout property pp_payout_key',
        problem:
          'it does not require unique values, and the app upserts on it (a repeat must never pay twice); HubSpot cannot make an existing ' +
          'property unique, so while pp_payout holds no records delete the object in HubSpot and run provision again',
      },
    ]);
  });

  it('a pp_payout without its association to companies is a conflict naming what breaks', () => {
    const portal = matchingPortal();
    if (portal.payout.status !== 'present') throw new Error('fixture');
    portal.payout.associatedWith = ['deals'];

    expect(planProvisioning(portal).conflicts).toEqual([
      {
        subject: 'custom object pp_payout association with companies',
        problem:
          "pp_payout has no association with companies, so payouts cannot be linked to their company; add it in HubSpot's settings of the " +
          'Partner payouts object (associations)',
      },
    ]);
  });

  it('a label whose inverse reads otherwise (or a single label) is a conflict, not a rename', () => {
    const portal = matchingPortal();
    portal.labels.companyToDeal = portal.labels.companyToDeal.map((l) => (l.label === 'Found deal' ? { ...l, label: 'Finder' } : l));

    const plan = planProvisioning(portal);

    expect(plan.actions).toEqual([]);
    expect(plan.conflicts).toEqual([
      {
        subject: 'deal→company label pp_finder ("Finder" / inverse "Found deal")',
        problem:
          'the deal→company label "Finder" exists, but no company→deal label reads "Found deal": it has another inverse label or none ' +
          '(a single label). Roles still sync (the app reads the deal side); for company records to read right, edit the label in ' +
          'HubSpot\'s deal association settings into the pair "Finder" / "Found deal"',
      },
    ]);
  });

  it('labels are found by display label whatever the case, as the sync resolves roles', () => {
    const portal = matchingPortal();
    portal.labels.dealToCompany = portal.labels.dealToCompany.map((l) => ({ ...l, label: l.label?.toUpperCase() ?? null }));

    const plan = planProvisioning(portal);

    expect([plan.actions, plan.conflicts, plan.present.length]).toEqual([[], [], 55]);
  });

  it('another label, group, description or extra enumeration options are the portal’s own: present, not in conflict', () => {
    const portal = withProperty(matchingPortal(), 'deals', 'pp_deal_type', {
      label: 'Deal kind',
      groupName: 'dealinformation',
      options: [
        { label: 'Brand new', value: 'new' },
        { label: 'Expansion', value: 'expansion' },
        { label: 'Renewal', value: 'renewal' },
      ],
    });

    const plan = planProvisioning(portal);

    expect([plan.actions, plan.conflicts]).toEqual([[], []]);
    expect(plan.present).toContain('deal property pp_deal_type');
  });

  it('properties already in the portal are not created again even when the group is missing', () => {
    const portal = matchingPortal();
    portal.groupNames.deals = ['dealinformation'];

    expect(planProvisioning(portal).actions).toEqual([{ kind: 'create-group', subject: 'property group pp_partner_program on deals', objectType: 'deals' }]);
  });

  it('a pp_payout missing a property gets it, in the group its other properties are in', () => {
    const portal = matchingPortal();
    if (portal.payout.status !== 'present') throw new Error('fixture');
    portal.payout.properties = portal.payout.properties.filter((p) => p.name !== 'pp_flat_fee');
    portal.payout.groupNames = ['objectinformation', 'pp_payout_information'];

    expect(planProvisioning(portal).actions).toEqual([
      {
        kind: 'create-property',
        subject: 'pp_payout property pp_flat_fee',
        objectType: '2-900',
        groupName: 'pp_payout_information',
        definition: PAYOUT_PROPERTIES.find((p) => p.name === 'pp_flat_fee'),
      },
    ]);
  });

  it('custom object schemas HubSpot will not list (403) are a conflict naming Enterprise and the scopes; the rest is still planned', () => {
    const portal = emptyPortal();
    portal.payout = { status: 'unreadable', reason: 'schemas.getAll: HubSpot answered 403 MISSING_SCOPES: scopes missing' };
    portal.activity = portal.payout;

    const plan = planProvisioning(portal);

    expect(plan.actions.length).toBe(53);
    expect(plan.actions.some((a) => a.kind === 'create-schema')).toBe(false);
    expect(plan.conflicts.map((c) => c.subject)).toEqual(['custom object pp_payout', 'custom object pp_activity']);
    expect(plan.conflicts.slice(0, 1)).toEqual([
      {
        subject: 'custom object pp_payout',
        problem:
          'HubSpot refused to list custom object schemas (schemas.getAll: HubSpot answered 403 MISSING_SCOPES: scopes missing). Custom objects ' +
          'need an Enterprise subscription and a token with crm.schemas.custom.read and crm.schemas.custom.write; until pp_payout exists the ' +
          'app computes commissions but cannot record payouts',
      },
    ]);
  });
});

describe('propertyProblems', () => {
  const bool = COMPANY_PROPERTIES.find((p) => p.name === 'pp_agreement_signed')!;

  it.each([
    {
      rule: 'a bool checkbox with HubSpot’s own option labels will do',
      existing: { ...summary(bool, 'g'), options: [{ label: 'True', value: 'true' }] },
      expected: [],
    },
    {
      rule: 'a bool made as a number will not',
      existing: { ...summary(bool, 'g'), type: 'number', fieldType: 'number', options: [] },
      expected: [
        'it is number (number), the app needs bool (booleancheckbox); HubSpot does not change the type of a property that holds values, ' +
          'so rename or delete it in HubSpot and run provision again',
      ],
    },
  ])('$rule', ({ existing, expected }) => {
    expect(propertyProblems(existing, bool)).toEqual(expected);
  });
});
