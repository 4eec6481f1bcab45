/**
 * The partner managers' home page: registrations waiting for a decision (pending and disputed, oldest first),
 * approved ones whose protection ends within 30 days (docs/program.md#deal-registration: the app warns 30 days before), and payouts on
 * hold with the reason.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { homeViewSchema } from '../../../extensions/app/cards/api/schemas.js';
import { recomputeDeal } from '../../../src/services/recompute-deal.js';
import { DAY, NOW, USERS, startCardHarness, type CardHarness } from '../../server/cards/card-harness.js';

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

async function home(userId: string = USERS.manager) {
  const res = await h.get('/api/cards/home', { userId });
  expect(res.status).toBe(200);
  return homeViewSchema.parse(res.body);
}

describe('the decision queue', () => {
  it('pending and disputed registrations, oldest submission first, a dispute naming the other partner, each with the version to decide against', async () => {
    const { acmeRollout, acmeExpansion, globexPlatform } = h.ids.deals;
    const { beacon, cedar } = h.ids.partners;
    const registered = await h.post(
      `/api/cards/deals/${acmeRollout}/registration`,
      { action: 'register', partnerId: beacon, expectedVersion: 'none' },
      { userId: USERS.rep },
    );
    const view = await home();
    const globexVersion = (await h.get(`/api/cards/deals/${globexPlatform}`)).body.registrationVersion;
    expect(view.queue).toEqual([
      {
        dealId: globexPlatform,
        dealName: 'Globex platform',
        partnerId: beacon,
        partnerName: 'Beacon Advisors',
        status: 'pending',
        submittedAt: '2026-11-18T12:00:00.000Z',
        conflict: null,
        registrationVersion: globexVersion,
      },
      {
        dealId: acmeRollout,
        dealName: 'Acme rollout',
        partnerId: beacon,
        partnerName: 'Beacon Advisors',
        status: 'disputed',
        submittedAt: '2026-11-20T12:00:00.000Z',
        conflict: { dealId: acmeExpansion, partnerId: cedar, partnerName: 'Cedar Consulting' },
        registrationVersion: registered.body.registrationVersion,
      },
    ]);
  });

  it('the viewer is told whether the decisions are theirs', async () => {
    expect((await home(USERS.rep)).viewer.isPartnerManager).toBe(false);
    expect((await home(USERS.manager)).viewer.isPartnerManager).toBe(true);
  });
});

describe('protection expiring soon', () => {
  it.each([
    ['ends in 20 days: listed', 20, [20]],
    ['ends in exactly 30 days: listed', 30, [30]],
    ['ends in 40 days: not yet', 40, []],
  ] as const)('an approved registration on an open deal whose protection %s', async (_label, days, expected) => {
    h.appWroteRegistration(h.ids.deals.acmeExpansion, {
      pp_registration_decided_at: String(NOW + (days - 180) * DAY),
      pp_protection_expires_at: String(NOW + days * DAY),
    });
    const view = await home();
    expect(view.expiringSoon.map((e) => e.daysLeft)).toEqual(expected);
  });

  it('lists the deal, the partner and the instant protection ends', async () => {
    h.appWroteRegistration(h.ids.deals.acmeExpansion, {
      pp_registration_decided_at: String(NOW - 160 * DAY),
      pp_protection_expires_at: String(NOW + 20 * DAY),
    });
    expect((await home()).expiringSoon).toEqual([
      {
        dealId: h.ids.deals.acmeExpansion,
        dealName: 'Acme expansion',
        partnerName: 'Cedar Consulting',
        protectionExpiresAt: '2026-12-10T12:00:00.000Z',
        daysLeft: 20,
      },
    ]);
  });

  it('a deal won while protected is not listed: its protection no longer lapses', async () => {
    h.appWroteRegistration(h.ids.deals.acmeExpansion, {
      pp_registration_decided_at: String(NOW - 160 * DAY),
      pp_protection_expires_at: String(NOW + 20 * DAY),
    });
    h.rep.updateDeal(h.ids.deals.acmeExpansion, { dealstage: 'closedwon' });
    expect((await home()).expiringSoon).toEqual([]);
  });
});

describe('payouts on hold', () => {
  it('a frozen payout held for a missing partner agreement is listed with its deal, partner, amount and reason', async () => {
    const dealId = h.ids.deals.globexWon;
    await recomputeDeal(h.rt.ctx, dealId);
    expect((await home()).payoutsOnHold).toEqual([
      {
        key: `${dealId}:${h.ids.partners.newcomer}:pp_referral_partner`,
        dealId,
        dealName: 'Globex analytics',
        partnerName: 'Newcomer Partners',
        amount: '$5,000.00',
        holdReason: 'no signed partner agreement on file',
        explanation: expect.stringMatching(/^Frozen at closed-won on \d{4}-\d{2}-\d{2} under program \w+: 10% of basis \$50,000\.00 = \$5,000\.00\./),
      },
    ]);
  });
});
