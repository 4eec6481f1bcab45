/**
 * The sandbox through @hubspot/api-client 13.5, as the app uses it: if the client cannot deserialize an
 * answer, or a status code is not the one it expects, these fail.
 */
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxApi, type RunningSandboxApi } from '../../sandbox/api/server.js';
import { ensureAppContract } from '../../sandbox/contract.js';

const TOKEN = 'sandbox-test-token';

let api: RunningSandboxApi;
let hs: Client;

beforeAll(async () => {
  api = await startSandboxApi({ accessToken: TOKEN, portalId: 4242, appId: 99 });
  ensureAppContract(api.store);
  // numberOfApiCallRetries: 0 adds no retry decorator at all: one call, its answer or its error.
  hs = new Client({ accessToken: TOKEN, basePath: api.url, numberOfApiCallRetries: 0 });
});

afterAll(async () => {
  await api.close();
});

interface ApiError {
  code: number;
  body: { status: string; category: string; message: string; errors?: { in?: string }[] };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    return err as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('objects', () => {
  it('batch read with a missing id answers 207: the found deal in results, OBJECT_NOT_FOUND naming the missing id', async () => {
    const deal = api.store.createObject('deals', { dealname: 'Found', amount: '1000' });
    const res = await hs.crm.deals.batchApi.read({
      inputs: [{ id: deal.id }, { id: '424242' }],
      properties: ['dealname', 'amount'],
      propertiesWithHistory: [],
    });
    expect(res.results.map((r) => [r.id, r.properties['dealname'], r.properties['amount']])).toEqual([[deal.id, 'Found', '1000']]);
    expect('errors' in res && res.errors).toEqual([
      expect.objectContaining({ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['424242'] } }),
    ]);
  });

  it('batch update then read back: values are strings, numbers normalised (45000.00 reads as 45000), unset ones null', async () => {
    const deal = api.store.createObject('deals', { dealname: 'Update me' });
    await hs.crm.deals.batchApi.update({
      inputs: [{ id: deal.id, properties: { amount: '45000.00', pp_first_year_contract_value: '0120000.50', pp_deal_type: 'expansion' } }],
    });
    const read = await hs.crm.deals.batchApi.read({
      inputs: [{ id: deal.id }],
      properties: ['amount', 'pp_first_year_contract_value', 'pp_deal_type', 'pp_commission_total'],
      propertiesWithHistory: [],
    });
    expect(read.results[0]!.properties).toMatchObject({
      amount: '45000',
      pp_first_year_contract_value: '120000.5',
      pp_deal_type: 'expansion',
      pp_commission_total: null,
      hs_object_id: deal.id,
    });
  });

  it('an update that changes nothing leaves hs_lastmodifieddate alone (HubSpot compares values, not strings)', async () => {
    let clock = Date.UTC(2026, 0, 10);
    const local = await startSandboxApi({ accessToken: TOKEN, now: () => clock });
    try {
      const client = new Client({ accessToken: TOKEN, basePath: local.url, numberOfApiCallRetries: 0 });
      const deal = local.store.createObject('deals', { amount: '45000' });
      clock += 60_000;
      await client.crm.deals.basicApi.update(deal.id, { properties: { amount: '45000.00' } });
      expect(local.store.getRecord('deals', deal.id).properties.get('hs_lastmodifieddate')).toBe('2026-01-10T00:00:00.000Z');
      await client.crm.deals.basicApi.update(deal.id, { properties: { amount: '46000' } });
      expect(local.store.getRecord('deals', deal.id).properties.get('hs_lastmodifieddate')).toBe('2026-01-10T00:01:00.000Z');
    } finally {
      await local.close();
    }
  });

  it('upsert by the unique pp_payout_key creates, then updates the same record (new: true, then false)', async () => {
    const first = await hs.crm.objects.batchApi.upsert('pp_payout', {
      inputs: [{ id: '501:9001:pp_finder', idProperty: 'pp_payout_key', properties: { pp_amount: '1500.00', pp_status: 'scheduled' } }],
    });
    const second = await hs.crm.objects.batchApi.upsert('pp_payout', {
      inputs: [{ id: '501:9001:pp_finder', idProperty: 'pp_payout_key', properties: { pp_status: 'on_hold' } }],
    });
    expect(first.results.map((r) => [r._new, r.properties['pp_amount']])).toEqual([[true, '1500']]);
    expect(second.results.map((r) => [r._new, r.id, r.properties['pp_status']])).toEqual([[false, first.results[0]!.id, 'on_hold']]);
    const stored = api.store.findRecord('pp_payout', '501:9001:pp_finder', 'pp_payout_key');
    expect(stored?.properties.get('pp_payout_key')).toBe('501:9001:pp_finder');
  });

  it('upsert keyed on a property without unique values is refused like HubSpot (400 VALIDATION_ERROR)', async () => {
    const err = await failure(
      hs.crm.objects.batchApi.upsert('pp_payout', { inputs: [{ id: 'x', idProperty: 'pp_deal_id', properties: {} }] }),
    );
    expect(err.code).toBe(400);
    expect(err.body.category).toBe('VALIDATION_ERROR');
    expect(err.body.message).toContain('non-unique');
  });

  it('a custom object is addressed by objectTypeId, fullyQualifiedName and name alike', async () => {
    const schema = api.store.listSchemas().find((s) => s.name === 'pp_payout')!;
    const created = await hs.crm.objects.basicApi.create(schema.objectTypeId, {
      properties: { pp_payout_key: 'addr:1:pp_finder' },
      associations: [],
    });
    const byFqn = await hs.crm.objects.basicApi.getById('p4242_pp_payout', created.id, ['pp_payout_key']);
    const byName = await hs.crm.objects.basicApi.getById('pp_payout', 'addr:1:pp_finder', ['pp_payout_key'], undefined, undefined, false, 'pp_payout_key');
    expect([byFqn.id, byName.id, byName.properties['pp_payout_key']]).toEqual([created.id, created.id, 'addr:1:pp_finder']);
  });

  it.each([
    ['an unknown property', { pp_not_a_property: '1' }, 'PROPERTY_DOESNT_EXIST'],
    ['a number property given text', { amount: 'lots' }, 'INVALID_DOUBLE'],
    ['an enumeration value that is not an option', { pp_deal_type: 'renewal' }, 'INVALID_OPTION'],
    ['a read-only property', { hs_lastmodifieddate: '2026-01-01T00:00:00Z' }, 'READ_ONLY_VALUE'],
  ])('a write with %s is refused whole with HubSpot\u2019s "Property values were not valid" (%s)', async (_what, properties, code) => {
    const deal = api.store.createObject('deals', { dealname: 'Unchanged', amount: '10' });
    const err = await failure(hs.crm.deals.batchApi.update({ inputs: [{ id: deal.id, properties: { amount: '20', ...properties } }] }));
    expect(err.code).toBe(400);
    expect(err.body.category).toBe('VALIDATION_ERROR');
    expect(err.body.message).toContain(`"error":"${code}"`);
    expect(api.store.getRecord('deals', deal.id).properties.get('amount')).toBe('10');
  });

  it('more than 100 inputs in one batch is a 400 for the whole batch', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1) }));
    const err = await failure(hs.crm.deals.batchApi.read({ inputs, properties: [], propertiesWithHistory: [] }));
    expect(err.code).toBe(400);
    expect(err.body.category).toBe('VALIDATION_ERROR');
  });

  it('a deal stage that is not in the deal\u2019s pipeline is refused', async () => {
    const err = await failure(hs.crm.deals.basicApi.create({ properties: { pipeline: '705209413', dealstage: 'closedwon' }, associations: [] }));
    expect(err.code).toBe(400);
    expect(err.body.message).toContain('INVALID_OPTION');
  });

  it('a missing record is a 404 OBJECT_NOT_FOUND', async () => {
    const err = await failure(hs.crm.deals.basicApi.getById('777777777'));
    expect([err.code, err.body.category]).toEqual([404, 'OBJECT_NOT_FOUND']);
  });

  it('a call without the app\u2019s token is a 401 with HubSpot\u2019s INVALID_AUTHENTICATION body', async () => {
    const stranger = new Client({ accessToken: 'not-the-token', basePath: api.url, numberOfApiCallRetries: 0 });
    const err = await failure(stranger.crm.deals.basicApi.getById('1'));
    expect([err.code, err.body.status, err.body.category]).toEqual([401, 'error', 'INVALID_AUTHENTICATION']);
  });
});

describe('search', () => {
  let local: RunningSandboxApi;
  let client: Client;
  beforeAll(async () => {
    local = await startSandboxApi({ accessToken: TOKEN });
    ensureAppContract(local.store);
    client = new Client({ accessToken: TOKEN, basePath: local.url, numberOfApiCallRetries: 0 });
    local.store.silently(() => {
      for (let i = 1; i <= 25; i++) {
        local.store.createObject('deals', {
          dealname: `Search deal ${i}`,
          amount: String(i * 10_000),
          pp_deal_type: i % 5 === 0 ? 'expansion' : 'new',
          closedate: String(Date.UTC(2026, 0, i)),
        });
      }
    });
  });
  afterAll(async () => {
    await local.close();
  });

  it('filters AND inside a group and OR across groups, numbers compared as numbers', async () => {
    const res = await client.crm.deals.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'amount', operator: 'GTE' as never, value: '200000' }, { propertyName: 'pp_deal_type', operator: 'EQ' as never, value: 'new' }] },
        { filters: [{ propertyName: 'amount', operator: 'LT' as never, value: '20000' }] },
      ],
      sorts: [{ propertyName: 'amount', direction: 'DESCENDING' } as never],
      properties: ['amount'],
      limit: 10,
      after: '0',
    });
    expect(res.results.map((r) => r.properties['amount'])).toEqual(['240000', '230000', '220000', '210000', '10000']);
    expect(res.total).toBe(5);
  });

  it('dates compare numerically whether the filter gives epoch ms or ISO', async () => {
    const byMs = await client.crm.deals.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'closedate', operator: 'BETWEEN' as never, value: String(Date.UTC(2026, 0, 3)), highValue: '2026-01-05T00:00:00Z' }] }],
      properties: ['dealname'],
      limit: 10,
    });
    expect(byMs.results.map((r) => r.properties['dealname'])).toEqual(['Search deal 3', 'Search deal 4', 'Search deal 5']);
  });

  it('pages with the after cursor until paging is absent', async () => {
    const names: string[] = [];
    let after: string | undefined = '0';
    let pages = 0;
    while (after !== undefined) {
      const page = await client.crm.deals.searchApi.doSearch({ filterGroups: [], properties: ['dealname'], limit: 10, after });
      names.push(...page.results.map((r) => r.properties['dealname'] ?? ''));
      after = page.paging?.next?.after;
      pages++;
    }
    expect([pages, names.length, new Set(names).size]).toEqual([3, 25, 25]);
  });

  it('a limit above 200 is a 400', async () => {
    const err = await failure(client.crm.deals.searchApi.doSearch({ filterGroups: [], limit: 201 }));
    expect([err.code, err.body.category]).toEqual([400, 'VALIDATION_ERROR']);
  });

  it('paging past the 10,000th result is a 400, like HubSpot', async () => {
    const err = await failure(client.crm.deals.searchApi.doSearch({ filterGroups: [], limit: 100, after: '10000' }));
    expect([err.code, err.body.category]).toEqual([400, 'VALIDATION_ERROR']);
    expect(err.body.message).toContain('10000');
  });
});

describe('portal metadata', () => {
  it('the deal pipelines say which stages are closed and won (isClosed, probability 1.0), in both pipelines', async () => {
    const res = await hs.crm.pipelines.pipelinesApi.getAll('deals');
    const closedWon = res.results.flatMap((p) =>
      p.stages.filter((s) => s.metadata?.['isClosed'] === 'true' && s.metadata?.['probability'] === '1.0').map((s) => `${p.id}/${s.id}`),
    );
    expect(closedWon).toEqual(['default/closedwon', '705209413/1034521874']);
  });

  it('a duplicate property group or property is a 409 OBJECT_ALREADY_EXISTS', async () => {
    const group = await failure(hs.crm.properties.groupsApi.create('deals', { name: 'pp_partner_program', label: 'Again' }));
    const prop = await failure(
      hs.crm.properties.coreApi.create('deals', { name: 'amount', label: 'Amount', type: 'number' as never, fieldType: 'number' as never, groupName: 'dealinformation' }),
    );
    expect([group.code, group.body.category, prop.code, prop.body.category]).toEqual([409, 'OBJECT_ALREADY_EXISTS', 409, 'OBJECT_ALREADY_EXISTS']);
  });

  it('the standard HubSpot deal and company properties the app reads are there before provisioning', async () => {
    const fresh = await startSandboxApi({ accessToken: TOKEN });
    try {
      const client = new Client({ accessToken: TOKEN, basePath: fresh.url, numberOfApiCallRetries: 0 });
      const deals = (await client.crm.properties.coreApi.getAll('deals')).results.map((p) => p.name);
      const companies = (await client.crm.properties.coreApi.getAll('companies')).results.map((p) => p.name);
      expect(deals).toEqual(expect.arrayContaining(['dealname', 'amount', 'dealstage', 'pipeline', 'closedate', 'createdate', 'deal_currency_code', 'hs_lastmodifieddate']));
      expect(companies).toEqual(expect.arrayContaining(['name', 'lifecyclestage', 'hs_lastmodifieddate', 'createdate']));
    } finally {
      await fresh.close();
    }
  });

  it('users carry their primary and secondary teams; teams list their members', async () => {
    api.store.addTeam({ id: '900', name: 'Partner Managers' });
    api.store.addUser({ id: '31', email: 'pm@example.com', primaryTeamId: '900' });
    api.store.addUser({ id: '32', email: 'lead@example.com', secondaryTeamIds: ['900'] });
    const user = await hs.settings.users.usersApi.getById('32');
    const teams = await hs.settings.users.teamsApi.getAll();
    expect([user.id, user.secondaryTeamIds]).toEqual(['32', ['900']]);
    expect(teams.results.find((t) => t.id === '900')).toMatchObject({ userIds: ['31'], secondaryUserIds: ['32'] });
  });

  it('workflow callbacks answer 204 and are recorded, single and batch', async () => {
    await hs.automation.actions.callbacksApi.complete('cb-single', { outputFields: { hs_execution_state: 'SUCCESS' } });
    await hs.automation.actions.callbacksApi.completeBatch({ inputs: [{ callbackId: 'cb-batch', outputFields: { hs_execution_state: 'FAIL_CONTINUE' } }] });
    expect(api.store.callbackCompletions.map((c) => [c.callbackId, c.outputFields['hs_execution_state']])).toEqual([
      ['cb-single', 'SUCCESS'],
      ['cb-batch', 'FAIL_CONTINUE'],
    ]);
  });
});
