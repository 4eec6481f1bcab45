import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectPages } from '../../src/hubspot/crm-records.js';
import { readDeals, searchDeals, searchDealsModifiedSince, updateDeals } from '../../src/hubspot/deals.js';
import { HubSpotBatchError } from '../../src/hubspot/errors.js';
import { BASE, fixture, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

const READ = '/crm/objects/2026-09/deals/batch/read';
const UPDATE = '/crm/objects/2026-09/deals/batch/update';
const SEARCH = '/crm/objects/2026-09/deals/search';

interface BatchBody {
  inputs: { id: string; properties?: Record<string, string> }[];
  properties?: string[];
}
interface SearchBody {
  filterGroups: { filters: { propertyName: string; operator: string; value?: string }[] }[];
  sorts: { propertyName: string; direction: string }[];
  properties: string[];
  limit: number;
  after?: string;
}

function dealResult(id: string, modified = '2025-03-01T12:00:00.000Z') {
  return {
    id,
    properties: { hs_object_id: id, hs_lastmodifieddate: modified },
    createdAt: '2025-01-15T10:02:11.405Z',
    updatedAt: modified,
    archived: false,
  };
}

describe('deals', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('updateDeals with 250 inputs sends exactly 3 batch calls of 100, 100 and 50', async () => {
    const { hs } = testHubSpot();
    const sizes: number[] = [];
    const scope = nock(BASE)
      .post(UPDATE)
      .times(3)
      .reply(200, (_uri, body) => {
        const { inputs } = body as BatchBody;
        sizes.push(inputs.length);
        return { status: 'COMPLETE', results: inputs.map((i) => dealResult(i.id)), startedAt: '2025-03-05T14:00:00Z', completedAt: '2025-03-05T14:00:01Z' };
      });
    const inputs = Array.from({ length: 250 }, (_, i) => ({ id: String(10_000 + i), properties: { pp_payout_status: 'scheduled' } }));

    const written = await updateDeals(hs, inputs);

    expect(sizes).toEqual([100, 100, 50]);
    expect(written).toHaveLength(250);
    expect(scope.isDone()).toBe(true);
  });

  it('updateDeals merges two inputs for the same deal into one (HubSpot refuses duplicate ids in a batch)', async () => {
    const { hs } = testHubSpot();
    let sent: BatchBody | undefined;
    nock(BASE)
      .post(UPDATE, (body: BatchBody) => {
        sent = body;
        return true;
      })
      .reply(200, { status: 'COMPLETE', results: [dealResult('9001')], startedAt: '2025-03-05T14:00:00Z', completedAt: '2025-03-05T14:00:01Z' });

    await updateDeals(hs, [
      { id: '9001', properties: { pp_commission_total: '1.00' } },
      { id: '9001', properties: { pp_commission_total: '2.00', pp_partner_tier: 'tier_1' } },
    ]);

    expect(sent).toEqual({ inputs: [{ id: '9001', properties: { pp_commission_total: '2.00', pp_partner_tier: 'tier_1' } }] });
  });

  it('a 207 on update throws HubSpotBatchError naming the failed deal; the written one is listed as written', async () => {
    const { hs } = testHubSpot();
    nock(BASE).post(UPDATE).reply(207, fixture('deals-batch-update-207'));

    const err = await updateDeals(hs, [
      { id: '9001', properties: { pp_commission_total: '36000' } },
      { id: '9999', properties: { pp_commission_total: '10' } },
    ]).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotBatchError);
    expect(err).toMatchObject({ failedIds: ['9999'], succeededIds: ['9001'], retryable: false });
    expect((err as HubSpotBatchError).failures[0]).toEqual({
      id: '9999',
      category: 'OBJECT_NOT_FOUND',
      message: 'Could not get some DEAL objects, they may be deleted or not exist. Check that ids are valid.',
    });
  });

  it('readDeals answers a 207 OBJECT_NOT_FOUND with the deals found: the missing id is simply absent', async () => {
    const { hs } = testHubSpot();
    nock(BASE)
      .post(READ, (body: BatchBody) => {
        expect(body).toEqual({ inputs: [{ id: '9001' }, { id: '9999' }], properties: ['amount', 'dealstage'], propertiesWithHistory: [] });
        return true;
      })
      .query({ archived: 'false' })
      .reply(207, fixture('deals-batch-read-207'));

    const deals = await readDeals(hs, ['9001', '9999'], ['amount', 'dealstage']);

    expect([...deals.keys()]).toEqual(['9001']);
    expect(deals.get('9001')).toEqual({
      id: '9001',
      properties: {
        amount: '300000',
        createdate: '2025-01-15T10:02:11.405Z',
        dealstage: 'appointmentscheduled',
        hs_lastmodifieddate: '2025-03-01T12:00:00.000Z',
        hs_object_id: '9001',
      },
      updatedAt: '2025-03-01T12:00:00.000Z',
    });
  });

  it('readDeals keeps unset properties as null, and asks for each id once', async () => {
    const { hs } = testHubSpot();
    nock(BASE)
      .post(READ, (body: BatchBody) => body.inputs.length === 2)
      .query(true)
      .reply(200, fixture('deals-batch-read-200'));

    const deals = await readDeals(hs, ['9001', '9002', '9001'], ['amount', 'pp_first_year_contract_value']);

    expect(deals.get('9001')?.properties.pp_first_year_contract_value).toBeNull();
    expect(deals.get('9002')?.properties.pp_first_year_contract_value).toBe('40000');
  });

  it('readDeals of nothing makes no call', async () => {
    const { hs, calls } = testHubSpot();

    expect((await readDeals(hs, [], ['amount'])).size).toBe(0);
    expect(calls).toEqual([]);
  });

  it('searchDeals pages across 3 pages with the after cursor, sorted ascending on hs_object_id', async () => {
    const { hs } = testHubSpot();
    const afters: (string | undefined)[] = [];
    const scope = nock(BASE)
      .post(SEARCH)
      .times(3)
      .reply(200, (_uri, body) => {
        const b = body as SearchBody;
        afters.push(b.after);
        expect(b.sorts).toEqual([{ propertyName: 'hs_object_id', direction: 'ASCENDING' }]);
        expect(b.limit).toBe(200);
        expect(b.properties).toEqual(['amount', 'hs_object_id']);
        expect(b.filterGroups).toEqual([{ filters: [{ propertyName: 'pipeline', operator: 'EQ', value: 'default' }] }]);
        return fixture(b.after === undefined ? 'deals-search-page-1' : b.after === '2' ? 'deals-search-page-2' : 'deals-search-page-3');
      });

    const pages: string[][] = [];
    for await (const page of searchDeals(hs, {
      filterGroups: [{ filters: [{ propertyName: 'pipeline', operator: 'EQ', value: 'default' }] }],
      properties: ['amount'],
    })) {
      pages.push(page.map((d) => d.id));
    }

    expect(pages).toEqual([['9001', '9002'], ['9003', '9004'], ['9005']]);
    expect(afters).toEqual([undefined, '2', '4']);
    expect(scope.isDone()).toBe(true);
  });

  it('searchDeals re-anchors on hs_object_id instead of paging past the result cap', async () => {
    const { hs } = testHubSpot();
    const bodies: SearchBody[] = [];
    nock(BASE)
      .post(SEARCH)
      .times(3)
      .reply(200, (_uri, body) => {
        const b = body as SearchBody;
        bodies.push(b);
        if (bodies.length === 1) return { total: 5, results: [dealResult('1'), dealResult('2')], paging: { next: { after: '2' } } };
        if (bodies.length === 2) return { total: 5, results: [dealResult('3'), dealResult('4')], paging: { next: { after: '4' } } };
        return { total: 1, results: [dealResult('5')] };
      });

    const ids = (await collectPages(searchDeals(hs, { properties: [], pageSize: 2 }, { resultCap: 4 }))).map((d) => d.id);

    expect(ids).toEqual(['1', '2', '3', '4', '5']);
    expect(bodies.map((b) => [b.after, b.filterGroups])).toEqual([
      [undefined, []],
      ['2', []],
      [undefined, [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: '4' }] }]],
    ]);
  });

  it('searchDealsModifiedSince re-anchors on hs_lastmodifieddate (>=) and skips the boundary deals already yielded', async () => {
    const { hs } = testHubSpot();
    const bodies: SearchBody[] = [];
    const t1 = '2025-03-01T12:00:00.000Z';
    const t2 = '2025-03-02T08:00:00.000Z';
    nock(BASE)
      .post(SEARCH)
      .twice()
      .reply(200, (_uri, body) => {
        bodies.push(body as SearchBody);
        if (bodies.length === 1) return { total: 9, results: [dealResult('7', t1), dealResult('3', t2)], paging: { next: { after: '2' } } };
        return { total: 2, results: [dealResult('3', t2), dealResult('8', t2)] };
      });

    const ids = (await collectPages(searchDealsModifiedSince(hs, Date.UTC(2025, 2, 1), ['amount'], { resultCap: 2 }))).map((d) => d.id);

    expect(ids).toEqual(['7', '3', '8']);
    const since = { propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(Date.UTC(2025, 2, 1)) };
    expect(bodies[0]?.filterGroups).toEqual([{ filters: [since] }]);
    expect(bodies[0]?.sorts).toEqual([{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }]);
    expect(bodies[1]?.filterGroups).toEqual([{ filters: [since, { propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(Date.parse(t2)) }] }]);
    expect(bodies[1]?.after).toBeUndefined();
  });
});
