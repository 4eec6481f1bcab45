/**
 * Attack (issue 11, item 3): one identity per card request. A rep with an ordinary seat signs, through HubSpot,
 * a card request that names a partner manager first and themself second (`?userId=<manager>&userId=<rep>`), or
 * the manager in one spelling and themself in the other. Before, the first value won and the rep approved as the
 * manager. Now every such request is refused (400) before anything is read or written, and no viewer is shown
 * the ids of the partner managers (whose seat to borrow, which team to join).
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readCardIdentity } from '../../src/server/cards/request-identity.js';
import { PORTAL_ID, USERS, TEAMS, startCardHarness, type CardHarness } from '../server/cards/card-harness.js';

let h: CardHarness;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
beforeEach(async () => {
  h = await startCardHarness();
});
afterEach(async () => {
  await h.close();
});

describe('a signed request that names its user or portal ambiguously is refused (400) and changes nothing', () => {
  const manager = USERS.manager;
  const rep = USERS.rep;
  it.each([
    { label: 'the user twice: manager first, rep second', query: `userId=${manager}`, opts: { userId: rep } },
    { label: 'the user twice with the same value', query: `userId=${rep}`, opts: { userId: rep } },
    { label: 'the user in two spellings (userId and user_id)', query: `user_id=${manager}`, opts: { userId: rep } },
    { label: 'the user as an array parameter (userId[]=)', query: `userId[]=${manager}`, opts: { userId: null } },
    { label: 'an empty user id', query: '', opts: { userId: '' } },
    { label: 'the portal twice', query: `portalId=${PORTAL_ID}`, opts: { userId: manager } },
    { label: 'the portal in two spellings', query: `portal_id=${PORTAL_ID}`, opts: { userId: manager } },
    { label: 'an empty portal id', query: '', opts: { userId: manager, portalId: '' } },
  ])('$label', async ({ query, opts }) => {
    const dealId = h.ids.deals.globexPlatform;
    const before = h.deal(dealId);
    const path = `/api/cards/deals/${dealId}/registration${query ? `?${query}` : ''}`;
    const res = await h.post(path, { action: 'approve', expectedVersion: 'whatever' }, opts);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('payload');
    expect(h.deal(dealId)).toEqual(before);
    expect(h.deal(dealId).pp_registration_status).toBe('pending');
    expect(h.dealWrites()).toEqual([]);
    expect(h.notesOn(dealId)).toEqual([]);
  });

  it('reading a card with the user named twice is refused too (no view for an ambiguous viewer)', async () => {
    const res = await h.get(`/api/cards/deals/${h.ids.deals.globexPlatform}?userId=${USERS.manager}`, { userId: USERS.rep });
    expect(res.status).toBe(400);
  });
});

describe('the identity reader', () => {
  it.each([
    ['userId=1&portalId=2', { userId: '1', portalId: '2' }],
    ['user_id=1&portal_id=2', { userId: '1', portalId: '2' }],
    ['', { userId: null, portalId: null }],
  ])('%s is read once', (query, expected) => {
    expect(readCardIdentity(`/api/cards/home?${query}`)).toEqual(expected);
  });

  it.each(['userId=1&userId=1', 'userId=1&user_id=2', 'userId=', 'userId=abc', 'portalId=1&portalId=2', 'userId%5B%5D=1'])('%s is refused', (query) => {
    expect(() => readCardIdentity(`/x?${query}`)).toThrow();
  });
});

describe('viewers are not shown who the partner managers are', () => {
  it('a rep’s deal card and home view carry no manager user id or team id', async () => {
    for (const path of [`/api/cards/deals/${h.ids.deals.globexPlatform}`, '/api/cards/home']) {
      const res = await h.get(path, { userId: USERS.rep });
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body.viewer);
      expect(text).not.toContain(USERS.manager);
      expect(text).not.toContain(TEAMS.partnerManagers);
      expect(res.body.viewer.isPartnerManager).toBe(false);
    }
  });

  it('a refusal for a rep does not name the managers either', async () => {
    const dealId = h.ids.deals.globexPlatform;
    const version = (await h.get(`/api/cards/deals/${dealId}`)).body.registrationVersion as string;
    const res = await h.post(`/api/cards/deals/${dealId}/registration`, { action: 'approve', expectedVersion: version }, { userId: USERS.rep });
    expect(res.status).toBe(403);
    expect(res.body.error.message).not.toContain(USERS.manager);
    expect(res.body.error.message).not.toContain(TEAMS.partnerManagers);
  });
});
