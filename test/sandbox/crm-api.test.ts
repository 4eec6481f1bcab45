/**
 * The sandbox over plain HTTP at the 2026-09 paths, with the bodies HubSpot's reference documents: if an
 * answer's shape or status code is not HubSpot's, these fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxApi, type RunningSandboxApi } from '../../sandbox/api/server.js';
import { ensureAppContract } from '../../sandbox/contract.js';
import { USERS_API_VERSION, hubspotPaths as P } from '../../src/hubspot/api-paths.js';
import { sandboxHttp, type SandboxHttp } from '../helpers/sandbox-http.js';

const TOKEN = 'sandbox-test-token';

let api: RunningSandboxApi;
let hs: SandboxHttp;

beforeAll(async () => {
  api = await startSandboxApi({ accessToken: TOKEN, portalId: 4242, appId: 99 });
  ensureAppContract(api.store);
  hs = sandboxHttp(api.url, TOKEN);
});

afterAll(async () => {
  await api.close();
});

describe('objects', () => {
  it('batch read with a missing id answers 207: the found deal in results, OBJECT_NOT_FOUND naming the missing id', async () => {
    const deal = api.store.createObject('deals', { dealname: 'Found', amount: '1000' });
    const res = await hs.send('POST', P.objectsBatch('deals', 'read'), {
      inputs: [{ id: deal.id }, { id: '424242' }],
      properties: ['dealname', 'amount'],
      propertiesWithHistory: [],
    });
    const body = res.body as { results: { id: string; properties: Record<string, string> }[]; errors: unknown[] };
    expect(res.status).toBe(207);
    expect(body.results.map((r) => [r.id, r.properties['dealname'], r.properties['amount']])).toEqual([[deal.id, 'Found', '1000']]);
    expect(body.errors).toEqual([expect.objectContaining({ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['424242'] } })]);
  });

  it('batch update then read back: values are strings, numbers normalised (45000.00 reads as 45000), unset ones null', async () => {
    const deal = api.store.createObject('deals', { dealname: 'Update me' });
    await hs.ok('POST', P.objectsBatch('deals', 'update'), {
      inputs: [{ id: deal.id, properties: { amount: '45000.00', pp_first_year_contract_value: '0120000.50', pp_deal_type: 'expansion' } }],
    });
    const read = await hs.ok('POST', P.objectsBatch('deals', 'read'), {
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
      const client = sandboxHttp(local.url, TOKEN);
      const deal = local.store.createObject('deals', { amount: '45000' });
      clock += 60_000;
      await client.ok('PATCH', `${P.objects('deals')}/${deal.id}`, { properties: { amount: '45000.00' } });
      expect(local.store.getRecord('deals', deal.id).properties.get('hs_lastmodifieddate')).toBe('2026-01-10T00:00:00.000Z');
      await client.ok('PATCH', `${P.objects('deals')}/${deal.id}`, { properties: { amount: '46000' } });
      expect(local.store.getRecord('deals', deal.id).properties.get('hs_lastmodifieddate')).toBe('2026-01-10T00:01:00.000Z');
    } finally {
      await local.close();
    }
  });

  it('upsert by the unique pp_payout_key creates, then updates the same record (new: true, then false)', async () => {
    const first = await hs.ok('POST', P.objectsBatch('pp_payout', 'upsert'), {
      inputs: [{ id: '501:9001:pp_finder', idProperty: 'pp_payout_key', properties: { pp_amount: '1500.00', pp_status: 'scheduled' } }],
    });
    const second = await hs.ok('POST', P.objectsBatch('pp_payout', 'upsert'), {
      inputs: [{ id: '501:9001:pp_finder', idProperty: 'pp_payout_key', properties: { pp_status: 'on_hold' } }],
    });
    type Upserted = { results: { new: boolean; id: string; properties: Record<string, string> }[] };
    expect((first as Upserted).results.map((r) => [r.new, r.properties['pp_amount']])).toEqual([[true, '1500']]);
    expect((second as Upserted).results.map((r) => [r.new, r.id, r.properties['pp_status']])).toEqual([[false, (first as Upserted).results[0]!.id, 'on_hold']]);
    const stored = api.store.findRecord('pp_payout', '501:9001:pp_finder', 'pp_payout_key');
    expect(stored?.properties.get('pp_payout_key')).toBe('501:9001:pp_finder');
  });

  it('upsert keyed on a property without unique values is refused like HubSpot (400 VALIDATION_ERROR)', async () => {
    const err = await hs.fail('POST', P.objectsBatch('pp_payout', 'upsert'), { inputs: [{ id: 'x', idProperty: 'pp_deal_id', properties: {} }] });
    expect(err.code).toBe(400);
    expect(err.body.category).toBe('VALIDATION_ERROR');
    expect(err.body.message).toContain('non-unique');
  });

  it('a custom object is addressed by objectTypeId, fullyQualifiedName and name alike', async () => {
    const schema = api.store.listSchemas().find((s) => s.name === 'pp_payout')!;
    const created = await hs.ok('POST', P.objects(schema.objectTypeId), {
      properties: { pp_payout_key: 'addr:1:pp_finder' },
      associations: [],
    });
    const byFqn = await hs.ok('GET', `${P.objects('p4242_pp_payout')}/${created.id}`, undefined, { properties: 'pp_payout_key' });
    const byName = await hs.ok('GET', `${P.objects('pp_payout')}/addr:1:pp_finder`, undefined, { properties: 'pp_payout_key', idProperty: 'pp_payout_key' });
    expect([byFqn.id, byName.id, byName.properties['pp_payout_key']]).toEqual([created.id, created.id, 'addr:1:pp_finder']);
  });

  it.each([
    ['an unknown property', { pp_not_a_property: '1' }, 'PROPERTY_DOESNT_EXIST'],
    ['a number property given text', { amount: 'lots' }, 'INVALID_DOUBLE'],
    ['an enumeration value that is not an option', { pp_deal_type: 'renewal' }, 'INVALID_OPTION'],
    ['a read-only property', { hs_lastmodifieddate: '2026-01-01T00:00:00Z' }, 'READ_ONLY_VALUE'],
  ])('a write with %s is refused whole with HubSpot\u2019s "Property values were not valid" (%s)', async (_what, properties, code) => {
    const deal = api.store.createObject('deals', { dealname: 'Unchanged', amount: '10' });
    const err = await hs.fail('POST', P.objectsBatch('deals', 'update'), { inputs: [{ id: deal.id, properties: { amount: '20', ...properties } }] });
    expect(err.code).toBe(400);
    expect(err.body.category).toBe('VALIDATION_ERROR');
    expect(err.body.message).toContain(`"error":"${code}"`);
    expect(api.store.getRecord('deals', deal.id).properties.get('amount')).toBe('10');
  });

  it('more than 100 inputs in one batch is a 400 for the whole batch', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1) }));
    const err = await hs.fail('POST', P.objectsBatch('deals', 'read'), { inputs, properties: [], propertiesWithHistory: [] });
    expect(err.code).toBe(400);
    expect(err.body.category).toBe('VALIDATION_ERROR');
  });

  it('a deal stage that is not in the deal\u2019s pipeline is refused', async () => {
    const err = await hs.fail('POST', P.objects('deals'), { properties: { pipeline: '705209413', dealstage: 'closedwon' }, associations: [] });
    expect(err.code).toBe(400);
    expect(err.body.message).toContain('INVALID_OPTION');
  });

  it('a missing record is a 404 OBJECT_NOT_FOUND', async () => {
    const err = await hs.fail('GET', `${P.objects('deals')}/777777777`);
    expect([err.code, err.body.category]).toEqual([404, 'OBJECT_NOT_FOUND']);
  });

  it('a call without the app\u2019s token is a 401 with HubSpot\u2019s INVALID_AUTHENTICATION body', async () => {
    const stranger = sandboxHttp(api.url, 'not-the-token');
    const err = await stranger.fail('GET', `${P.objects('deals')}/1`);
    expect([err.code, err.body.status, err.body.category]).toEqual([401, 'error', 'INVALID_AUTHENTICATION']);
  });
});

describe('versions', () => {
  it.each([
    ['POST', '/crm/v3/objects/deals/batch/read'],
    ['POST', '/crm/v4/associations/deals/companies/batch/read'],
    ['GET', '/settings/v3/users/32'],
    ['POST', '/automation/v4/actions/callbacks/cb-1/complete'],
    ['GET', '/crm-object-schemas/v3/schemas'],
  ])('a legacy numbered path (%s %s) answers 404 saying it is legacy, and changes nothing', async (method, path) => {
    const err = await hs.fail(method, path, method === 'POST' ? { inputs: [] } : undefined);
    expect([err.code, err.body.category]).toEqual([404, 'OBJECT_NOT_FOUND']);
    expect(err.body.message).toContain('legacy');
    expect(err.body.message).toContain('2026-09');
  });
});

describe('validation rules (enforced on API writes from 2026-09)', () => {
  const RULE = 'Amount is required when the deal type is expansion';
  let local: RunningSandboxApi;
  let client: SandboxHttp;
  beforeAll(async () => {
    local = await startSandboxApi({ accessToken: TOKEN });
    ensureAppContract(local.store);
    local.store.addValidationRule({ objectType: 'deals', requires: 'amount', when: { property: 'pp_deal_type', equals: 'expansion' }, message: RULE });
    client = sandboxHttp(local.url, TOKEN);
  });
  afterAll(async () => {
    await local.close();
  });

  it('a batch with one input breaking the rule is refused whole (400 VALIDATION_ERROR, the rule in errors[]); nothing is written', async () => {
    local.store.validationBatchMode = 'whole-batch';
    const bad = local.store.createObject('deals', { dealname: 'No amount' }).id;
    const good = local.store.createObject('deals', { dealname: 'Has amount', amount: '10' }).id;
    const err = await client.fail('POST', P.objectsBatch('deals', 'update'), {
      inputs: [
        { id: bad, properties: { pp_deal_type: 'expansion' } },
        { id: good, properties: { pp_deal_type: 'expansion' } },
      ],
    });
    expect([err.code, err.body.category, err.body.errors?.map((e) => e.message)]).toEqual([400, 'VALIDATION_ERROR', [RULE]]);
    expect([local.store.getRecord('deals', bad).properties.get('pp_deal_type'), local.store.getRecord('deals', good).properties.get('pp_deal_type')]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('answered per input: a 207 names the refused record with the rule, the others are written', async () => {
    local.store.validationBatchMode = 'per-input';
    const bad = local.store.createObject('deals', { dealname: 'No amount' }).id;
    const good = local.store.createObject('deals', { dealname: 'Has amount', amount: '10' }).id;
    const res = await client.send('POST', P.objectsBatch('deals', 'update'), {
      inputs: [
        { id: bad, properties: { pp_deal_type: 'expansion' } },
        { id: good, properties: { pp_deal_type: 'expansion' } },
      ],
    });
    const body = res.body as { results: { id: string }[]; errors: { category: string; message: string; context: { ids: string[] } }[] };
    expect([res.status, body.results.map((r) => r.id), body.errors.map((e) => [e.category, e.message, e.context.ids])]).toEqual([
      207,
      [good],
      [['VALIDATION_ERROR', RULE, [bad]]],
    ]);
    expect(local.store.getRecord('deals', good).properties.get('pp_deal_type')).toBe('expansion');
  });

  it('a record already breaking a rule refuses any write to it; a write that meets the rule goes through', async () => {
    local.store.validationBatchMode = 'whole-batch';
    const deal = local.store.silently(() => local.store.createObject('deals', { dealname: 'Legacy' }).id);
    const before = local.store.validationRules.splice(0);
    local.store.updateObject('deals', deal, { pp_deal_type: 'expansion' });
    local.store.validationRules.push(...before);
    const refused = await client.fail('PATCH', `${P.objects('deals')}/${deal}`, { properties: { pp_commission_total: '5.00' } });
    await client.ok('PATCH', `${P.objects('deals')}/${deal}`, { properties: { amount: '20', pp_commission_total: '5.00' } });
    expect([refused.code, refused.body.category]).toEqual([400, 'VALIDATION_ERROR']);
    expect(local.store.getRecord('deals', deal).properties.get('pp_commission_total')).toBe('5');
  });
});

describe('search', () => {
  let local: RunningSandboxApi;
  let client: SandboxHttp;
  beforeAll(async () => {
    local = await startSandboxApi({ accessToken: TOKEN });
    ensureAppContract(local.store);
    client = sandboxHttp(local.url, TOKEN);
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
    const res = await client.ok('POST', P.objectsSearch('deals'), {
      filterGroups: [
        {
          filters: [
            { propertyName: 'amount', operator: 'GTE', value: '200000' },
            { propertyName: 'pp_deal_type', operator: 'EQ', value: 'new' },
          ],
        },
        { filters: [{ propertyName: 'amount', operator: 'LT', value: '20000' }] },
      ],
      sorts: [{ propertyName: 'amount', direction: 'DESCENDING' }],
      properties: ['amount'],
      limit: 10,
      after: '0',
    });
    expect(res.results.map((r: { properties: Record<string, string> }) => r.properties['amount'])).toEqual(['240000', '230000', '220000', '210000', '10000']);
    expect(res.total).toBe(5);
  });

  it('dates compare numerically whether the filter gives epoch ms or ISO', async () => {
    const byMs = await client.ok('POST', P.objectsSearch('deals'), {
      filterGroups: [{ filters: [{ propertyName: 'closedate', operator: 'BETWEEN', value: String(Date.UTC(2026, 0, 3)), highValue: '2026-01-05T00:00:00Z' }] }],
      properties: ['dealname'],
      limit: 10,
    });
    expect(byMs.results.map((r: { properties: Record<string, string> }) => r.properties['dealname'])).toEqual([
      'Search deal 3',
      'Search deal 4',
      'Search deal 5',
    ]);
  });

  it('pages with the after cursor until paging is absent', async () => {
    const names: string[] = [];
    let after: string | undefined = '0';
    let pages = 0;
    while (after !== undefined) {
      const page: { results: { properties: Record<string, string> }[]; paging?: { next?: { after: string } } } = await client.ok(
        'POST',
        P.objectsSearch('deals'),
        {
          filterGroups: [],
          properties: ['dealname'],
          limit: 10,
          after,
        },
      );
      names.push(...page.results.map((r: { properties: Record<string, string> }) => r.properties['dealname'] ?? ''));
      after = page.paging?.next?.after;
      pages++;
    }
    expect([pages, names.length, new Set(names).size]).toEqual([3, 25, 25]);
  });

  it('a limit above 200 is a 400', async () => {
    const err = await client.fail('POST', P.objectsSearch('deals'), { filterGroups: [], limit: 201 });
    expect([err.code, err.body.category]).toEqual([400, 'VALIDATION_ERROR']);
  });

  it('paging past the 10,000th result is a 400, like HubSpot', async () => {
    const err = await client.fail('POST', P.objectsSearch('deals'), { filterGroups: [], limit: 100, after: '10000' });
    expect([err.code, err.body.category]).toEqual([400, 'VALIDATION_ERROR']);
    expect(err.body.message).toContain('10000');
  });
});

describe('portal metadata', () => {
  it('the deal pipelines say which stages are closed and won (isClosed, probability 1.0), in both pipelines', async () => {
    type Pipelines = { results: { id: string; stages: { id: string; metadata?: Record<string, string> }[] }[] };
    const res: Pipelines = await hs.ok('GET', P.pipelines('deals'));
    const closedWon = res.results.flatMap((p) =>
      p.stages.filter((s) => s.metadata?.['isClosed'] === 'true' && s.metadata?.['probability'] === '1.0').map((s) => `${p.id}/${s.id}`),
    );
    expect(closedWon).toEqual(['default/closedwon', '705209413/1034521874']);
  });

  it('a duplicate property group or property is a 409 OBJECT_ALREADY_EXISTS', async () => {
    const group = await hs.fail('POST', P.propertyGroups('deals'), { name: 'pp_partner_program', label: 'Again' });
    const prop = await hs.fail('POST', P.properties('deals'), {
      name: 'amount',
      label: 'Amount',
      type: 'number',
      fieldType: 'number',
      groupName: 'dealinformation',
    });
    expect([group.code, group.body.category, prop.code, prop.body.category]).toEqual([409, 'OBJECT_ALREADY_EXISTS', 409, 'OBJECT_ALREADY_EXISTS']);
  });

  it('the standard HubSpot deal and company properties the app reads are there before provisioning', async () => {
    const fresh = await startSandboxApi({ accessToken: TOKEN });
    try {
      const client = sandboxHttp(fresh.url, TOKEN);
      type Props = { results: { name: string }[] };
      const deals = ((await client.ok('GET', P.properties('deals'))) as Props).results.map((p) => p.name);
      const companies = ((await client.ok('GET', P.properties('companies'))) as Props).results.map((p) => p.name);
      expect(deals).toEqual(
        expect.arrayContaining(['dealname', 'amount', 'dealstage', 'pipeline', 'closedate', 'createdate', 'deal_currency_code', 'hs_lastmodifieddate']),
      );
      expect(companies).toEqual(expect.arrayContaining(['name', 'lifecyclestage', 'hs_lastmodifieddate', 'createdate']));
    } finally {
      await fresh.close();
    }
  });

  it('users carry their primary and secondary teams; teams list their members', async () => {
    api.store.addTeam({ id: '900', name: 'Partner Managers' });
    api.store.addUser({ id: '31', email: 'pm@example.com', primaryTeamId: '900' });
    api.store.addUser({ id: '32', email: 'lead@example.com', secondaryTeamIds: ['900'] });
    const user = await hs.ok('GET', P.user('32'), undefined, { idProperty: 'USER_ID' });
    const teams: { results: { id: string }[] } = await hs.ok('GET', `/settings/users/${USERS_API_VERSION}/teams`);
    expect([user.id, user.secondaryTeamIds]).toEqual(['32', ['900']]);
    expect(teams.results.find((t) => t.id === '900')).toMatchObject({ userIds: ['31'], secondaryUserIds: ['32'] });
  });

  it('workflow callbacks answer 204 and are recorded, single and batch', async () => {
    await hs.ok('POST', P.callbackComplete('cb-single'), { outputFields: { hs_execution_state: 'SUCCESS' } });
    await hs.ok('POST', P.callbacksCompleteBatch(), { inputs: [{ callbackId: 'cb-batch', outputFields: { hs_execution_state: 'FAIL_CONTINUE' } }] });
    expect(api.store.callbackCompletions.map((c) => [c.callbackId, c.outputFields['hs_execution_state']])).toEqual([
      ['cb-single', 'SUCCESS'],
      ['cb-batch', 'FAIL_CONTINUE'],
    ]);
  });
});
