/**
 * The one door to HubSpot. Every request goes through `hs.call(operation, fn)`:
 *   shared limiter → the request → on 429 wait as HubSpot says and make every process wait too → on 5xx or no
 *   answer back off (exponential, full jitter) → other 4xx fail at once with HubSpot's category and correlation id.
 *
 * `@hubspot/api-client` 13.5 is used for its typed request factories only; its own machinery is off so nothing
 * retries twice:
 * - no `limiterOptions`: its Bottleneck limiter only exists when they are given (lib/src/client.js getDecorators);
 * - `numberOfApiCallRetries: 0`: 0 (like unset) adds no RetryDecorator at all, which is "a single attempt".
 *   (1 would add the decorator with a one-pass loop, also one attempt; N means N attempts in total, not N retries:
 *   RetryDecorator.js loops `index = 1..N`.)
 * Its decorators live in a process-wide singleton that the last `new Client()` overwrites (docs/hubspot.md#node-client), so
 * every Client here is built with the same options, and the rest of the app never builds its own.
 * Its `middleware`/`httpAgent` options are not applied by the 13.5 codegen (ObservableAPI ignores configured
 * middleware), so status and correlation id of a success are read from the `*WithHttpInfo` result instead.
 */
import { Client } from '@hubspot/api-client';
import type { Logger } from 'pino';
import {
  HubSpotClientError,
  HubSpotRateLimitError,
  HubSpotResponseError,
  HubSpotServerError,
  type HubSpotErrorDetails,
} from './errors.js';
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
   * A request with no answer after this long counts as a network failure and is retried. The api-client gives
   * node-fetch no timeout, so without this a hung socket would hold a worker job forever. @defaultValue 30000
   */
  timeoutMs?: number;
  onCall?: (e: CallEvent) => void;
}

export interface HubSpot {
  /** The raw api-client. Only the hubspot/ modules use it, and only inside `call`. */
  readonly api: Client;
  /**
   * Runs one HubSpot request (`fn` must make exactly one, so the limiter counts right) with the shared limit,
   * 429 handling and retries. Return a `*WithHttpInfo` result to have its status and correlation id reported.
   */
  call<T>(operation: string, fn: (api: Client) => Promise<T>): Promise<T>;
}

const TEN_SECONDS = 10_000;
/** HubSpot's search endpoints answer this message for their own per-second limit (RetryDecorator.js). */
const SECONDLY_LIMIT_MESSAGE = 'You have reached your secondly limit.';

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Headers = Record<string, string>;

interface HttpFailure {
  kind: 'http';
  status: number;
  headers: Headers;
  body: Record<string, unknown> | undefined;
  text: string | undefined;
}
interface NetworkFailure {
  kind: 'network';
  reason: string;
}

class CallTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer from HubSpot within ${ms} ms`);
    this.name = 'CallTimeoutError';
  }
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The api-client throws `ApiException { code, body, headers }` for any HTTP answer it does not accept (one class
 * per codegen module, so it is recognised by shape); node-fetch throws `FetchError` when no answer came; and the
 * codegen throws a plain Error when a gateway answers without a Content-Type it can parse. Anything else is a bug
 * in the caller's `fn`, and is not retried.
 */
function classify(err: unknown): HttpFailure | NetworkFailure | null {
  const e = asRecord(err);
  if (!e) return null;
  const code = e.code;
  if (typeof code === 'number' && code >= 100 && code <= 599) {
    const headers = (asRecord(e.headers) ?? {}) as Headers;
    let body = asRecord(e.body);
    let text: string | undefined;
    if (!body && typeof e.body === 'string') {
      text = e.body;
      try {
        body = asRecord(JSON.parse(e.body));
      } catch {
        body = undefined;
      }
    }
    return { kind: 'http', status: code, headers, body, text };
  }
  if (err instanceof CallTimeoutError) return { kind: 'network', reason: err.message };
  if (err instanceof Error) {
    if (err.name === 'FetchError' || err.name === 'AbortError') return { kind: 'network', reason: err.message };
    if (/^Cannot parse content|is not supported by ObjectSerializer\.parse/.test(err.message) || err instanceof SyntaxError) {
      return { kind: 'network', reason: `unreadable answer: ${err.message}` };
    }
  }
  return null;
}

function correlationIdOf(headers: Headers | undefined, body?: Record<string, unknown>): string | undefined {
  return (
    str(headers?.['x-hubspot-correlation-id']) ??
    str(body?.correlationId) ??
    str(headers?.['x-hubspot-request-id']) ??
    str(body?.requestId)
  );
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

function isHttpInfo(v: unknown): v is { httpStatusCode: number; headers: Headers } {
  const r = asRecord(v);
  return r !== undefined && typeof r.httpStatusCode === 'number' && asRecord(r.headers) !== undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createHubSpotClient(opts: HubSpotClientOptions): HubSpot {
  const api = new Client({
    accessToken: opts.accessToken,
    basePath: opts.basePath ?? DEFAULT_HUBSPOT_BASE_PATH,
    numberOfApiCallRetries: 0,
  });
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const maxAttempts = opts.retry?.maxAttempts ?? 5;
  const baseDelayMs = opts.retry?.baseDelayMs ?? 500;
  const maxDelayMs = opts.retry?.maxDelayMs ?? 30_000;
  const maxRateLimitWaits = opts.retry?.maxRateLimitWaits ?? 5;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const log = opts.logger;

  async function call<T>(operation: string, fn: (api: Client) => Promise<T>): Promise<T> {
    let failedAttempts = 0;
    let rateLimitWaits = 0;
    for (let attempt = 1; ; attempt++) {
      await opts.limiter.acquire();
      const started = now();
      let result: T;
      try {
        result = await withTimeout(fn(api), timeoutMs);
      } catch (err) {
        const durationMs = now() - started;
        const failure = classify(err);
        if (failure === null) throw err;

        if (failure.kind === 'network') {
          opts.onCall?.({ operation, status: 'network', attempt, durationMs });
          failedAttempts++;
          log?.warn({ operation, status: 'network', attempt, reason: failure.reason }, 'HubSpot request failed');
          const details: HubSpotErrorDetails = { operation, hubspotStatus: 'network', cause: err };
          if (failedAttempts >= maxAttempts) {
            throw new HubSpotServerError(`${operation}: no answer from HubSpot after ${failedAttempts} attempts (${failure.reason})`, details);
          }
          await sleep(backoff(failedAttempts));
          continue;
        }

        const correlationId = correlationIdOf(failure.headers, failure.body);
        const category = str(failure.body?.category) ?? str(failure.body?.errorType);
        const message = str(failure.body?.message) ?? failure.text?.slice(0, 200) ?? `HTTP ${failure.status}`;
        opts.onCall?.({ operation, status: failure.status, attempt, durationMs, ...(correlationId ? { requestId: correlationId } : {}) });
        log?.warn(
          { operation, status: failure.status, attempt, category, correlationId, hubspotMessage: message },
          'HubSpot request failed',
        );
        const details: HubSpotErrorDetails = { operation, hubspotStatus: failure.status, category, correlationId, cause: err };

        if (failure.status === 429) {
          const { waitMs, policy, daily } = rateLimitWait(failure.headers, failure.body, now());
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

        if (failure.status >= 500) {
          failedAttempts++;
          if (failedAttempts >= maxAttempts) {
            throw new HubSpotServerError(`${operation}: HubSpot failed ${failedAttempts} times, last with ${failure.status}: ${message}`, details);
          }
          await sleep(backoff(failedAttempts));
          continue;
        }

        if (failure.status < 400) {
          // A success status the generated client does not expect for this endpoint: the API changed under us.
          throw new HubSpotResponseError(operation, `status ${failure.status} is not one this endpoint documents`);
        }
        throw new HubSpotClientError(`${operation}: HubSpot answered ${failure.status}${category ? ` ${category}` : ''}: ${message}`, {
          ...details,
          hubspotStatus: failure.status,
        });
      }

      const durationMs = now() - started;
      if (isHttpInfo(result)) {
        const requestId = correlationIdOf(result.headers);
        opts.onCall?.({ operation, status: result.httpStatusCode, attempt, durationMs, ...(requestId ? { requestId } : {}) });
      } else {
        opts.onCall?.({ operation, status: 200, attempt, durationMs });
      }
      return result;
    }
  }

  /** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): spreads retries of many workers apart. */
  function backoff(failedAttempts: number): number {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (failedAttempts - 1));
    return Math.floor(random() * ceiling);
  }

  return { api, call };
}

