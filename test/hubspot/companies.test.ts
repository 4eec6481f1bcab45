import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCompanies, updateCompanies } from '../../src/hubspot/companies.js';
import { BASE, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

function company(id: string, properties: Record<string, string | null>) {
  return { id, properties: { hs_object_id: id, ...properties }, createdAt: '2024-11-02T09:00:00.000Z', updatedAt: '2025-03-01T08:00:00.000Z', archived: false };
}

describe('companies', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('readCompanies reads partners by id with the asked properties', async () => {
    const { hs } = testHubSpot();
    nock(BASE)
      .post('/crm/objects/2026-09/companies/batch/read', {
        inputs: [{ id: '501' }, { id: '502' }],
        properties: ['pp_partner_type', 'pp_consultant_count'],
        propertiesWithHistory: [],
      })
      .query({ archived: 'false' })
      .reply(200, {
        status: 'COMPLETE',
        results: [
          company('501', { pp_partner_type: 'consultant', pp_consultant_count: '55' }),
          company('502', { pp_partner_type: 'technology', pp_consultant_count: null }),
        ],
        startedAt: '2025-03-05T14:00:00.000Z',
        completedAt: '2025-03-05T14:00:00.030Z',
      });

    const companies = await readCompanies(hs, ['501', '502'], ['pp_partner_type', 'pp_consultant_count']);

    expect(companies.get('501')?.properties.pp_consultant_count).toBe('55');
    expect(companies.get('502')?.properties).toEqual({ hs_object_id: '502', pp_partner_type: 'technology', pp_consultant_count: null });
  });

  it('updateCompanies with 101 partners sends two batches of 100 and 1', async () => {
    const { hs } = testHubSpot();
    const sizes: number[] = [];
    nock(BASE)
      .post('/crm/objects/2026-09/companies/batch/update')
      .twice()
      .reply(200, (_uri, body) => {
        const { inputs } = body as { inputs: { id: string }[] };
        sizes.push(inputs.length);
        return { status: 'COMPLETE', results: inputs.map((i) => company(i.id, {})), startedAt: '2025-03-05T14:00:00Z', completedAt: '2025-03-05T14:00:01Z' };
      });

    await updateCompanies(
      hs,
      Array.from({ length: 101 }, (_, i) => ({ id: String(600 + i), properties: { pp_referral_tier: 'tier_2' } })),
    );

    expect(sizes).toEqual([100, 1]);
  });
});
