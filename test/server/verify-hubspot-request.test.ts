/**
 * Our request signatures against HubSpot's own implementation (`Signature` of @hubspot/api-client, kept as a
 * dev dependency for this check only: the app's calls no longer go through that package, docs/hubspot-api.md).
 */
import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { SignatureError } from '../../src/errors.js';
import { signHubSpotRequest, verifyHubSpotSignature } from '../../src/server/verify-hubspot-request.js';

const secret = 'a1b2c3d4-client-secret';
const uri = 'https://pp.example.com/hubspot/actions/schedule-payouts?portalId=1234567';
const rawBody = JSON.stringify({ callbackId: 'ap-1-2-3', object: { objectId: 9001, objectType: 'DEAL' } });
const timestamp = 1_764_000_000_000;

describe('signatures agree with HubSpot’s Signature helper', () => {
  it.each(['v1', 'v2', 'v3'] as const)('%s: the signature we produce is the one HubSpot’s helper computes', (version) => {
    const headers = signHubSpotRequest({ method: 'POST', uri, rawBody, timestamp, secret, version });
    const ours = version === 'v3' ? headers['x-hubspot-signature-v3'] : headers['x-hubspot-signature'];
    const theirs = Signature.getSignature('POST', version, { signature: '', clientSecret: secret, requestBody: rawBody, url: uri, timestamp });
    expect(ours).toBe(theirs);
  });

  it('v3: a signature made by HubSpot’s helper passes our check; one made with another secret does not', () => {
    const signature = Signature.getSignature('POST', 'v3', { signature: '', clientSecret: secret, requestBody: rawBody, url: uri, timestamp });
    const forged = Signature.getSignature('POST', 'v3', { signature: '', clientSecret: 'not-the-secret', requestBody: rawBody, url: uri, timestamp });

    expect(() => verifyHubSpotSignature({ method: 'POST', uri, rawBody, timestamp, signature }, { secret, now: timestamp + 1_000 })).not.toThrow();
    expect(() => verifyHubSpotSignature({ method: 'POST', uri, rawBody, timestamp, signature: forged }, { secret, now: timestamp + 1_000 })).toThrow(
      SignatureError,
    );
  });
});
