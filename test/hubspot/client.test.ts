import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { updateDeals } from '../../src/hubspot/deals.js';
import { HubSpotClientError, HubSpotRateLimitError, HubSpotResponseError, HubSpotServerError } from '../../src/hubspot/errors.js';
import type { HubSpot } from '../../src/hubspot/client.js';
import { BASE, NOW, TOKEN, fixture, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

const UPDATE = '/crm/objects/2026-09/deals/batch/update';
const oneUpdate = [{ id: '9001', properties: { pp_commission_total: '36000.00' } }];
const updated = fixture('deals-batch-read-200');
/** The batch update as one raw request: updateDeals itself sets a refused record aside (test/hubspot/deals.test.ts). */
const rawUpdate = (hs: HubSpot) => hs.request('deals.batchUpdate', { method: 'POST', path: UPDATE, body: { inputs: oneUpdate } });

describe('hs.request: one shared policy for every HubSpot request', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('a 429 with Retry-After: 2 pauses every process for 2 s, sleeps 2000 ms, then writes exactly once', async () => {
    const t = testHubSpot();
    let writes = 0;
    const scope = nock(BASE)
      .post(UPDATE)
      .reply(429, fixture('rate-limit-429-ten-secondly'), { 'Retry-After': '2', 'x-hubspot-correlation-id': 'corr-429' })
      .post(UPDATE, (body: { inputs: unknown[] }) => {
        expect(body).toEqual({ inputs: [{ id: '9001', properties: { pp_commission_total: '36000.00' } }] });
        return true;
      })
      .reply(200, () => {
        writes++;
        return updated;
      });

    await updateDeals(t.hs, oneUpdate);

    expect(scope.isDone()).toBe(true);
    expect(writes).toBe(1);
    expect(t.sleeps).toEqual([2000]);
    expect(t.limiter.pauses).toEqual([NOW + 2000]);
    expect(t.limiter.acquired).toBe(2);
    expect(t.calls.map((c) => [c.status, c.attempt])).toEqual([
      [429, 1],
      [200, 2],
    ]);
    expect(t.calls[0]?.requestId).toBe('corr-429');
  });

  it.each([
    ['X-HubSpot-RateLimit-Interval-Milliseconds when there is no Retry-After', { 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' }, 10_000],
    ['10 s for TEN_SECONDLY_ROLLING when HubSpot sends neither header', {}, 10_000],
  ])('a 429 waits %s', async (_label, headers, expected) => {
    const t = testHubSpot();
    nock(BASE).post(UPDATE).reply(429, fixture('rate-limit-429-ten-secondly'), headers).post(UPDATE).reply(200, updated);

    await updateDeals(t.hs, oneUpdate);

    expect(t.sleeps).toEqual([expected]);
    expect(t.limiter.pauses).toEqual([NOW + expected]);
  });

  it('a DAILY 429 is not retried: it throws HubSpotRateLimitError with the DAILY policy at once', async () => {
    const t = testHubSpot();
    const scope = nock(BASE).post(UPDATE).reply(429, fixture('rate-limit-429-daily'));

    const err = await updateDeals(t.hs, oneUpdate).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotRateLimitError);
    expect(err).toMatchObject({ policy: 'DAILY', retryable: true, correlationId: 'c033cdaa-2c40-4a64-ae48-b4cec88dad24' });
    // 2025-03-05T14:00Z → next UTC midnight is 10 h away.
    expect((err as HubSpotRateLimitError).retryAfterMs).toBe(10 * 3600 * 1000);
    expect(scope.isDone()).toBe(true);
    expect(t.calls).toHaveLength(1);
    expect(t.sleeps).toEqual([]);
    expect(t.limiter.pauses).toEqual([]);
  });

  it('429s beyond the bounded number of waits throw HubSpotRateLimitError with retryAfterMs', async () => {
    const t = testHubSpot({ retry: { maxRateLimitWaits: 2 } });
    nock(BASE).post(UPDATE).times(3).reply(429, fixture('rate-limit-429-ten-secondly'), { 'Retry-After': '3' });

    const err = await updateDeals(t.hs, oneUpdate).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotRateLimitError);
    expect(err).toMatchObject({ retryAfterMs: 3000, policy: 'TEN_SECONDLY_ROLLING', retryable: true });
    expect(t.sleeps).toEqual([3000, 3000]);
    expect(t.calls).toHaveLength(3);
  });

  it('500 twice then 200: one write, 3 calls, and the backoff grows (full jitter, random fixed at 0.5)', async () => {
    const t = testHubSpot();
    let writes = 0;
    nock(BASE)
      .post(UPDATE)
      .twice()
      .reply(500, { status: 'error', message: 'internal error', correlationId: 'corr-500', category: 'INTERNAL_ERROR' })
      .post(UPDATE)
      .reply(200, () => {
        writes++;
        return updated;
      });

    await updateDeals(t.hs, oneUpdate);

    expect(writes).toBe(1);
    expect(t.calls.map((c) => c.status)).toEqual([500, 500, 200]);
    expect(t.sleeps).toEqual([250, 500]);
    expect(t.limiter.pauses).toEqual([]);
  });

  it('5xx on every attempt ends in a retryable HubSpotServerError after maxAttempts calls, backoff capped', async () => {
    const t = testHubSpot({ retry: { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 1500 } });
    const scope = nock(BASE).post(UPDATE).times(4).reply(502, '<html>Bad Gateway</html>', { 'Content-Type': 'text/html' });

    const err = await updateDeals(t.hs, oneUpdate).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotServerError);
    expect(err).toMatchObject({ hubspotStatus: 502, retryable: true });
    expect(scope.isDone()).toBe(true);
    expect(t.sleeps).toEqual([250, 500, 750]);
  });

  it('a network failure is retried like a 5xx and reported as status "network"', async () => {
    const t = testHubSpot();
    nock(BASE)
      .post(UPDATE)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .post(UPDATE)
      .reply(200, updated);

    await updateDeals(t.hs, oneUpdate);

    expect(t.calls.map((c) => c.status)).toEqual(['network', 200]);
    expect(t.sleeps).toEqual([250]);
  });

  it('a request with no answer within timeoutMs counts as a network failure and is retried', async () => {
    const t = testHubSpot({ timeoutMs: 50 });
    nock(BASE).post(UPDATE).delay(1_000).reply(200, updated).post(UPDATE).reply(200, updated);

    await updateDeals(t.hs, oneUpdate);

    expect(t.calls.map((c) => c.status)).toEqual(['network', 200]);
  });

  it('a 400 throws a non-retryable HubSpotClientError with HubSpot category, message and correlation id, after exactly 1 call', async () => {
    const t = testHubSpot();
    const scope = nock(BASE).post(UPDATE).reply(400, fixture('error-400-validation'));

    const err = await rawUpdate(t.hs).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotClientError);
    expect(err).toMatchObject({
      hubspotStatus: 400,
      category: 'VALIDATION_ERROR',
      correlationId: '5f0e4c1a-9f2b-4d7e-8a3c-2b6d1e0f9a77',
      retryable: false,
      operation: 'deals.batchUpdate',
    });
    expect((err as Error).message).toContain('Property values were not valid');
    expect(scope.isDone()).toBe(true);
    expect(t.calls).toHaveLength(1);
    expect(t.sleeps).toEqual([]);
  });

  it('logs each failure with the operation, status and correlation id, and never the access token', async () => {
    const t = testHubSpot();
    nock(BASE).post(UPDATE).reply(400, fixture('error-400-validation'), { 'x-hubspot-correlation-id': 'corr-header' });

    await rawUpdate(t.hs).catch(() => undefined);

    expect(t.logLines).toHaveLength(1);
    expect(JSON.parse(t.logLines[0] ?? '{}')).toMatchObject({ operation: 'deals.batchUpdate', status: 400, correlationId: 'corr-header' });
    expect(t.logLines.join('\n')).not.toContain(TOKEN);
  });

  it('sends the access token as a Bearer header to the configured basePath', async () => {
    const t = testHubSpot();
    const scope = nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .post(UPDATE)
      .reply(200, updated);

    await updateDeals(t.hs, oneUpdate);

    expect(scope.isDone()).toBe(true);
  });

  it('a 2xx whose body is not JSON (a proxy page) is retried like no answer, then the real answer is used', async () => {
    const t = testHubSpot();
    nock(BASE).post(UPDATE).reply(200, '<html>maintenance</html>', { 'Content-Type': 'text/html' }).post(UPDATE).reply(200, updated);

    await updateDeals(t.hs, oneUpdate);

    expect(t.calls.map((c) => c.status)).toEqual(['network', 200]);
    expect(t.limiter.acquired).toBe(2);
  });

  it('request(): sends JSON with the query string (arrays repeat the name), answers status, lower-case headers and data', async () => {
    const t = testHubSpot();
    nock(BASE, { reqheaders: { 'content-type': 'application/json', accept: 'application/json' } })
      .post('/crm/objects/2026-09/deals/batch/read', { inputs: [{ id: '1' }] })
      .query({ archived: 'false', properties: ['a', 'b'] })
      .reply(207, { results: [] }, { 'X-HubSpot-Correlation-Id': 'corr-207' });

    const res = await t.hs.request('deals.batchRead', {
      method: 'POST',
      path: '/crm/objects/2026-09/deals/batch/read',
      query: { archived: false, properties: ['a', 'b'], after: undefined },
      body: { inputs: [{ id: '1' }] },
    });

    expect(res).toEqual({ status: 207, headers: expect.objectContaining({ 'x-hubspot-correlation-id': 'corr-207' }), data: { results: [] } });
    expect(t.calls).toEqual([{ operation: 'deals.batchRead', status: 207, attempt: 1, durationMs: 0, requestId: 'corr-207' }]);
  });

  it('request(): a 204 answers data undefined; a redirect is reported as an unexpected answer, not followed', async () => {
    const t = testHubSpot();
    nock(BASE)
      .post('/automation/actions/callbacks/2026-09/cb-1/complete')
      .reply(204)
      .get('/crm/pipelines/2026-09/deals')
      .reply(301, '', { Location: 'http://elsewhere.test/' });

    const done = await t.hs.request('callbacks.complete', { method: 'POST', path: '/automation/actions/callbacks/2026-09/cb-1/complete', body: {} });
    expect(done.status).toBe(204);
    expect(done.data).toBeUndefined();
    await expect(t.hs.request('pipelines.deals.getAll', { method: 'GET', path: '/crm/pipelines/2026-09/deals' })).rejects.toBeInstanceOf(HubSpotResponseError);
  });

  it('a 400 VALIDATION_ERROR keeps HubSpot’s error body on the error, for the rule’s message and context', async () => {
    const t = testHubSpot();
    nock(BASE).post(UPDATE).reply(400, fixture('error-400-validation'));

    const err = (await rawUpdate(t.hs).catch((e: unknown) => e)) as HubSpotClientError;

    expect(err.hubspotBody).toMatchObject({ category: 'VALIDATION_ERROR', message: expect.stringContaining('Property values were not valid') });
  });
});
