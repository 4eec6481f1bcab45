import { describe, expect, it } from 'vitest';
import { HUBSPOT_API_VERSION, USERS_API_VERSION, hubspotPaths as P } from '../../src/hubspot/api-paths.js';

describe('api paths: every call at a date version, as HubSpot’s 2026-09 specs spell the paths', () => {
  it.each([
    [P.objectsBatch('deals', 'read'), '/crm/objects/2026-09/deals/batch/read'],
    [P.objectsBatch('2-27100001', 'upsert'), '/crm/objects/2026-09/2-27100001/batch/upsert'],
    [P.objectsSearch('companies'), '/crm/objects/2026-09/companies/search'],
    [P.objects('notes'), '/crm/objects/2026-09/notes'],
    [P.associateRecords('deals', '9001', 'companies', '501'), '/crm/objects/2026-09/deals/9001/associations/companies/501'],
    [P.associationsBatch('deals', 'companies', 'associate/default'), '/crm/associations/2026-09/deals/companies/batch/associate/default'],
    [P.associationLabels('deals', 'companies'), '/crm/associations/2026-09/deals/companies/labels'],
    [P.properties('deals'), '/crm/properties/2026-09/deals'],
    [P.propertyGroups('companies'), '/crm/properties/2026-09/companies/groups'],
    [P.schemas(), '/crm-object-schemas/2026-09/schemas'],
    [P.pipelines('deals'), '/crm/pipelines/2026-09/deals'],
    [P.user('4242'), '/settings/users/2026-03/4242'],
    [P.callbackComplete('ap-1-2-3'), '/automation/actions/callbacks/2026-09/ap-1-2-3/complete'],
    [P.callbacksCompleteBatch(), '/automation/actions/callbacks/2026-09/complete'],
  ])('%s', (path, expected) => {
    expect(path).toBe(expected);
    expect(path).not.toMatch(/\/v[1-4]\//);
  });

  it('one constant per version; the users API stays on its newest GA version (2026-09 is beta only)', () => {
    expect([HUBSPOT_API_VERSION, USERS_API_VERSION]).toEqual(['2026-09', '2026-03']);
  });

  it('path segments are escaped: an id cannot add a segment', () => {
    expect(P.user('1/../2')).toBe('/settings/users/2026-03/1%2F..%2F2');
  });
});
