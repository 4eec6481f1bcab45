/**
 * docs/program.md#program-results end to end on the sandbox portal: a portal where each component's revenue and cost
 * are known literals; the table data, the CSV (service and route) and the totals agree to the cent.
 */
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayoutRecord } from '../../src/engine/types.js';
import { PayloadError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { errorHandler } from '../../src/server/middleware/errors.js';
import { createResultsLink, resultsExportRoutes } from '../../src/server/routes/results-export.js';
import { createExportLink } from '../../src/security/export-link.js';
import { loadProgramResults, parseResultsPeriod, resultsCsv, type ProgramResultsReport } from '../../src/services/program-results.js';
import { TEST_SECRET } from '../helpers/hubspot-events.js';
import { createCustomer, createDeal, createPartner, startPayoutsPortal, type PayoutsPortal } from './helpers/payouts-portal.js';

const YEAR = { from: '2026-01-01', to: '2026-12-31' };

export const RESULTS_CSV_2026 = [
  'Component,Currency,Revenue,Deals,Cost,Payouts,ROI %,Budget,Budget used %',
  'Consultant tier 1,USD,1000000.00,1,120000.00,1,833,500000.00,24',
  'Consultant tier 2,USD,0.00,0,-5000.00,1,,300000.00,-2',
  'Consultant tier 3,USD,0.00,0,0.00,0,,200000.00,0',
  'Medical advisory board,USD,0.00,0,0.00,0,,400000.00,0',
  'Technology partners,USD,200000.00,1,20000.00,1,1000,150000.00,13',
  'Associations,USD,0.00,0,0.00,0,,100000.00,0',
  'Expansion revenue share,USD,0.00,0,0.00,0,,,',
  'Co-selling,USD,1400000.00,2,190000.00,2,737,,',
  'Other,USD,0.00,0,0.00,0,,,',
  'Fixed cost: platform development,USD,,,250000.00,,,250000.00,',
  'Fixed cost: program management,USD,,,300000.00,,,300000.00,',
  'Program total,USD,1600000.00,3,875000.00,,183,2200000.00,40',
  'Not converted: Tokyo rollout,JPY,45000000,1,4500000,1,,,',
  '',
].join('\r\n');

describe('parseResultsPeriod', () => {
  it('defaults to the current calendar year in the program time zone', () => {
    // 23:00 on 31 December 2026 in New York is already 2027 in UTC.
    expect(parseResultsPeriod({}, Date.parse('2027-01-01T04:00:00Z'), 'America/New_York')).toEqual(YEAR);
    expect(parseResultsPeriod({ from: '', to: '' }, Date.parse('2027-01-01T04:00:00Z'), 'UTC')).toEqual({ from: '2027-01-01', to: '2027-12-31' });
  });
  it.each([
    { raw: { from: '2026-01-01' }, says: 'to: ' },
    { raw: { from: '2026-02-30', to: '2026-03-01' }, says: 'from: not a calendar day' },
    { raw: { from: '2026-12-01', to: '2026-01-01' }, says: 'to: from must not be after to' },
  ])('refuses $raw with a 400 saying $says', ({ raw, says }) => {
    expect(() => parseResultsPeriod(raw, 0, 'UTC')).toThrow(PayloadError);
    expect(() => parseResultsPeriod(raw, 0, 'UTC')).toThrow(says);
  });
});

describe('program results from the sandbox portal', () => {
  let p: PayoutsPortal;
  let report: ProgramResultsReport;

  const payout = (over: Partial<PayoutRecord> & Pick<PayoutRecord, 'key' | 'dealId' | 'partnerId' | 'frozenAt' | 'amount'>): PayoutRecord => ({
    role: 'pp_referral_partner',
    kind: 'commission',
    currency: 'USD',
    status: 'scheduled',
    holdReason: null,
    explanation: 'seeded for the results test',
    basis: null,
    rateBps: null,
    flatFee: null,
    programVersion: 'abc123def456',
    ...over,
  });

  beforeAll(async () => {
    p = await startPayoutsPortal({ workers: false });
    const summit = createPartner(p, { name: 'Summit Advisory Group', type: 'consultant', consultants: 60 });
    const beacon = createPartner(p, { name: 'Beacon Advisors', type: 'consultant', consultants: 20 });
    const stackline = createPartner(p, { name: 'Stackline Software', type: 'technology' });
    const customer = createCustomer(p, 'Acme Health');
    const won = (name: string, amount: number, closedate: string, currency = 'USD') =>
      createDeal(p, { name, amount, currency, stage: 'closedwon', closedate: Date.parse(closedate), customerId: customer, partners: [] });
    const d1 = won('Summit · Acme $1M', 1_000_000, '2026-03-10T15:00:00Z');
    const d2 = won('Stackline · Initech $200K', 200_000, '2026-05-01T15:00:00Z');
    const d3 = won('Beacon expansion $400K', 400_000, '2026-06-01T15:00:00Z');
    const d4 = won('Tokyo rollout', 45_000_000, '2026-07-01T03:00:00Z', 'JPY');
    const d5 = won('Last year', 300_000, '2025-12-20T15:00:00Z');
    const open = createDeal(p, { name: 'Still open', amount: 900_000, stage: 'appointmentscheduled', customerId: customer, partners: [] });
    await p.rt.ctx.payouts.save([
      payout({
        key: `${d1}:${summit}:pp_referral_partner`,
        dealId: d1,
        partnerId: summit,
        amount: 12_000_000,
        frozenAt: Date.parse('2026-03-10T15:00:01Z'),
        programComponent: 'consultant_tier_1',
      }),
      payout({
        key: `${d1}:${stackline}:pp_finder`,
        dealId: d1,
        partnerId: stackline,
        role: 'pp_finder',
        amount: 15_000_000,
        frozenAt: Date.parse('2026-03-10T15:00:01Z'),
        programComponent: 'co_selling',
      }),
      // Frozen before pp_program_component existed: derived from the partner (technology) and the deal (new).
      payout({
        key: `${d2}:${stackline}:pp_referral_partner`,
        dealId: d2,
        partnerId: stackline,
        amount: 2_000_000,
        frozenAt: Date.parse('2026-05-01T15:00:01Z'),
      }),
      payout({
        key: `${d3}:${beacon}:pp_referral_partner`,
        dealId: d3,
        partnerId: beacon,
        amount: 3_200_000,
        status: 'reversed',
        frozenAt: Date.parse('2026-06-01T15:00:01Z'),
        programComponent: 'expansion',
      }),
      payout({
        key: `${d3}:${stackline}:pp_implementation_partner`,
        dealId: d3,
        partnerId: stackline,
        role: 'pp_implementation_partner',
        amount: 4_000_000,
        frozenAt: Date.parse('2026-06-01T15:00:01Z'),
        programComponent: 'co_selling',
      }),
      payout({
        key: `${d4}:${stackline}:pp_referral_partner`,
        dealId: d4,
        partnerId: stackline,
        amount: 4_500_000,
        currency: 'JPY',
        frozenAt: Date.parse('2026-07-01T03:00:01Z'),
        programComponent: 'technology',
      }),
      payout({
        key: `${d5}:${beacon}:pp_referral_partner`,
        dealId: d5,
        partnerId: beacon,
        amount: 4_500_000,
        status: 'paid',
        frozenAt: Date.parse('2025-12-20T15:00:01Z'),
        programComponent: 'consultant_tier_2',
      }),
      payout({
        key: `${d5}:${beacon}:pp_referral_partner:adj:1`,
        dealId: d5,
        partnerId: beacon,
        kind: 'adjustment',
        amount: -500_000,
        frozenAt: Date.parse('2026-02-01T10:00:00Z'),
        programComponent: 'consultant_tier_2',
      }),
      // An open deal's payout (a deal reopened after freezing, say) frozen in 2025: neither cost nor revenue in 2026.
      payout({
        key: `${open}:${summit}:pp_referral_partner`,
        dealId: open,
        partnerId: summit,
        amount: 10_800_000,
        status: 'reversed',
        frozenAt: Date.parse('2025-11-01T10:00:00Z'),
        programComponent: 'consultant_tier_1',
      }),
    ]);
    report = await loadProgramResults(p.rt.ctx, YEAR);
  });
  afterAll(async () => {
    await p?.close();
  });

  it('the table data: revenue, cost, ROI, budget and budget used per component, in cents', () => {
    expect(report.results.components.map((c) => [c.component, c.revenue, c.deals, c.cost, c.payouts, c.roiPercent, c.budget, c.budgetUsedPercent])).toEqual([
      ['consultant_tier_1', 100_000_000, 1, 12_000_000, 1, 833, 50_000_000, 24],
      ['consultant_tier_2', 0, 0, -500_000, 1, null, 30_000_000, -2],
      ['consultant_tier_3', 0, 0, 0, 0, null, 20_000_000, 0],
      ['medical_advisory_board', 0, 0, 0, 0, null, 40_000_000, 0],
      ['technology', 20_000_000, 1, 2_000_000, 1, 1000, 15_000_000, 13],
      ['association', 0, 0, 0, 0, null, 10_000_000, 0],
      ['expansion', 0, 0, 0, 0, null, null, null],
      ['co_selling', 140_000_000, 2, 19_000_000, 2, 737, null, null],
      ['other', 0, 0, 0, 0, null, null, null],
    ]);
    expect(report.derived).toBe(1);
  });

  it('the totals: each deal once, fixed costs added, the whole budget', () => {
    expect(report.results.total).toEqual({ revenue: 160_000_000, deals: 3, cost: 87_500_000, roiPercent: 183, budget: 220_000_000, budgetUsedPercent: 40 });
    expect(report.results.otherCurrencies).toEqual([
      { currency: 'JPY', revenue: 45_000_000, deals: 1, cost: 4_500_000, payouts: 1, dealNames: ['Tokyo rollout'] },
    ]);
  });

  it('the CSV carries the same figures, to the cent', () => {
    expect(resultsCsv(report.results)).toBe(RESULTS_CSV_2026);
  });

  describe('GET /api/results/export.csv', () => {
    const NOW = Date.parse('2026-11-30T12:00:00Z');
    const FINANCE_USER = '42';
    const app = (adminToken: string | null = 'admin') => {
      const a = express();
      a.use(
        resultsExportRoutes({
          signature: { clientSecret: TEST_SECRET, publicBaseUrl: 'https://pp.example.com', toleranceMs: 300_000, clock: () => NOW },
          adminToken: adminToken ?? undefined,
          mayExport: async (userId) => userId === FINANCE_USER,
          timeZone: 'UTC',
          exportResults: async (period) => resultsCsv((await loadProgramResults(p.rt.ctx, period)).results),
          logger: silentLogger,
        }),
      );
      a.use(errorHandler(silentLogger));
      return a;
    };

    it('with the admin token and no period: the current year, the same CSV', async () => {
      const res = await request(app()).get('/api/results/export.csv').set('authorization', 'Bearer admin');
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe('attachment; filename="program-results-2026-01-01-to-2026-12-31.csv"');
      expect(res.text).toBe(RESULTS_CSV_2026);
    });

    it('a signed results link opens it; a payouts link for the same days does not', async () => {
      const link = createResultsLink({ publicBaseUrl: 'https://pp.example.com', secret: TEST_SECRET, period: YEAR, by: FINANCE_USER, now: NOW }).slice(
        'https://pp.example.com'.length,
      );
      expect(link.startsWith('/api/results/export.csv?')).toBe(true);
      expect((await request(app()).get(link)).text).toBe(RESULTS_CSV_2026);
      const payoutsLink = createExportLink({
        publicBaseUrl: 'https://pp.example.com',
        secret: TEST_SECRET,
        query: { ...YEAR, by: FINANCE_USER },
        now: NOW,
      }).slice('https://pp.example.com'.length);
      const reused = payoutsLink.replace('/api/payouts/export.csv', '/api/results/export.csv');
      expect((await request(app()).get(reused)).status).toBe(401);
    });

    it('a results link made for a user who is neither finance nor a partner manager: 403', async () => {
      const link = createResultsLink({ publicBaseUrl: 'https://pp.example.com', secret: TEST_SECRET, period: YEAR, by: '7', now: NOW }).slice(
        'https://pp.example.com'.length,
      );
      expect((await request(app()).get(link)).status).toBe(403);
    });

    it('without ADMIN_TOKEN the export is off: 404 even for a valid link', async () => {
      const link = createResultsLink({ publicBaseUrl: 'https://pp.example.com', secret: TEST_SECRET, period: YEAR, by: FINANCE_USER, now: NOW }).slice(
        'https://pp.example.com'.length,
      );
      expect((await request(app(null)).get(link)).status).toBe(404);
    });

    it.each([
      { label: 'nothing', headers: {} },
      { label: 'a wrong admin token', headers: { authorization: 'Bearer nope' } },
    ])('$label: 401', async ({ headers }) => {
      expect((await request(app()).get('/api/results/export.csv').set(headers)).status).toBe(401);
    });

    it('a bad period: 400 saying why', async () => {
      const res = await request(app()).get('/api/results/export.csv?from=2026-12-01&to=2026-01-01').set('authorization', 'Bearer admin');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('from must not be after to');
    });
  });
});
