/**
 * One HubSpot rate limit for every process of the app, kept in Redis.
 *
 * HubSpot's burst limit is per portal (e.g. 100 or 190 requests per rolling 10 s), shared by every worker and
 * the receiver, so an in-process limiter cannot keep us under it. This is a
 * sliding-window log: one sorted set of admission instants, trimmed and counted in a Lua script that reads the
 * clock with Redis `TIME`, so every process judges the window on the same clock and an admission is atomic.
 * Invariant: never more than `max` admissions in any window of `intervalMs`.
 * https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface RateLimiter {
  /** Resolves when one request may go out. */
  acquire(): Promise<void>;
  /** After a 429: every process holds back until `epochMs` (a pause never shortens an existing one). */
  pauseUntil(epochMs: number): Promise<void>;
}

export interface RedisRateLimiterOptions {
  redis: Redis;
  /** Key prefix of this limiter; `<key>:log` and `<key>:pause` are used. One per HubSpot portal. */
  key: string;
  /** Admissions per interval, after headroom (see `withHeadroom`). */
  max: number;
  intervalMs: number;
  /** Injected for tests; defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Called with Redis' clock (epoch ms) at each admission: metrics, and tests that check the invariant. */
  onAdmit?: (admittedAtMs: number) => void;
}

/**
 * KEYS[1] log (sorted set: score = admission ms), KEYS[2] pause (epoch ms until which nobody is admitted).
 * ARGV[1] max, ARGV[2] interval ms, ARGV[3] unique member for this admission.
 * Returns { waitMs, nowMs }: waitMs 0 means admitted at nowMs.
 */
const ACQUIRE_SCRIPT = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local max = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local pause = tonumber(redis.call('GET', KEYS[2]) or '0')
if pause > now then
  return { pause - now, now }
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - interval)
if redis.call('ZCARD', KEYS[1]) < max then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], interval)
  return { 0, now }
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = tonumber(oldest[2]) + interval - now
if wait < 1 then wait = 1 end
return { wait, now }
`;

/** KEYS[1] pause; ARGV[1] epoch ms. Keeps the later of the two deadlines. */
const PAUSE_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local until_ms = tonumber(ARGV[1])
if until_ms > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PXAT', until_ms)
end
return 0
`;

const sha1 = (script: string): string => createHash('sha1').update(script).digest('hex');
const ACQUIRE_SHA = sha1(ACQUIRE_SCRIPT);
const PAUSE_SHA = sha1(PAUSE_SCRIPT);

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The share of HubSpot's limit we may use: `max` minus `headroomPercent`, rounded down, at least 1. */
export function withHeadroom(max: number, headroomPercent: number): number {
  return Math.max(1, Math.floor((max * (100 - headroomPercent)) / 100));
}

async function evalScript(redis: Redis, script: string, sha: string, keys: string[], args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (err) {
    // First use on this Redis (or after SCRIPT FLUSH / a restart): load it by sending the body once.
    if (err instanceof Error && err.message.includes('NOSCRIPT')) return redis.eval(script, keys.length, ...keys, ...args);
    throw err;
  }
}

export function createRedisRateLimiter(opts: RedisRateLimiterOptions): RateLimiter {
  if (!Number.isInteger(opts.max) || opts.max < 1) throw new RangeError(`rate limit max must be a positive integer, got ${opts.max}`);
  if (!Number.isInteger(opts.intervalMs) || opts.intervalMs < 1) {
    throw new RangeError(`rate limit intervalMs must be a positive integer, got ${opts.intervalMs}`);
  }
  const sleep = opts.sleep ?? defaultSleep;
  const logKey = `${opts.key}:log`;
  const pauseKey = `${opts.key}:pause`;

  return {
    async acquire() {
      for (;;) {
        const reply = await evalScript(opts.redis, ACQUIRE_SCRIPT, ACQUIRE_SHA, [logKey, pauseKey], [opts.max, opts.intervalMs, randomUUID()]);
        const [waitMs, nowMs] = (reply as [number, number]).map(Number) as [number, number];
        if (waitMs <= 0) {
          opts.onAdmit?.(nowMs);
          return;
        }
        await sleep(waitMs);
      }
    },
    async pauseUntil(epochMs: number) {
      await evalScript(opts.redis, PAUSE_SCRIPT, PAUSE_SHA, [pauseKey], [Math.ceil(epochMs)]);
    },
  };
}
