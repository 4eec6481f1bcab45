/**
 * The demo portal `npm start` boots when no HubSpot token is configured: the sandbox API, seeded with the
 * demo partners and deals, with HubSpot's Free/Starter burst limit so the app's limiter is visibly at work.
 */
import { randomBytes } from 'node:crypto';
import type { RateLimitOptions } from './api/rate-limit.js';
import { startSandboxApi, type RunningSandboxApi } from './api/server.js';
import { seedDemoPortal, type DemoPortalIds } from './seed.js';

export interface DemoPortalOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** The app's webhook receiver; can also be set later with `emitter.setTargetUrl`. */
  webhookTargetUrl?: string | null;
  /** Default: a random token, returned in the result. */
  accessToken?: string;
  /** Default: a random secret, returned in the result. */
  clientSecret?: string;
  portalId?: number;
  appId?: number;
  /** The demo's "today". Default `Date.now()`. */
  now?: number;
  /** Default 100 calls per 10 s (HubSpot Free/Starter, private app). */
  rateLimit?: RateLimitOptions | null;
  /** Default 0. */
  latencyMs?: number;
}

export interface DemoPortal extends RunningSandboxApi {
  accessToken: string;
  clientSecret: string;
  portalId: number;
  appId: number;
  ids: DemoPortalIds;
}

export const DEMO_RATE_LIMIT: RateLimitOptions = { max: 100, intervalMs: 10_000 };

export async function startDemoPortal(options: DemoPortalOptions = {}): Promise<DemoPortal> {
  const accessToken = options.accessToken ?? `sandbox-${randomBytes(12).toString('hex')}`;
  const clientSecret = options.clientSecret ?? randomBytes(16).toString('hex');
  const api = await startSandboxApi({
    accessToken,
    clientSecret,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.portalId === undefined ? {} : { portalId: options.portalId }),
    ...(options.appId === undefined ? {} : { appId: options.appId }),
    latencyMs: options.latencyMs ?? 0,
    rateLimit: options.rateLimit === undefined ? DEMO_RATE_LIMIT : options.rateLimit,
    webhook: { targetUrl: options.webhookTargetUrl ?? null },
  });
  const ids = seedDemoPortal(api.store, { now: options.now ?? Date.now(), clientSecret });
  return { ...api, accessToken, clientSecret, portalId: api.store.portalId, appId: api.store.appId, ids };
}
