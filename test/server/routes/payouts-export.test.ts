/**
 * GET /api/payouts/export.csv: who may download (a signed link, a signed card request, the admin token), and
 * the answer's shape. What the CSV holds is test/services/export-payouts.test.ts.
 */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { errorHandler } from '../../../src/server/middleware/errors.js';
import { payoutsExportRoutes } from '../../../src/server/routes/payouts-export.js';
import { createExportLink } from '../../../src/security/export-link.js';
import type { PayoutExportQuery } from '../../../src/services/export-payouts.js';
import { signHubSpotRequest } from '../../../src/server/verify-hubspot-request.js';
import { TEST_SECRET } from '../../helpers/hubspot-events.js';

const PUBLIC = 'https://pp.example.com';
const NOW = 1_764_000_000_000;
const ADMIN = 'finance-admin-token-0123456789abcdef';
/** A finance user (the route asks mayExport, the program roles in production). */
const FINANCE_USER = '7001';
const CSV = 'Payout key,Deal ID\r\n101:9001:pp_finder,101\r\n';

/** `null`: ADMIN_TOKEN unset (an `undefined` argument would take the default). */
function appWith(adminToken: string | null = ADMIN) {
  const asked: PayoutExportQuery[] = [];
  const app = express();
  app.use(
    payoutsExportRoutes({
      signature: { clientSecret: TEST_SECRET, publicBaseUrl: PUBLIC, toleranceMs: 300_000, clock: () => NOW },
      adminToken: adminToken ?? undefined,
      mayExport: async (userId) => userId === FINANCE_USER,
      exportPayouts: async (query) => {
        asked.push(query);
        return { csv: CSV, summary: { rows: 1, byStatus: { scheduled: 1 }, totals: { USD: '10.00' } } };
      },
      logger: silentLogger,
    }),
  );
  app.use(errorHandler(silentLogger));
  return { app, asked };
}

const link = (query: { from: string; to: string; status?: string }, now = NOW, secret = TEST_SECRET) =>
  createExportLink({ publicBaseUrl: PUBLIC, secret, query: { ...query, by: FINANCE_USER }, now }).slice(PUBLIC.length);

const cardHeaders = (path: string, secret = TEST_SECRET, timestamp = NOW) =>
  signHubSpotRequest({ method: 'GET', uri: `${PUBLIC}${path}`, rawBody: '', secret, timestamp });

const PERIOD = '/api/payouts/export.csv?from=2026-10-01&to=2026-10-31';
const CARD_PERIOD = `${PERIOD}&userId=${FINANCE_USER}`;

describe('who may download', () => {
  it.each([
    { label: 'a signed download link from the card', path: () => link({ from: '2026-10-01', to: '2026-10-31', status: 'on_hold' }), headers: () => ({}) },
    { label: 'a signed card request (X-HubSpot-Signature-v3) from a finance user', path: () => CARD_PERIOD, headers: () => cardHeaders(CARD_PERIOD) },
    { label: 'the admin token', path: () => PERIOD, headers: () => ({ authorization: `Bearer ${ADMIN}` }) },
  ])('$label gets the CSV', async ({ path, headers }) => {
    const { app, asked } = appWith();
    const res = await request(app).get(path()).set(headers());
    expect(res.status).toBe(200);
    expect(res.text).toBe(CSV);
    expect(asked).toHaveLength(1);
  });

  it.each([
    { label: 'a link that expired', path: () => link({ from: '2026-10-01', to: '2026-10-31' }, NOW - 16 * 60_000), headers: () => ({}) },
    {
      label: 'a link whose status was edited after signing',
      path: () => link({ from: '2026-10-01', to: '2026-10-31', status: 'on_hold' }).replace('status=on_hold', 'status=paid'),
      headers: () => ({}),
    },
    { label: 'a link signed with another secret', path: () => link({ from: '2026-10-01', to: '2026-10-31' }, NOW, 'another-secret'), headers: () => ({}) },
    { label: 'a card request signed with another secret', path: () => PERIOD, headers: () => cardHeaders(PERIOD, 'another-secret') },
    {
      label: 'a card request signed for another period',
      path: () => PERIOD,
      headers: () => cardHeaders('/api/payouts/export.csv?from=2026-10-01&to=2026-10-02'),
    },
    { label: 'a card request older than five minutes', path: () => PERIOD, headers: () => cardHeaders(PERIOD, TEST_SECRET, NOW - 6 * 60_000) },
    { label: 'a wrong admin token', path: () => PERIOD, headers: () => ({ authorization: 'Bearer guess' }) },
    { label: 'nothing at all', path: () => PERIOD, headers: () => ({}) },
  ])('$label is refused with 401 and exports nothing', async ({ path, headers }) => {
    const { app, asked } = appWith();
    const res = await request(app).get(path()).set(headers());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('signature');
    expect(asked).toEqual([]);
  });

  it('without ADMIN_TOKEN configured the export is off: 404 to every way in', async () => {
    const { app, asked } = appWith(null);
    expect((await request(app).get(PERIOD).set('authorization', 'Bearer ')).status).toBe(404);
    expect((await request(app).get(CARD_PERIOD).set(cardHeaders(CARD_PERIOD))).status).toBe(404);
    expect((await request(app).get(link({ from: '2026-10-01', to: '2026-10-31' }))).status).toBe(404);
    expect(asked).toEqual([]);
  });
});

describe('the answer', () => {
  it('is a CSV attachment named after the period, never cached, for the validated query', async () => {
    const { app, asked } = appWith();
    const res = await request(app).get(`${PERIOD}&status=on_hold,scheduled&partnerId=9001`).set('authorization', `Bearer ${ADMIN}`);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="partner-payouts-2026-10-01-to-2026-10-31.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(asked).toEqual([{ from: '2026-10-01', to: '2026-10-31', statuses: ['on_hold', 'scheduled'], partnerId: '9001' }]);
  });

  it('an invalid period, from an authorised caller, is a 400 that says why', async () => {
    const { app, asked } = appWith();
    const res = await request(app).get('/api/payouts/export.csv?from=2026-11-01&to=2026-10-31').set('authorization', `Bearer ${ADMIN}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('invalid export query: to: from must not be after to');
    expect(asked).toEqual([]);
  });
});
