import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateLimiter, withHeadroom } from '../../src/hubspot/rate-limit.js';
import { deleteKeys, testPrefix, testRedis } from '../helpers/redis.js';

const prefix = testPrefix('hubspot-rate-limit');
// Two connections stand for two processes: they share nothing but Redis.
const processA = testRedis();
const processB = testRedis();

/** Every run of max+1 consecutive admissions spans at least the interval, i.e. no window holds more than max. */
function busiestWindow(admissions: number[], intervalMs: number): number {
  const sorted = [...admissions].sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && (sorted[j] as number) < (sorted[i] as number) + intervalMs) j++;
    busiest = Math.max(busiest, j - i);
  }
  return busiest;
}

describe('createRedisRateLimiter: one limit for every process', () => {
  beforeAll(async () => {
    await processA.ping();
    await processB.ping();
  });
  afterAll(async () => {
    await deleteKeys(processA, prefix);
    processA.disconnect();
    processB.disconnect();
  });

  it('two processes asking 24 times each never get more than 5 admissions in any 400 ms window', async () => {
    const key = `${prefix}:shared`;
    const admissions: number[] = [];
    const options = { key, max: 5, intervalMs: 400, onAdmit: (at: number) => admissions.push(at) };
    const a = createRedisRateLimiter({ ...options, redis: processA });
    const b = createRedisRateLimiter({ ...options, redis: processB });

    await Promise.all([...Array.from({ length: 24 }, () => a.acquire()), ...Array.from({ length: 24 }, () => b.acquire())]);

    expect(admissions).toHaveLength(48);
    expect(busiestWindow(admissions, 400)).toBe(5);
  }, 20_000);

  it('a pause set by one process holds the other back until it ends', async () => {
    const key = `${prefix}:paused`;
    const waits: number[] = [];
    const admissions: number[] = [];
    const a = createRedisRateLimiter({ redis: processA, key, max: 100, intervalMs: 10_000 });
    const b = createRedisRateLimiter({
      redis: processB,
      key,
      max: 100,
      intervalMs: 10_000,
      sleep: async (ms) => {
        waits.push(ms);
        // Lift the pause instead of waiting it out, so the test does not wait 60 s.
        await processA.del(`${key}:pause`);
      },
      onAdmit: (at) => admissions.push(at),
    });
    const redisNow = async () => {
      const [s, us] = await processA.time();
      return Number(s) * 1000 + Math.floor(Number(us) / 1000);
    };

    const pausedUntil = (await redisNow()) + 60_000;
    await a.pauseUntil(pausedUntil);
    await b.acquire();

    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(55_000);
    expect(waits[0]).toBeLessThanOrEqual(60_000);
    expect(admissions).toHaveLength(1);
  });

  it('a shorter pause never shortens a longer one already set', async () => {
    const key = `${prefix}:longest`;
    const a = createRedisRateLimiter({ redis: processA, key, max: 1, intervalMs: 1000 });
    const far = Date.now() + 120_000;

    await a.pauseUntil(far);
    await a.pauseUntil(Date.now() + 1_000);

    expect(Number(await processA.get(`${key}:pause`))).toBe(far);
  });

  it.each([
    { max: 100, headroom: 10, expected: 90 },
    { max: 190, headroom: 10, expected: 171 },
    { max: 100, headroom: 0, expected: 100 },
    { max: 5, headroom: 99, expected: 1 },
  ])('a limit of $max with $headroom percent headroom leaves $expected requests per interval', ({ max, headroom, expected }) => {
    expect(withHeadroom(max, headroom)).toBe(expected);
  });

  it('refuses a max that is not a positive integer', () => {
    expect(() => createRedisRateLimiter({ redis: processA, key: `${prefix}:bad`, max: 0, intervalMs: 1000 })).toThrow(RangeError);
  });
});
