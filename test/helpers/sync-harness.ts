/**
 * The real receiver and real BullMQ workers on the machine's Redis (own key prefix), talking to HubSpot
 * through nock. What a test posts goes through signature check, intake, queue, worker, engine and write-back.
 */
import type { Express } from 'express';
import request from 'supertest';
import { loadEnv } from '../../src/config/env.js';
import { buildProgramConfig } from '../../src/config/program.js';
import { silentLogger } from '../../src/logger.js';
import { waitUntilIdle } from '../../src/queue/idle.js';
import { createWebhookIntake } from '../../src/queue/intake.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createApp } from '../../src/server/app.js';
import { startWorkers, type StartWorkersOptions, type Workers } from '../../workers/main.js';
import { TEST_APP_ID, TEST_PORTAL_ID, TEST_SECRET, signedHeaders } from './hubspot-events.js';
import { HUBSPOT_BASE } from './nock-portal.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix } from './redis.js';

export const PUBLIC_BASE_URL = 'https://pp.example.com';

export interface SyncHarness {
  rt: Runtime;
  app: Express;
  workers: Workers | null;
  prefix: string;
  postWebhook(events: unknown[]): Promise<request.Response>;
  startWorkers(opts?: StartWorkersOptions): Promise<Workers>;
  waitForIdle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSyncHarness(
  opts: {
    debounceMs?: number;
    concurrency?: number;
    program?: Record<string, unknown>;
    workers?: boolean;
    env?: Record<string, string>;
    /** Another HubSpot than nock's host (the sandbox portal): its URL and token. */
    hubspot?: { basePath: string; accessToken: string };
    /** The runtime's clock (default the real one). */
    clock?: () => number;
  } = {},
): Promise<SyncHarness> {
  const prefix = testPrefix('sync');
  const env = loadEnv({
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    HUBSPOT_API_BASE_URL: HUBSPOT_BASE,
    HUBSPOT_ACCESS_TOKEN: 'test-token',
    HUBSPOT_CLIENT_SECRET: TEST_SECRET,
    HUBSPOT_APP_ID: String(TEST_APP_ID),
    HUBSPOT_PORTAL_ID: String(TEST_PORTAL_ID),
    PUBLIC_BASE_URL,
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  const program = buildProgramConfig({ sync: { debounceMs: opts.debounceMs ?? 50 }, ...opts.program });
  const rt = createRuntime({
    env,
    program,
    logger: silentLogger,
    hubspot: opts.hubspot ?? { accessToken: 'test-token', basePath: HUBSPOT_BASE },
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const app = createApp({
    logger: silentLogger,
    signature: { clientSecret: TEST_SECRET, publicBaseUrl: PUBLIC_BASE_URL, toleranceMs: 300_000, clock: Date.now },
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
  });

  const harness: SyncHarness = {
    rt,
    app,
    workers: null,
    prefix,
    postWebhook(events) {
      const raw = JSON.stringify(events);
      return request(app)
        .post('/webhooks/hubspot')
        .set(signedHeaders(`${PUBLIC_BASE_URL}/webhooks/hubspot`, raw, Date.now()))
        .send(raw);
    },
    async startWorkers(wopts) {
      harness.workers = await startWorkers(rt, { schedules: false, concurrency: opts.concurrency ?? 50, ...wopts });
      return harness.workers;
    },
    waitForIdle(timeoutMs = 20_000) {
      return waitUntilIdle({ queues: [rt.queues.sync], timeoutMs });
    },
    async close() {
      await harness.workers?.close();
      await deleteKeys(rt.producerRedis, prefix).catch(() => undefined);
      await rt.close();
    },
  };
  if (opts.workers !== false) await harness.startWorkers();
  return harness;
}
