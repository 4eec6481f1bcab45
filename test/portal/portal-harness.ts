/**
 * The partner portal against the sandbox portal: the real app (portal pages, the portal's card routes, the
 * card backend) on the real runtime (Redis with a test prefix, the HubSpot clients pointed at a local,
 * stateful HubSpot) with a clock the test moves. Two partners, A (Beacon Advisors) and B (Cedar Consulting),
 * each with deals and payouts, and contacts in every access situation.
 */
import type { Express } from 'express';
import request from 'supertest';
import { loadEnv } from '../../src/config/env.js';
import { buildProgramConfig } from '../../src/config/program.js';
import { silentLogger } from '../../src/logger.js';
import { createPortalContext, portalRoutes } from '../../src/portal/routes.js';
import { portalCardRoutes } from '../../src/portal/card-routes.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createApp } from '../../src/server/app.js';
import { cardRoutes } from '../../src/server/cards/routes.js';
import type { PortalContext } from '../../src/services/portal/portal-context.js';
import { issueSignInLink } from '../../src/services/portal/sign-in-links.js';
import { recordPortalGrant } from '../../src/services/portal/portal-access.js';
import { signHubSpotRequest } from '../../src/server/verify-hubspot-request.js';
import { startSandboxApi, type RunningSandboxApi } from '../../sandbox/api/server.js';
import type { PropertyInput, SandboxStore } from '../../sandbox/api/store.js';
import { ensureAppContract } from '../../sandbox/contract.js';
import { TEST_SECRET } from '../helpers/hubspot-events.js';
import { sealDealRegistration } from '../../sandbox/seal.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix, testRedis } from '../helpers/redis.js';

/** 2026-11-20T12:00:00Z, in 2026-Q4. */
export const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
export const DAY = 86_400_000;
export const MINUTE = 60_000;
export const PUBLIC_BASE_URL = 'http://localhost:3999';
export const PORTAL_ID = '4343';
const TOKEN = 'portal-harness-token';
export const MANAGER = '9200001';
export const REP = '9200002';

export interface PortalIds {
  partners: { a: string; b: string };
  contacts: { alice: string; bob: string; carol: string; dave: string; erin: string };
  customers: { acme: string; globex: string; initech: string };
  deals: { aGlobex: string; bInitech: string; bAcmeProtected: string };
  payouts: { a: string; b: string };
}

export interface PortalHarness {
  api: RunningSandboxApi;
  store: SandboxStore;
  rt: Runtime;
  pc: PortalContext;
  app: Express;
  ids: PortalIds;
  now(): number;
  setNow(ms: number): void;
  /** A signed-in agent for `contactId` (link issued directly, then used through the pages). */
  signIn(contactId: string): Promise<request.Agent>;
  /** Reads the CSRF token from a page. */
  csrf(agent: request.Agent, path?: string): Promise<string>;
  cardPost(path: string, body: unknown, userId?: string): Promise<request.Response>;
  cardGet(path: string, userId?: string): Promise<request.Response>;
  deal(dealId: string): Record<string, string>;
  close(): Promise<void>;
}

export async function startPortalHarness(opts: { env?: Record<string, string>; program?: Record<string, unknown> } = {}): Promise<PortalHarness> {
  let now = NOW;
  const clock = () => now;
  const api = await startSandboxApi({ accessToken: TOKEN, portalId: Number(PORTAL_ID), now: clock });
  const store = api.store;
  const contract = ensureAppContract(store);
  const ids = seed(store, contract.payoutObjectTypeId);

  const prefix = testPrefix('portal');
  const env = loadEnv({
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    HUBSPOT_API_BASE_URL: api.url,
    HUBSPOT_ACCESS_TOKEN: TOKEN,
    HUBSPOT_CLIENT_SECRET: TEST_SECRET,
    HUBSPOT_PORTAL_ID: PORTAL_ID,
    HUBSPOT_RATE_LIMIT_MAX: '10000',
    PUBLIC_BASE_URL,
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  const program = buildProgramConfig({ partnerManagers: { userIds: [MANAGER], teamIds: [] }, ...opts.program });
  const rt = createRuntime({ env, program, logger: silentLogger, hubspot: { accessToken: TOKEN, basePath: api.url }, clock });
  await Promise.all([rt.queues.sync.waitUntilReady(), rt.queues.maintenance.waitUntilReady()]);
  const signature = { clientSecret: TEST_SECRET, publicBaseUrl: PUBLIC_BASE_URL, toleranceMs: 300_000, clock };
  const pc = createPortalContext(rt);
  // Alice, Bob and Dave were invited by a partner manager: the app holds their grants.
  for (const id of [ids.contacts.alice, ids.contacts.bob, ids.contacts.dave]) await recordPortalGrant(pc, id);
  const app = createApp({
    logger: silentLogger,
    signature,
    webhookMaxBodyBytes: env.WEBHOOK_MAX_BODY_BYTES,
    intake: { accept: async () => ({ accepted: 0, duplicates: 0, ignored: 0 }) } as never,
    readiness: async () => ({ redis: true }),
    routers: [cardRoutes(rt, { signature }), portalCardRoutes(rt, { signature, context: pc }), portalRoutes(rt, { context: pc })],
  });

  const signedCard = (method: 'GET' | 'POST', path: string, raw: string, userId: string) => {
    const full = `${path}${path.includes('?') ? '&' : '?'}userId=${userId}&portalId=${PORTAL_ID}`;
    const headers = signHubSpotRequest({ method, uri: `${PUBLIC_BASE_URL}${full}`, rawBody: raw, secret: TEST_SECRET, timestamp: now });
    return { full, headers };
  };

  const h: PortalHarness = {
    api,
    store,
    rt,
    pc,
    app,
    ids,
    now: () => now,
    setNow(ms) {
      now = ms;
    },
    async signIn(contactId) {
      const agent = request.agent(app);
      const link = await issueSignInLink(pc, contactId, 'test');
      const path = new URL(link.url).pathname;
      const confirm = await agent.get(path);
      if (confirm.status !== 200) throw new Error(`sign-in confirm page answered ${confirm.status}: ${confirm.text.slice(0, 300)}`);
      const res = await agent
        .post(path)
        .type('form')
        .send({ _csrf: csrfOf(confirm.text) });
      if (res.status !== 303 || res.headers.location !== '/portal') throw new Error(`sign-in answered ${res.status}: ${res.text.slice(0, 400)}`);
      return agent;
    },
    async csrf(agent, path = '/portal/referrals/new') {
      const page = await agent.get(path);
      return csrfOf(page.text);
    },
    cardPost(path, body, userId = MANAGER) {
      const raw = JSON.stringify(body);
      const { full, headers } = signedCard('POST', path, raw, userId);
      return request(app)
        .post(full)
        .set({ ...headers, 'content-type': 'application/json' })
        .send(raw);
    },
    cardGet(path, userId = MANAGER) {
      const { full, headers } = signedCard('GET', path, '', userId);
      return request(app).get(full).set(headers);
    },
    deal: (dealId) => Object.fromEntries(store.getRecord('deals', dealId).properties),
    async close() {
      await rt.close();
      await api.close();
      const redis = testRedis();
      await deleteKeys(redis, prefix).finally(() => redis.disconnect());
    },
  };
  return h;
}

export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no CSRF token on the page: ${html.slice(0, 300)}`);
  return m[1]!;
}

function seed(store: SandboxStore, payoutType: string): PortalIds {
  store.addUser({ id: MANAGER, email: 'pat@example.com', firstName: 'Pat', lastName: 'Morgan' });
  store.addUser({ id: REP, email: 'sam@example.com', firstName: 'Sam', lastName: 'Rivera' });
  const crm = store.actAsUser(MANAGER);
  const company = (props: PropertyInput) => crm.createCompany(props).id;
  const partners = {
    a: company({ name: 'Beacon Advisors', domain: 'beacon.example', pp_partner_type: 'consultant', pp_consultant_count: '20', pp_agreement_signed: 'true' }),
    b: company({ name: 'Cedar Consulting', domain: 'cedar.example', pp_partner_type: 'consultant', pp_consultant_count: '60', pp_agreement_signed: 'true' }),
  };
  const customers = {
    acme: company({ name: 'Acme Manufacturing', domain: 'acme.com', lifecyclestage: 'customer' }),
    globex: company({ name: 'Globex Retail', domain: 'globex.com' }),
    initech: company({ name: 'Initech Health', domain: 'initech.com' }),
  };
  const contact = (props: PropertyInput, companies: string[]) => {
    const c = crm.createObject('contacts', props);
    for (const id of companies) crm.associate('contacts', c.id, 'companies', id, [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }]);
    return c.id;
  };
  // pp_portal_access as the app set it when a partner manager invited them (integration writes).
  const app = store.asIntegration();
  const contacts = {
    alice: contact({ email: 'alice@beacon.example', firstname: 'Alice', lastname: 'Adams' }, [partners.a]),
    bob: contact({ email: 'bob@cedar.example', firstname: 'Bob', lastname: 'Brown' }, [partners.b]),
    carol: contact({ email: 'carol@beacon.example', firstname: 'Carol', lastname: 'Clark' }, [partners.a]),
    dave: contact({ email: 'dave@both.example', firstname: 'Dave', lastname: 'Dunn' }, [partners.a, partners.b]),
    erin: contact({ email: 'erin@beacon.example', firstname: 'Erin', lastname: 'Evans' }, [partners.a]),
  };
  for (const id of [contacts.alice, contacts.bob, contacts.dave]) app.updateObject('contacts', id, { pp_portal_access: 'true' });

  const deal = (props: PropertyInput, customer: string, partner: string) => {
    const d = crm.createDeal({
      pipeline: 'default',
      deal_currency_code: 'USD',
      createdate: String(NOW - 5 * DAY),
      closedate: String(NOW + 40 * DAY),
      ...props,
    });
    crm.associateDealCompany(d.id, customer, { primary: true });
    crm.associateDealCompany(d.id, partner, { roles: ['pp_referral_partner'] });
    return d.id;
  };
  const deals = {
    aGlobex: deal({ dealname: 'Globex platform', amount: '400000', dealstage: 'contractsent' }, customers.globex, partners.a),
    bInitech: deal({ dealname: 'Initech rollout', amount: '900000', dealstage: 'qualifiedtobuy' }, customers.initech, partners.b),
    bAcmeProtected: deal(
      {
        dealname: 'Acme expansion',
        amount: '700000',
        dealstage: 'qualifiedtobuy',
        pp_registration_status: 'approved',
        pp_registered_partner_id: partners.b,
        pp_registration_submitted_at: String(NOW - 12 * DAY),
        pp_registration_submitted_by: REP,
        pp_registration_decided_at: String(NOW - 10 * DAY),
        pp_registration_decided_by: MANAGER,
        pp_protection_expires_at: String(NOW + 170 * DAY),
      },
      customers.acme,
      partners.b,
    ),
  };
  // The approved registration stands for one the app wrote: sealed as the app seals it (docs/SECURITY.md), else
  // the app would take it for typed-in values and clear it.
  sealDealRegistration(store, deals.bAcmeProtected, TEST_SECRET);
  const payout = (partnerId: string, dealId: string, amount: string, status: string, extra: PropertyInput = {}) =>
    app.createObject(payoutType, {
      pp_payout_key: `${dealId}:${partnerId}:pp_referral_partner`,
      pp_deal_id: dealId,
      pp_partner_id: partnerId,
      pp_role: 'pp_referral_partner',
      pp_amount: amount,
      pp_currency: 'USD',
      pp_status: status,
      pp_explanation: 'frozen at closed-won',
      pp_frozen_at: String(NOW - 3 * DAY),
      pp_program_version: 'abc123def456',
      ...extra,
    }).id;
  const payouts = {
    a: payout(partners.a, deals.aGlobex, '60000', 'on_hold', { pp_hold_reason: 'no signed partner agreement', pp_explanation: '=HYPERLINK("http://evil")' }),
    b: payout(partners.b, deals.bInitech, '108000', 'scheduled'),
  };
  return { partners, contacts, customers, deals, payouts };
}
