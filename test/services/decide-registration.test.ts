/**
 * The registration decision service on its own (the HTTP edge is tested in test/server/cards/): who counts as
 * a partner manager and when unsure, qualification at submission, which registrations conflict, one decision
 * per deal at a time, and a resolution that is safe to retry halfway.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError } from '../../src/errors.js';
import { registrationVersion } from '../../src/engine/registration.js';
import { toRegistration } from '../../src/hubspot/mappers.js';
import { decideRegistration, type RegistrationAction } from '../../src/services/decide-registration.js';
import { createRedisDecisionLock } from '../../src/stores/decision-lock.js';
import { createPartnerManagers, type PartnerManagers } from '../../src/services/partner-managers.js';
import { DAY, NOW, TEAMS, USERS, startCardHarness, type CardHarness } from '../server/cards/card-harness.js';
import { sealDealRegistration } from '../../sandbox/seal.js';
import { TEST_SECRET } from '../helpers/hubspot-events.js';

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

function managersWith(readTeams: (userId: string) => Promise<string[] | null>, clock = () => NOW): PartnerManagers {
  return createPartnerManagers({ userIds: [USERS.manager], teamIds: [TEAMS.partnerManagers], readTeams, clock });
}

const listed = managersWith(async () => null);

function versionOf(dealId: string): string {
  return registrationVersion(toRegistration(h.deal(dealId)));
}

function decide(dealId: string, action: RegistrationAction, userId: string = USERS.manager, managers: PartnerManagers = listed) {
  return decideRegistration({ ctx: h.rt.ctx, managers }, { dealId, userId, action });
}

describe('partner managers: team membership looked up on the server, never taken from the card', () => {
  it('when the team lookup fails the user is not a manager: 403 saying so, and nothing is written', async () => {
    const failing = managersWith(async () => {
      throw new Error('HubSpot answered 503');
    });
    const dealId = h.ids.deals.globexPlatform;
    const attempt = decide(dealId, { action: 'approve', expectedVersion: versionOf(dealId) }, USERS.teamManager, failing);
    await expect(attempt).rejects.toThrow(ForbiddenError);
    await expect(attempt).rejects.toThrow(
      'Could not confirm with HubSpot that user 9100002 is a partner manager (the team lookup failed), so nothing was changed. Try again in a moment.',
    );
    expect(h.dealWrites()).toEqual([]);
  });

  it.each([
    ['a member of a listed team', ['7100002', TEAMS.partnerManagers], { isManager: true, via: 'team' }],
    ['in no listed team', ['7100002'], { isManager: false, why: 'not_listed' }],
    ['unknown to HubSpot (404)', null, { isManager: false, why: 'unknown_user' }],
  ] as const)('a user %s: %o', async (_label, teams, expected) => {
    const managers = managersWith(async () => (teams === null ? null : [...teams]));
    expect(await managers.check('5550001')).toEqual(expected);
  });

  it('a looked-up membership is reused for 5 minutes, then looked up again; a failed lookup is not remembered', async () => {
    let clock = NOW;
    const calls: string[] = [];
    let fail = true;
    const managers = managersWith(
      async (userId) => {
        calls.push(userId);
        if (fail) throw new Error('timeout');
        return [TEAMS.partnerManagers];
      },
      () => clock,
    );

    expect((await managers.check(USERS.teamManager)).isManager).toBe(false);
    fail = false;
    expect((await managers.check(USERS.teamManager)).isManager).toBe(true);
    clock += 4 * 60_000;
    expect((await managers.check(USERS.teamManager)).isManager).toBe(true);
    expect(calls).toHaveLength(2);
    clock += 2 * 60_000;
    await managers.check(USERS.teamManager);
    expect(calls).toHaveLength(3);
  });

  it('with no managers configured, the hint says how to configure them', () => {
    const none = createPartnerManagers({ userIds: [], teamIds: [], readTeams: async () => [], clock: () => NOW });
    expect(none.hint).toBe(
      'No partner managers are configured yet: an admin lists their HubSpot user or team ids under partnerManagers in the program configuration.',
    );
  });
});

describe('qualification at submission (docs/program.md: a registration that fails is rejected with reasons)', () => {
  it('a tier_2 consultant on a $200,000 deal without a close date is rejected automatically, with both reasons', async () => {
    const dealId = h.ids.deals.acmeRollout;
    h.rep.updateDeal(dealId, { amount: '200000', closedate: '' });
    const decision = await decide(dealId, { action: 'register', partnerId: h.ids.partners.beacon, expectedVersion: 'none' }, USERS.rep);
    const reason = "the deal has no close date; B $200,000.00 is below the $250,000.00 minimum deal size of Beacon Advisors's referral tier";
    expect(decision.message).toBe(
      `Deal registration for Beacon Advisors (${h.ids.partners.beacon}) submitted by user 9100003 was rejected automatically: ${reason}.`,
    );
    expect(h.deal(dealId)).toMatchObject({ pp_registration_status: 'rejected', pp_registration_reason: reason });
    expect(h.deal(dealId).pp_registration_decided_by).toBeUndefined();
  });

  it('a registration held by another partner cannot be replaced by a new one: 409', async () => {
    const dealId = h.ids.deals.globexPlatform;
    const attempt = decide(dealId, { action: 'register', partnerId: h.ids.partners.stackline, expectedVersion: versionOf(dealId) }, USERS.rep);
    await expect(attempt).rejects.toThrow(ConflictError);
    await expect(attempt).rejects.toThrow(
      `Cannot submit a registration that is pending: partner ${h.ids.partners.beacon} already holds it; reject it or let it expire first. Refresh the card to see the registration as it is now.`,
    );
  });
});

describe('conflicts (docs/program.md: an approved, unexpired registration by another partner for the same customer company)', () => {
  it.each([
    ['the rival deal was lost', { dealstage: 'closedlost' }],
    ['the rival’s protection ended yesterday', { pp_registration_decided_at: String(NOW - 181 * DAY), pp_protection_expires_at: String(NOW - DAY) }],
    ['the rival registration is the same partner’s', { pp_registered_partner_id: '__beacon__' }],
  ])('no conflict when %s: the submission is pending', async (_label, rivalChange) => {
    const { acmeRollout, acmeExpansion } = h.ids.deals;
    const patch = Object.fromEntries(Object.entries(rivalChange).map(([k, v]) => [k, v === '__beacon__' ? h.ids.partners.beacon : v]));
    // What the app itself wrote on the rival (sealed), or the rep's stage change.
    if ('dealstage' in patch) h.rep.updateDeal(acmeExpansion, patch);
    else h.appWroteRegistration(acmeExpansion, patch);
    await decide(acmeRollout, { action: 'register', partnerId: h.ids.partners.beacon, expectedVersion: 'none' }, USERS.rep);
    expect(h.deal(acmeRollout).pp_registration_status).toBe('pending');
  });

  it('a deal of the customer company whose own customer is another company is no conflict', async () => {
    const { acmeRollout, acmeExpansion } = h.ids.deals;
    // Acme becomes a plain (non-primary) company on the rival deal; Globex is its primary customer.
    h.rep.removeDealCompany(acmeExpansion, h.ids.customers.acme);
    h.rep.associateDealCompany(acmeExpansion, h.ids.customers.globex, { primary: true });
    h.rep.associateDealCompany(acmeExpansion, h.ids.customers.acme);
    await decide(acmeRollout, { action: 'register', partnerId: h.ids.partners.beacon, expectedVersion: 'none' }, USERS.rep);
    expect(h.deal(acmeRollout).pp_registration_status).toBe('pending');
  });
});

describe('one decision per deal at a time', () => {
  it('while another decision holds the deal, a second one answers 409 and writes nothing', async () => {
    const dealId = h.ids.deals.globexPlatform;
    const lock = createRedisDecisionLock(h.rt.producerRedis, h.rt.env.QUEUE_PREFIX);
    let release!: () => void;
    const held = lock.run([dealId], () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((r) => setTimeout(r, 20));

    const attempt = decideRegistration(
      { ctx: h.rt.ctx, managers: listed, lock },
      { dealId, userId: USERS.manager, action: { action: 'approve', expectedVersion: versionOf(dealId) } },
    );
    await expect(attempt).rejects.toThrow(`Another registration decision on deal ${dealId} is being saved right now. Refresh the card in a moment to see it.`);
    release();
    await held;
    expect(h.dealWrites()).toEqual([]);

    const after = await decideRegistration(
      { ctx: h.rt.ctx, managers: listed, lock },
      { dealId, userId: USERS.manager, action: { action: 'approve', expectedVersion: versionOf(dealId) } },
    );
    expect(after.changed).toBe(true);
  });
});

describe('resolving a dispute', () => {
  it('a retry after the rival deal was written but this one was not finishes this deal and leaves the rival alone', async () => {
    const { acmeRollout, acmeExpansion } = h.ids.deals;
    const { beacon } = h.ids.partners;
    await decide(acmeRollout, { action: 'register', partnerId: beacon, expectedVersion: 'none' }, USERS.rep);
    // As a first attempt that died after its first write would have left them.
    h.store.asIntegration().updateDeal(acmeExpansion, {
      pp_registration_status: 'rejected',
      pp_registration_decided_at: String(NOW),
      pp_registration_decided_by: USERS.manager,
      pp_protection_expires_at: '',
      pp_registration_reason: `dispute over deal ${acmeRollout} resolved in favour of Beacon Advisors (${beacon})`,
      pp_registration_conflict: `${acmeRollout}:${beacon}`,
    });
    sealDealRegistration(h.store, acmeExpansion, TEST_SECRET);
    const writesBefore = h.dealWrites().filter((w) => w.dealId === acmeExpansion).length;

    const decision = await decide(acmeRollout, { action: 'resolve', winnerPartnerId: beacon, expectedVersion: versionOf(acmeRollout) });
    expect(decision.writtenDealIds).toEqual([acmeRollout]);
    expect(h.deal(acmeRollout).pp_registration_status).toBe('approved');
    expect(h.dealWrites().filter((w) => w.dealId === acmeExpansion)).toHaveLength(writesBefore);
    expect(h.notesOn(acmeExpansion)).toEqual([]);
  });
});
