/**
 * Attack (issue 11, item 7): one user spends the HubSpot budget. A rep's script replays signed card requests
 * as fast as it can; every one would read HubSpot, and the workers share that budget. Past the per-user budget
 * the card answers 429 with Retry-After, without a HubSpot call, while another user is still served. And
 * /metrics is not open to anyone who finds the receiver: it needs the admin credential.
 */
import nock from 'nock';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { createApp } from '../../src/server/app.js';
import { opsRoutes } from '../../src/server/routes/ops.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix, testRedis } from '../helpers/redis.js';
import { USERS, startCardHarness, type CardHarness } from '../server/cards/card-harness.js';

let h: CardHarness | null = null;
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('card reads are limited per user', () => {
  it('past 3 requests in the window a rep gets 429, and the manager is still served', async () => {
    h = await startCardHarness({ deps: { budget: { max: 3, windowMs: 60_000 } } });
    const path = `/api/cards/deals/${h.ids.deals.acmeRollout}`;
    for (let i = 0; i < 3; i++) expect((await h.get(path, { userId: USERS.rep })).status).toBe(200);
    const refused = await h.get(path, { userId: USERS.rep });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await h.get(path, { userId: USERS.manager })).status).toBe(200);
  });
});

describe('/metrics', () => {
  it.each([
    { label: 'without ADMIN_TOKEN it is off (404)', token: undefined, auth: undefined, status: 404 },
    { label: 'without the credential: 401', token: 'x'.repeat(32), auth: undefined, status: 401 },
    { label: 'with the credential: 200', token: 'x'.repeat(32), auth: `Bearer ${'x'.repeat(32)}`, status: 200 },
  ])('$label', async ({ token, auth, status }) => {
    const prefix = testPrefix('metrics');
    const env = loadEnv({ REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', ...(token ? { ADMIN_TOKEN: token } : {}) });
    const rt = createRuntime({ env, program: buildProgramConfig({}), logger: silentLogger, hubspot: { accessToken: 't', basePath: 'http://127.0.0.1:9' } });
    try {
      const app = createApp({
        logger: silentLogger,
        signature: { clientSecret: 's', publicBaseUrl: 'http://localhost', toleranceMs: 300_000, clock: Date.now },
        webhookMaxBodyBytes: 1024,
        intake: { accept: async () => ({ received: 0, accepted: 0, duplicates: 0, ignored: 0, targets: 0 }) },
        readiness: async () => ({ redis: true }),
        routers: [opsRoutes(rt)],
      });
      const req = request(app).get('/metrics');
      const res = await (auth ? req.set('authorization', auth) : req);
      expect(res.status).toBe(status);
    } finally {
      await rt.close();
      const redis = testRedis();
      await deleteKeys(redis, prefix).finally(() => redis.disconnect());
    }
  });
});
