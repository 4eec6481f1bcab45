/**
 * The payouts CSV (docs/program.md#payouts: exported for a period, for accounts payable): rows, RFC 4180 quoting,
 * amounts in major units per currency, the period in program-time-zone days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PayoutRecord } from '../../src/engine/types.js';
import { PayloadError } from '../../src/errors.js';
import { exportPayouts, exportPeriod, parseExportQuery, type PayoutExportQuery } from '../../src/services/export-payouts.js';
import { createCustomer, createDeal, createPartner, startPayoutsPortal, type PayoutsPortal } from './helpers/payouts-portal.js';

const NY = 'America/New_York';

describe('the period: whole days in the program time zone, both ends included', () => {
  it.each([
    { tz: 'UTC', from: '2026-10-01', to: '2026-10-31', fromMs: Date.UTC(2026, 9, 1), beforeMs: Date.UTC(2026, 10, 1) },
    // New York is on EDT (UTC-4) on Oct 1 and on EST (UTC-5) after Nov 1.
    { tz: NY, from: '2026-10-01', to: '2026-10-31', fromMs: Date.UTC(2026, 9, 1, 4), beforeMs: Date.UTC(2026, 10, 1, 4) },
    { tz: NY, from: '2026-11-01', to: '2026-11-01', fromMs: Date.UTC(2026, 10, 1, 4), beforeMs: Date.UTC(2026, 10, 2, 5) },
  ])('$from..$to in $tz', ({ tz, from, to, fromMs, beforeMs }) => {
    expect(exportPeriod(from, to, tz)).toEqual({ fromMs, beforeMs });
  });
});

describe('the query', () => {
  it('accepts one status or a comma-separated list, and a partner id', () => {
    expect(parseExportQuery({ from: '2026-10-01', to: '2026-10-31', status: 'on_hold,reversed', partnerId: '9001' })).toEqual({
      from: '2026-10-01',
      to: '2026-10-31',
      statuses: ['on_hold', 'reversed'],
      partnerId: '9001',
    });
    expect(parseExportQuery({ from: '2026-10-01', to: '2026-10-01', status: '' })).toEqual({
      from: '2026-10-01',
      to: '2026-10-01',
      statuses: undefined,
      partnerId: undefined,
    });
  });

  it.each([
    { label: 'no from', raw: { to: '2026-10-31' }, says: 'from: ' },
    { label: 'a day that does not exist', raw: { from: '2026-02-30', to: '2026-03-01' }, says: 'from: not a calendar day' },
    { label: 'a US-style date', raw: { from: '10/01/2026', to: '2026-10-31' }, says: 'from: a day as YYYY-MM-DD' },
    { label: 'from after to', raw: { from: '2026-11-01', to: '2026-10-31' }, says: 'to: from must not be after to' },
    { label: 'an unknown status', raw: { from: '2026-10-01', to: '2026-10-31', status: 'pending' }, says: 'status' },
    { label: 'a partner id that is not an id', raw: { from: '2026-10-01', to: '2026-10-31', partnerId: 'acme' }, says: 'partnerId: a HubSpot company id' },
    { label: 'a repeated parameter', raw: { from: ['2026-10-01', '2026-10-02'], to: '2026-10-31' }, says: 'from: ' },
  ])('refuses $label with a 400 that says why', ({ raw, says }) => {
    let error: unknown;
    try {
      parseExportQuery(raw);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).status).toBe(400);
    expect((error as PayloadError).message).toContain(says);
  });
});

describe('the CSV, from the sandbox portal', () => {
  let p: PayoutsPortal;
  let ids: { newcomer: string; ruiz: string; tokyo: string; deal: string; formulaDeal: string; yenDeal: string };

  const payout = (over: Partial<PayoutRecord> & Pick<PayoutRecord, 'key' | 'dealId' | 'partnerId' | 'frozenAt'>): PayoutRecord => ({
    role: 'pp_co_selling_partner',
    kind: 'commission',
    amount: 2_000_000,
    currency: 'USD',
    status: 'scheduled',
    holdReason: null,
    explanation: 'seeded for the export test',
    basis: 10_000_000,
    rateBps: 2000,
    flatFee: null,
    programVersion: 'abc123def456',
    ...over,
  });

  beforeAll(async () => {
    p = await startPayoutsPortal({ workers: false, program: { timeZone: NY } });
    const newcomer = createPartner(p, { name: 'Newcomer Partners, "NP" LLC', type: 'channel', agreement: false });
    const ruiz = createPartner(p, { name: 'Dr. Elena Ruiz Clinical Advisory', type: 'medical_advisor', baa: true });
    const tokyo = createPartner(p, { name: 'Tokyo Trading Partners', type: 'channel' });
    const customer = createCustomer(p, 'Globex Retail');
    // Closed 02:00Z on Sep 30, which is still Sep 29 in New York.
    const deal = createDeal(p, {
      name: 'Globex expansion',
      amount: 100_000,
      stage: 'closedwon',
      closedate: Date.UTC(2026, 8, 30, 2),
      customerId: customer,
      partners: [],
    });
    const formulaDeal = createDeal(p, { name: '=HYPERLINK("http://x.example")', amount: 50_000, stage: 'closedwon', customerId: customer, partners: [] });
    const yenDeal = createDeal(p, { name: 'Tokyo rollout', amount: 45_000_000, currency: 'JPY', stage: 'closedwon', customerId: customer, partners: [] });
    ids = { newcomer, ruiz, tokyo, deal, formulaDeal, yenDeal };
    await p.rt.ctx.payouts.save([
      // 00:30 EDT on Oct 1: the first minutes of the period.
      payout({
        key: `${deal}:${newcomer}:pp_co_selling_partner`,
        dealId: deal,
        partnerId: newcomer,
        frozenAt: Date.UTC(2026, 9, 1, 4, 30),
        status: 'on_hold',
        holdReason: 'no signed partner agreement on file',
      }),
      payout({
        key: `${deal}:${ruiz}:pp_referral_partner`,
        dealId: deal,
        partnerId: ruiz,
        role: 'pp_referral_partner',
        frozenAt: Date.UTC(2026, 9, 15, 12),
        status: 'reversed',
        amount: 500_000,
        rateBps: null,
        flatFee: 500_000,
      }),
      payout({
        key: `${formulaDeal}:${ruiz}:pp_finder`,
        dealId: formulaDeal,
        partnerId: ruiz,
        role: 'pp_finder',
        frozenAt: Date.UTC(2026, 9, 20, 12),
        currency: 'EUR',
        amount: 123_450,
      }),
      payout({
        key: `${deal}:${newcomer}:pp_finder:adj:1`,
        dealId: deal,
        partnerId: newcomer,
        role: 'pp_finder',
        kind: 'adjustment',
        frozenAt: Date.UTC(2026, 9, 25, 12),
        amount: -150_000,
      }),
      // 23:30 EST on Oct 31 is already Nov 1 in UTC: still October here.
      payout({
        key: `${yenDeal}:${tokyo}:pp_finder`,
        dealId: yenDeal,
        partnerId: tokyo,
        role: 'pp_finder',
        frozenAt: Date.UTC(2026, 10, 1, 3, 30),
        currency: 'JPY',
        amount: 450_000,
        basis: 4_500_000,
      }),
      // Outside the period by half an hour on each side.
      payout({
        key: `${deal}:${tokyo}:pp_implementation_partner`,
        dealId: deal,
        partnerId: tokyo,
        role: 'pp_implementation_partner',
        frozenAt: Date.UTC(2026, 9, 1, 3, 30),
      }),
      payout({
        key: `${deal}:${tokyo}:pp_customer_success_partner`,
        dealId: deal,
        partnerId: tokyo,
        role: 'pp_customer_success_partner',
        frozenAt: Date.UTC(2026, 10, 1, 4, 30),
      }),
    ]);
  });
  afterAll(async () => {
    await p?.close();
  });

  it('one row per payout frozen in the period: held, reversed, adjustments and three currencies, names quoted per RFC 4180, formulas defused', async () => {
    const { newcomer, ruiz, tokyo, deal, formulaDeal, yenDeal } = ids;
    const result = await exportPayouts(p.rt.ctx, { from: '2026-10-01', to: '2026-10-31' });
    expect(result.csv).toBe(
      [
        'Payout key,Deal ID,Deal name,Partner ID,Partner name,Role,Amount,Currency,Status,Hold reason,Close date,Frozen at',
        `${deal}:${newcomer}:pp_co_selling_partner,${deal},Globex expansion,${newcomer},"Newcomer Partners, ""NP"" LLC",Co-selling partner,20000.00,USD,on_hold,no signed partner agreement on file,2026-09-29,2026-10-01T04:30:00.000Z`,
        `${deal}:${ruiz}:pp_referral_partner,${deal},Globex expansion,${ruiz},Dr. Elena Ruiz Clinical Advisory,Referral partner,5000.00,USD,reversed,,2026-09-29,2026-10-15T12:00:00.000Z`,
        `${formulaDeal}:${ruiz}:pp_finder,${formulaDeal},"'=HYPERLINK(""http://x.example"")",${ruiz},Dr. Elena Ruiz Clinical Advisory,Finder,1234.50,EUR,scheduled,,,2026-10-20T12:00:00.000Z`,
        `${deal}:${newcomer}:pp_finder:adj:1,${deal},Globex expansion,${newcomer},"Newcomer Partners, ""NP"" LLC",Finder,-1500.00,USD,scheduled,,2026-09-29,2026-10-25T12:00:00.000Z`,
        `${yenDeal}:${tokyo}:pp_finder,${yenDeal},Tokyo rollout,${tokyo},Tokyo Trading Partners,Finder,450000,JPY,scheduled,,,2026-11-01T03:30:00.000Z`,
        '',
      ].join('\r\n'),
    );
    expect(result.summary).toEqual({
      rows: 5,
      byStatus: { on_hold: 1, reversed: 1, scheduled: 3 },
      totals: { EUR: '1234.50', JPY: '450000', USD: '18500.00' },
    });
  });

  type Ids = typeof ids;
  it.each<{ label: string; query: (i: Ids) => Partial<PayoutExportQuery>; keys: (i: Ids) => string[] }>([
    {
      label: 'status on_hold,reversed',
      query: () => ({ statuses: ['on_hold', 'reversed'] }),
      keys: (i) => [`${i.deal}:${i.newcomer}:pp_co_selling_partner`, `${i.deal}:${i.ruiz}:pp_referral_partner`],
    },
    {
      label: 'one partner',
      query: (i) => ({ partnerId: i.ruiz }),
      keys: (i) => [`${i.deal}:${i.ruiz}:pp_referral_partner`, `${i.formulaDeal}:${i.ruiz}:pp_finder`],
    },
    { label: 'a single day (Oct 31 in New York)', query: () => ({ from: '2026-10-31', to: '2026-10-31' }), keys: (i) => [`${i.yenDeal}:${i.tokyo}:pp_finder`] },
  ])('filters: $label', async ({ query, keys }) => {
    const result = await exportPayouts(p.rt.ctx, { from: '2026-10-01', to: '2026-10-31', ...query(ids) });
    expect(result.rows.map((r) => r.payout.key)).toEqual(keys(ids));
  });

  it('an empty period is the header alone', async () => {
    const result = await exportPayouts(p.rt.ctx, { from: '2025-01-01', to: '2025-01-31' });
    expect(result.csv).toBe('Payout key,Deal ID,Deal name,Partner ID,Partner name,Role,Amount,Currency,Status,Hold reason,Close date,Frozen at\r\n');
    expect(result.summary).toEqual({ rows: 0, byStatus: {}, totals: {} });
  });
});
