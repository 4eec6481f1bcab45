import { hubspot } from '@hubspot/ui-extensions';
import { describe, expect, it, vi } from 'vitest';
import { CardApiError } from '../../../../../extensions/app/cards/api/errors.js';
import { getDealCard } from '../../../../../extensions/app/cards/api/get-deal-card.js';
import { getHome } from '../../../../../extensions/app/cards/api/get-home.js';
import { postRegistrationAction } from '../../../../../extensions/app/cards/api/post-registration-action.js';
import { runRegistrationAction } from '../../../../../extensions/app/cards/api/run-registration-action.js';
import { BACKEND, homeView } from '../../../fixtures/card-views.js';

const answer = (status: number, body: string) => vi.spyOn(hubspot, 'fetch').mockResolvedValue(new Response(body, { status }));

async function failureOf(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const err = await promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  );
  if (!(err instanceof CardApiError)) throw err;
  return { status: err.status, code: err.code, message: err.message };
}

describe('card API boundary', () => {
  it('a record id is one encoded path segment under the backend origin', async () => {
    const spy = answer(404, JSON.stringify({ error: { code: 'not_found', message: 'No deal 1/2.' } }));
    await failureOf(getDealCard('1/2'));
    expect(spy.mock.calls[0]?.[0]).toBe(`${BACKEND}/api/cards/deals/1%2F2`);
  });

  it('an action posts its body as a plain object (HubSpot serialises it), with the 10 s timeout', async () => {
    const spy = answer(200, JSON.stringify({ ok: true, message: 'Registration approved.', registrationVersion: 'v2' }));
    await expect(postRegistrationAction('101', { action: 'approve', expectedVersion: 'v1' })).resolves.toEqual({
      ok: true,
      message: 'Registration approved.',
      registrationVersion: 'v2',
    });
    expect(spy.mock.calls[0]).toEqual([
      `${BACKEND}/api/cards/deals/101/registration`,
      { method: 'POST', timeout: 10_000, body: { action: 'approve', expectedVersion: 'v1' } },
    ]);
  });

  it('fields the contract does not know are dropped, not refused', async () => {
    answer(200, JSON.stringify({ ...homeView(), experimental: { anything: 1 } }));
    await expect(getHome()).resolves.toEqual(homeView());
  });

  it.each([
    {
      label: 'an error body from the backend: its message and code',
      status: 403,
      body: JSON.stringify({ error: { code: 'not_a_partner_manager', message: 'Only partner managers can approve: Dana Reyes.' } }),
      expected: { status: 403, code: 'not_a_partner_manager', message: 'Only partner managers can approve: Dana Reyes.' },
    },
    {
      label: "HubSpot's own 429 (over 20 concurrent requests): try again shortly",
      status: 429,
      body: '',
      expected: {
        status: 429,
        code: 'http_429',
        message: 'HubSpot is limiting requests to the partner-program service right now. Try again in a few seconds.',
      },
    },
    {
      label: 'a 5xx that is not JSON: the service is unavailable',
      status: 504,
      body: '<html>Gateway Timeout</html>',
      expected: { status: 504, code: 'http_504', message: 'The partner-program service is unavailable (HTTP 504). Try again in a moment.' },
    },
    {
      label: 'a 4xx without the error shape: refused, with the status',
      status: 400,
      body: JSON.stringify({ message: 'bad' }),
      expected: { status: 400, code: 'http_400', message: 'The partner-program service refused the request (HTTP 400).' },
    },
    {
      label: 'a 200 that breaks the contract: names where',
      status: 200,
      body: JSON.stringify({ ...homeView(), queue: [{ ...homeView().queue[0], status: 'approved' }] }),
      expected: {
        status: 200,
        code: 'invalid_response',
        message:
          'The partner-program service sent a response this card cannot read (at queue.0.status). Refresh the page; if it persists, the card and the service are out of step.',
      },
    },
  ])('$label', async ({ status, body, expected }) => {
    answer(status, body);
    expect(await failureOf(getHome())).toEqual(expected);
  });

  it('a backend that cannot be reached (timeout, network) is status 0 with the reason', async () => {
    vi.spyOn(hubspot, 'fetch').mockRejectedValue(new Error('Request timed out after 10000ms'));
    expect(await failureOf(getHome())).toEqual({
      status: 0,
      code: 'unreachable',
      message: 'Could not reach the partner-program service: Request timed out after 10000ms',
    });
  });

  it.each([
    { status: 409, stale: true },
    { status: 403, stale: false },
  ])('a refused registration action is an outcome, stale only on 409 (HTTP $status)', async ({ status, stale }) => {
    answer(status, JSON.stringify({ error: { code: 'refused', message: 'The registration changed.' } }));
    await expect(runRegistrationAction('101', { action: 'approve', expectedVersion: 'v1' })).resolves.toEqual({
      ok: false,
      message: 'The registration changed.',
      stale,
    });
  });
});
