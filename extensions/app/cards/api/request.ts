/**
 * The one way the cards talk to the backend: hubspot.fetch (the sandbox has no fetch of its own), an explicit
 * timeout under HubSpot's 15 s ceiling, JSON validated before any component sees it, and every failure turned
 * into a CardApiError whose message a user can read.
 */
import { hubspot } from '@hubspot/ui-extensions';
import type { z } from 'zod';
import { BACKEND_ORIGIN } from './backend.js';
import { CardApiError, INVALID_RESPONSE, UNREACHABLE, errorMessage } from './errors.js';
import { cardErrorResponseSchema } from './schemas.js';

export const REQUEST_TIMEOUT_MS = 10_000;

export type CardRequest = { method: 'GET' } | { method: 'POST'; body: Record<string, unknown> };

/** `segment` is a record id from the CRM context; encoded so it can only ever be one path segment. */
export const pathSegment = (segment: string): string => encodeURIComponent(segment);

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function statusMessage(status: number): string {
  // HubSpot's proxy answers 429 itself past 20 concurrent requests per app and account.
  if (status === 429) return 'HubSpot is limiting requests to the partner-program service right now. Try again in a few seconds.';
  if (status >= 500) return `The partner-program service is unavailable (HTTP ${status}). Try again in a moment.`;
  return `The partner-program service refused the request (HTTP ${status}).`;
}

export async function requestCardApi<T>(path: string, schema: z.ZodType<T>, request: CardRequest = { method: 'GET' }): Promise<T> {
  let response: Response;
  try {
    response = await hubspot.fetch(`${BACKEND_ORIGIN}${path}`, {
      method: request.method,
      timeout: REQUEST_TIMEOUT_MS,
      ...(request.method === 'POST' ? { body: request.body } : {}),
    });
  } catch (err) {
    throw new CardApiError(`Could not reach the partner-program service: ${errorMessage(err)}`, 0, UNREACHABLE);
  }

  const payload = await readJson(response);
  if (!response.ok) {
    const body = cardErrorResponseSchema.safeParse(payload);
    if (body.success) throw new CardApiError(body.data.error.message, response.status, body.data.error.code);
    throw new CardApiError(statusMessage(response.status), response.status, `http_${response.status}`);
  }

  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'body';
    throw new CardApiError(
      `The partner-program service sent a response this card cannot read (at ${where}). Refresh the page; if it persists, the card and the service are out of step.`,
      response.status,
      INVALID_RESPONSE,
    );
  }
  return parsed.data;
}
