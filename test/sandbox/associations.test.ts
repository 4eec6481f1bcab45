/**
 * Associations (2026-09) and labels in the sandbox, over plain HTTP: one association readable from both sides
 * with each side's type ids, labels resolved by the portal, and the 207 HubSpot gives for "none".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxApi, type RunningSandboxApi } from '../../sandbox/api/server.js';
import { ensureAppContract, type AppContractIds } from '../../sandbox/contract.js';
import { HUBSPOT_API_VERSION as V, hubspotPaths as P } from '../../src/hubspot/api-paths.js';
import { sandboxHttp, type SandboxHttp } from '../helpers/sandbox-http.js';

const TOKEN = 'assoc-token';

let api: RunningSandboxApi;
let hs: SandboxHttp;
let contract: AppContractIds;

beforeAll(async () => {
  api = await startSandboxApi({ accessToken: TOKEN });
  contract = ensureAppContract(api.store);
  hs = sandboxHttp(api.url, TOKEN);
});

afterAll(async () => {
  await api.close();
});

interface Label {
  category: string;
  typeId: number;
  label: string | null;
}
interface AssociatedTo {
  toObjectId: number;
  associationTypes: Label[];
}

/** One record's associations to a type, through batch/read (2026-09 has no single-record GET). */
async function associationsFrom(fromType: string, id: string, toType: string): Promise<AssociatedTo[]> {
  const res = await hs.send('POST', P.associationsBatch(fromType, toType, 'read'), { inputs: [{ id }] });
  return (res.body as { results: { to: AssociatedTo[] }[] }).results[0]?.to ?? [];
}

function dealWithCompanies(): { deal: string; customer: string; partner: string } {
  const deal = api.store.createObject('deals', { dealname: 'Assoc deal' }).id;
  const customer = api.store.createObject('companies', { name: 'Customer' }).id;
  const partner = api.store.createObject('companies', { name: 'Partner', pp_partner_type: 'consultant' }).id;
  return { deal, customer, partner };
}

describe('labels', () => {
  it('the labels API lists typeId, label and category, never the internal name (roles are matched on label text)', async () => {
    const res: { results: Label[] } = await hs.ok('GET', P.associationLabels('deals', 'companies'));
    expect(res.results).toEqual([
      { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' },
      { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
      { category: 'USER_DEFINED', typeId: contract.labelTypeIds.pp_referral_partner, label: 'Referral partner' },
      { category: 'USER_DEFINED', typeId: contract.labelTypeIds.pp_finder, label: 'Finder' },
      { category: 'USER_DEFINED', typeId: contract.labelTypeIds.pp_co_selling_partner, label: 'Co-selling partner' },
      { category: 'USER_DEFINED', typeId: contract.labelTypeIds.pp_implementation_partner, label: 'Implementation partner' },
      { category: 'USER_DEFINED', typeId: contract.labelTypeIds.pp_customer_success_partner, label: 'Customer success partner' },
    ]);
  });

  it('creating a label answers both directions\u2019 type ids; the inverse label is listed from the other side', async () => {
    const created: { results: Label[] } = await hs.ok('POST', P.associationLabels('deals', 'companies'), {
      label: 'Reseller',
      name: 'sandbox_reseller',
      inverseLabel: 'Resold deal',
    });
    const [forward, inverse] = created.results;
    const fromCompanies: { results: Label[] } = await hs.ok('GET', P.associationLabels('companies', 'deals'));
    expect([forward?.label, inverse?.label, inverse!.typeId - forward!.typeId]).toEqual(['Reseller', 'Resold deal', 1]);
    expect(fromCompanies.results.find((r) => r.typeId === inverse!.typeId)?.label).toBe('Resold deal');
  });

  it('a second label with the same internal name is refused with 409', async () => {
    const err = await hs.fail('POST', P.associationLabels('deals', 'companies'), { label: 'Finder again', name: 'pp_finder' });
    expect(err.code).toBe(409);
  });
});

describe('record associations', () => {
  it('batch read returns each deal\u2019s companies with every type: unlabelled 341 always, primary 5, labels by type id', async () => {
    const { deal, customer, partner } = dealWithCompanies();
    await hs.ok('PUT', P.associateRecords('deals', deal, 'companies', customer), [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }]);
    await hs.ok('POST', P.associationsBatch('deals', 'companies', 'create'), {
      inputs: [
        {
          from: { id: deal },
          to: { id: partner },
          types: [
            { associationCategory: 'USER_DEFINED', associationTypeId: contract.labelTypeIds.pp_referral_partner },
            // 2026-03's example sends the type id alone: accepted too (docs/hubspot-api.md).
            { associationTypeId: contract.labelTypeIds.pp_finder },
          ],
        },
      ],
    });
    const to = (await associationsFrom('deals', deal, 'companies')).map((t) => [t.toObjectId, t.associationTypes.map((a) => `${a.typeId}:${a.label ?? '-'}`)]);
    expect(to).toEqual([
      [Number(customer), ['5:Primary', '341:-']],
      [Number(partner), ['341:-', `${contract.labelTypeIds.pp_referral_partner}:Referral partner`, `${contract.labelTypeIds.pp_finder}:Finder`]],
    ]);
  });

  it('the same association read from the company side carries the inverse ids (342, 6 and the inverse labels)', async () => {
    const { deal, customer, partner } = dealWithCompanies();
    api.store.asIntegration().associateDealCompany(deal, customer, { primary: true });
    api.store.asIntegration().associateDealCompany(deal, partner, { roles: ['pp_co_selling_partner'] });
    const fromCustomer = await associationsFrom('companies', customer, 'deals');
    const fromPartner = await associationsFrom('companies', partner, 'deals');
    expect(fromCustomer.map((r) => [r.toObjectId, r.associationTypes.map((a) => a.typeId)])).toEqual([[Number(deal), [6, 342]]]);
    expect(fromPartner.map((r) => r.associationTypes.map((a) => a.label))).toEqual([[null, 'Co-sold deal']]);
  });

  it('a deal without companies is a 207 per-input error (NO_ASSOCIATIONS_FOUND), not an empty result', async () => {
    const lonely = api.store.createObject('deals', { dealname: 'Alone' }).id;
    const res = await hs.send('POST', P.associationsBatch('deals', 'companies', 'read'), { inputs: [{ id: lonely }] });
    const body = res.body as { results: unknown[]; errors: { category: string; subCategory: string; context: Record<string, unknown> }[] };
    expect(res.status).toBe(207);
    expect(body.results).toEqual([]);
    expect(body.errors.map((e) => [e.category, e.subCategory, e.context['fromObjectId']])).toEqual([
      ['OBJECT_NOT_FOUND', 'crm.associations.NO_ASSOCIATIONS_FOUND', [lonely]],
    ]);
  });

  it('making another company primary moves the primary flag: a deal has one primary company', async () => {
    const { deal, customer, partner } = dealWithCompanies();
    const session = api.store.asIntegration();
    session.associateDealCompany(deal, customer, { primary: true });
    session.associateDealCompany(deal, partner, { primary: true });
    const primaries = api.store
      .associationsOf('deals', deal, 'companies')
      .filter((a) => a.types.some((t) => t.typeId === 5))
      .map((a) => a.toObjectId);
    expect(primaries).toEqual([partner]);
  });

  it('labels archive removes a role and keeps the company on the deal; DELETE removes the association', async () => {
    const { deal, partner } = dealWithCompanies();
    api.store.asIntegration().associateDealCompany(deal, partner, { roles: ['pp_finder', 'pp_referral_partner'] });
    await hs.ok('POST', `/crm/associations/${V}/deals/companies/batch/labels/archive`, {
      inputs: [
        { from: { id: deal }, to: { id: partner }, types: [{ associationCategory: 'USER_DEFINED', associationTypeId: contract.labelTypeIds.pp_finder }] },
      ],
    });
    const afterLabel = api.store.associationsOf('deals', deal, 'companies').map((a) => a.types.map((t) => t.typeId));
    await hs.ok('DELETE', P.associateRecords('deals', deal, 'companies', partner));
    expect(afterLabel).toEqual([[341, contract.labelTypeIds.pp_referral_partner]]);
    expect(api.store.associationsOf('deals', deal, 'companies')).toEqual([]);
  });

  it('a type id of the other direction is refused (400): 342 is company → deal, not deal → company', async () => {
    const { deal, customer } = dealWithCompanies();
    const err = await hs.fail('PUT', P.associateRecords('deals', deal, 'companies', customer), [
      { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 342 },
    ]);
    expect(err.code).toBe(400);
  });

  it('a note is created with its deal association (type 214) and read back from the deal', async () => {
    const { deal } = dealWithCompanies();
    const note: { id: string } = await hs.ok('POST', P.objects('notes'), {
      properties: { hs_timestamp: '2026-03-01T10:00:00Z', hs_note_body: '<p>Registration approved</p>' },
      associations: [{ to: { id: deal }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 214 }] }],
    });
    const fromDeal = await associationsFrom('deals', deal, 'notes');
    expect(fromDeal.map((r) => [r.toObjectId, r.associationTypes.map((a) => a.typeId)])).toEqual([[Number(note.id), [213]]]);
  });

  it('the payout object is associated with its deal and partner through the schema\u2019s association types', async () => {
    const { deal, partner } = dealWithCompanies();
    const toDeal = api.store.definitionsBetween('pp_payout', 'deals')[0]!;
    const toCompany = api.store.definitionsBetween('pp_payout', 'companies')[0]!;
    const payout: { id: string } = await hs.ok('POST', P.objects(contract.payoutObjectTypeId), {
      properties: { pp_payout_key: `${deal}:${partner}:pp_finder` },
      associations: [
        { to: { id: deal }, types: [{ associationCategory: 'USER_DEFINED', associationTypeId: toDeal.typeId }] },
        { to: { id: partner }, types: [{ associationCategory: 'USER_DEFINED', associationTypeId: toCompany.typeId }] },
      ],
    });
    const fromDeal = await associationsFrom('deals', deal, contract.payoutObjectTypeId);
    expect(fromDeal.map((r) => r.toObjectId)).toEqual([Number(payout.id)]);
  });
});
