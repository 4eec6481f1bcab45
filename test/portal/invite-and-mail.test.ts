/**
 * The company card's "Invite to portal" (partner managers only; sets pp_portal_access and mails a one-time
 * link), the payout statement CSV, and the notifications (registration decided, protection expiring, payouts),
 * each sent once per event, read from the sandbox outbox.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expireDealRegistration } from '../../src/services/expire-registrations.js';
import { eventKey } from '../../src/services/portal/notifications.js';
import { DAY, MANAGER, REP, startPortalHarness, type PortalHarness } from './portal-harness.js';

let h: PortalHarness;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
beforeEach(async () => {
  h = await startPortalHarness();
});
afterEach(async () => {
  await h.close();
});

describe('Invite to portal (company card)', () => {
  it('lists the partner’s contacts with their access', async () => {
    const res = await h.cardGet(`/api/cards/companies/${h.ids.partners.a}/portal-contacts`);
    expect(res.status).toBe(200);
    expect(res.body.contacts.map((c: { email: string; hasAccess: boolean }) => [c.email, c.hasAccess]).sort()).toEqual([
      ['alice@beacon.example', true],
      ['carol@beacon.example', false],
      ['dave@both.example', true],
      ['erin@beacon.example', false],
    ]);
  });

  it('a partner manager invites a contact: pp_portal_access set by the app, a link mailed that signs them in', async () => {
    const res = await h.cardPost(`/api/cards/companies/${h.ids.partners.a}/portal-invite`, { contactId: h.ids.contacts.erin });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('Erin Evans is invited: a sign-in link was sent to erin@beacon.example.');
    expect(h.store.getRecord('contacts', h.ids.contacts.erin).properties.get('pp_portal_access')).toBe('true');
    const [mail] = await h.rt.mailer.outbox();
    expect(mail?.to).toBe('erin@beacon.example');
    expect(mail?.text).toContain("Beacon Advisors's partner manager invited you");
  });

  it('a sales rep cannot invite: 403 and nothing changes', async () => {
    const res = await h.cardPost(`/api/cards/companies/${h.ids.partners.a}/portal-invite`, { contactId: h.ids.contacts.erin }, REP);
    expect(res.status).toBe(403);
    expect(h.store.getRecord('contacts', h.ids.contacts.erin).properties.get('pp_portal_access') ?? null).toBeNull();
    expect(await h.rt.mailer.outbox()).toEqual([]);
  });

  it('a contact of another company cannot be invited for this partner', async () => {
    const res = await h.cardPost(`/api/cards/companies/${h.ids.partners.a}/portal-invite`, { contactId: h.ids.contacts.bob }, MANAGER);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('is not associated with company');
  });

  it('an unsigned request is refused', async () => {
    const { default: request } = await import('supertest');
    const res = await request(h.app).post(`/api/cards/companies/${h.ids.partners.a}/portal-invite?userId=${MANAGER}`).send({ contactId: h.ids.contacts.erin });
    expect(res.status).toBe(401);
  });
});

describe('payout statement CSV', () => {
  it('RFC 4180 with a header, the partner’s rows, amounts in major units, formula-leading cells neutralised', async () => {
    const alice = await h.signIn(h.ids.contacts.alice);
    const res = await alice.get('/portal/payouts/statement.csv?from=2026-11-01&to=2026-11-30');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="payout-statement-2026-11-01-to-2026-11-30.csv"');
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe('payout_key,deal_id,deal_name,role,status,amount,currency,frozen_on,hold_reason,explanation');
    expect(lines[1]).toBe(
      `${h.ids.deals.aGlobex}:${h.ids.partners.a}:pp_referral_partner,${h.ids.deals.aGlobex},Globex platform,Referral partner,on_hold,60000.00,USD,2026-11-17,We do not have your signed partner agreement yet: send it to your partner manager.,"'=HYPERLINK(""http://evil"")"`,
    );
    expect(lines[2]).toBe('');
  });

  it('a period outside the payouts has a header only; a malformed period is a clear 400', async () => {
    const alice = await h.signIn(h.ids.contacts.alice);
    expect((await alice.get('/portal/payouts/statement.csv?from=2025-01-01&to=2025-12-31')).text).toBe(
      'payout_key,deal_id,deal_name,role,status,amount,currency,frozen_on,hold_reason,explanation\r\n',
    );
    const bad = await alice.get('/portal/payouts/statement.csv?from=yesterday&to=2026-12-31');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('from must be a date as YYYY-MM-DD.');
  });
});

describe('notifications', () => {
  it('a protection warning 30 days before the end is mailed once, however often the sweep runs', async () => {
    const dealId = h.ids.deals.bAcmeProtected;
    h.setNow(h.now() + 150 * DAY);
    expect((await expireDealRegistration(h.rt.ctx, dealId)).outcome).toBe('warned');
    await expireDealRegistration(h.rt.ctx, dealId);
    const mail = await h.rt.mailer.outbox();
    expect(mail.map((m) => [m.to, m.subject])).toEqual([['bob@cedar.example', 'Protection ends in 20 days: Acme expansion']]);
    expect(mail[0]!.text).toContain('protects the deal until 2027-05-09 (20 days left)');
  });

  it('payouts scheduled, on hold and paid: one mail per payout and status, to that partner only', async () => {
    const notify = h.rt.ctx.notify!;
    const event = { type: 'payout' as const, key: 'k1', dealId: h.ids.deals.aGlobex, partnerId: h.ids.partners.a, amount: 6_000_000, currency: 'USD' };
    await notify({ ...event, status: 'on_hold', holdReason: 'exceeds the $5,000.00 fair-market-value cap; anti-kickback review' });
    await notify({ ...event, status: 'on_hold', holdReason: 'exceeds the $5,000.00 fair-market-value cap; anti-kickback review' });
    await notify({ ...event, status: 'scheduled', holdReason: null });
    await notify({ ...event, status: 'paid', holdReason: null });
    const mail = (await h.rt.mailer.outbox()).reverse();
    expect(mail.map((m) => [m.to, m.subject])).toEqual([
      ['alice@beacon.example', 'Payout on hold: $60,000.00 for Globex platform'],
      ['alice@beacon.example', 'Payout scheduled: $60,000.00 for Globex platform'],
      ['alice@beacon.example', 'Payout paid: $60,000.00 for Globex platform'],
    ]);
    expect(mail[0]!.text).toContain('above the fair-market-value cap, so it is reviewed before payment');
    expect(mail.map((m) => m.key)).toEqual([
      eventKey({ ...event, status: 'on_hold', holdReason: null }),
      eventKey({ ...event, status: 'scheduled', holdReason: null }),
      eventKey({ ...event, status: 'paid', holdReason: null }),
    ]);
  });

  it('a rejected registration is mailed with the reason', async () => {
    const alice = await h.signIn(h.ids.contacts.alice);
    void alice;
    const dealId = h.ids.deals.aGlobex;
    const register = await h.cardPost(
      `/api/cards/deals/${dealId}/registration`,
      { action: 'register', partnerId: h.ids.partners.a, expectedVersion: 'none' },
      REP,
    );
    expect(register.status).toBe(200);
    const reject = await h.cardPost(`/api/cards/deals/${dealId}/registration`, {
      action: 'reject',
      reason: 'customer already in talks with sales',
      expectedVersion: register.body.registrationVersion,
    });
    expect(reject.status).toBe(200);
    const mail = await h.rt.mailer.outbox();
    expect(mail.map((m) => [m.to, m.subject])).toEqual([['alice@beacon.example', 'Registration rejected: Globex platform']]);
    expect(mail[0]!.text).toContain('Reason: customer already in talks with sales');
  });
});
