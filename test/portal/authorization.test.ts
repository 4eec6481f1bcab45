/**
 * docs/program.md#partner-portal: a portal user sees only their own partner company. Partner A (Alice) guessing
 * partner B's ids — deals, payouts, statement periods — learns nothing: no page, no line, no amount.
 */
import nock from 'nock';
import type request from 'supertest';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPortalHarness, type PortalHarness } from './portal-harness.js';

let h: PortalHarness;
let alice: request.Agent;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
beforeEach(async () => {
  h = await startPortalHarness();
  alice = await h.signIn(h.ids.contacts.alice);
});
afterEach(async () => {
  await h.close();
});

describe('partner A cannot read partner B', () => {
  it("B's deals by id answer 404, the same as a deal that does not exist", async () => {
    for (const id of [h.ids.deals.bInitech, h.ids.deals.bAcmeProtected, '999999', h.ids.partners.b, h.ids.payouts.b]) {
      const res = await alice.get(`/portal/referrals/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.text).not.toContain('Initech');
      expect(res.text).not.toContain('Acme expansion');
    }
    expect((await alice.get('/portal/referrals/not-a-number')).status).toBe(404);
  });

  it("A's own deal is shown, with A's line only", async () => {
    const res = await alice.get(`/portal/referrals/${h.ids.deals.aGlobex}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Globex platform');
    expect(res.text).toContain('Globex Retail');
    expect(res.text).toContain('15% of $400,000.00');
  });

  it("the referral list holds A's deals only", async () => {
    const res = await alice.get('/portal/referrals');
    expect(res.status).toBe(200);
    const ids = [...res.text.matchAll(/data-deal-id="(\d+)"/g)].map((m) => m[1]);
    expect(ids).toEqual([h.ids.deals.aGlobex]);
    expect(res.text).not.toContain('Cedar');
  });

  it("payouts: A sees its own payout and never B's amount", async () => {
    const res = await alice.get('/portal/payouts');
    expect(res.status).toBe(200);
    expect(res.text).toContain('$60,000.00');
    expect(res.text).not.toContain('$108,000.00');
    expect(res.text).not.toContain('Initech');
    // The hold reason in words fit for a partner.
    expect(res.text).toContain('We do not have your signed partner agreement yet: send it to your partner manager.');
  });

  it("statement periods: any period A asks for holds only A's payouts", async () => {
    for (const [from, to] of [
      ['2026-01-01', '2026-12-31'],
      ['2000-01-01', '2099-12-31'],
    ]) {
      const res = await alice.get(`/portal/payouts/statement.csv?from=${from}&to=${to}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`${h.ids.deals.aGlobex}:${h.ids.partners.a}:pp_referral_partner`);
      expect(res.text).not.toContain(h.ids.partners.b);
      expect(res.text).not.toContain('108000');
    }
  });

  it('naming another partner in the query or the form changes nothing: the partner comes from the session', async () => {
    const res = await alice.get(`/portal/payouts/statement.csv?from=2026-01-01&to=2026-12-31&partnerId=${h.ids.partners.b}`);
    expect(res.text).not.toContain(h.ids.partners.b);
    const home = await alice.get(`/portal?partnerId=${h.ids.partners.b}`);
    expect(home.text).toContain('Beacon Advisors');
    expect(home.text).not.toContain('Cedar Consulting');
  });

  it("B's own session sees B's data (the filter is the session, not a blanket refusal)", async () => {
    const bob = await h.signIn(h.ids.contacts.bob);
    expect((await bob.get(`/portal/referrals/${h.ids.deals.bInitech}`)).status).toBe(200);
    expect((await bob.get(`/portal/referrals/${h.ids.deals.aGlobex}`)).status).toBe(404);
    expect((await bob.get('/portal/payouts')).text).toContain('$108,000.00');
  });
});

describe('home', () => {
  it('tiers with reasons, referrals against the minimum, high-performer status and commission totals by status', async () => {
    const res = await alice.get('/portal');
    expect(res.status).toBe(200);
    expect(res.text).toContain('20 consultants: tier_2 (10–49)');
    expect(res.text).toMatch(/id="referral-minimum"[^>]*>1 of 3 — 2 more this quarter</);
    expect(res.text).toContain('Not yet a high performer: 4 qualified referrals this quarter make you one (3 more).');
    expect(res.text).toContain('Expected on open deals');
    expect(res.text).toContain('$60,000.00');
    expect(res.text).toContain('On hold');
  });
});
