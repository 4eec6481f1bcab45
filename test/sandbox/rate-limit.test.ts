/**
 * The sandbox's burst limit as HubSpot applies it (PLATFORM.md §5): a sliding window over all calls, 429
 * with policyName TEN_SECONDLY_ROLLING and the X-HubSpot-RateLimit-* headers, and stats that count every
 * call the app made.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from '../../sandbox/api/rate-limit.js';
import { startSandboxApi, type RunningSandboxApi } from '../../sandbox/api/server.js';
import { SandboxStats } from '../../sandbox/api/stats.js';
import { createHubSpotClient } from '../../src/hubspot/client.js';
import { HubSpotRateLimitError } from '../../src/hubspot/errors.js';
import { readClosedStages } from '../../src/hubspot/pipelines.js';
import { recordingLimiter } from '../hubspot/fake-hubspot.js';

const TOKEN = 'rate-token';
let api: RunningSandboxApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

function get(url: string, path: string): Promise<Response> {
  return fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
}

describe('rate limit', () => {
  it('the call over the limit is a 429 with HubSpot\u2019s TEN_SECONDLY_ROLLING body and the rate-limit headers', async () => {
    api = await startSandboxApi({ accessToken: TOKEN, rateLimit: { max: 3, intervalMs: 10_000 } });
    const ok = [];
    for (let i = 0; i < 3; i++) ok.push(await get(api.url, '/crm/pipelines/2026-09/deals'));
    const limited = await get(api.url, '/crm/pipelines/2026-09/deals');
    const body = (await limited.json()) as Record<string, unknown>;

    expect(ok.map((r) => [r.status, r.headers.get('x-hubspot-ratelimit-remaining')])).toEqual([
      [200, '2'],
      [200, '1'],
      [200, '0'],
    ]);
    expect(limited.status).toBe(429);
    expect(body).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect({
      max: limited.headers.get('x-hubspot-ratelimit-max'),
      remaining: limited.headers.get('x-hubspot-ratelimit-remaining'),
      interval: limited.headers.get('x-hubspot-ratelimit-interval-milliseconds'),
    }).toEqual({ max: '3', remaining: '0', interval: '10000' });
    // Seconds, rounded up, until the first call leaves the window (exact arithmetic: the unit tests below).
    expect(limited.headers.get('retry-after')).toMatch(/^(9|10)$/);
  });

  it('through the app\u2019s client the 429 arrives as HubSpotRateLimitError with the policy, the wait taken from the answer', async () => {
    api = await startSandboxApi({ accessToken: TOKEN, rateLimit: { max: 1, intervalMs: 10_000 } });
    const limiter = recordingLimiter();
    const hs = createHubSpotClient({ accessToken: TOKEN, basePath: api.url, limiter, retry: { maxRateLimitWaits: 0 } });
    await readClosedStages(hs);
    const error = await readClosedStages(hs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotRateLimitError);
    expect((error as HubSpotRateLimitError).policy).toBe('TEN_SECONDLY_ROLLING');
    expect((error as HubSpotRateLimitError).retryAfterMs).toBeGreaterThan(0);
    expect([api.stats.total, api.stats.rateLimited, limiter.acquired]).toEqual([2, 1, 2]);
  });

  it('stats count calls per METHOD and route pattern, refused ones included', async () => {
    api = await startSandboxApi({ accessToken: TOKEN, rateLimit: { max: 2, intervalMs: 10_000 } });
    for (let i = 0; i < 3; i++) await get(api.url, '/crm/pipelines/2026-09/deals');
    await fetch(`${api.url}/crm/objects/2026-09/deals/batch/read`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
      body: '{"inputs":[]}',
    });
    expect(api.stats.snapshot()).toEqual({
      total: 4,
      byRoute: { 'GET /crm/pipelines/2026-09/:objectType': 3, 'POST /crm/objects/2026-09/:objectType/batch/read': 1 },
      rateLimited: 1,
      unauthorized: 1,
    });
    api.stats.reset();
    expect(api.stats.snapshot()).toEqual({ total: 0, byRoute: {}, rateLimited: 0, unauthorized: 0 });
  });
});

describe('sliding window', () => {
  it.each([
    // [accepted call times, next call time, allowed]
    [[0, 100, 200], 9_999, false],
    [[0, 100, 200], 10_000, true],
    [[0, 100, 200], 10_100, true],
    [[5_000], 9_000, true],
  ])('with max 3 per 10 s, calls at %j then one at %i: allowed %s', (times, next, allowed) => {
    const limiter = new SlidingWindowLimiter({ max: 3, intervalMs: 10_000 });
    for (const t of times) limiter.take(t);
    expect(limiter.take(next).allowed).toBe(allowed);
  });

  it('Retry-After counts until the oldest call in the window leaves it', () => {
    const limiter = new SlidingWindowLimiter({ max: 2, intervalMs: 10_000 });
    limiter.take(1_000);
    limiter.take(4_000);
    const refused = limiter.take(6_500);
    expect(refused).toEqual({ allowed: false, max: 2, remaining: 0, intervalMs: 10_000, retryAfterMs: 4_500 });
  });

  it('refused calls do not use the budget', () => {
    const limiter = new SlidingWindowLimiter({ max: 1, intervalMs: 1_000 });
    limiter.take(0);
    for (let t = 1; t < 1_000; t += 100) limiter.take(t);
    expect(limiter.take(1_000).allowed).toBe(true);
  });
});

describe('maxCallsInWindow', () => {
  it.each([
    [[], 10_000, 0],
    [[0, 1, 2], 10_000, 3],
    [[0, 5_000, 9_999, 10_000, 19_999], 10_000, 3],
    [[0, 10_000, 20_000], 10_000, 1],
    [[0, 1, 2, 50_000, 50_001], 2, 2],
  ])('calls at %j in windows of %i ms: at most %i in one window', (times, ms, expected) => {
    const stats = new SandboxStats();
    for (const t of times) stats.record('GET /x', t);
    expect(stats.maxCallsInWindow(ms)).toBe(expected);
  });
});
