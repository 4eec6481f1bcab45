/**
 * Attack (issue 11, item 4): the payouts CSV is for finance users and partner managers only. A rep opens a
 * card, lifts the export request or link, and asks for every partner's payouts: as a signed card request with
 * their own seat, from another portal, with no user, with the user named twice, with a link made for someone
 * else or edited after signing. Each is refused and nothing is exported. Without ADMIN_TOKEN the export is off
 * (404 to every way in), as the configuration table says.
 */
import { createHmac } from 'node:crypto';
import express from 'express';
import nock from 'nock';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { errorHandler } from '../../src/server/middleware/errors.js';
import { payoutsExportRoutes } from '../../src/server/routes/payouts-export.js';
import { signHubSpotRequest } from '../../src/server/verify-hubspot-request.js';
import { createExportLink } from '../../src/security/export-link.js';
import type { PayoutExportQuery } from '../../src/services/export-payouts.js';
import { TEST_SECRET } from '../helpers/hubspot-events.js';
import { USERS, startCardHarness, type CardHarness } from '../server/cards/card-harness.js';

const PUBLIC = 'https://pp.example.com';
const NOW = 1_764_000_000_000;
const ADMIN = 'an-admin-token-of-at-least-32-characters';
const PORTAL = '4242';
const FINANCE = '7001';
const MANAGER = '7002';
const REP = '7003';

function appWith(adminToken: string | null = ADMIN, roles = new Set([FINANCE, MANAGER])) {
  const asked: PayoutExportQuery[] = [];
  const app = express();
  app.use(
    payoutsExportRoutes({
      signature: { clientSecret: TEST_SECRET, publicBaseUrl: PUBLIC, toleranceMs: 300_000, clock: () => NOW },
      adminToken: adminToken ?? undefined,
      portalId: PORTAL,
      mayExport: async (userId) => roles.has(userId),
      exportPayouts: async (query) => {
        asked.push(query);
        return { csv: 'Payout key\r\n', summary: { rows: 0, byStatus: {}, totals: {} } };
      },
      logger: silentLogger,
    }),
  );
  app.use(errorHandler(silentLogger));
  return { app, asked };
}

const PERIOD = '/api/payouts/export.csv?from=2026-10-01&to=2026-10-31';
const card = (query: string) => {
  const path = `${PERIOD}${query}`;
  return { path, headers: signHubSpotRequest({ method: 'GET', uri: `${PUBLIC}${path}`, rawBody: '', secret: TEST_SECRET, timestamp: NOW }) };
};
const linkFor = (by: string) =>
  createExportLink({ publicBaseUrl: PUBLIC, secret: TEST_SECRET, query: { from: '2026-10-01', to: '2026-10-31', by }, now: NOW }).slice(PUBLIC.length);

describe('a signed card request', () => {
  it.each([
    { who: 'a finance user', query: `&userId=${FINANCE}&portalId=${PORTAL}` },
    { who: 'a partner manager', query: `&userId=${MANAGER}&portalId=${PORTAL}` },
  ])('from $who gets the CSV', async ({ query }) => {
    const { app, asked } = appWith();
    const { path, headers } = card(query);
    expect((await request(app).get(path).set(headers)).status).toBe(200);
    expect(asked).toHaveLength(1);
  });

  it.each([
    { attack: 'a rep with an ordinary seat', query: `&userId=${REP}&portalId=${PORTAL}`, status: 403 },
    { attack: 'a finance user of another portal', query: `&userId=${FINANCE}&portalId=999`, status: 403 },
    { attack: 'no portal named', query: `&userId=${FINANCE}`, status: 403 },
    { attack: 'no user named', query: `&portalId=${PORTAL}`, status: 403 },
    { attack: 'finance first, the rep second', query: `&userId=${FINANCE}&userId=${REP}&portalId=${PORTAL}`, status: 400 },
    { attack: 'finance in one spelling, the rep in the other', query: `&user_id=${FINANCE}&userId=${REP}&portalId=${PORTAL}`, status: 400 },
    { attack: 'the period named twice', query: `&from=2020-01-01&userId=${FINANCE}&portalId=${PORTAL}`, status: 400 },
  ])('$attack is refused ($status) and exports nothing', async ({ query, status }) => {
    const { app, asked } = appWith();
    const { path, headers } = card(query);
    const res = await request(app).get(path).set(headers);
    expect(res.status).toBe(status);
    expect(asked).toEqual([]);
  });
});

describe('a download link', () => {
  it('made for a finance user works while they are finance, and stops when they are not', async () => {
    const path = linkFor(FINANCE);
    expect((await request(appWith().app).get(path)).status).toBe(200);
    const { app, asked } = appWith(ADMIN, new Set([MANAGER]));
    expect((await request(app).get(path)).status).toBe(403);
    expect(asked).toEqual([]);
  });

  it.each([
    { attack: 'made out to another user by editing by=', path: () => linkFor(REP).replace(`by=${REP}`, `by=${FINANCE}`), status: 401 },
    { attack: 'made for a rep (the card never offers one, but a forged one)', path: () => linkFor(REP), status: 403 },
    { attack: 'with a parameter repeated', path: () => `${linkFor(FINANCE)}&from=2020-01-01`, status: 400 },
    { attack: 'with a parameter the link never carries', path: () => `${linkFor(FINANCE)}&status=paid`, status: 401 },
    { attack: 'signed with the client secret itself (the old scheme)', path: () => oldSchemeLink(), status: 401 },
  ])('$attack is refused ($status)', async ({ path, status }) => {
    const { app, asked } = appWith();
    expect((await request(app).get(path())).status).toBe(status);
    expect(asked).toEqual([]);
  });
});

/** The link as it was signed before: HMAC with the client secret over the query. */
function oldSchemeLink(): string {
  const expires = NOW + 60_000;
  const canonical = `from=2026-10-01&to=2026-10-31&status=&partnerId=&by=${FINANCE}&expires=${expires}`;
  const sig = createHmac('sha256', TEST_SECRET).update(canonical).digest('base64url');
  return `/api/payouts/export.csv?from=2026-10-01&to=2026-10-31&by=${FINANCE}&expires=${expires}&sig=${sig}`;
}

describe('without ADMIN_TOKEN the export is off', () => {
  it('every way in answers 404, as the configuration table says', async () => {
    const { app, asked } = appWith(null);
    const { path, headers } = card(`&userId=${FINANCE}&portalId=${PORTAL}`);
    expect((await request(app).get(path).set(headers)).status).toBe(404);
    expect((await request(app).get(linkFor(FINANCE))).status).toBe(404);
    expect((await request(app).get(PERIOD).set('authorization', `Bearer ${ADMIN}`)).status).toBe(404);
    expect(asked).toEqual([]);
  });
});

describe('the company card offers the link to finance and partner managers only', () => {
  let h: CardHarness;
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  });
  afterEach(async () => {
    await h?.close();
  });

  it('a rep sees no link; a finance user and a manager do', async () => {
    h = await startCardHarness({ env: { ADMIN_TOKEN: ADMIN }, program: { finance: { userIds: [FINANCE], teamIds: [] } } });
    h.store.addUser({ id: FINANCE, email: 'fin@example.com', firstName: 'Fin', lastName: 'Ance', primaryTeamId: '7100002' });
    const path = `/api/cards/companies/${h.ids.partners.beacon}`;
    expect((await h.get(path, { userId: USERS.rep })).body.exportUrl).toBeNull();
    expect((await h.get(path, { userId: FINANCE })).body.exportUrl).toContain(`by=${FINANCE}`);
    expect((await h.get(path, { userId: USERS.manager })).body.exportUrl).toContain(`by=${USERS.manager}`);
  });
});
