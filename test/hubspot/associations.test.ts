import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDealCompanyLabel, listDealCompanyLabels, readCompanyDeals, readDealCompanies } from '../../src/hubspot/associations.js';
import { HubSpotBatchError } from '../../src/hubspot/errors.js';
import { BASE, fixture, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

const DEAL_COMPANY_READ = '/crm/associations/2026-09/deals/companies/batch/read';

describe('associations (v4)', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('readDealCompanies maps each company with its labels, follows paging, and gives a deal without companies an empty list', async () => {
    const { hs } = testHubSpot();
    const bodies: unknown[] = [];
    const scope = nock(BASE)
      .post(DEAL_COMPANY_READ, (body) => {
        bodies.push(body);
        return true;
      })
      .reply(207, fixture('associations-deals-companies-batch-read'))
      .post(DEAL_COMPANY_READ, (body) => {
        bodies.push(body);
        return true;
      })
      .reply(200, fixture('associations-deals-companies-batch-read-next'));

    const byDeal = await readDealCompanies(hs, ['9001', '9002', '9003']);

    expect(scope.isDone()).toBe(true);
    expect(bodies).toEqual([{ inputs: [{ id: '9001' }, { id: '9002' }, { id: '9003' }] }, { inputs: [{ id: '9001', after: 'MjAw' }] }]);
    expect(byDeal.get('9001')).toEqual([
      {
        companyId: '7001',
        types: [
          { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' },
          { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
        ],
      },
      {
        companyId: '501',
        types: [
          { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
          { category: 'USER_DEFINED', typeId: 37, label: 'Referral partner' },
          { category: 'USER_DEFINED', typeId: 39, label: 'Finder' },
        ],
      },
      {
        companyId: '503',
        types: [
          { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
          { category: 'USER_DEFINED', typeId: 43, label: 'Implementation partner' },
        ],
      },
    ]);
    expect(byDeal.get('9002')?.map((c) => c.companyId)).toEqual(['502']);
    expect(byDeal.get('9003')).toEqual([]);
  });

  it('an association read error other than "no associations" throws HubSpotBatchError', async () => {
    const { hs } = testHubSpot();
    nock(BASE)
      .post(DEAL_COMPANY_READ)
      .reply(207, {
        status: 'COMPLETE',
        results: [],
        numErrors: 1,
        errors: [{ status: 'error', category: 'VALIDATION_ERROR', message: 'bad id', context: { fromObjectId: ['x1'] } }],
        startedAt: '2025-03-05T14:00:00Z',
        completedAt: '2025-03-05T14:00:01Z',
      });

    const err = await readDealCompanies(hs, ['x1']).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotBatchError);
    expect(err).toMatchObject({ failedIds: ['x1'] });
  });

  it('readCompanyDeals lists each company’s deal ids', async () => {
    const { hs } = testHubSpot();
    nock(BASE)
      .post('/crm/associations/2026-09/companies/deals/batch/read', { inputs: [{ id: '501' }] })
      .reply(200, {
        status: 'COMPLETE',
        results: [
          {
            from: { id: '501' },
            to: [
              { toObjectId: 9001, associationTypes: [{ category: 'USER_DEFINED', typeId: 38, label: 'Referred deal' }] },
              { toObjectId: 9004, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 342, label: null }] },
            ],
          },
        ],
        startedAt: '2025-03-05T14:00:00Z',
        completedAt: '2025-03-05T14:00:01Z',
      });

    expect(await readCompanyDeals(hs, ['501'])).toEqual(new Map([['501', ['9001', '9004']]]));
  });

  it('listDealCompanyLabels returns the portal’s deal→company types with their labels', async () => {
    const { hs } = testHubSpot();
    nock(BASE).get('/crm/associations/2026-09/deals/companies/labels').reply(200, fixture('associations-deals-companies-labels'));

    const labels = await listDealCompanyLabels(hs);

    expect(labels).toHaveLength(7);
    expect(labels[0]).toEqual({ category: 'HUBSPOT_DEFINED', typeId: 341, label: null });
    expect(labels.find((l) => l.label === 'Referral partner')).toEqual({ category: 'USER_DEFINED', typeId: 37, label: 'Referral partner' });
  });

  it('createDealCompanyLabel posts label, name and inverse label and returns both directions', async () => {
    const { hs } = testHubSpot();
    nock(BASE)
      .post('/crm/associations/2026-09/deals/companies/labels', { label: 'Finder', name: 'pp_finder', inverseLabel: 'Found deal' })
      .reply(200, {
        results: [
          { category: 'USER_DEFINED', typeId: 39, label: 'Finder' },
          { category: 'USER_DEFINED', typeId: 40, label: 'Found deal' },
        ],
      });

    const created = await createDealCompanyLabel(hs, { label: 'Finder', name: 'pp_finder', inverseLabel: 'Found deal' });

    expect(created.map((l) => l.typeId)).toEqual([39, 40]);
  });
});
