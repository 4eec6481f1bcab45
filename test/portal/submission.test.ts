/**
 * docs/program.md#partner-portal referral submission: the customer company found by domain or created, a deal in
 * the configured pipeline and stage with the partner as referral partner and `pp_referral_source` =
 * `partner_portal`, a registration submitted by `contact:<id>` (pending; disputed against another partner's
 * protected registration), one deal per submission token, clear field errors; the partner managers' queue.
 */
import nock from 'nock';
import type request from 'supertest';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { csrfOf, MANAGER, startPortalHarness, type PortalHarness } from './portal-harness.js';

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

async function formToken(): Promise<{ csrf: string; token: string; html: string }> {
  const page = await alice.get('/portal/referrals/new');
  const token = /name="submissionToken" value="([^"]+)"/.exec(page.text)![1]!;
  return { csrf: csrfOf(page.text), token, html: page.text };
}

const FORM = {
  customerName: 'Hooli Labs',
  customerDomain: 'https://www.Hooli.example/about',
  contactName: 'Gavin Belson',
  contactEmail: 'Gavin@Hooli.example',
  firstYearValue: '300000',
  currency: 'USD',
  closeDate: '2027-02-15',
  referralKind: '',
  note: 'Met at the regional conference.',
};

async function submit(fields: Record<string, string> = {}, token?: { csrf: string; token: string }) {
  const t = token ?? (await formToken());
  return alice
    .post('/portal/referrals')
    .type('form')
    .send({ ...FORM, ...fields, _csrf: t.csrf, submissionToken: t.token });
}

const dealsNamed = (h: PortalHarness, name: string) => h.store.listRecords('deals').filter((d) => d.properties.get('dealname')?.startsWith(name));

describe('submitting a referral', () => {
  it('the form asks for business contact data only and says no patient information', async () => {
    const { html } = await formToken();
    expect(html).toContain('Do not enter patient information');
    expect(html).toMatch(/<label for="customerDomain">Customer web domain<\/label><input id="customerDomain" name="customerDomain"/);
  });

  it('a new customer: company and contact created, the deal created with the partner as referral partner, registration pending', async () => {
    const res = await submit();
    expect(res.status).toBe(303);
    const dealId = /\/portal\/referrals\/(\d+)/.exec(res.headers.location as string)![1]!;
    const company = h.store.listRecords('companies').find((c) => c.properties.get('domain') === 'hooli.example');
    expect(company?.properties.get('name')).toBe('Hooli Labs');
    const contact = h.store.listRecords('contacts').find((c) => c.properties.get('email') === 'gavin@hooli.example');
    expect(contact?.properties.get('firstname')).toBe('Gavin');
    expect(h.deal(dealId)).toMatchObject({
      dealname: 'Hooli Labs — referral from Beacon Advisors',
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
      pp_first_year_contract_value: '300000',
      deal_currency_code: 'USD',
      pp_deal_type: 'new',
      pp_referral_source: 'partner_portal',
      pp_registration_status: 'pending',
      pp_registered_partner_id: h.ids.partners.a,
      pp_registration_submitted_by: `contact:${h.ids.contacts.alice}`,
    });
    const companies = h.store.associationsOf('deals', dealId, 'companies');
    expect(companies.find((a) => a.toObjectId === company!.id)?.types.some((t) => t.typeId === 5)).toBe(true);
    expect(companies.find((a) => a.toObjectId === h.ids.partners.a)?.types.map((t) => t.name)).toContain('pp_referral_partner');
    expect(h.store.associationsOf('deals', dealId, 'contacts').map((a) => a.toObjectId)).toEqual([contact!.id]);

    const page = await alice.get(res.headers.location as string);
    expect(page.text).toContain('waits for a partner manager’s decision');
    expect(page.text).toContain('<span class="badge s-pending">pending</span>');

    // Partner managers find it in their home-page queue.
    const home = await h.cardGet('/api/cards/home');
    expect(home.status).toBe(200);
    expect(JSON.stringify(home.body)).toContain(dealId);
  });

  it('an existing customer is found by its domain: no second company', async () => {
    const before = h.store.listRecords('companies').length;
    const res = await submit({ customerName: 'Globex (new name)', customerDomain: 'GLOBEX.com' });
    expect(res.status).toBe(303);
    const dealId = /(\d+)$/.exec(res.headers.location as string)![1]!;
    expect(h.store.listRecords('companies').length).toBe(before);
    const customer = h.store.associationsOf('deals', dealId, 'companies').find((a) => a.types.some((t) => t.typeId === 5));
    expect(customer?.toObjectId).toBe(h.ids.customers.globex);
  });

  it("a customer protected by another partner's approved registration: the submission is disputed", async () => {
    const res = await submit({ customerName: 'Acme', customerDomain: 'acme.com' });
    expect(res.status).toBe(303);
    const dealId = /(\d+)$/.exec(res.headers.location as string)![1]!;
    expect(h.deal(dealId)).toMatchObject({
      pp_registration_status: 'disputed',
      pp_registration_conflict: `${h.ids.deals.bAcmeProtected}:${h.ids.partners.b}`,
    });
    const page = await alice.get(res.headers.location as string);
    expect(page.text).toContain('another partner already holds a protected registration');
    // The other partner is not named to the partner, and its amounts never shown.
    expect(page.text).not.toContain('Cedar');
  });

  it('the same form sent twice (same submission token) creates one deal', async () => {
    const t = await formToken();
    const first = await submit({}, t);
    const second = await submit({}, t);
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(dealsNamed(h, 'Hooli Labs')).toHaveLength(1);
    expect((await alice.get(second.headers.location as string)).text).toContain('already sent');
  });

  it('clear field errors, nothing created', async () => {
    const before = h.store.listRecords('deals').length;
    const res = await submit({ customerName: ' ', customerDomain: 'not a domain', contactEmail: 'nope', firstYearValue: '12,5x', closeDate: '2020-01-01' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Please fix these 5 fields');
    expect(res.text).toContain('Enter the customer company’s name.');
    expect(res.text).toContain('is not a domain; use the form example.com.');
    expect(res.text).toContain('Enter a business email address');
    expect(res.text).toContain('Enter an amount such as 250000');
    expect(res.text).toContain('The expected close date cannot be in the past.');
    expect(res.text).toMatch(/id="contactEmail" name="contactEmail" aria-invalid="true" aria-describedby="contactEmail-error"/);
    // What was typed is kept.
    expect(res.text).toContain('value="not a domain"');
    expect(h.store.listRecords('deals').length).toBe(before);
  });

  it('the partner cannot name another partner: the registration is always for the session’s partner', async () => {
    const t = await formToken();
    const res = await alice
      .post('/portal/referrals')
      .type('form')
      .send({ ...FORM, partnerId: h.ids.partners.b, contactId: h.ids.contacts.bob, _csrf: t.csrf, submissionToken: t.token });
    expect(res.status).toBe(303);
    const [deal] = dealsNamed(h, 'Hooli Labs');
    expect(deal?.properties.get('pp_registered_partner_id')).toBe(h.ids.partners.a);
    expect(deal?.properties.get('pp_registration_submitted_by')).toBe(`contact:${h.ids.contacts.alice}`);
  });

  it('a partner manager approves it through the card backend: the portal shows it protected and the partner is mailed', async () => {
    const res = await submit();
    const dealId = /(\d+)$/.exec(res.headers.location as string)![1]!;
    const card = await h.cardGet(`/api/cards/deals/${dealId}`);
    const approve = await h.cardPost(`/api/cards/deals/${dealId}/registration`, { action: 'approve', expectedVersion: card.body.registrationVersion }, MANAGER);
    expect(approve.status).toBe(200);
    h.pc.cache.forget('');
    const page = await alice.get(`/portal/referrals/${dealId}`);
    expect(page.text).toContain('<span class="badge s-protected">protected</span>');
    expect(page.text).toContain('until 2027-05-19 · 180 days left');
    const mail = await h.rt.mailer.outbox();
    expect(mail.map((m) => [m.to, m.subject])).toEqual([['alice@beacon.example', 'Registration approved: Hooli Labs — referral from Beacon Advisors']]);
    expect(mail[0]!.text).toContain('protected for you until 2027-05-19');
  });
});
