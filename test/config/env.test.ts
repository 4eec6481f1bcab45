import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { withHeadroom } from '../../src/hubspot/rate-limit.js';

describe('environment', () => {
  it('applies the documented defaults to an empty environment', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      HUBSPOT_API_BASE_URL: 'https://api.hubapi.com',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 3000,
      PUBLIC_BASE_URL: 'http://localhost:3000',
      HUBSPOT_RATE_LIMIT_MAX: 100,
      HUBSPOT_RATE_LIMIT_INTERVAL_MS: 10_000,
    });
    expect(env.HUBSPOT_ACCESS_TOKEN).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT: a whole number'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ HUBSPOT_ACCESS_TOKEN: 'x' }, 'HUBSPOT_CLIENT_SECRET: required when HUBSPOT_ACCESS_TOKEN is set'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('refuses %o, naming the variable', (source, message) => {
    expect(() => loadEnv(source)).toThrow(message);
  });

  it('keeps headroom under the HubSpot limit (100 per 10 s → 90)', () => {
    const env = loadEnv({});
    expect(withHeadroom(env.HUBSPOT_RATE_LIMIT_MAX, env.HUBSPOT_RATE_LIMIT_HEADROOM_PERCENT)).toBe(90);
    expect(withHeadroom(190, 10)).toBe(171);
  });

  it('trims a trailing slash from PUBLIC_BASE_URL so signed URIs match', () => {
    expect(loadEnv({ PUBLIC_BASE_URL: 'https://pp.example.com/' }).PUBLIC_BASE_URL).toBe('https://pp.example.com');
  });
});
