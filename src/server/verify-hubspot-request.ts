/**
 * HubSpot request signatures, framework-free and with the clock injected.
 *
 * v3 (webhooks, hubspot.fetch card requests, and any app request that carries it):
 *   base64(HMAC-SHA256(clientSecret, method + uri + rawBody + timestamp)), timestamp in epoch ms, rejected
 *   when older than the tolerance (5 minutes). The URI is the full URL HubSpot called, with a fixed set of
 *   percent-escapes decoded first.
 *   https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 * v2 (workflow custom actions): hex(SHA-256(clientSecret + method + uri + rawBody)).
 * v1 (legacy webhooks): hex(SHA-256(clientSecret + rawBody)).
 *
 * `signHubSpotRequest` is the twin used by tests, the sandbox and the benchmark, so every signed request in
 * this repo is produced by the same code that checks it.
 */
import { createHash, createHmac } from 'node:crypto';
import { safeEqual } from '../safe-equal.js';
import { SignatureError } from '../errors.js';

export type SignatureVersion = 'v1' | 'v2' | 'v3';

export interface SignedRequest {
  method: string;
  /** Full URI as HubSpot called it: scheme, host, path and query. */
  uri: string;
  rawBody: string | Buffer;
  /** X-HubSpot-Request-Timestamp (v3 only), epoch ms as sent. */
  timestamp?: string | number | undefined;
  /** X-HubSpot-Signature-v3 (v3) or X-HubSpot-Signature (v1/v2). */
  signature: string | undefined;
}

export interface VerifyOptions {
  secret: string;
  now: number;
  /** Oldest timestamp accepted, ms (HubSpot: 5 minutes). */
  toleranceMs?: number;
}

const DEFAULT_TOLERANCE_MS = 5 * 60 * 1000;
/** Future timestamps are clock skew at most; more than this ahead is refused too. */
const MAX_FUTURE_SKEW_MS = 60 * 1000;

/** The escapes HubSpot decodes before signing (docs table); everything else stays as sent. */
const DECODED_ESCAPES: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function normalizeSignedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED_ESCAPES[m.toUpperCase()] ?? m);
}

function bodyString(rawBody: string | Buffer): string {
  return typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
}

export function computeSignature(version: SignatureVersion, req: Omit<SignedRequest, 'signature'>, secret: string): string {
  const body = bodyString(req.rawBody);
  switch (version) {
    case 'v3':
      return createHmac('sha256', secret)
        .update(`${req.method.toUpperCase()}${normalizeSignedUri(req.uri)}${body}${String(req.timestamp ?? '')}`, 'utf8')
        .digest('base64');
    case 'v2':
      return createHash('sha256').update(`${secret}${req.method.toUpperCase()}${req.uri}${body}`, 'utf8').digest('hex');
    case 'v1':
      return createHash('sha256').update(`${secret}${body}`, 'utf8').digest('hex');
  }
}

/** Throws SignatureError (401) unless the v3 signature is valid and fresh. */
export function verifyHubSpotSignature(req: SignedRequest, opts: VerifyOptions): void {
  if (!req.signature) throw new SignatureError('missing X-HubSpot-Signature-v3');
  const ts = Number(req.timestamp);
  if (req.timestamp === undefined || req.timestamp === '' || !Number.isFinite(ts)) {
    throw new SignatureError('missing or invalid X-HubSpot-Request-Timestamp');
  }
  const tolerance = opts.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  if (opts.now - ts > tolerance) throw new SignatureError('stale request: X-HubSpot-Request-Timestamp is older than 5 minutes');
  if (ts - opts.now > MAX_FUTURE_SKEW_MS) throw new SignatureError('X-HubSpot-Request-Timestamp is in the future');
  const expected = computeSignature('v3', req, opts.secret);
  if (!safeEqual(expected, req.signature)) throw new SignatureError('invalid X-HubSpot-Signature-v3');
}

/** v2 (and v1) carry no timestamp: the caller's replay protection is idempotence (callbackId). */
export function verifyLegacySignature(version: 'v1' | 'v2', req: SignedRequest, secret: string): void {
  if (!req.signature) throw new SignatureError('missing X-HubSpot-Signature');
  const expected = computeSignature(version, req, secret);
  if (!safeEqual(expected, req.signature)) throw new SignatureError(`invalid X-HubSpot-Signature (${version})`);
}

export interface SignInput {
  method: string;
  uri: string;
  rawBody: string;
  secret: string;
  /** epoch ms; defaults to the caller's clock. */
  timestamp: number;
  version?: SignatureVersion;
}

/**
 * The headers HubSpot would send for this request.
 * @internal for the sandbox portal, the tests and the benchmark, which sign as HubSpot does.
 */
export function signHubSpotRequest(input: SignInput): Record<string, string> {
  const version = input.version ?? 'v3';
  const signature = computeSignature(version, { ...input, timestamp: input.timestamp }, input.secret);
  if (version === 'v3') {
    return {
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': String(input.timestamp),
    };
  }
  return { 'x-hubspot-signature': signature, 'x-hubspot-signature-version': version };
}
