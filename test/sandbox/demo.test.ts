/**
 * The demo portal `npm start` boots without a HubSpot token: reachable with the token it returns, seeded,
 * and under HubSpot's Free/Starter burst limit so the app's limiter has something to respect.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoPortal, type DemoPortal } from '../../sandbox/demo.js';
import { hubspotPaths } from '../../src/hubspot/api-paths.js';
import { sandboxHttp } from '../helpers/sandbox-http.js';

let portal: DemoPortal | undefined;

afterEach(async () => {
  await portal?.close();
  portal = undefined;
});

describe('startDemoPortal', () => {
  it('answers the returned token with the seeded deals and the Starter limit headers (100 per 10 s)', async () => {
    portal = await startDemoPortal({ now: Date.UTC(2026, 4, 20) });
    const res = await fetch(`${portal.url}/crm/objects/2026-09/deals/${portal.ids.deals.rule1Tier1}?properties=dealname`, {
      headers: { authorization: `Bearer ${portal.accessToken}` },
    });
    const body = (await res.json()) as { properties: { dealname: string } };
    expect([
      res.status,
      body.properties.dealname,
      res.headers.get('x-hubspot-ratelimit-max'),
      res.headers.get('x-hubspot-ratelimit-interval-milliseconds'),
    ]).toEqual([200, 'Demo · Rule 1 · tier_1 consultant $600k (12%)', '100', '10000']);
  });

  it('refuses any other token, so a misconfigured app fails loudly', async () => {
    portal = await startDemoPortal();
    const err = await sandboxHttp(portal.url, `${portal.accessToken}-not`).fail('GET', hubspotPaths.pipelines('deals'));
    expect(err.code).toBe(401);
  });
});
