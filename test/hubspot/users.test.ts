import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readUserTeams } from '../../src/hubspot/users.js';
import { BASE, fixture, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

describe('users: team membership looked up on the server', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('a user’s teams are the primary team then the secondary teams', async () => {
    const { hs } = testHubSpot();
    nock(BASE).get('/settings/users/2026-03/4242').query({ idProperty: 'USER_ID' }).reply(200, fixture('user'));

    expect(await readUserTeams(hs, '4242')).toEqual({ userId: '4242', teamIds: ['501', '502', '503'] });
  });

  it('a user HubSpot does not know (404) is null, so the caller treats them as not a manager', async () => {
    const { hs } = testHubSpot();
    nock(BASE)
      .get('/settings/users/2026-03/777')
      .query(true)
      .reply(404, { status: 'error', message: 'Resource not found', correlationId: '0b8c2d6e-3f1a-4e8b-9c2d-7a6b5c4d3e2f', category: 'OBJECT_NOT_FOUND' });

    expect(await readUserTeams(hs, '777')).toBeNull();
  });

  it('a user without teams has none', async () => {
    const { hs } = testHubSpot();
    nock(BASE).get('/settings/users/2026-03/4243').query(true).reply(200, { id: '4243', email: 'rep@example.com', roleIds: [], superAdmin: false });

    expect(await readUserTeams(hs, '4243')).toEqual({ userId: '4243', teamIds: [] });
  });
});
