/**
 * The company card view: tiers with reasons, qualified referrals this quarter (docs/program.md#partner-outputs,
 * `pp_referrals_this_quarter`), high-performer status, open registrations, payouts by status and the signed
 * CSV link for this quarter.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { companyCardViewSchema } from '../../../extensions/app/cards/api/schemas.js';
import { verifyExportLink } from '../../../src/security/export-link.js';
import { recomputeDeal } from '../../../src/services/recompute-deal.js';
import { TEST_SECRET } from '../../helpers/hubspot-events.js';
import { DAY, NOW, USERS, startCardHarness, type CardHarness } from '../../server/cards/card-harness.js';

let h: CardHarness;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
afterEach(async () => {
  await h.close();
});

async function card(companyId: string) {
  const res = await h.get(`/api/cards/companies/${companyId}`);
  expect(res.status).toBe(200);
  return companyCardViewSchema.parse(res.body);
}

describe('standing', () => {
  it('a tier_2 consultant with two qualified referrals this quarter: counted, 4 needed to be a high performer, its pending registration listed', async () => {
    h = await startCardHarness();
    const view = await card(h.ids.partners.beacon);
    expect(view).toEqual({
      company: { id: h.ids.partners.beacon, name: 'Beacon Advisors', partnerType: 'consultant' },
      tiers: {
        referral: { value: 'tier_2', reason: '20 consultants: tier_2 (10–49)' },
        coMarketing: { value: null, reason: 'annual co-marketing investment is not set' },
        coSelling: { value: null, reason: 'annual sales volume potential is not set' },
      },
      referrals: { count: 2, minimum: 3, quarterLabel: '2026-Q4' },
      highPerformer: { value: false, reason: '2 qualified referrals this quarter: 4 needed (125% of the tier_2 minimum of 3)' },
      agreements: { agreementSigned: true, baaSigned: false },
      openRegistrations: [{ dealId: h.ids.deals.globexPlatform, dealName: 'Globex platform', status: 'pending', protectionStatus: 'pending', daysLeft: null }],
      payouts: [],
      activities: [],
      commitments: null,
      otherPayouts: [],
      exportUrl: null,
      viewer: {
        userId: USERS.manager,
        isPartnerManager: true,
        managersHint:
          'Only partner managers approve, reject or resolve registrations (the users and teams listed under partnerManagers in the program configuration).',
      },
      // 20 November is day 51 of 2026-Q4's 92: ⌊3 × 51 ÷ 92⌋ = 1 is due, 2 is on track.
      performance: {
        minimum: {
          status: 'on_track',
          count: 2,
          minimum: 3,
          requiredToDate: 1,
          remaining: 1,
          quarterLabel: '2026-Q4',
          reason: '2 qualified referrals of the 3 required in 2026-Q4: on track (1 due by day 51 of 92); 1 more to meet the minimum',
        },
        lastQuarter: { value: null, label: '2026-Q3', reason: 'the partner was created after 2026-Q3 began: no full quarter to judge' },
        satisfaction: { value: null, required: null, below: false, reason: 'no scored closed-won referral deal in the last 12 months' },
        leadQuality: { value: null, reason: 'no scored referral deal created in the last 12 months' },
        requirements: { value: 'met', reasons: ['nothing to judge yet: met by default'] },
      },
    });
  });

  it('four qualified referrals make a tier_2 consultant a high performer (4 × 100 ≥ 3 × 125)', async () => {
    h = await startCardHarness();
    for (const amount of ['250000', '260000']) {
      const d = h.rep.createDeal({ dealname: `More ${amount}`, amount, dealstage: 'qualifiedtobuy', createdate: String(NOW - DAY) });
      h.rep.associateDealCompany(d.id, h.ids.customers.globex, { primary: true });
      h.rep.associateDealCompany(d.id, h.ids.partners.beacon, { roles: ['pp_referral_partner'] });
    }
    const view = await card(h.ids.partners.beacon);
    expect(view.referrals.count).toBe(4);
    expect(view.highPerformer).toEqual({
      value: true,
      reason: '4 qualified referrals this quarter: at least 125% of the tier_2 minimum of 3 (4 needed)',
    });
  });

  it('the count the deal recomputes keep is the one shown (the stats store, not a second count)', async () => {
    h = await startCardHarness();
    const quarter = h.rt.ctx.stats.quarter(NOW);
    await h.rt.ctx.stats.replace(h.ids.partners.beacon, quarter, ['1', '2', '3']);
    expect((await card(h.ids.partners.beacon)).referrals.count).toBe(3);
  });
});

describe('payouts and the export link', () => {
  it('payouts are grouped by status and currency with their count and total', async () => {
    h = await startCardHarness();
    await recomputeDeal(h.rt.ctx, h.ids.deals.globexWon);
    const view = await card(h.ids.partners.newcomer);
    expect(view.payouts).toEqual([{ status: 'on_hold', currency: 'USD', count: 1, total: '$5,000.00' }]);
    expect(view.agreements).toEqual({ agreementSigned: false, baaSigned: false });
  });

  it('with the export configured (ADMIN_TOKEN), the card links to this quarter’s CSV of the partner, signed and expiring', async () => {
    h = await startCardHarness({ env: { ADMIN_TOKEN: 'admin-token-0123456789abcdef0123456789' } });
    const view = await card(h.ids.partners.beacon);
    const url = new URL(view.exportUrl ?? '');
    expect(`${url.origin}${url.pathname}`).toBe('https://pp.example.com/api/payouts/export.csv');
    const q = Object.fromEntries(url.searchParams);
    expect(q).toMatchObject({ from: '2026-10-01', to: '2026-12-31', partnerId: h.ids.partners.beacon, by: USERS.manager, expires: String(NOW + 15 * 60_000) });
    expect(verifyExportLink({ from: q.from!, to: q.to!, partnerId: q.partnerId, by: q.by! }, Number(q.expires), q.sig!, TEST_SECRET, NOW)).toBe(true);
  });
});
