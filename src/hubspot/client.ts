/**
 * The one door to HubSpot. Every request goes through `hs.request(operation, { method, path, query, body })`:
 *   shared limiter → the request → on 429 wait as HubSpot says and make every process wait too → on 5xx or no
 *   answer back off (exponential, full jitter) → other 4xx fail at once with HubSpot's category and correlation id.
 *
 * A thin client of our own over the global `fetch` (undici), not `@hubspot/api-client`: no released version of
 * HubSpot's SDK calls the date-versioned paths (14.x still calls /crm/v3 and /crm/v4, and needs Node 22), and
 * the numbered versions lose support in 2027. Paths come from api-paths.ts (one version constant); each caller
 * checks the answer's shape with zod, so an API change is a clear HubSpotResponseError, never a guess.
 */
import type { Logger } from 'pino';
import { HubSpotClientError, HubSpotRateLimitError, HubSpotResponseError, HubSpotServerError, type HubSpotErrorDetails } from './errors.js';
import type { RateLimiter } from './rate-limit.js';

export const DEFAULT_HUBSPOT_BASE_PATH = 'https://api.hubapi.com';

export interface RetryOptions {
  /** Attempts in total for 5xx and network failures. @defaultValue 5 */
  maxAttempts?: number;
  /** First backoff ceiling; doubles per attempt. @defaultValue 500 */
  baseDelayMs?: number;
  /** Backoff ceiling. @defaultValue 30000 */
  maxDelayMs?: number;
  /** 429 waits taken in-process before giving up with HubSpotRateLimitError. @defaultValue 5 */
  maxRateLimitWaits?: number;
}

export interface CallEvent {
  operation: string;
  status: number | 'network';
  attempt: number;
  durationMs: number;
  requestId?: string;
}

export interface HubSpotClientOptions {
  accessToken: string;
  /** @defaultValue https://api.hubapi.com (tests: a nock host; the sandbox: its local server) */
  basePath?: string;
  limiter: RateLimiter;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1): the jitter source. */
  random?: () => number;
  /** Epoch ms: the clock for 429 pause deadlines and durations. */
  now?: () => number;
  retry?: RetryOptions;
  /**
   * A request with no complete answer after this long counts as a network failure and is retried: without it
   * a hung socket would hold a worker job forever. @defaultValue 30000
   */
  timeoutMs?: number;
  onCall?: (e: CallEvent) => void;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HubSpotRequest {
  method: HttpMethod;
  /** From `hubspotPaths` (api-paths.ts), never written by hand. */
  path: string;
  /** Query parameters; an array repeats the parameter (HubSpot's `properties=a&properties=b`). */
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  /** Sent as JSON. */
  body?: unknown;
}

export interface HubSpotResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The parsed JSON body; undefined for an empty answer (204). Unchecked: the caller parses it with zod. */
  data: unknown;
}

export interface HubSpot {
  /**
   * One HubSpot request with the shared limit, 429 handling and retries. Resolves with any 2xx answer (207
   * included: the caller reads its per-input errors); throws the typed errors of errors.ts otherwise.
   */
  request(operation: string, req: HubSpotRequest): Promise<HubSpotResponse>;
}

const TEN_SECONDS = 10_000;
/** HubSpot's search endpoints answer this message for their own per-second limit. */
const SECONDLY_LIMIT_MESSAGE = 'You have reached your secondly limit.';

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Headers = Record<string, string>;

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function correlationIdOf(headers: Headers | undefined, body?: Record<string, unknown>): string | undefined {
  return str(headers?.['x-hubspot-correlation-id']) ?? str(body?.correlationId) ?? str(headers?.['x-hubspot-request-id']) ?? str(body?.requestId);
}

/** `Retry-After` is seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function msUntilNextUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
}

/** How long HubSpot asks us to wait after a 429, and whether the policy can be waited out in-process. */
export function rateLimitWait(
  headers: Headers,
  body: Record<string, unknown> | undefined,
  now: number,
): { waitMs: number; policy: string | undefined; daily: boolean } {
  const policy = str(body?.policyName);
  const message = str(body?.message) ?? '';
  const retryAfter = parseRetryAfter(headers['retry-after'], now);
  const daily = policy === 'DAILY' || /daily limit/i.test(message);
  if (daily) {
    // The daily limit resets at midnight in the portal's time zone, which the API does not tell us: UTC midnight
    // is the first moment worth trying again (a job that hits DAILY again just parks again).
    return { waitMs: retryAfter ?? msUntilNextUtcMidnight(now), policy: policy ?? 'DAILY', daily };
  }
  if (retryAfter !== undefined) return { waitMs: retryAfter, policy, daily };
  const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
  if (Number.isFinite(interval) && interval > 0) return { waitMs: interval, policy, daily };
  if (policy === undefined && message === SECONDLY_LIMIT_MESSAGE) return { waitMs: 1_000, policy, daily };
  return { waitMs: TEN_SECONDS, policy, daily };
}

/** The query string, parameters in the order given; arrays repeat the name. */
export function queryString(query: HubSpotRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) params.append(name, v);
    else params.append(name, String(value));
  }
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

/** What one attempt produced: an HTTP answer (body read and parsed when it is JSON) or no usable answer. */
type Attempt = { kind: 'http'; status: number; headers: Headers; data: unknown; text: string } | { kind: 'network'; reason: string; cause: unknown };

export function createHubSpotClient(opts: HubSpotClientOptions): HubSpot {
  const basePath = (opts.basePath ?? DEFAULT_HUBSPOT_BASE_PATH).replace(/\/+$/, '');
  const authorization = `Bearer ${opts.accessToken}`;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const maxAttempts = opts.retry?.maxAttempts ?? 5;
  const baseDelayMs = opts.retry?.baseDelayMs ?? 500;
  const maxDelayMs = opts.retry?.maxDelayMs ?? 30_000;
  const maxRateLimitWaits = opts.retry?.maxRateLimitWaits ?? 5;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const log = opts.logger;

  /** One HTTP exchange, the body included, bounded by the timeout. Never throws. */
  async function attempt(req: HubSpotRequest): Promise<Attempt> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetch(`${basePath}${req.path}${queryString(req.query)}`, {
        method: req.method,
        headers: {
          authorization,
          accept: 'application/json',
          ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
        // A redirect is not part of any endpoint's contract: it is reported, not followed with our token.
        redirect: 'manual',
        signal: controller.signal,
      });
      const text = await res.text();
      const headers: Headers = {};
      res.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      let data: unknown;
      if (text !== '') {
        try {
          data = JSON.parse(text);
        } catch {
          // A 2xx that is not JSON is an answer we cannot read (a proxy's page): retried like no answer below.
          if (res.status >= 200 && res.status < 300) return { kind: 'network', reason: `unreadable answer (HTTP ${res.status}, not JSON)`, cause: undefined };
          data = undefined;
        }
      }
      return { kind: 'http', status: res.status, headers, data, text };
    } catch (err) {
      const reason = controller.signal.aborted ? `no answer from HubSpot within ${timeoutMs} ms` : describeNetworkError(err);
      return { kind: 'network', reason, cause: err };
    } finally {
      clearTimeout(timer);
    }
  }

  async function request(operation: string, req: HubSpotRequest): Promise<HubSpotResponse> {
    let failedAttempts = 0;
    let rateLimitWaits = 0;
    for (let attemptNo = 1; ; attemptNo++) {
      await opts.limiter.acquire();
      const started = now();
      const outcome = await attempt(req);
      const durationMs = now() - started;

      if (outcome.kind === 'network') {
        opts.onCall?.({ operation, status: 'network', attempt: attemptNo, durationMs });
        failedAttempts++;
        log?.warn({ operation, status: 'network', attempt: attemptNo, reason: outcome.reason }, 'HubSpot request failed');
        const details: HubSpotErrorDetails = { operation, hubspotStatus: 'network', cause: outcome.cause };
        if (failedAttempts >= maxAttempts) {
          throw new HubSpotServerError(`${operation}: no answer from HubSpot after ${failedAttempts} attempts (${outcome.reason})`, details);
        }
        await sleep(backoff(failedAttempts));
        continue;
      }

      const body = asRecord(outcome.data);
      const correlationId = correlationIdOf(outcome.headers, body);
      opts.onCall?.({ operation, status: outcome.status, attempt: attemptNo, durationMs, ...(correlationId ? { requestId: correlationId } : {}) });
      if (outcome.status >= 200 && outcome.status < 300) {
        return { status: outcome.status, headers: outcome.headers, data: outcome.data };
      }

      const category = str(body?.category) ?? str(body?.errorType);
      const message = str(body?.message) ?? (outcome.text.slice(0, 200) || `HTTP ${outcome.status}`);
      log?.warn({ operation, status: outcome.status, attempt: attemptNo, category, correlationId, hubspotMessage: message }, 'HubSpot request failed');
      const details: HubSpotErrorDetails = { operation, hubspotStatus: outcome.status, category, correlationId, hubspotBody: body };

      if (outcome.status === 429) {
        const { waitMs, policy, daily } = rateLimitWait(outcome.headers, body, now());
        if (daily) {
          // Not waited out here, nor turned into a shared pause: it lasts hours, and a card request must not
          // hang on it. The worker parks its queue for retryAfterMs instead.
          throw new HubSpotRateLimitError(`${operation}: HubSpot DAILY API limit reached`, { ...details, retryAfterMs: waitMs, policy });
        }
        if (rateLimitWaits >= maxRateLimitWaits) {
          throw new HubSpotRateLimitError(`${operation}: still rate limited by HubSpot after ${rateLimitWaits} waits (${policy ?? 'unknown policy'})`, {
            ...details,
            retryAfterMs: waitMs,
            policy,
          });
        }
        rateLimitWaits++;
        await opts.limiter.pauseUntil(now() + waitMs);
        await sleep(waitMs);
        continue;
      }

      if (outcome.status >= 500) {
        failedAttempts++;
        if (failedAttempts >= maxAttempts) {
          throw new HubSpotServerError(`${operation}: HubSpot failed ${failedAttempts} times, last with ${outcome.status}: ${message}`, details);
        }
        await sleep(backoff(failedAttempts));
        continue;
      }

      if (outcome.status < 400) {
        // 1xx/3xx: no endpoint we call documents one, so the API changed under us.
        throw new HubSpotResponseError(operation, `status ${outcome.status} is not one this endpoint documents`);
      }
      throw new HubSpotClientError(`${operation}: HubSpot answered ${outcome.status}${category ? ` ${category}` : ''}: ${message}`, {
        ...details,
        hubspotStatus: outcome.status,
      });
    }
  }

  /** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): spreads retries of many workers apart. */
  function backoff(failedAttempts: number): number {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (failedAttempts - 1));
    return Math.floor(random() * ceiling);
  }

  return { request };
}

/** undici's `fetch failed` hides the reason in `cause` (ECONNRESET, ECONNREFUSED, …): name it in the log. */
function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = asRecord((err as { cause?: unknown }).cause);
  const code = str(cause?.code) ?? str((err as { code?: unknown }).code);
  const causeMessage = str(cause?.message);
  return [err.message, causeMessage, code].filter((p, i, all) => p !== undefined && all.indexOf(p) === i).join(': ');
}
