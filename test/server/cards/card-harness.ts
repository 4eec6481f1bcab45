/**
 * The card backend against the sandbox portal: the real router (signature check, identity, services) on the
 * real runtime (Redis with a test prefix, the HubSpot client pointed at a local, stateful HubSpot), and a
 * small portal of partners, customers, deals and users. Requests are signed with `signHubSpotRequest`, the
 * code the server verifies with.
 */
import express, { type Express } from 'express';
import request from 'supertest';
import { loadEnv } from '../../../src/config/env.js';
import { buildProgramConfig } from '../../../src/config/program.js';
import { silentLogger } from '../../../src/logger.js';
import { createRuntime, type Runtime } from '../../../src/runtime.js';
import { cardRoutes, type CardRouteDeps } from '../../../src/server/cards/routes.js';
import { errorHandler } from '../../../src/server/middleware/errors.js';
import { signHubSpotRequest } from '../../../src/server/verify-hubspot-request.js';
import { startSandboxApi, type RunningSandboxApi } from '../../../sandbox/api/server.js';
import type { PortalSession, PropertyInput, SandboxStore, StoreChange } from '../../../sandbox/api/store.js';
import { ensureAppContract } from '../../../sandbox/contract.js';
import { sealDealRegistration } from '../../../sandbox/seal.js';
import { TEST_SECRET } from '../../helpers/hubspot-events.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix, testRedis } from '../../helpers/redis.js';

/** 2026-11-20T12:00:00Z, in 2026-Q4: every clock of the harness (runtime, signatures, sandbox) reads this. */
export const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
export const DAY = 86_400_000;
export const PUBLIC_BASE_URL = 'https://pp.example.com';
export const PORTAL_ID = '4242';
const TOKEN = 'card-harness-token';

export const USERS = {
  /** Listed by user id in partnerManagers.userIds. */
  manager: '9100001',
  /** A partner manager only through a secondary team listed in partnerManagers.teamIds. */
  teamManager: '9100002',
  /** A sales rep: may register, may not decide. */
  rep: '9100003',
} as const;
export const TEAMS = { partnerManagers: '7100001', sales: '7100002' } as const;

export interface SeededPortal {
  customers: { acme: string; globex: string };
  partners: { beacon: string; cedar: string; stackline: string; newcomer: string };
  deals: {
    /** Acme, Beacon (consultant tier_2) referral partner, $300,000, no registration. */
    acmeRollout: string;
    /** Acme, Cedar (consultant tier_1) referral partner, approved 10 days ago: protects Acme. */
    acmeExpansion: string;
    /** Globex, Beacon referral partner + Stackline finder, $400,000, Beacon's registration pending. */
    globexPlatform: string;
    /** Globex, Newcomer (no agreement) referral partner, closed-won. */
    globexWon: string;
  };
}

export interface RequestOptions {
  userId?: string | null;
  portalId?: string | null;
  /** Sign as of this instant (default NOW). */
  signedAt?: number;
  secret?: string;
  /** Query parameter names HubSpot might use instead (e.g. `user_id`). */
  userParam?: string;
  portalParam?: string;
}

export interface CardHarness {
  api: RunningSandboxApi;
  store: SandboxStore;
  rep: PortalSession;
  rt: Runtime;
  app: Express;
  ids: SeededPortal;
  /** Property writes the app made to deals (integration actor), in order. */
  dealWrites(): { dealId: string; propertyName: string; propertyValue: string }[];
  /** Note bodies on a deal's timeline, oldest first. */
  notesOn(dealId: string): string[];
  /** Deal ids with a recompute job waiting in the sync queue. */
  queuedDealRecomputes(): Promise<string[]>;
  deal(dealId: string): Record<string, string>;
  /** Registration values the app itself wrote (as the integration, then sealed as the app seals them). */
  appWroteRegistration(dealId: string, properties: Record<string, string>): void;
  get(path: string, opts?: RequestOptions): Promise<request.Response>;
  post(path: string, body: unknown, opts?: RequestOptions): Promise<request.Response>;
  close(): Promise<void>;
}

export function pathWithIdentity(path: string, opts: RequestOptions = {}): string {
  const params = new URLSearchParams();
  const userId = opts.userId === undefined ? USERS.manager : opts.userId;
  const portalId = opts.portalId === undefined ? PORTAL_ID : opts.portalId;
  if (userId !== null) params.set(opts.userParam ?? 'userId', userId);
  if (portalId !== null) params.set(opts.portalParam ?? 'portalId', portalId);
  const query = params.toString();
  return query === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${query}`;
}

export async function startCardHarness(
  opts: { program?: Record<string, unknown>; env?: Record<string, string>; deps?: Partial<CardRouteDeps> } = {},
): Promise<CardHarness> {
  const api = await startSandboxApi({ accessToken: TOKEN, portalId: Number(PORTAL_ID), now: () => NOW });
  const store = api.store;
  ensureAppContract(store);
  const ids = seed(store);
  // The seeded registrations are the app's own (as if it had written them): sealed like the app seals them.
  for (const dealId of [ids.deals.acmeExpansion, ids.deals.globexPlatform]) sealDealRegistration(store, dealId, TEST_SECRET);

  const prefix = testPrefix('cards');
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
  const program = buildProgramConfig({
    partnerManagers: { userIds: [USERS.manager], teamIds: [TEAMS.partnerManagers] },
    ...opts.program,
  });
  const rt = createRuntime({ env, program, logger: silentLogger, hubspot: { accessToken: TOKEN, basePath: api.url }, clock: () => NOW });
  // The queues connect in the background; closing before they are ready leaves BullMQ rejecting on its own.
  await Promise.all([rt.queues.sync.waitUntilReady(), rt.queues.maintenance.waitUntilReady()]);
  const app = express();
  app.use(
    cardRoutes(rt, {
      signature: { clientSecret: TEST_SECRET, publicBaseUrl: PUBLIC_BASE_URL, toleranceMs: 300_000, clock: () => NOW },
      ...opts.deps,
    }),
  );
  app.use(errorHandler(silentLogger));

  const changes: StoreChange[] = [];
  const stopListening = store.onChange((c) => changes.push(c));

  const signed = (method: 'GET' | 'POST', path: string, raw: string, o: RequestOptions = {}) => {
    const full = pathWithIdentity(path, o);
    const headers = signHubSpotRequest({
      method,
      uri: `${PUBLIC_BASE_URL}${full}`,
      rawBody: raw,
      secret: o.secret ?? TEST_SECRET,
      timestamp: o.signedAt ?? NOW,
    });
    return { full, headers };
  };

  return {
    api,
    store,
    rep: store.actAsUser(USERS.rep),
    rt,
    app,
    ids,
    dealWrites: () =>
      changes.flatMap((c) =>
        c.kind === 'propertyChange' && c.objectTypeId === '0-3' && c.actor.changeSource === 'INTEGRATION'
          ? [{ dealId: c.objectId, propertyName: c.propertyName, propertyValue: c.propertyValue }]
          : [],
      ),
    notesOn(dealId) {
      return store
        .associationsOf('deals', dealId, 'notes')
        .map((a) => store.getRecord('notes', a.toObjectId))
        .sort((a, b) => a.createdAt - b.createdAt || Number(a.id) - Number(b.id))
        .map((n) => n.properties.get('hs_note_body') ?? '');
    },
    async queuedDealRecomputes() {
      const jobs = await rt.queues.sync.getJobs(['delayed', 'waiting']);
      return jobs.flatMap((j) => (typeof j.data?.dealId === 'string' ? [j.data.dealId as string] : [])).sort();
    },
    deal(dealId) {
      return Object.fromEntries(store.getRecord('deals', dealId).properties);
    },
    appWroteRegistration(dealId, properties) {
      store.asIntegration().updateDeal(dealId, properties);
      sealDealRegistration(store, dealId, TEST_SECRET);
    },
    get(path, o) {
      const { full, headers } = signed('GET', path, '', o);
      return request(app).get(full).set(headers);
    },
    post(path, body, o) {
      const raw = JSON.stringify(body);
      const { full, headers } = signed('POST', path, raw, o);
      return request(app)
        .post(full)
        .set({ ...headers, 'content-type': 'application/json' })
        .send(raw);
    },
    async close() {
      stopListening();
      await rt.close();
      await api.close();
      // After the queues closed: BullMQ may still write its meta keys while closing.
      const redis = testRedis();
      await deleteKeys(redis, prefix).finally(() => redis.disconnect());
    },
  };
}

function seed(store: SandboxStore): SeededPortal {
  store.addTeam({ id: TEAMS.partnerManagers, name: 'Partner Managers' });
  store.addTeam({ id: TEAMS.sales, name: 'Sales' });
  store.addUser({ id: USERS.manager, email: 'pat@example.com', firstName: 'Pat', lastName: 'Morgan', primaryTeamId: TEAMS.sales });
  store.addUser({
    id: USERS.teamManager,
    email: 'jordan@example.com',
    firstName: 'Jordan',
    lastName: 'Lee',
    primaryTeamId: TEAMS.sales,
    secondaryTeamIds: [TEAMS.partnerManagers],
  });
  store.addUser({ id: USERS.rep, email: 'sam@example.com', firstName: 'Sam', lastName: 'Rivera', primaryTeamId: TEAMS.sales });

  const manager = store.actAsUser(USERS.manager);
  const rep = store.actAsUser(USERS.rep);
  const company = (props: PropertyInput) => manager.createCompany(props).id;
  const customers = {
    acme: company({ name: 'Acme Manufacturing', lifecyclestage: 'customer' }),
    globex: company({ name: 'Globex Retail', lifecyclestage: 'customer' }),
  };
  const partners = {
    beacon: company({ name: 'Beacon Advisors', pp_partner_type: 'consultant', pp_consultant_count: '20', pp_agreement_signed: 'true' }),
    cedar: company({ name: 'Cedar Consulting', pp_partner_type: 'consultant', pp_consultant_count: '60', pp_agreement_signed: 'true' }),
    stackline: company({
      name: 'Stackline Software',
      pp_partner_type: 'technology',
      pp_annual_sales_volume_potential: '2000000',
      pp_agreement_signed: 'true',
    }),
    newcomer: company({ name: 'Newcomer Partners', pp_partner_type: 'technology', pp_agreement_signed: 'false' }),
  };

  const deal = (props: PropertyInput, customer: string, links: [string, string[]][]) => {
    const d = rep.createDeal({
      pipeline: 'default',
      deal_currency_code: 'USD',
      createdate: String(NOW - 5 * DAY),
      closedate: String(NOW + 40 * DAY),
      ...props,
    });
    rep.associateDealCompany(d.id, customer, { primary: true });
    for (const [partner, roles] of links) rep.associateDealCompany(d.id, partner, { roles });
    return d.id;
  };
  const acmeExpansion = deal(
    {
      dealname: 'Acme expansion',
      amount: '700000',
      dealstage: 'qualifiedtobuy',
      pp_registration_status: 'approved',
      pp_registered_partner_id: partners.cedar,
      pp_registration_submitted_at: String(NOW - 12 * DAY),
      pp_registration_submitted_by: USERS.rep,
      pp_registration_decided_at: String(NOW - 10 * DAY),
      pp_registration_decided_by: USERS.manager,
      pp_protection_expires_at: String(NOW + 170 * DAY),
    },
    customers.acme,
    [[partners.cedar, ['pp_referral_partner']]],
  );
  const acmeRollout = deal({ dealname: 'Acme rollout', amount: '300000', dealstage: 'appointmentscheduled' }, customers.acme, [
    [partners.beacon, ['pp_referral_partner']],
  ]);
  const globexPlatform = deal(
    {
      dealname: 'Globex platform',
      amount: '400000',
      dealstage: 'contractsent',
      pp_registration_status: 'pending',
      pp_registered_partner_id: partners.beacon,
      pp_registration_submitted_at: String(NOW - 2 * DAY),
      pp_registration_submitted_by: USERS.rep,
    },
    customers.globex,
    [
      [partners.beacon, ['pp_referral_partner']],
      [partners.stackline, ['pp_finder']],
    ],
  );
  const globexWon = deal(
    { dealname: 'Globex analytics', amount: '50000', dealstage: 'closedwon', closedate: String(NOW - DAY), pp_referral_kind: 'software_integration' },
    customers.globex,
    [[partners.newcomer, ['pp_referral_partner']]],
  );
  return { customers, partners, deals: { acmeRollout, acmeExpansion, globexPlatform, globexWon } };
}
