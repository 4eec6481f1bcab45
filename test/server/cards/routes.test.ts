/**
 * The card backend's edge: every request HubSpot-signed (v3 over the full URI with its query), identity from
 * the signed query only, errors as `{ error: { code, message } }`, and answers the cards' own zod schemas
 * accept (extensions/app/cards/api/schemas.ts), so a drift between contract and backend fails here.
 */
import nock from 'nock';
import request from 'supertest';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cardErrorResponseSchema,
  companyCardViewSchema,
  dealCardViewSchema,
  homeViewSchema,
  registrationActionResponseSchema,
} from '../../../extensions/app/cards/api/schemas.js';
import { signHubSpotRequest } from '../../../src/server/verify-hubspot-request.js';
import { TEST_SECRET } from '../../helpers/hubspot-events.js';
import { NOW, PUBLIC_BASE_URL, USERS, pathWithIdentity, startCardHarness, type CardHarness } from './card-harness.js';

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

describe('signed requests (docs/program.md: partner-manager rights never come from the card)', () => {
  it('a valid signed request for each endpoint answers a body the card’s own schema accepts', async () => {
    const deal = await h.get(`/api/cards/deals/${h.ids.deals.globexPlatform}`);
    expect(deal.status).toBe(200);
    expect(dealCardViewSchema.safeParse(deal.body).success).toBe(true);

    const company = await h.get(`/api/cards/companies/${h.ids.partners.beacon}`);
    expect(company.status).toBe(200);
    expect(companyCardViewSchema.safeParse(company.body).success).toBe(true);

    const home = await h.get('/api/cards/home');
    expect(home.status).toBe(200);
    expect(homeViewSchema.safeParse(home.body).success).toBe(true);

    const action = await h.post(`/api/cards/deals/${h.ids.deals.globexPlatform}/registration`, {
      action: 'approve',
      expectedVersion: deal.body.registrationVersion,
    });
    expect(action.status).toBe(200);
    expect(registrationActionResponseSchema.safeParse(action.body).success).toBe(true);
  });

  it.each([
    ['signed with another secret (forged)', { secret: 'not-the-client-secret' }, 'invalid X-HubSpot-Signature-v3'],
    ['signed 6 minutes ago (stale)', { signedAt: NOW - 6 * 60_000 }, 'stale request: X-HubSpot-Request-Timestamp is older than 5 minutes'],
  ])('a request %s answers 401 and HubSpot is never called', async (_label, opts, message) => {
    const res = await h.get(`/api/cards/deals/${h.ids.deals.globexPlatform}`, opts);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'signature', message } });
    expect(h.api.stats.total).toBe(0);
  });

  it('an unsigned request answers 401', async () => {
    const res = await request(h.app).get(pathWithIdentity(`/api/cards/deals/${h.ids.deals.globexPlatform}`));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'signature', message: 'missing X-HubSpot-Signature-v3' } });
  });

  it('the user id in the query is covered by the signature: swapping it after signing answers 401', async () => {
    const path = `/api/cards/deals/${h.ids.deals.globexPlatform}/registration`;
    const raw = JSON.stringify({ action: 'approve', expectedVersion: 'x' });
    const headers = signHubSpotRequest({
      method: 'POST',
      uri: `${PUBLIC_BASE_URL}${pathWithIdentity(path, { userId: USERS.rep })}`,
      rawBody: raw,
      secret: TEST_SECRET,
      timestamp: NOW,
    });
    const res = await request(h.app)
      .post(pathWithIdentity(path, { userId: USERS.manager }))
      .set({ ...headers, 'content-type': 'application/json' })
      .send(raw);
    expect(res.status).toBe(401);
    expect(h.dealWrites()).toEqual([]);
  });

  it('a body that names a user is ignored: identity comes only from the signed query (the rep stays a rep → 403)', async () => {
    const res = await h.post(
      `/api/cards/deals/${h.ids.deals.globexPlatform}/registration`,
      { action: 'approve', expectedVersion: 'whatever', userId: USERS.manager, user_id: USERS.manager },
      { userId: USERS.rep },
    );
    expect(res.status).toBe(403);
    expect(h.dealWrites()).toEqual([]);
  });
});

describe('request identity', () => {
  it.each([
    ['userId / portalId', 'userId', 'portalId'],
    ['user_id / portal_id', 'user_id', 'portal_id'],
  ])('HubSpot’s identifying parameters are read as %s', async (_label, userParam, portalParam) => {
    const res = await h.get('/api/cards/home', { userId: USERS.rep, userParam, portalParam });
    expect(res.status).toBe(200);
    expect(res.body.viewer).toEqual({
      userId: USERS.rep,
      isPartnerManager: false,
      managersHint:
        'Only partner managers approve, reject or resolve registrations (the users and teams listed under partnerManagers in the program configuration).',
    });
  });

  it('a request from another HubSpot account answers 403 naming both accounts', async () => {
    const res = await h.get(`/api/cards/deals/${h.ids.deals.globexPlatform}`, { portalId: '999' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: { code: 'forbidden', message: 'This partner-program service serves HubSpot account 4242, not 999.' },
    });
  });

  it('a view without a user id still loads, for a viewer who is not a partner manager', async () => {
    const res = await h.get(`/api/cards/deals/${h.ids.deals.globexPlatform}`, { userId: null });
    expect(res.status).toBe(200);
    expect(res.body.viewer.userId).toBe('');
    expect(res.body.viewer.isPartnerManager).toBe(false);
  });

  it('an action without a user id answers 403 and writes nothing: a change needs someone to record it under', async () => {
    const res = await h.post(
      `/api/cards/deals/${h.ids.deals.acmeRollout}/registration`,
      { action: 'register', partnerId: h.ids.partners.beacon, expectedVersion: 'none' },
      { userId: null },
    );
    expect(res.status).toBe(403);
    expect(cardErrorResponseSchema.parse(res.body).error.message).toBe(
      'HubSpot did not say which user sent this request, so nothing can be changed on its behalf. Reload the page and try again.',
    );
    expect(h.dealWrites()).toEqual([]);
  });
});

describe('errors the card shows', () => {
  it('an unknown deal answers 404 with a message the card shows', async () => {
    const res = await h.get('/api/cards/deals/123456789');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'not_found', message: 'Deal 123456789 was not found in HubSpot: it may have been deleted or merged.' },
    });
  });

  it('an unknown company answers 404', async () => {
    const res = await h.get('/api/cards/companies/123456789');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('Company 123456789 was not found in HubSpot: it may have been deleted or merged.');
  });

  it('a record id that is not a HubSpot id answers 400 before HubSpot is asked', async () => {
    const res = await h.get('/api/cards/deals/abc');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'payload', message: '"abc" is not a HubSpot deal id.' } });
    expect(h.api.stats.total).toBe(0);
  });

  it.each([
    ['not JSON', '{', 'The registration request is not JSON.'],
    [
      'an unknown action',
      JSON.stringify({ action: 'delete', expectedVersion: 'none' }),
      "The registration request is not valid (action: Invalid discriminator value. Expected 'register' | 'approve' | 'reject' | 'resolve').",
    ],
    [
      'a register without a partner',
      JSON.stringify({ action: 'register', expectedVersion: 'none' }),
      'The registration request is not valid (partnerId: Invalid input: expected string, received undefined).',
    ],
  ])('a registration body that is %s answers 400', async (_label, raw, message) => {
    const path = pathWithIdentity(`/api/cards/deals/${h.ids.deals.acmeRollout}/registration`);
    const headers = signHubSpotRequest({ method: 'POST', uri: `${PUBLIC_BASE_URL}${path}`, rawBody: raw, secret: TEST_SECRET, timestamp: NOW });
    const res = await request(h.app)
      .post(path)
      .set({ ...headers, 'content-type': 'application/json' })
      .send(raw);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'payload', message } });
  });

  it('card answers are never cached (they depend on who asks and change with every decision)', async () => {
    const res = await h.get('/api/cards/home');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
