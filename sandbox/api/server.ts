/**
 * The sandbox portal: a local, stateful HTTP server with HubSpot's request and response shapes, for the demo
 * (`npm start` without a HubSpot token), the integration and end-to-end tests, and the sync benchmark. The
 * app reaches it through its own HubSpot client with `basePath` pointed here. It serves the API versions the
 * app calls (versions.ts) and nothing older: a numbered (legacy) path answers 404 naming it as legacy.
 *
 * Every call passes one guard, in HubSpot's order: counted, bearer token checked (401 with HubSpot's body),
 * rate limit applied (429 TEN_SECONDLY_ROLLING with the X-HubSpot-RateLimit-* headers), latency added.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { SandboxApiError, errorBody } from './errors.js';
import { SlidingWindowLimiter, type RateLimitOptions } from './rate-limit.js';
import { registerAssociationRoutes } from './routes/associations.js';
import type { Handler, RouteFn } from './routes/context.js';
import { registerObjectRoutes } from './routes/objects.js';
import { registerPortalRoutes } from './routes/portal.js';
import { SandboxStats } from './stats.js';
import { SandboxStore } from './store.js';
import { LEGACY_PATH, V } from './versions.js';
import { WebhookEmitter, type WebhookOptions } from './webhook-emitter.js';

export interface SandboxApiOptions {
  /** The only bearer token accepted. */
  accessToken: string;
  /** Default 1234567. */
  portalId?: number;
  /** Default 7654321; webhooks and `sourceId` of the app's writes carry it. */
  appId?: number;
  /** Signs webhooks (v3 and v1). Default `sandbox-client-secret`. */
  clientSecret?: string;
  /** Added to every response. Default 0. */
  latencyMs?: number;
  /** Sliding window over all calls; null (default) is unlimited. */
  rateLimit?: RateLimitOptions | null;
  /** Where webhooks go; null (default) sends none until `emitter.setTargetUrl`. */
  webhook?: WebhookOptions | null;
  /** The portal's clock. Default `Date.now`. */
  now?: () => number;
  /** First record id (see StoreOptions.firstObjectId). */
  firstObjectId?: number;
}

export interface SandboxApi {
  app: Express;
  store: SandboxStore;
  stats: SandboxStats;
  emitter: WebhookEmitter;
  /** Changes the added latency from now on. */
  setLatencyMs(ms: number): void;
  /** Changes the rate limit from now on (the window restarts empty). */
  setRateLimit(limit: RateLimitOptions | null): void;
}

export interface RunningSandboxApi extends Omit<SandboxApi, 'app'> {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_PORTAL_ID = 1234567;
export const DEFAULT_APP_ID = 7654321;
export const DEFAULT_CLIENT_SECRET = 'sandbox-client-secret';

/** Rate-limit and stats time: monotonic, so a wall-clock jump never opens or closes a window. */
const monotonicNow = (): number => performance.timeOrigin + performance.now();

export function createSandboxApi(options: SandboxApiOptions): SandboxApi {
  const store = new SandboxStore({
    portalId: options.portalId ?? DEFAULT_PORTAL_ID,
    appId: options.appId ?? DEFAULT_APP_ID,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.firstObjectId === undefined ? {} : { firstObjectId: options.firstObjectId }),
  });
  const stats = new SandboxStats();
  const emitter = new WebhookEmitter(store, options.clientSecret ?? DEFAULT_CLIENT_SECRET, options.webhook ?? null);
  let latencyMs = options.latencyMs ?? 0;
  let limiter = options.rateLimit ? new SlidingWindowLimiter(options.rateLimit) : null;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.json({ limit: '10mb' }));

  const guard =
    (pattern: string): RequestHandler =>
    async (req, res, next) => {
      const arrivedAt = monotonicNow();
      stats.record(`${req.method} ${pattern}`, arrivedAt);
      stats.recordOperation(req.method, req.path, req.body);
      const correlationId = randomUUID();
      res.setHeader('x-hubspot-correlation-id', correlationId);
      if (latencyMs > 0) await sleep(latencyMs);
      const auth = req.header('authorization') ?? '';
      if (auth !== `Bearer ${options.accessToken}`) {
        stats.recordUnauthorized();
        res
          .status(401)
          .json(
            errorBody(
              new SandboxApiError(
                401,
                'INVALID_AUTHENTICATION',
                'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
              ),
              correlationId,
            ),
          );
        return;
      }
      if (limiter) {
        const d = limiter.take(arrivedAt);
        res.setHeader('X-HubSpot-RateLimit-Max', String(d.max));
        res.setHeader('X-HubSpot-RateLimit-Remaining', String(d.remaining));
        res.setHeader('X-HubSpot-RateLimit-Interval-Milliseconds', String(d.intervalMs));
        if (!d.allowed) {
          stats.recordRateLimited();
          res.setHeader('Retry-After', String(Math.ceil(d.retryAfterMs / 1000)));
          res.status(429).json({
            status: 'error',
            message: 'You have reached your ten_secondly_rolling limit.',
            errorType: 'RATE_LIMIT',
            correlationId,
            policyName: 'TEN_SECONDLY_ROLLING',
          });
          return;
        }
      }
      res.locals['correlationId'] = correlationId;
      next();
    };

  const route: RouteFn = (method, path, handler: Handler) => {
    app[method](path, guard(path), async (req, res) => {
      await handler(req, res);
    });
  };

  app.use((req, res, next) => {
    if (!LEGACY_PATH.test(req.path)) {
      next();
      return;
    }
    stats.record(`${req.method} (legacy)`, monotonicNow());
    const correlationId = randomUUID();
    res.setHeader('x-hubspot-correlation-id', correlationId);
    res
      .status(404)
      .json(
        errorBody(
          new SandboxApiError(
            404,
            'OBJECT_NOT_FOUND',
            `${req.method} ${req.path} is a legacy (numbered) API version; this sandbox serves only the date-based ${V} paths`,
          ),
          correlationId,
        ),
      );
  });

  const ctx = { route, store };
  registerObjectRoutes(ctx);
  registerAssociationRoutes(ctx);
  registerPortalRoutes(ctx);

  app.use(guard('(unmatched)'), (req, res) => {
    res
      .status(404)
      .json(errorBody(new SandboxApiError(404, 'OBJECT_NOT_FOUND', `No sandbox route for ${req.method} ${req.path}`), res.locals['correlationId'] as string));
  });

  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    const correlationId = (res.locals['correlationId'] as string | undefined) ?? randomUUID();
    if (err instanceof SandboxApiError) {
      res.status(err.status).json(errorBody(err, correlationId));
      return;
    }
    if (isBodyParseError(err)) {
      res.status(400).json(errorBody(new SandboxApiError(400, 'VALIDATION_ERROR', `Invalid input JSON: ${err.message}`), correlationId));
      return;
    }
    // A sandbox bug must be loud in the test output, not a silent 500.
    console.error('sandbox: unexpected error', err);
    res.status(500).json({ status: 'error', message: 'internal error in the sandbox', correlationId, category: 'INTERNAL_ERROR' });
  };
  app.use(onError);

  return {
    app,
    store,
    stats,
    emitter,
    setLatencyMs(ms) {
      latencyMs = ms;
    },
    setRateLimit(limit) {
      limiter = limit ? new SlidingWindowLimiter(limit) : null;
    },
  };
}

/** Starts the sandbox on 127.0.0.1 (`port` 0 or absent: a free port). */
export async function startSandboxApi(options: SandboxApiOptions & { port?: number }): Promise<RunningSandboxApi> {
  const api = createSandboxApi(options);
  const server = api.app.listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const { app: _app, ...rest } = api;
  return {
    ...rest,
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      await api.emitter.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function isBodyParseError(err: unknown): err is Error & { type: string } {
  return err instanceof Error && (err as { type?: unknown }).type === 'entity.parse.failed';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
