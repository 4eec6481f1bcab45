/**
 * docs/program.md#partner-portal: sign-in by a one-time link (30 minutes, works once), a session bound to one
 * contact and one partner company, access checked at sign-in and at least every 5 minutes of a session, a
 * contact of two partner companies cannot sign in, the request form answers the same for any address.
 */
import nock from 'nock';
import request from 'supertest';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueSignInLink } from '../../src/services/portal/sign-in-links.js';
import { csrfOf, MINUTE, startPortalHarness, type PortalHarness } from './portal-harness.js';

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

async function useLink(url: string, agent = request.agent(h.app)) {
  const path = new URL(url).pathname;
  const confirm = await agent.get(path);
  if (confirm.status !== 200) return { agent, confirm, res: null };
  const res = await agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfOf(confirm.text) });
  return { agent, confirm, res };
}

describe('one-time sign-in links', () => {
  it('a link signs the contact in: session cookie HttpOnly, SameSite=Lax, not Secure on localhost; home shows their partner', async () => {
    const link = await issueSignInLink(h.pc, h.ids.contacts.alice, 'test');
    const { agent, res } = await useLink(link.url);
    expect(res?.status).toBe(303);
    const cookie = (res?.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('pp-portal='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const home = await agent.get('/portal');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Beacon Advisors');
    expect(home.text).toContain('Alice Adams');
  });

  it('the link page only asks to confirm: opening it (a mail scanner) does not use it up', async () => {
    const link = await issueSignInLink(h.pc, h.ids.contacts.alice, 'test');
    const path = new URL(link.url).pathname;
    expect((await request(h.app).get(path)).status).toBe(200);
    const { res } = await useLink(link.url);
    expect(res?.status).toBe(303);
  });

  it('a link used once does not work again', async () => {
    const link = await issueSignInLink(h.pc, h.ids.contacts.alice, 'test');
    const first = await useLink(link.url);
    expect(first.res?.status).toBe(303);
    const again = await useLink(link.url);
    expect(again.confirm.status).toBe(410);
    expect(again.confirm.text).toContain('already used');
  });

  it('a link older than 30 minutes has expired', async () => {
    const link = await issueSignInLink(h.pc, h.ids.contacts.alice, 'test');
    h.setNow(h.now() + 30 * MINUTE);
    const { confirm } = await useLink(link.url);
    expect(confirm.status).toBe(410);
    expect(confirm.text).toContain('expired');
  });

  it('a made-up token is refused', async () => {
    const res = await request(h.app).get(`/portal/auth/${'x'.repeat(43)}`);
    expect(res.status).toBe(410);
    expect(res.text).toContain('not valid');
  });

  it('a contact without pp_portal_access cannot sign in', async () => {
    const link = await issueSignInLink(h.pc, h.ids.contacts.carol, 'test');
    const { res } = await useLink(link.url);
    expect(res?.status).toBe(403);
    expect(res?.text).toContain('access has ended');
  });

  it('pp_portal_access set to true by a CRM user (not through an invitation) is not trusted: refused, and restored to false in HubSpot', async () => {
    h.store.actAsUser('9200002').updateObject('contacts', h.ids.contacts.carol, { pp_portal_access: 'true' });
    const link = await issueSignInLink(h.pc, h.ids.contacts.carol, 'test');
    const { res } = await useLink(link.url);
    expect(res?.status).toBe(403);
    expect(res?.text).toContain('access has ended');
    expect(h.store.getRecord('contacts', h.ids.contacts.carol).properties.get('pp_portal_access')).toBe('false');
  });

  it('a contact associated with two partner companies cannot sign in', async () => {
    const link = await issueSignInLink(h.pc, h.ids.contacts.dave, 'test');
    const { res } = await useLink(link.url);
    expect(res?.status).toBe(403);
    expect(res?.text).toContain('two partner companies');
  });

  it('a form without the CSRF token is refused', async () => {
    const link = await issueSignInLink(h.pc, h.ids.contacts.alice, 'test');
    const agent = request.agent(h.app);
    const path = new URL(link.url).pathname;
    await agent.get(path);
    const res = await agent.post(path).type('form').send({ _csrf: 'forged' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('form expired');
  });
});

describe('access re-checked during a session', () => {
  it('access unset in HubSpot: the session still works within 5 minutes, and is ended at the next check', async () => {
    const agent = await h.signIn(h.ids.contacts.alice);
    h.store.actAsUser('9200001').updateObject('contacts', h.ids.contacts.alice, { pp_portal_access: 'false' });
    h.setNow(h.now() + 4 * MINUTE);
    expect((await agent.get('/portal/referrals')).status).toBe(200);
    h.setNow(h.now() + 1 * MINUTE);
    const out = await agent.get('/portal/referrals');
    expect(out.status).toBe(403);
    expect(out.text).toContain('access has ended');
    // The session is gone: the next request is sent to sign in.
    const after = await agent.get('/portal/referrals');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/portal/sign-in');
  });

  it('the association to the partner removed: out at the next check', async () => {
    const agent = await h.signIn(h.ids.contacts.alice);
    h.store.actAsUser('9200001').removeAssociation('contacts', h.ids.contacts.alice, 'companies', h.ids.partners.a);
    h.setNow(h.now() + 5 * MINUTE);
    const out = await agent.get('/portal');
    expect(out.status).toBe(403);
    expect(out.text).toContain('not a contact of a partner company');
  });

  it('a second partner association added during the session: out at the next check', async () => {
    const agent = await h.signIn(h.ids.contacts.alice);
    h.store
      .actAsUser('9200001')
      .associate('contacts', h.ids.contacts.alice, 'companies', h.ids.partners.b, [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }]);
    h.setNow(h.now() + 6 * MINUTE);
    expect((await agent.get('/portal')).status).toBe(403);
  });

  it('without a session every page sends to sign in', async () => {
    for (const path of [
      '/portal',
      '/portal/referrals',
      '/portal/payouts',
      `/portal/referrals/${h.ids.deals.aGlobex}`,
      '/portal/payouts/statement.csv?from=2026-01-01&to=2026-12-31',
    ]) {
      const res = await request(h.app).get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.location).toBe('/portal/sign-in');
    }
  });
});

describe('asking for a link by email', () => {
  async function ask(email: string) {
    const agent = request.agent(h.app);
    const form = await agent.get('/portal/sign-in');
    return agent
      .post('/portal/sign-in')
      .type('form')
      .send({ _csrf: csrfOf(form.text), email });
  }
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it('a portal user gets a link in the outbox; an unknown address gets the same answer and no mail', async () => {
    const known = await ask('alice@beacon.example');
    const unknown = await ask('nobody@nowhere.example');
    const carol = await ask('carol@beacon.example');
    expect(known.status).toBe(200);
    expect(unknown.text.replace(/value="[^"]*"/g, '')).toBe(known.text.replace(/value="[^"]*"/g, ''));
    expect(carol.status).toBe(200);
    await settle();
    const mail = await h.rt.mailer.outbox();
    expect(mail.map((m) => m.to)).toEqual(['alice@beacon.example']);
    expect(mail[0]!.subject).toBe('Your sign-in link to the Beacon Advisors partner portal');
    const url = /(http:\/\/localhost:3999\/portal\/auth\/[A-Za-z0-9_-]{43})/.exec(mail[0]!.text)![1]!;
    const { res } = await useLink(url);
    expect(res?.status).toBe(303);
  });

  it('sign-in requests are rate-limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await request(h.app).get(`/portal/auth/${'y'.repeat(43)}`)).status);
    expect(statuses.slice(0, 20).every((s) => s === 410)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});
