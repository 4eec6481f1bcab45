import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEAL_PROPERTIES, PAYOUT_PROPERTIES } from '../../src/hubspot/properties.js';
import {
  createPayoutSchema,
  createProperty,
  createPropertyGroup,
  listObjectSchemas,
  listProperties,
  listPropertyGroups,
  payoutSchemaBody,
} from '../../src/hubspot/schema-admin.js';
import { BASE, fixture, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

const dealType = DEAL_PROPERTIES.find((p) => p.name === 'pp_deal_type');

describe('schema administration (npm run provision)', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('lists and creates the partner-program property group', async () => {
    const { hs } = testHubSpot();
    nock(BASE)
      .get('/crm/properties/2026-09/deals/groups')
      .reply(200, { results: [{ name: 'dealinformation', label: 'Deal information', displayOrder: -1, archived: false }] })
      .post('/crm/properties/2026-09/deals/groups', { name: 'pp_partner_program', label: 'Partner program' })
      .reply(201, { name: 'pp_partner_program', label: 'Partner program', displayOrder: -1, archived: false });

    expect((await listPropertyGroups(hs, 'deals')).map((g) => g.name)).toEqual(['dealinformation']);
    expect(await createPropertyGroup(hs, 'deals')).toEqual({ name: 'pp_partner_program', label: 'Partner program', displayOrder: -1 });
  });

  it('creates an enumeration property with its options in the program group, without our own output flag', async () => {
    const { hs } = testHubSpot();
    let sent: Record<string, unknown> = {};
    nock(BASE)
      .post('/crm/properties/2026-09/deals', (body) => {
        sent = body as Record<string, unknown>;
        return true;
      })
      .reply(201, (_uri, body) => ({ ...(body as object), hidden: false, formField: false, calculated: false, hasUniqueValue: false }));

    const created = await createProperty(hs, 'deals', dealType!);

    expect(sent).toEqual({
      name: 'pp_deal_type',
      label: 'Partner deal type',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'pp_partner_program',
      description: 'new (default) or expansion (upsell / cross-sell).',
      options: [
        { label: 'New', value: 'new', displayOrder: 0, hidden: false },
        { label: 'Expansion', value: 'expansion', displayOrder: 1, hidden: false },
      ],
    });
    expect(created.options.map((o) => o.value)).toEqual(['new', 'expansion']);
  });

  it('lists existing properties with their type and uniqueness', async () => {
    const { hs } = testHubSpot();
    nock(BASE)
      .get('/crm/properties/2026-09/companies')
      .query(true)
      .reply(200, {
        results: [
          {
            name: 'pp_partner_type',
            label: 'Partner type',
            type: 'enumeration',
            fieldType: 'select',
            groupName: 'pp_partner_program',
            options: [{ label: 'Consultant', value: 'consultant', displayOrder: 0, hidden: false }],
            description: '',
            hasUniqueValue: false,
          },
        ],
      });

    expect(await listProperties(hs, 'companies')).toEqual([
      {
        name: 'pp_partner_type',
        label: 'Partner type',
        type: 'enumeration',
        fieldType: 'select',
        groupName: 'pp_partner_program',
        hasUniqueValue: false,
        options: [{ label: 'Consultant', value: 'consultant' }],
      },
    ]);
  });

  it('the payout schema declares pp_payout_key unique and required, and associations to deals and companies', () => {
    const body = payoutSchemaBody() as unknown as {
      properties: { name: string; hasUniqueValue?: boolean }[];
      requiredProperties: string[];
      associatedObjects: string[];
    };

    expect(body.properties.map((p) => p.name)).toEqual(PAYOUT_PROPERTIES.map((p) => p.name));
    expect(body.properties.filter((p) => p.hasUniqueValue).map((p) => p.name)).toEqual(['pp_payout_key']);
    expect(body.requiredProperties).toEqual(['pp_payout_key']);
    expect(body.associatedObjects).toEqual(['DEAL', 'COMPANY']);
  });

  it('creates the payout schema and answers its objectTypeId', async () => {
    const { hs } = testHubSpot();
    const existing = fixture<{ results: object[] }>('schemas').results[0];
    nock(BASE)
      .post('/crm-object-schemas/2026-09/schemas', (body: { name: string }) => body.name === 'pp_payout')
      .reply(201, existing);

    expect((await createPayoutSchema(hs)).objectTypeId).toBe('2-8811223');
  });

  it('lists custom object schemas by name and objectTypeId', async () => {
    const { hs } = testHubSpot();
    nock(BASE).get('/crm-object-schemas/2026-09/schemas').query(true).reply(200, fixture('schemas'));

    expect(await listObjectSchemas(hs)).toEqual([
      { id: '8811223', objectTypeId: '2-8811223', name: 'pp_payout', fullyQualifiedName: 'p1234567_pp_payout', propertyNames: ['pp_payout_key'] },
    ]);
  });
});
