/**
 * The daily registration expiry sweep (docs/program.md#deal-registration: protection ends 180 days after approval
 * unless the deal is closed-won first; warned 30 days before; a pending registration nobody decides expires
 * after 30 days; every change is a note on the deal's timeline; only changed values are written).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expireDealRegistration, expireRegistrations } from '../../src/services/expire-registrations.js';
import { createCustomer, createDeal, createPartner, startPayoutsPortal, type PayoutsPortal } from './helpers/payouts-portal.js';
import { sealDealRegistration } from '../../sandbox/seal.js';
import { TEST_SECRET } from '../helpers/hubspot-events.js';

const DAY = 86_400_000;
/** Approval time of the registrations below; protection runs until T0 + 180 days = 2026-11-28 12:00Z. */
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

let p: PayoutsPortal;
afterEach(async () => {
  await p?.close();
});

function registeredDeal(opts: { stage?: string; status?: 'approved' | 'pending'; protectionStatus?: string } = {}) {
  const partner = createPartner(p, { name: 'Harbor Lane Consulting', type: 'consultant', consultants: 25 });
  const approved = (opts.status ?? 'approved') === 'approved';
  const deal = createDeal(p, {
    name: 'Globex renewal',
    amount: 300_000,
    stage: opts.stage ?? 'contractsent',
    createdate: T0 - 10 * DAY,
    customerId: createCustomer(p, 'Globex Retail'),
    partners: [{ id: partner, roles: ['pp_referral_partner'] }],
    extra: {
      pp_registration_status: opts.status ?? 'approved',
      pp_registered_partner_id: partner,
      pp_registration_submitted_at: new Date(T0 - 2 * DAY).toISOString(),
      ...(approved
        ? {
            pp_registration_decided_at: new Date(T0).toISOString(),
            pp_registration_decided_by: '71000001',
            pp_protection_expires_at: new Date(T0 + 180 * DAY).toISOString(),
          }
        : {}),
      pp_protection_status: opts.protectionStatus ?? (approved ? 'protected' : 'pending'),
    },
  });
  sealDealRegistration(p.api.store, deal, TEST_SECRET);
  return { partner, deal };
}

const sweep = () => expireRegistrations(p.rt.ctx);
const dealUpdates = () => p.requestsTo('POST', /^\/crm\/objects\/2026-09\/deals\/batch\/update$/).map((r) => r.body);

describe('approved registrations', () => {
  it('day 150 (30 days left): expiring_soon is written and the warning noted once; the next day’s sweep writes nothing', async () => {
    p = await startPayoutsPortal({ workers: false, now: T0 + 150 * DAY });
    const { partner, deal } = registeredDeal();

    expect(await sweep()).toEqual({ candidates: 1, expired: 0, warned: 1, notes: 1, failed: 0 });
    // The seal follows every app-owned value written (docs/SECURITY.md).
    expect(dealUpdates()).toEqual([
      { inputs: [{ id: deal, properties: { pp_protection_status: 'expiring_soon', pp_registration_seal: expect.stringMatching(/^v1\./) } }] },
    ]);
    expect(p.notesOn(deal)).toEqual([
      `<p>Deal registration for Harbor Lane Consulting (${partner}) expires on 2026-11-28, in 30 days: its protection ends then unless the deal is closed-won first.</p>`,
    ]);

    p.setNow(T0 + 151 * DAY);
    expect(await sweep()).toEqual({ candidates: 1, expired: 0, warned: 1, notes: 0, failed: 0 });
    expect(dealUpdates()).toHaveLength(1);
    expect(p.notesOn(deal)).toHaveLength(1);
  });

  it('a recompute already wrote expiring_soon: the sweep writes no value, and still notes the warning once', async () => {
    p = await startPayoutsPortal({ workers: false, now: T0 + 155 * DAY });
    const { deal } = registeredDeal({ protectionStatus: 'expiring_soon' });
    await sweep();
    await sweep();
    expect(dealUpdates()).toEqual([]);
    expect(p.notesOn(deal)).toEqual([expect.stringContaining('expires on 2026-11-28, in 25 days')]);
  });

  it('day 180: the registration expires (status, reason, protection status written, nothing else), a note says why, and the deal is recomputed', async () => {
    p = await startPayoutsPortal({ workers: false, now: T0 + 150 * DAY });
    const { partner, deal } = registeredDeal();
    await sweep();

    p.setNow(T0 + 180 * DAY);
    expect(await sweep()).toEqual({ candidates: 1, expired: 1, warned: 0, notes: 1, failed: 0 });
    const reason = 'protection ended on 2026-11-28 before the deal was closed-won';
    expect(dealUpdates().at(-1)).toEqual({
      inputs: [
        {
          id: deal,
          properties: {
            pp_protection_status: 'expired',
            pp_registration_status: 'expired',
            pp_registration_reason: reason,
            pp_registration_seal: expect.stringMatching(/^v1\./),
          },
        },
      ],
    });
    expect(p.deal(deal)).toMatchObject({ pp_registration_status: 'expired', pp_protection_status: 'expired', pp_registration_decided_by: '71000001' });
    expect(p.notesOn(deal)).toEqual([
      expect.stringContaining('expires on 2026-11-28'),
      `<p>Deal registration for Harbor Lane Consulting (${partner}) expired: ${reason}.</p>`,
    ]);
    const jobs = await p.rt.queues.sync.getJobs(['delayed', 'waiting']);
    expect(jobs.map((j) => [j.name, j.data])).toEqual([['recompute-deal', { dealId: deal, reason: 'registration-expired' }]]);

    // An expired registration is no longer a candidate: nothing more happens.
    p.setNow(T0 + 181 * DAY);
    expect(await sweep()).toEqual({ candidates: 0, expired: 0, warned: 0, notes: 0, failed: 0 });
  });

  it('a deal closed-won before the end is left untouched: protection did its job and never lapses', async () => {
    p = await startPayoutsPortal({ workers: false, now: T0 + 200 * DAY });
    const { deal } = registeredDeal({ stage: 'closedwon' });
    expect(await sweep()).toEqual({ candidates: 0, expired: 0, warned: 0, notes: 0, failed: 0 });
    // Even asked directly (a deal the search listed just before it was won), it stays as it is.
    expect(await expireDealRegistration(p.rt.ctx, deal)).toEqual({
      dealId: deal,
      outcome: 'unchanged',
      written: [],
      notes: 0,
    });
    expect(dealUpdates()).toEqual([]);
    expect(p.notesOn(deal)).toEqual([]);
    expect(p.deal(deal)).toMatchObject({ pp_registration_status: 'approved', pp_protection_status: 'protected' });
  });

  it('day 149 (31 days left): still protected, nothing written, no note', async () => {
    p = await startPayoutsPortal({ workers: false, now: T0 + 149 * DAY });
    const { deal } = registeredDeal();
    expect(await sweep()).toEqual({ candidates: 0, expired: 0, warned: 0, notes: 0, failed: 0 });
    expect(p.notesOn(deal)).toEqual([]);
  });
});

describe('pending registrations', () => {
  it('one nobody decided within 30 days of submission expires, with the reason and a note', async () => {
    p = await startPayoutsPortal({ workers: false, now: T0 - 2 * DAY + 30 * DAY });
    const { partner, deal } = registeredDeal({ status: 'pending' });
    expect(await sweep()).toMatchObject({ candidates: 1, expired: 1, notes: 1 });
    const reason = 'no partner manager decided within 30 days of submission';
    expect(p.deal(deal)).toMatchObject({ pp_registration_status: 'expired', pp_registration_reason: reason, pp_protection_status: 'expired' });
    expect(p.notesOn(deal)).toEqual([`<p>Deal registration for Harbor Lane Consulting (${partner}) expired: ${reason}.</p>`]);
  });

  it('one submitted 29 days ago is left pending', async () => {
    p = await startPayoutsPortal({ workers: false, now: T0 - 2 * DAY + 29 * DAY });
    const { deal } = registeredDeal({ status: 'pending' });
    expect(await sweep()).toMatchObject({ candidates: 0 });
    expect(p.deal(deal).pp_registration_status).toBe('pending');
  });
});
