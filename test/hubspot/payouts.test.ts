import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PayoutSchemaMissingError } from '../../src/hubspot/errors.js';
import { associatePayouts, readPayoutsByKeys, resolvePayoutObjectType, searchPayouts, upsertPayouts } from '../../src/hubspot/payouts.js';
import { collectPages } from '../../src/hubspot/crm-records.js';
import { PAYOUT_READ_PROPERTIES } from '../../src/hubspot/properties.js';
import { BASE, fixture, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

const PAYOUT_TYPE = '2-8811223';
const SCHEMAS = '/crm-object-schemas/2026-09/schemas';

describe('payout records (pp_payout custom object)', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('resolvePayoutObjectType finds the objectTypeId of pp_payout by name', async () => {
    const { hs } = testHubSpot();
    nock(BASE).get(SCHEMAS).query({ archived: 'false' }).reply(200, fixture('schemas'));

    expect(await resolvePayoutObjectType(hs)).toBe(PAYOUT_TYPE);
  });

  it('a portal without the pp_payout schema gets a typed error telling to run npm run provision', async () => {
    const { hs } = testHubSpot();
    nock(BASE).get(SCHEMAS).query(true).reply(200, { results: [] });

    const err = await resolvePayoutObjectType(hs).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(PayoutSchemaMissingError);
    expect((err as Error).message).toContain('npm run provision');
  });

  it('upsertPayouts upserts on idProperty pp_payout_key and returns each key’s id and new flag', async () => {
    const { hs } = testHubSpot();
    let sent: unknown;
    nock(BASE)
      .post(`/crm/objects/2026-09/${PAYOUT_TYPE}/batch/upsert`, (body) => {
        sent = body;
        return true;
      })
      .reply(200, fixture('payouts-batch-upsert-200'));

    const results = await upsertPayouts(hs, PAYOUT_TYPE, [
      { key: '9002:501:pp_referral_partner', properties: { pp_amount: '36000.00', pp_status: 'scheduled' } },
      { key: '9002:502:pp_finder', properties: { pp_amount: '5000.00', pp_status: 'on_hold' } },
    ]);

    expect(sent).toEqual({
      inputs: [
        {
          id: '9002:501:pp_referral_partner',
          idProperty: 'pp_payout_key',
          properties: { pp_amount: '36000.00', pp_status: 'scheduled', pp_payout_key: '9002:501:pp_referral_partner' },
        },
        {
          id: '9002:502:pp_finder',
          idProperty: 'pp_payout_key',
          properties: { pp_amount: '5000.00', pp_status: 'on_hold', pp_payout_key: '9002:502:pp_finder' },
        },
      ],
    });
    expect(results).toEqual([
      { key: '9002:501:pp_referral_partner', id: '31001', created: true },
      { key: '9002:502:pp_finder', id: '30988', created: false },
    ]);
  });

  it('readPayoutsByKeys reads by idProperty pp_payout_key and keys the map by payout key', async () => {
    const { hs } = testHubSpot();
    let sent: { idProperty?: string; inputs?: unknown; properties?: string[] } = {};
    nock(BASE)
      .post(`/crm/objects/2026-09/${PAYOUT_TYPE}/batch/read`, (body) => {
        sent = body as typeof sent;
        return true;
      })
      .query(true)
      .reply(207, {
        status: 'COMPLETE',
        results: [
          {
            id: '31001',
            properties: { hs_object_id: '31001', pp_payout_key: '9002:501:pp_referral_partner', pp_status: 'paid', pp_amount: '36000.00' },
            createdAt: '2025-03-05T14:02:00.000Z',
            updatedAt: '2025-03-20T09:00:00.000Z',
            archived: false,
          },
        ],
        numErrors: 1,
        errors: [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: 'Could not get some P1234567_PP_PAYOUT objects, they may be deleted or not exist. Check that ids are valid.',
            context: { ids: ['9002:503:pp_finder'] },
          },
        ],
        startedAt: '2025-03-20T09:00:00.000Z',
        completedAt: '2025-03-20T09:00:00.050Z',
      });

    const payouts = await readPayoutsByKeys(hs, PAYOUT_TYPE, ['9002:501:pp_referral_partner', '9002:503:pp_finder']);

    expect(sent.idProperty).toBe('pp_payout_key');
    expect(sent.inputs).toEqual([{ id: '9002:501:pp_referral_partner' }, { id: '9002:503:pp_finder' }]);
    expect(sent.properties).toEqual(PAYOUT_READ_PROPERTIES);
    expect([...payouts.keys()]).toEqual(['9002:501:pp_referral_partner']);
    expect(payouts.get('9002:501:pp_referral_partner')?.properties.pp_status).toBe('paid');
  });

  it('searchPayouts ANDs the deal, status and pp_frozen_at range filters', async () => {
    const { hs } = testHubSpot();
    let filters: unknown;
    nock(BASE)
      .post(`/crm/objects/2026-09/${PAYOUT_TYPE}/search`, (body: { filterGroups: unknown }) => {
        filters = body.filterGroups;
        return true;
      })
      .reply(200, { total: 0, results: [] });

    const found = await collectPages(
      searchPayouts(hs, PAYOUT_TYPE, {
        dealIds: ['9002'],
        statuses: ['scheduled', 'approved'],
        frozenFrom: Date.UTC(2025, 0, 1),
        frozenBefore: Date.UTC(2025, 3, 1),
      }),
    );

    expect(found).toEqual([]);
    expect(filters).toEqual([
      {
        filters: [
          { propertyName: 'pp_deal_id', operator: 'IN', values: ['9002'] },
          { propertyName: 'pp_status', operator: 'IN', values: ['scheduled', 'approved'] },
          { propertyName: 'pp_frozen_at', operator: 'GTE', value: String(Date.UTC(2025, 0, 1)) },
          { propertyName: 'pp_frozen_at', operator: 'LT', value: String(Date.UTC(2025, 3, 1)) },
        ],
      },
    ]);
  });

  it('associatePayouts links each payout to its deal and to its partner company with the default type', async () => {
    const { hs } = testHubSpot();
    const scope = nock(BASE)
      .post(`/crm/associations/2026-09/${PAYOUT_TYPE}/deals/batch/associate/default`, { inputs: [{ from: { id: '31001' }, to: { id: '9002' } }] })
      .reply(200, {
        status: 'COMPLETE',
        results: [{ from: { id: '31001' }, to: { id: '9002' }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 112 } }],
        startedAt: '2025-03-05T14:02:01.000Z',
        completedAt: '2025-03-05T14:02:01.040Z',
      })
      .post(`/crm/associations/2026-09/${PAYOUT_TYPE}/companies/batch/associate/default`, { inputs: [{ from: { id: '31001' }, to: { id: '501' } }] })
      .reply(200, {
        status: 'COMPLETE',
        results: [{ from: { id: '31001' }, to: { id: '501' }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 114 } }],
        startedAt: '2025-03-05T14:02:01.050Z',
        completedAt: '2025-03-05T14:02:01.090Z',
      });

    await associatePayouts(hs, PAYOUT_TYPE, [{ payoutId: '31001', dealId: '9002', partnerId: '501' }]);

    expect(scope.isDone()).toBe(true);
  });
});
