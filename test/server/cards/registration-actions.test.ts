/**
 * POST /api/cards/deals/:dealId/registration end to end (signed request → decision → HubSpot writes, note,
 * recompute) against the sandbox portal. docs/program.md#deal-registration: anyone who can open the deal registers
 * it for a partner on the deal; only partner managers (by user id, or by team looked up on the server)
 * approve, reject or resolve; conflicts are checked at submission and at approval; every decision is a note.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sealDealRegistration } from '../../../sandbox/seal.js';
import { TEST_SECRET } from '../../helpers/hubspot-events.js';
import { DAY, NOW, USERS, startCardHarness, type CardHarness } from './card-harness.js';

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

const HEADER = '<p><strong>Partner program · deal registration</strong></p>';
const USERS_API = 'GET /settings/users/2026-03/:userId';

async function versionOf(dealId: string): Promise<string> {
  const res = await h.get(`/api/cards/deals/${dealId}`);
  expect(res.status).toBe(200);
  return res.body.registrationVersion as string;
}

const act = (dealId: string, body: Record<string, unknown>, userId: string = USERS.manager) =>
  h.post(`/api/cards/deals/${dealId}/registration`, body, { userId });

describe('who may decide', () => {
  it.each([
    ['approve', {}],
    ['reject', { reason: 'customer already in talks with sales' }],
    ['resolve', { winnerPartnerId: '9983' }],
  ])('a sales rep who is not a partner manager cannot %s: 403, and nothing is written', async (action, extra) => {
    const dealId = h.ids.deals.globexPlatform;
    const res = await act(dealId, { action, expectedVersion: await versionOf(dealId), ...extra }, USERS.rep);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: {
        code: 'forbidden',
        message:
          'Only partner managers can do this, and user 9100003 is not one. Only partner managers approve, reject or resolve registrations (the users and teams listed under partnerManagers in the program configuration).',
      },
    });
    expect(h.deal(dealId).pp_registration_status).toBe('pending');
    expect(h.dealWrites()).toEqual([]);
    expect(h.notesOn(dealId)).toEqual([]);
    expect(await h.queuedDealRecomputes()).toEqual([]);
  });

  it('a partner manager through a team (users API: a secondary team) approves; the lookup is cached for the next request', async () => {
    const dealId = h.ids.deals.globexPlatform;
    const card = await h.get(`/api/cards/deals/${dealId}`, { userId: USERS.teamManager });
    expect(card.body.viewer.isPartnerManager).toBe(true);

    const res = await act(dealId, { action: 'approve', expectedVersion: card.body.registrationVersion }, USERS.teamManager);
    expect(res.status).toBe(200);
    expect(res.body.message).toBe(
      `Deal registration for Beacon Advisors (${h.ids.partners.beacon}) approved by user 9100002. Protection runs 180 days, until 2027-05-19.`,
    );
    expect(h.deal(dealId)).toMatchObject({
      pp_registration_status: 'approved',
      pp_registration_decided_by: USERS.teamManager,
      pp_registration_decided_at: '2026-11-20T12:00:00.000Z',
      pp_protection_expires_at: '2027-05-19T12:00:00.000Z',
    });
    expect(h.api.stats.calls(USERS_API)).toBe(1);
  });

  it('a user listed by id is a manager without any users-API lookup', async () => {
    const dealId = h.ids.deals.globexPlatform;
    const res = await act(dealId, { action: 'approve', expectedVersion: await versionOf(dealId) });
    expect(res.status).toBe(200);
    expect(h.api.stats.calls(USERS_API)).toBe(0);
  });

  it('anyone who can open the deal registers it for a partner on the deal: pending, with a note and a recompute', async () => {
    const dealId = h.ids.deals.globexWon;
    h.rep.updateDeal(dealId, { dealstage: 'contractsent' });
    const res = await act(dealId, { action: 'register', partnerId: h.ids.partners.newcomer, expectedVersion: 'none' }, USERS.rep);
    expect(res.status).toBe(200);
    expect(res.body.message).toBe(
      `Deal registration for Newcomer Partners (${h.ids.partners.newcomer}) submitted by user 9100003; it awaits a partner manager's decision and expires undecided on 2026-12-20.`,
    );
    expect(h.deal(dealId)).toMatchObject({
      pp_registration_status: 'pending',
      pp_registered_partner_id: h.ids.partners.newcomer,
      pp_registration_submitted_by: USERS.rep,
      pp_registration_submitted_at: '2026-11-20T12:00:00.000Z',
    });
    expect(h.notesOn(dealId)).toEqual([
      `${HEADER}<p>Deal registration for Newcomer Partners (${h.ids.partners.newcomer}) submitted by user 9100003; it awaits a partner manager&#39;s decision and expires undecided on 2026-12-20.</p>`,
    ]);
    expect(await h.queuedDealRecomputes()).toEqual([dealId]);
    expect(res.body.registrationVersion).toBe(await versionOf(dealId));
  });
});

describe('repeats and stale cards', () => {
  it('approving twice (a double click with the same card): the second answers "already approved" and writes nothing, no second note', async () => {
    const dealId = h.ids.deals.globexPlatform;
    const expectedVersion = await versionOf(dealId);
    const first = await act(dealId, { action: 'approve', expectedVersion });
    expect(first.status).toBe(200);
    const writesAfterFirst = h.dealWrites().length;
    // status, decided at, decided by, protection end, and the seal that follows them.
    expect(writesAfterFirst).toBe(5);
    expect(h.notesOn(dealId)).toHaveLength(1);

    const second = await act(dealId, { action: 'approve', expectedVersion }, USERS.teamManager);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      ok: true,
      message: `Nothing changed: the registration for Beacon Advisors is already approved on 2026-11-20 by user 9100001.`,
      registrationVersion: first.body.registrationVersion,
    });
    expect(h.dealWrites()).toHaveLength(writesAfterFirst);
    expect(h.notesOn(dealId)).toHaveLength(1);
  });

  it('a decision on a card loaded before the registration changed answers 409 with what it is now, and writes nothing', async () => {
    const dealId = h.ids.deals.globexPlatform;
    const res = await act(dealId, { action: 'reject', reason: 'duplicate', expectedVersion: 'a-version-from-before' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: {
        code: 'conflict',
        message: 'The registration changed since the card loaded: it is now pending for Beacon Advisors. Refresh the card, then decide again.',
      },
    });
    expect(h.dealWrites()).toEqual([]);
    expect(h.notesOn(dealId)).toEqual([]);
  });

  it('approving a deal nobody registered is a move the registration table forbids: 409', async () => {
    const dealId = h.ids.deals.acmeRollout;
    const res = await act(dealId, { action: 'approve', expectedVersion: 'none' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('Cannot approve a registration that is not submitted. Refresh the card to see the registration as it is now.');
    expect(h.dealWrites()).toEqual([]);
  });
});

describe('bad requests', () => {
  it.each([
    ['empty', ''],
    ['blank', '   '],
  ])('a rejection with an %s reason answers 400 and writes nothing', async (_label, reason) => {
    const dealId = h.ids.deals.globexPlatform;
    const res = await act(dealId, { action: 'reject', reason, expectedVersion: await versionOf(dealId) });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'payload', message: "A rejection needs a reason: it is recorded on the deal's timeline." } });
    expect(h.dealWrites()).toEqual([]);
  });

  it.each([
    ['the customer company (on the deal, without a partner label)', 'acme'],
    ['a partner company not associated with the deal', 'stackline'],
  ] as const)('registering %s answers 400', async (_label, key) => {
    const partnerId = key === 'acme' ? h.ids.customers.acme : h.ids.partners.stackline;
    const res = await act(h.ids.deals.acmeRollout, { action: 'register', partnerId, expectedVersion: 'none' }, USERS.rep);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      `Company ${partnerId} is not a partner on this deal: only a company associated with a partner label (Referral partner, Finder, Co-selling partner, Implementation partner, Customer success partner) can be registered.`,
    );
    expect(h.dealWrites()).toEqual([]);
  });

  it('a rejection reason is HTML-escaped on the timeline (it is user input)', async () => {
    const dealId = h.ids.deals.globexPlatform;
    const res = await act(dealId, { action: 'reject', reason: '<script>alert(1)</script> & "no"', expectedVersion: await versionOf(dealId) });
    expect(res.status).toBe(200);
    expect(h.notesOn(dealId)).toEqual([
      `${HEADER}<p>Deal registration for Beacon Advisors (${h.ids.partners.beacon}) rejected by user 9100001: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;no&quot;.</p>`,
    ]);
    expect(h.deal(dealId).pp_registration_reason).toBe('<script>alert(1)</script> & "no"');
  });
});

describe('conflicts and disputes', () => {
  it('registering a customer another partner holds an approved registration for makes it disputed, naming both partners', async () => {
    const { acmeRollout, acmeExpansion } = h.ids.deals;
    const { beacon, cedar } = h.ids.partners;
    const res = await act(acmeRollout, { action: 'register', partnerId: beacon, expectedVersion: 'none' }, USERS.rep);
    expect(res.status).toBe(200);
    const reason = `Cedar Consulting (${cedar}) already holds an approved registration on deal ${acmeExpansion} for the same customer company, so Beacon Advisors (${beacon}) and Cedar Consulting (${cedar}) both claim it`;
    expect(res.body.message).toBe(
      `Deal registration for Beacon Advisors (${beacon}) submitted by user 9100003 is disputed: ${reason}. A partner manager must resolve it.`,
    );
    expect(h.deal(acmeRollout)).toMatchObject({
      pp_registration_status: 'disputed',
      pp_registration_reason: reason,
      pp_registration_conflict: `${acmeExpansion}:${cedar}`,
    });

    const card = await h.get(`/api/cards/deals/${acmeRollout}`);
    expect(card.body.registration).toMatchObject({
      status: 'disputed',
      partnerName: 'Beacon Advisors',
      protectionStatus: 'conflict',
      conflict: { dealId: acmeExpansion, dealName: 'Acme expansion', partnerId: cedar, partnerName: 'Cedar Consulting' },
    });
  });

  it('a conflict that appears after submission is caught at approval: the pending registration becomes disputed', async () => {
    const dealId = h.ids.deals.globexPlatform;
    const { cedar, beacon } = h.ids.partners;
    // Another Globex deal whose registration by Cedar was approved yesterday.
    const rival = h.rep.createDeal({
      dealname: 'Globex warehouse',
      amount: '900000',
      dealstage: 'qualifiedtobuy',
      pp_registration_status: 'approved',
      pp_registered_partner_id: cedar,
      pp_registration_decided_at: String(NOW - DAY),
      pp_protection_expires_at: String(NOW + 179 * DAY),
    }).id;
    sealDealRegistration(h.store, rival, TEST_SECRET);
    h.rep.associateDealCompany(rival, h.ids.customers.globex, { primary: true });
    h.rep.associateDealCompany(rival, cedar, { roles: ['pp_referral_partner'] });

    const res = await act(dealId, { action: 'approve', expectedVersion: await versionOf(dealId) });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe(
      `User 9100001 could not approve the deal registration for Beacon Advisors (${beacon}): Cedar Consulting (${cedar}) already holds an approved registration on deal ${rival} for the same customer company, so Beacon Advisors (${beacon}) and Cedar Consulting (${cedar}) both claim it. It is now disputed; a partner manager must resolve it.`,
    );
    expect(h.deal(dealId).pp_registration_status).toBe('disputed');
  });

  it('resolving in favour of this deal’s partner approves it here and rejects the rival’s registration on the other deal: both written, both noted, both recomputed', async () => {
    const { acmeRollout, acmeExpansion } = h.ids.deals;
    const { beacon, cedar } = h.ids.partners;
    await act(acmeRollout, { action: 'register', partnerId: beacon, expectedVersion: 'none' }, USERS.rep);
    const notesBefore = h.notesOn(acmeRollout).length;

    const res = await act(acmeRollout, { action: 'resolve', winnerPartnerId: beacon, expectedVersion: await versionOf(acmeRollout) });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe(
      `Dispute between Beacon Advisors (${beacon}) and Cedar Consulting (${cedar}) resolved by user 9100001 in favour of Beacon Advisors (${beacon}): registration approved. Protection runs 180 days, until 2027-05-19.`,
    );
    expect(h.deal(acmeRollout)).toMatchObject({ pp_registration_status: 'approved', pp_registration_decided_by: USERS.manager });
    expect(h.deal(acmeRollout).pp_registration_conflict).toBeUndefined();
    expect(h.deal(acmeExpansion)).toMatchObject({
      pp_registration_status: 'rejected',
      pp_registration_decided_by: USERS.manager,
      pp_registration_reason: `dispute over deal ${acmeRollout} resolved in favour of Beacon Advisors (${beacon})`,
      pp_registration_conflict: `${acmeRollout}:${beacon}`,
    });
    expect(h.notesOn(acmeRollout)).toHaveLength(notesBefore + 1);
    expect(h.notesOn(acmeExpansion)).toEqual([
      `${HEADER}<p>The approved registration for Cedar Consulting (${cedar}) is rejected by user 9100001: the dispute over deal ${acmeRollout} resolved in favour of Beacon Advisors (${beacon}).</p>`,
    ]);
    expect(await h.queuedDealRecomputes()).toEqual([acmeExpansion, acmeRollout].sort());
  });

  it('resolving in favour of the rival rejects this deal’s registration and leaves the rival’s approval as it is', async () => {
    const { acmeRollout, acmeExpansion } = h.ids.deals;
    const { beacon, cedar } = h.ids.partners;
    await act(acmeRollout, { action: 'register', partnerId: beacon, expectedVersion: 'none' }, USERS.rep);
    const res = await act(acmeRollout, { action: 'resolve', winnerPartnerId: cedar, expectedVersion: await versionOf(acmeRollout) });
    expect(res.status).toBe(200);
    expect(h.deal(acmeRollout)).toMatchObject({
      pp_registration_status: 'rejected',
      pp_registration_reason: `dispute resolved in favour of Cedar Consulting (${cedar})`,
    });
    expect(h.deal(acmeExpansion).pp_registration_status).toBe('approved');
    expect(h.notesOn(acmeExpansion)).toEqual([]);
  });

  it('the winner of a resolution must be one of the two disputing partners: 400', async () => {
    const { acmeRollout } = h.ids.deals;
    await act(acmeRollout, { action: 'register', partnerId: h.ids.partners.beacon, expectedVersion: 'none' }, USERS.rep);
    const writes = h.dealWrites().length;
    const stackline = h.ids.partners.stackline;
    const res = await act(acmeRollout, { action: 'resolve', winnerPartnerId: stackline, expectedVersion: await versionOf(acmeRollout) });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      `The winner must be one of the disputing partners (${h.ids.partners.beacon} or ${h.ids.partners.cedar}); company ${stackline} is not.`,
    );
    expect(h.dealWrites()).toHaveLength(writes);
  });
});
