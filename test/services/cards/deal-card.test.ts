/**
 * The deal card view: the same evaluation the workers write back (so the preview is the written total), lines
 * and reasons formatted for people, the registration with its protection, and payouts once closed-won.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dealCardViewSchema } from '../../../extensions/app/cards/api/schemas.js';
import { recomputeDeal } from '../../../src/services/recompute-deal.js';
import { DAY, NOW, startCardHarness, type CardHarness } from '../../server/cards/card-harness.js';

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

async function card(dealId: string) {
  const res = await h.get(`/api/cards/deals/${dealId}`);
  expect(res.status).toBe(200);
  return dealCardViewSchema.parse(res.body);
}

describe('the preview is the write-back', () => {
  it.each([
    ['rule 1 tier_2 consultant 15% of $400,000 + preferred finder 12.5%', 'globexPlatform', '110000', '$110,000.00'],
    ['rule 1 tier_2 consultant 15% of $300,000', 'acmeRollout', '45000', '$45,000.00'],
    ['rule 3 technology software_integration 10% of $50,000, closed-won', 'globexWon', '5000', '$5,000.00'],
  ] as const)('the card’s preview and the written-back pp_commission_total agree on the same deal (%s)', async (_rule, key, written, shown) => {
    const dealId = h.ids.deals[key];
    await recomputeDeal(h.rt.ctx, dealId);
    expect(h.deal(dealId).pp_commission_total).toBe(written);
    expect((await card(dealId)).commission.total).toBe(shown);
  });
});

describe('commission lines', () => {
  it('each line carries its basis, rate, amount and reason formatted; the retention bonus is scheduled and not in the total', async () => {
    const view = await card(h.ids.deals.globexPlatform);
    const { beacon, stackline } = h.ids.partners;
    expect(view.commission).toEqual({
      currency: 'USD',
      lines: [
        {
          partnerId: beacon,
          partnerName: 'Beacon Advisors',
          role: 'pp_referral_partner',
          roleLabel: 'Referral partner',
          kind: 'commission',
          basis: '$400,000.00',
          rate: '15%',
          flatFee: null,
          amount: '$60,000.00',
          status: 'payable',
          reason: '15% of $400,000.00 = $60,000.00 (tier_2 consultant, new deal)',
        },
        {
          partnerId: beacon,
          partnerName: 'Beacon Advisors',
          role: 'pp_referral_partner',
          roleLabel: 'Referral partner',
          kind: 'retention',
          basis: '$400,000.00',
          rate: '1%',
          flatFee: null,
          amount: '$4,000.00',
          status: 'scheduled',
          reason: '1% of $400,000.00 = $4,000.00 (client retention bonus, paid if the customer is still a customer 24 months after close)',
        },
        {
          partnerId: stackline,
          partnerName: 'Stackline Software',
          role: 'pp_finder',
          roleLabel: 'Finder',
          kind: 'commission',
          basis: '$400,000.00',
          rate: '12.5%',
          flatFee: null,
          amount: '$50,000.00',
          status: 'payable',
          reason: '12.5% of $400,000.00 = $50,000.00 (preferred co-selling tier, middle of the 10%–15% range)',
        },
      ],
      total: '$110,000.00',
      retentionScheduled: '$4,000.00',
      partnerTier: 'tier_2',
    });
  });

  it('partners show their roles, tiers and agreement', async () => {
    const view = await card(h.ids.deals.globexPlatform);
    expect(view.partners).toEqual([
      {
        companyId: h.ids.partners.beacon,
        name: 'Beacon Advisors',
        partnerType: 'consultant',
        roles: [{ role: 'pp_referral_partner', label: 'Referral partner' }],
        tiers: { referral: 'tier_2', coMarketing: null, coSelling: null },
        highPerformer: false,
        agreementSigned: true,
      },
      {
        companyId: h.ids.partners.stackline,
        name: 'Stackline Software',
        partnerType: 'technology',
        roles: [{ role: 'pp_finder', label: 'Finder' }],
        tiers: { referral: null, coMarketing: null, coSelling: 'preferred' },
        highPerformer: false,
        agreementSigned: true,
      },
    ]);
  });
});

describe('registration and protection (RULES.md protection-status table)', () => {
  it.each([
    ['approved 10 days ago: protected, 170 days left', 170, 'protected'],
    ['in its last 30 days: expiring_soon', 20, 'expiring_soon'],
  ] as const)('an approved registration %s', async (_label, daysLeft, protectionStatus) => {
    const dealId = h.ids.deals.acmeExpansion;
    const expiresAt = new Date(NOW + daysLeft * DAY).toISOString();
    h.rep.updateDeal(dealId, { pp_protection_expires_at: String(NOW + daysLeft * DAY) });
    const view = await card(dealId);
    expect(view.registration).toEqual({
      status: 'approved',
      partnerId: h.ids.partners.cedar,
      partnerName: 'Cedar Consulting',
      submittedAt: '2026-11-08T12:00:00.000Z',
      submittedBy: 'user 9100003',
      decidedAt: '2026-11-10T12:00:00.000Z',
      decidedBy: 'user 9100001',
      protectionStatus,
      protectionExpiresAt: expiresAt,
      daysLeft,
      reason: null,
      conflict: null,
    });
  });

  it('a deal without a registration shows none, with version "none" to register against', async () => {
    const view = await card(h.ids.deals.acmeRollout);
    expect(view.registration).toBeNull();
    expect(view.registrationVersion).toBe('none');
  });
});

describe('payouts', () => {
  it('a closed-won deal shows its frozen payouts: on hold without a signed partner agreement', async () => {
    const dealId = h.ids.deals.globexWon;
    await recomputeDeal(h.rt.ctx, dealId);
    const view = await card(dealId);
    expect(view.deal).toEqual({ id: dealId, name: 'Globex analytics', currency: 'USD', stageLabel: 'Closed won', isClosedWon: true });
    expect(view.payouts).toEqual({
      status: 'on_hold',
      records: [
        {
          key: `${dealId}:${h.ids.partners.newcomer}:pp_referral_partner`,
          partnerName: 'Newcomer Partners',
          roleLabel: 'Referral partner',
          amount: '$5,000.00',
          status: 'on_hold',
          holdReason: 'no signed partner agreement on file',
        },
      ],
    });
  });

  it('an open deal that never closed has no payouts and the payout store is not read', async () => {
    const view = await card(h.ids.deals.globexPlatform);
    expect(view.payouts).toEqual({ status: 'none', records: [] });
    expect(view.deal.stageLabel).toBeNull();
    expect(h.api.stats.calls('POST /crm/objects/2026-09/:objectType/search')).toBe(0);
  });
});
