import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedis } from '../../../src/queue/connections.js';
import { createWebhookIntake, type WebhookIntake } from '../../../src/queue/intake.js';
import { SYNC_QUEUE } from '../../../src/queue/job-data.js';
import { createApp } from '../../../src/server/app.js';
import { silentLogger } from '../../../src/logger.js';
import {
  TEST_APP_ID,
  TEST_PORTAL_ID,
  TEST_SECRET,
  companyPropertyChange,
  dealAssociationChange,
  dealPropertyChange,
  signedHeaders,
} from '../../helpers/hubspot-events.js';
import { deleteKeys, testPrefix, testRedis } from '../../helpers/redis.js';

const PUBLIC = 'https://pp.example.com';
const URI = `${PUBLIC}/webhooks/hubspot`;
const NOW = 1_764_000_000_000;

let redis: Redis;
let queue: Queue;
let prefix: string;
/** Every intake built by this file's apps: jobs are read once their pumps have caught up. */
let intakes: WebhookIntake[] = [];

function buildApp(intakeRedis: Redis = redis, intakeQueue: Queue = queue) {
  const intake = createWebhookIntake({
    redis: intakeRedis,
    queue: intakeQueue,
    prefix,
    filter: { appId: String(TEST_APP_ID), portalId: String(TEST_PORTAL_ID) },
    debounceMs: 60_000,
    eventDedupeHours: 72,
  });
  intakes.push(intake);
  return createApp({
    logger: silentLogger,
    signature: { clientSecret: TEST_SECRET, publicBaseUrl: PUBLIC, toleranceMs: 300_000, clock: () => NOW },
    webhookMaxBodyBytes: 32_768,
    intake,
    readiness: async () => ({ redis: true }),
  });
}

async function post(body: unknown, headers?: Record<string, string>) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return request(buildApp())
    .post('/webhooks/hubspot')
    .set(headers ?? signedHeaders(URI, raw, NOW))
    .send(raw);
}

async function queuedJobs() {
  await Promise.all(intakes.map((i) => i.settled()));
  return queue.getJobs(['delayed', 'waiting', 'active']);
}

beforeAll(() => {
  redis = testRedis();
});
beforeEach(async () => {
  prefix = testPrefix('webhooks');
  intakes = [];
  queue = new Queue(SYNC_QUEUE, { connection: redis, prefix });
});
afterAll(async () => {
  await deleteKeys(redis, 'test-webhooks-');
  await queue.close();
  redis.disconnect();
});

describe('POST /webhooks/hubspot', () => {
  it('a signed batch becomes one delayed recompute per record, and answers 200 once Redis holds it', async () => {
    const batch = [
      dealPropertyChange(101, 'amount', '300000'),
      dealPropertyChange(101, 'dealstage', 'closedwon'),
      dealAssociationChange(102, 9001),
      companyPropertyChange(9001, 'pp_consultant_count', '55'),
    ];
    const res = await post(batch);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 4, accepted: 4, duplicates: 0, ignored: 0, targets: 3 });
    const jobs = await queuedJobs();
    expect(jobs.map((j) => `${j.name} ${JSON.stringify(j.data)}`).sort()).toEqual([
      'recompute-company {"companyId":"9001","reason":"webhook"}',
      'recompute-deal {"dealId":"101","reason":"webhook"}',
      'recompute-deal {"dealId":"102","reason":"webhook"}',
    ]);
  });

  it('the same batch delivered again enqueues nothing new (eventId processed once)', async () => {
    const batch = [dealPropertyChange(201, 'amount', '1')];
    expect((await post(batch)).body.accepted).toBe(1);
    const again = await post(batch);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await queuedJobs()).toHaveLength(1);
  });

  it('50 changes to one deal cost one recompute job', async () => {
    const batch = Array.from({ length: 50 }, (_, i) => dealPropertyChange(301, 'amount', String(i)));
    expect((await post(batch)).body.accepted).toBe(50);
    expect(await queuedJobs()).toHaveLength(1);
  });

  it.each([
    ['an output property written by the app', dealPropertyChange(401, 'pp_commission_total', '45000')],
    [
      'an input written by this app (INTEGRATION from our appId)',
      dealPropertyChange(401, 'pp_registration_status', 'approved', { changeSource: 'INTEGRATION', sourceId: String(TEST_APP_ID) }),
    ],
    ['a property that is not a program input', dealPropertyChange(401, 'description', 'x')],
    ['another portal', dealPropertyChange(401, 'amount', '1', { portalId: 999 })],
    ['another app', dealPropertyChange(401, 'amount', '1', { appId: 777 })],
    ['a company output', companyPropertyChange(9002, 'pp_referral_tier', 'tier_1')],
  ])('ignores %s: no job', async (_label, event) => {
    const res = await post([event]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ignored: 1, accepted: 0 });
    expect(await queuedJobs()).toHaveLength(0);
  });

  it('forged signature → 401, nothing enqueued', async () => {
    const raw = JSON.stringify([dealPropertyChange(501, 'amount', '1')]);
    const res = await post(raw, signedHeaders(URI, raw, NOW, 'not-the-secret'));
    expect(res.status).toBe(401);
    expect(await queuedJobs()).toHaveLength(0);
  });

  it('stale timestamp (older than 5 minutes) → 401, nothing enqueued', async () => {
    const raw = JSON.stringify([dealPropertyChange(502, 'amount', '1')]);
    const res = await post(raw, signedHeaders(URI, raw, NOW - 300_001));
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/older than 5 minutes/);
    expect(await queuedJobs()).toHaveLength(0);
  });

  it('a signature over another URI (proxy rewrote the host) → 401', async () => {
    const raw = JSON.stringify([dealPropertyChange(503, 'amount', '1')]);
    const res = await post(raw, signedHeaders('http://internal:3000/webhooks/hubspot', raw, NOW));
    expect(res.status).toBe(401);
  });

  it.each([
    ['not JSON', '{not json'],
    ['not an array', JSON.stringify({ eventId: 1 })],
    ['events without the required fields', JSON.stringify([{ eventId: 1, objectId: 'x' }])],
  ])('malformed body (%s) → 400, nothing enqueued', async (_label, raw) => {
    const res = await post(raw);
    expect(res.status).toBe(400);
    expect(await queuedJobs()).toHaveLength(0);
  });

  it('oversized body → 413, nothing enqueued', async () => {
    const batch = Array.from({ length: 200 }, (_, i) => dealPropertyChange(600 + i, 'amount', String(i)));
    const res = await post(batch);
    expect(res.status).toBe(413);
    expect(await queuedJobs()).toHaveLength(0);
  });

  it('Redis down → 503 so HubSpot retries, and the retry is not taken for a duplicate', async () => {
    const dead = createRedis('redis://127.0.0.1:6399', 'producer', { lazyConnect: true, retryStrategy: () => null });
    dead.on('error', () => {});
    const deadQueue = new Queue(SYNC_QUEUE, { connection: dead, prefix });
    deadQueue.on('error', () => {});
    const raw = JSON.stringify([dealPropertyChange(701, 'amount', '1')]);
    const res = await request(buildApp(dead, deadQueue))
      .post('/webhooks/hubspot')
      .set(signedHeaders(URI, raw, NOW))
      .send(raw);
    expect(res.status).toBe(503);
    dead.disconnect();
    const retry = await post(raw);
    expect(retry.body).toMatchObject({ accepted: 1, duplicates: 0 });
  });
});

describe('health', () => {
  it('GET /healthz answers while the process is up', async () => {
    const res = await request(buildApp()).get('/healthz');
    expect(res.status).toBe(200);
  });
});
