/**
 * Verifies the HubSpot signature of every inbound HubSpot request (webhooks, card fetches, workflow actions).
 * The signed URI is the public one HubSpot called: behind a proxy it is rebuilt from PUBLIC_BASE_URL plus the
 * original path and query, never from the Host header a client controls.
 */
import type { RequestHandler } from 'express';
import { SignatureError } from '../../errors.js';
import { verifyHubSpotSignature, verifyLegacySignature } from '../../webhooks/signature.js';

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

function header(req: Parameters<RequestHandler>[0], name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function verifyHubSpot(settings: SignatureSettings, options: VerifyHubSpotOptions = {}): RequestHandler {
  return (req, _res, next) => {
    const uri = `${settings.publicBaseUrl}${req.originalUrl}`;
    const rawBody = req.rawBody ?? Buffer.alloc(0);
    const v3 = header(req, 'x-hubspot-signature-v3');
    try {
      if (v3 || !options.allowV2) {
        verifyHubSpotSignature(
          { method: req.method, uri, rawBody, signature: v3, timestamp: header(req, 'x-hubspot-request-timestamp') },
          { secret: settings.clientSecret, now: settings.clock(), toleranceMs: settings.toleranceMs },
        );
      } else {
        const version = header(req, 'x-hubspot-signature-version') === 'v1' ? 'v1' : 'v2';
        if (version !== 'v2') throw new SignatureError('workflow actions must be signed with v2 or v3');
        verifyLegacySignature('v2', { method: req.method, uri, rawBody, signature: header(req, 'x-hubspot-signature') }, settings.clientSecret);
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}
