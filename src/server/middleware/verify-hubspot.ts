/**
 * Verifies the HubSpot signature of every inbound HubSpot request (webhooks, card fetches, workflow actions).
 * The signed URI is the public one HubSpot called: behind a proxy it is rebuilt from PUBLIC_BASE_URL plus the
 * original path and query, never from the Host header a client controls.
 *
 * Which version counts (docs/SECURITY.md "What HubSpot signs"):
 * - an `X-HubSpot-Signature-Version` that is not v1, v2 or v3 is refused, whatever else the request carries;
 * - a request with an `X-HubSpot-Signature-v3` header is judged by v3 alone (a v2 signature beside it is never
 *   a way around a stale or wrong v3 one);
 * - v2 (no timestamp, so replayable) is accepted only where HubSpot sends it, workflow actions (`allowV2`), and
 *   only when the request says so (`X-HubSpot-Signature-Version: v2`). Everything else needs v3.
 */
import type { RequestHandler } from 'express';
import { SignatureError } from '../../errors.js';
import { verifyHubSpotSignature, verifyLegacySignature } from '../verify-hubspot-request.js';

export interface SignatureSettings {
  clientSecret: string;
  publicBaseUrl: string;
  toleranceMs: number;
  clock: () => number;
}

export interface VerifyHubSpotOptions {
  /**
   * Workflow custom actions are documented as v2-signed: accept v2 when no v3 header is present.
   * Webhooks and cards accept v3 only (it carries a timestamp, so a replay expires).
   */
  allowV2?: boolean;
}

const KNOWN_VERSIONS = new Set(['v1', 'v2', 'v3']);

function header(req: Parameters<RequestHandler>[0], name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function verifyHubSpot(settings: SignatureSettings, options: VerifyHubSpotOptions = {}): RequestHandler {
  return (req, _res, next) => {
    const uri = `${settings.publicBaseUrl}${req.originalUrl}`;
    const rawBody = req.rawBody ?? Buffer.alloc(0);
    const v3 = header(req, 'x-hubspot-signature-v3');
    const version = header(req, 'x-hubspot-signature-version');
    try {
      if (version !== undefined && !KNOWN_VERSIONS.has(version.trim().toLowerCase())) {
        throw new SignatureError(`unknown X-HubSpot-Signature-Version "${version.slice(0, 20)}"`);
      }
      if (v3 !== undefined || !options.allowV2) {
        verifyHubSpotSignature(
          { method: req.method, uri, rawBody, signature: v3, timestamp: header(req, 'x-hubspot-request-timestamp') },
          { secret: settings.clientSecret, now: settings.clock(), toleranceMs: settings.toleranceMs },
        );
      } else {
        if (version?.trim().toLowerCase() !== 'v2')
          throw new SignatureError('workflow actions must be signed with v3, or v2 with X-HubSpot-Signature-Version: v2');
        verifyLegacySignature('v2', { method: req.method, uri, rawBody, signature: header(req, 'x-hubspot-signature') }, settings.clientSecret);
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}
