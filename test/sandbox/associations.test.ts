/**
 * Associations v4 and labels in the sandbox, through @hubspot/api-client: one association readable from both
 * sides with each side's type ids, labels resolved by the portal, and the 207 HubSpot gives for "none".
 */
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxApi, type RunningSandboxApi } from '../../sandbox/api/server.js';
import { ensureAppContract, type AppContractIds } from '../../sandbox/contract.js';

const TOKEN = 'assoc-token';

let api: RunningSandboxApi;
let hs: Client;
let contract: AppContractIds;

beforeAll(async () => {
  api = await startSandboxApi({ accessToken: TOKEN });
  contract = ensureAppContract(api.store);
  hs = new Client({ accessToken: TOKEN, basePath: api.url, numberOfApiCallRetries: 0 });
});

afterAll(async () => {
  await api.close();
});

function dealWithCompanies(): { deal: string; customer: string; partner: string } {
  const deal = api.store.createObject('deals', { dealname: 'Assoc deal' }).id;
  const customer = api.store.createObject('companies', { name: 'Customer' }).id;
  const partner = api.store.createObject('companies', { name: 'Partner', pp_partner_type: 'consultant' }).id;
  return { deal, customer, partner };
}

describe('labels', () => {
  it('the labels API lists typeId, label and category, never the internal name (roles are matched on label text)', async () => {
    const res = await hs.crm.associations.v4.schema.definitionsApi.getAll('deals', 'companies');
    expect(res.results.map((r) => ({ ...r }))).toEqual([
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
    const created = await hs.crm.associations.v4.schema.definitionsApi.create('deals', 'companies', {
      label: 'Reseller',
      name: 'sandbox_reseller',
      inverseLabel: 'Resold deal',
    });
    const [forward, inverse] = created.results;
    const fromCompanies = await hs.crm.associations.v4.schema.definitionsApi.getAll('companies', 'deals');
    expect([forward?.label, inverse?.label, inverse!.typeId - forward!.typeId]).toEqual(['Reseller', 'Resold deal', 1]);
    expect(fromCompanies.results.find((r) => r.typeId === inverse!.typeId)?.label).toBe('Resold deal');
  });

  it('a second label with the same internal name is refused with 409', async () => {
    let code = 0;
    try {
      await hs.crm.associations.v4.schema.definitionsApi.create('deals', 'companies', { label: 'Finder again', name: 'pp_finder' });
    } catch (err) {
      code = (err as { code: number }).code;
    }
    expect(code).toBe(409);
  });
});

describe('record associations', () => {
  it('batch read returns each deal\u2019s companies with every type: unlabelled 341 always, primary 5, labels by type id', async () => {
    const { deal, customer, partner } = dealWithCompanies();
    await hs.crm.associations.v4.basicApi.create('deals', deal, 'companies', customer, [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 5 }]);
    await hs.crm.associations.v4.batchApi.create('deals', 'companies', {
      inputs: [
        {
          _from: { id: deal },
          to: { id: partner },
          types: [
            { associationCategory: 'USER_DEFINED' as never, associationTypeId: contract.labelTypeIds.pp_referral_partner },
            { associationCategory: 'USER_DEFINED' as never, associationTypeId: contract.labelTypeIds.pp_finder },
          ],
        },
      ],
    });
    const res = await hs.crm.associations.v4.batchApi.getPage('deals', 'companies', { inputs: [{ id: deal }] });
    const to = res.results[0]!.to.map((t) => [t.toObjectId, t.associationTypes.map((a) => `${a.typeId}:${a.label ?? '-'}`)]);
    expect(to).toEqual([
      [Number(customer), ['5:Primary', '341:-']],
      [Number(partner), ['341:-', `${contract.labelTypeIds.pp_referral_partner}:Referral partner`, `${contract.labelTypeIds.pp_finder}:Finder`]],
    ]);
  });

  it('the same association read from the company side carries the inverse ids (342, 6 and the inverse labels)', async () => {
    const { deal, customer, partner } = dealWithCompanies();
    api.store.asIntegration().associateDealCompany(deal, customer, { primary: true });
    api.store.asIntegration().associateDealCompany(deal, partner, { roles: ['pp_co_selling_partner'] });
    const fromCustomer = await hs.crm.associations.v4.basicApi.getPage('companies', customer, 'deals');
    const fromPartner = await hs.crm.associations.v4.basicApi.getPage('companies', partner, 'deals');
    expect(fromCustomer.results.map((r) => [r.toObjectId, r.associationTypes.map((a) => a.typeId)])).toEqual([[Number(deal), [6, 342]]]);
    expect(fromPartner.results.map((r) => r.associationTypes.map((a) => a.label))).toEqual([[null, 'Co-sold deal']]);
  });

  it('a deal without companies is a 207 per-input error (NO_ASSOCIATIONS_FOUND), not an empty result', async () => {
    const lonely = api.store.createObject('deals', { dealname: 'Alone' }).id;
    const res = await hs.crm.associations.v4.batchApi.getPage('deals', 'companies', { inputs: [{ id: lonely }] });
    expect(res.results).toEqual([]);
    expect('errors' in res && res.errors?.map((e) => [e.category, e.subCategory, e.context['fromObjectId']])).toEqual([
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
    await hs.crm.associations.v4.batchApi.archiveLabels('deals', 'companies', {
      inputs: [{ _from: { id: deal }, to: { id: partner }, types: [{ associationCategory: 'USER_DEFINED' as never, associationTypeId: contract.labelTypeIds.pp_finder }] }],
    });
    const afterLabel = api.store.associationsOf('deals', deal, 'companies').map((a) => a.types.map((t) => t.typeId));
    await hs.crm.associations.v4.basicApi.archive('deals', deal, 'companies', partner);
    expect(afterLabel).toEqual([[341, contract.labelTypeIds.pp_referral_partner]]);
    expect(api.store.associationsOf('deals', deal, 'companies')).toEqual([]);
  });

  it('a type id of the other direction is refused (400): 342 is company → deal, not deal → company', async () => {
    const { deal, customer } = dealWithCompanies();
    let code = 0;
    try {
      await hs.crm.associations.v4.basicApi.create('deals', deal, 'companies', customer, [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 342 }]);
    } catch (err) {
      code = (err as { code: number }).code;
    }
    expect(code).toBe(400);
  });

  it('a note is created with its deal association (type 214) and read back from the deal', async () => {
    const { deal } = dealWithCompanies();
    const note = await hs.crm.objects.notes.basicApi.create({
      properties: { hs_timestamp: '2026-03-01T10:00:00Z', hs_note_body: '<p>Registration approved</p>' },
      associations: [{ to: { id: deal }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 214 }] }],
    });
    const fromDeal = await hs.crm.associations.v4.basicApi.getPage('deals', deal, 'notes');
    expect(fromDeal.results.map((r) => [r.toObjectId, r.associationTypes.map((a) => a.typeId)])).toEqual([[Number(note.id), [213]]]);
  });

  it('the payout object is associated with its deal and partner through the schema\u2019s association types', async () => {
    const { deal, partner } = dealWithCompanies();
    const toDeal = api.store.definitionsBetween('pp_payout', 'deals')[0]!;
    const toCompany = api.store.definitionsBetween('pp_payout', 'companies')[0]!;
    const payout = await hs.crm.objects.basicApi.create(contract.payoutObjectTypeId, {
      properties: { pp_payout_key: `${deal}:${partner}:pp_finder` },
      associations: [
        { to: { id: deal }, types: [{ associationCategory: 'USER_DEFINED' as never, associationTypeId: toDeal.typeId }] },
        { to: { id: partner }, types: [{ associationCategory: 'USER_DEFINED' as never, associationTypeId: toCompany.typeId }] },
      ],
    });
    const fromDeal = await hs.crm.associations.v4.basicApi.getPage('deals', deal, contract.payoutObjectTypeId);
    expect(fromDeal.results.map((r) => r.toObjectId)).toEqual([Number(payout.id)]);
  });
});
