/**
 * The payout features against the sandbox portal (a stateful HubSpot-shaped API: deals, companies, labelled
 * associations, the `pp_payout` custom object, search, notes, workflow callbacks), with the real runtime,
 * receiver and BullMQ workers on the machine's Redis (own key prefix). Every request the app sends to the
 * sandbox is recorded with its body, so a test can assert the exact payload HubSpot would receive.
 */
import { waitUntilIdle } from '../../../src/queue/idle.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import request from 'supertest';
import { loadEnv } from '../../../src/config/env.js';
import { buildProgramConfig } from '../../../src/config/program.js';
import type { PayoutRecord } from '../../../src/engine/types.js';
import { toPayoutRecord } from '../../../src/hubspot/mappers.js';
import { silentLogger } from '../../../src/logger.js';
import { createWebhookIntake } from '../../../src/queue/intake.js';
import { createRuntime, type Runtime } from '../../../src/runtime.js';
import { createApp } from '../../../src/server/app.js';
import { payoutsExportRoutes } from '../../../src/server/routes/payouts-export.js';
import { workflowActionRoutes } from '../../../src/server/routes/workflow-actions.js';
import { expiryMaintenanceHandlers } from '../../../workers/processors/expiry.js';
import { exportPayouts } from '../../../src/services/export-payouts.js';
import { retentionMaintenanceHandlers } from '../../../workers/processors/retention.js';
import { completeWorkflowAction } from '../../../src/services/complete-workflow-action.js';
import { createSandboxApi, type SandboxApi } from '../../../sandbox/api/server.js';
import type { PortalSession, StoredRecord } from '../../../sandbox/api/store.js';
import { ensureAppContract, type AppContractIds } from '../../../sandbox/contract.js';
import { startWorkers, type Workers } from '../../../workers/main.js';
import { TEST_APP_ID, TEST_PORTAL_ID, TEST_SECRET, signedHeaders } from '../../helpers/hubspot-events.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from '../../helpers/redis.js';

export const PUBLIC_BASE_URL = 'https://pp.example.com';
export const SANDBOX_TOKEN = 'payouts-sandbox-token';
export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface PayoutsPortal {
  rt: Runtime;
  app: Express;
  api: SandboxApi;
  contract: AppContractIds;
  prefix: string;
  /** Writes made by a person in the CRM (the sandbox user 'rep'). */
  user: PortalSession;
  /** Every request the app made to the sandbox, in order. */
  requests: RecordedRequest[];
  requestsTo(method: string, pathPattern: RegExp): RecordedRequest[];
  /** The runtime's clock (ms); `setNow` moves it. */
  now(): number;
  setNow(ms: number): void;
  workers: Workers | null;
  startWorkers(): Promise<Workers>;
  postWebhook(events: unknown[]): Promise<request.Response>;
  /** Every `pp_payout` record of the portal as engine data, sorted by key. */
  payouts(): PayoutRecord[];
  payoutRecord(key: string): StoredRecord | undefined;
  deal(id: string): Record<string, string>;
  notesOn(dealId: string): string[];
  waitForIdle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface PayoutsPortalOptions {
  /** Program configuration overrides. */
  program?: Record<string, unknown>;
  /** The runtime clock's start (default: the real clock, moving). */
  now?: number;
  workers?: boolean;
  /** The workflow action route's wait before BLOCK. */
  actionWaitMs?: number;
}

export async function startPayoutsPortal(opts: PayoutsPortalOptions = {}): Promise<PayoutsPortal> {
  const api = createSandboxApi({ accessToken: SANDBOX_TOKEN, portalId: TEST_PORTAL_ID, appId: TEST_APP_ID });
  const contract = ensureAppContract(api.store);
  const requests: RecordedRequest[] = [];
  const front = express();
  front.use(express.json({ limit: '10mb' }), (req, _res, next) => {
    requests.push({ method: req.method, path: req.path, body: req.body });
    next();
  });
  front.use(api.app);
  const server: Server = await new Promise((resolve) => {
    const s = front.listen(0, '127.0.0.1', () => resolve(s));
  });
  const basePath = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let fixed = opts.now;
  const clock = () => fixed ?? Date.now();
  const prefix = testPrefix('payouts');
  const env = loadEnv({
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    HUBSPOT_API_BASE_URL: basePath,
    HUBSPOT_ACCESS_TOKEN: SANDBOX_TOKEN,
    HUBSPOT_CLIENT_SECRET: TEST_SECRET,
    HUBSPOT_APP_ID: String(TEST_APP_ID),
    HUBSPOT_PORTAL_ID: String(TEST_PORTAL_ID),
    PUBLIC_BASE_URL,
    ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
  });
  const program = buildProgramConfig({ sync: { debounceMs: 50 }, ...opts.program });
  const rt = createRuntime({ env, program, logger: silentLogger, hubspot: { accessToken: SANDBOX_TOKEN, basePath }, clock });
  // The receiver's connection fails fast instead of queueing commands: let it connect before the first request.
  if (rt.producerRedis.status !== 'ready') await new Promise((resolve) => rt.producerRedis.once('ready', resolve));
  const signature = { clientSecret: TEST_SECRET, publicBaseUrl: PUBLIC_BASE_URL, toleranceMs: 300_000, clock: Date.now };
  const app = createApp({
    logger: silentLogger,
    signature,
    webhookMaxBodyBytes: env.WEBHOOK_MAX_BODY_BYTES,
    intake: createWebhookIntake({
      redis: rt.producerRedis,
      queue: rt.queues.sync,
      prefix,
      filter: { appId: env.HUBSPOT_APP_ID, portalId: env.HUBSPOT_PORTAL_ID },
      debounceMs: program.config.sync.debounceMs,
      eventDedupeHours: program.config.sync.eventDedupeHours,
    }),
    readiness: async () => ({ redis: true }),
    routers: [
      workflowActionRoutes({
        signature,
        redis: rt.producerRedis,
        queue: rt.queues.sync,
        prefix,
        logger: silentLogger,
        ...(opts.actionWaitMs !== undefined ? { waitMs: opts.actionWaitMs } : {}),
      }),
      payoutsExportRoutes({
        signature,
        adminToken: ADMIN_TOKEN,
        mayExport: async () => false,
        exportPayouts: (query) => exportPayouts(rt.ctx, query),
        logger: silentLogger,
      }),
    ],
  });

  const user = api.store.actAsUser('71000002');
  const portal: PayoutsPortal = {
    rt,
    app,
    api,
    contract,
    prefix,
    user,
    requests,
    requestsTo: (method, pattern) => requests.filter((r) => r.method === method && pattern.test(r.path)),
    now: clock,
    setNow(ms) {
      fixed = ms;
    },
    workers: null,
    async startWorkers() {
      portal.workers = await startWorkers(rt, {
        schedules: false,
        concurrency: 20,
        completeWorkflowAction,
        maintenanceHandlers: { ...expiryMaintenanceHandlers, ...retentionMaintenanceHandlers },
      });
      return portal.workers;
    },
    postWebhook(events) {
      const raw = JSON.stringify(events);
      return request(app)
        .post('/webhooks/hubspot')
        .set(signedHeaders(`${PUBLIC_BASE_URL}/webhooks/hubspot`, raw, Date.now()))
        .send(raw);
    },
    payouts() {
      return api.store
        .listRecords('pp_payout')
        .map((r) => toPayoutRecord(Object.fromEntries(r.properties)))
        .filter((r): r is PayoutRecord => r !== null)
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    payoutRecord: (key) => api.store.findRecord('pp_payout', key, 'pp_payout_key'),
    deal: (id) => Object.fromEntries(api.store.getRecord('deals', id).properties),
    notesOn(dealId) {
      const noteIds = new Set(api.store.associationsOf('deals', dealId, 'notes').map((a) => a.toObjectId));
      return api.store
        .listRecords('notes')
        .filter((n) => noteIds.has(n.id))
        .map((n) => n.properties.get('hs_note_body') ?? '');
    },
    waitForIdle(timeoutMs = 20_000) {
      return waitUntilIdle({ queues: [rt.queues.sync], queuesExceptDelayed: [rt.queues.maintenance], timeoutMs, pollMs: 50 });
    },
    async close() {
      await portal.workers?.close();
      await deleteKeys(rt.producerRedis, prefix).catch(() => undefined);
      await rt.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.emitter.close();
    },
  };
  if (opts.workers !== false) await portal.startWorkers();
  return portal;
}

export interface PartnerInput {
  name: string;
  type: string;
  consultants?: number;
  salesVolume?: number;
  agreement?: boolean;
  baa?: boolean;
}

/** A partner company as a partner manager would set it up. */
export function createPartner(p: PayoutsPortal, input: PartnerInput): string {
  return p.user.createCompany({
    name: input.name,
    pp_partner_type: input.type,
    ...(input.consultants !== undefined ? { pp_consultant_count: String(input.consultants) } : {}),
    ...(input.salesVolume !== undefined ? { pp_annual_sales_volume_potential: String(input.salesVolume) } : {}),
    pp_agreement_signed: String(input.agreement ?? true),
    pp_baa_signed: String(input.baa ?? false),
  }).id;
}

export function createCustomer(p: PayoutsPortal, name: string, lifecyclestage = 'customer'): string {
  return p.user.createCompany({ name, lifecyclestage }).id;
}

export interface DealInput {
  name: string;
  amount: number;
  stage: string;
  currency?: string;
  referralKind?: string;
  closedate?: number;
  createdate?: number;
  customerId: string;
  partners: { id: string; roles: string[] }[];
  extra?: Record<string, string>;
}

export function createDeal(p: PayoutsPortal, input: DealInput): string {
  const deal = p.user.createDeal({
    dealname: input.name,
    amount: String(input.amount),
    dealstage: input.stage,
    pipeline: 'default',
    deal_currency_code: input.currency ?? 'USD',
    ...(input.referralKind ? { pp_referral_kind: input.referralKind } : {}),
    ...(input.closedate !== undefined ? { closedate: new Date(input.closedate).toISOString() } : {}),
    ...(input.createdate !== undefined ? { createdate: new Date(input.createdate).toISOString() } : {}),
    ...input.extra,
  });
  p.user.associateDealCompany(deal.id, input.customerId, { primary: true });
  for (const partner of input.partners) p.user.associateDealCompany(deal.id, partner.id, { roles: partner.roles });
  return deal.id;
}
