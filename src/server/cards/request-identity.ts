/**
 * Who sent a card request. HubSpot appends identifying query parameters to `hubspot.fetch` calls
 * (docs/hubspot.md#card-requests: `userId`, `portalId`, … — names unconfirmed, so the snake_case spellings are accepted too,
 * but never both in one request).
 * They are trusted only because the v3 signature covers the full URI with its query, so this middleware runs
 * after `verifyHubSpot`. Identity never comes from the body.
 */
import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { ForbiddenError, PayloadError } from '../../errors.js';

export interface CardIdentity {
  /** The HubSpot user id; null when HubSpot did not send one. */
  userId: string | null;
  portalId: string | null;
}

const hubspotId = z.string().regex(/^\d+$/, 'a numeric HubSpot id');

const USER_PARAMS = ['userId', 'user_id'] as const;
const PORTAL_PARAMS = ['portalId', 'portal_id'] as const;

/**
 * One value, named once (docs/program.md#who-may-change-what: who a card request comes from is read once, from what
 * HubSpot signed). The raw query is read with URLSearchParams, not Express's parser, so `userId[]=`,
 * `userId[x]=` and a repeat cannot hide: every name is counted as it appears in the signed URL. A parameter
 * given twice (even with one value), in two spellings, or empty is refused (400): the request is ambiguous
 * about who sent it, and the first-value-wins reading that let `?userId=<manager>&userId=<rep>` pass as the
 * manager is exactly what this closes.
 */
function idParam(params: URLSearchParams, names: readonly string[], what: string): string | null {
  const found: { name: string; value: string }[] = [];
  for (const [name, value] of params) {
    const bare = name.replace(/\[.*$/, '');
    if (names.includes(bare)) found.push({ name, value });
  }
  if (found.length === 0) return null;
  if (found.length > 1) {
    throw new PayloadError(`The request names its ${what} more than once (${found.map((f) => f.name).join(', ')}); it is refused as ambiguous.`);
  }
  const { name, value } = found[0]!;
  if (name !== names.find((n) => n === name)) throw new PayloadError(`The ${what} parameter ${name} is not a plain value.`);
  if (value === '') throw new PayloadError(`The request names an empty ${what} (${name}).`);
  const parsed = hubspotId.safeParse(value);
  if (!parsed.success) throw new PayloadError(`the ${what} HubSpot sent (${name}) is not a HubSpot id`);
  return parsed.data;
}

/** The identity in a signed URL's query string (`?` and before excluded or included: both work). */
export function readCardIdentity(queryString: string): CardIdentity {
  const q = queryString.includes('?') ? queryString.slice(queryString.indexOf('?') + 1) : queryString;
  const params = new URLSearchParams(q);
  return {
    userId: idParam(params, USER_PARAMS, 'user id'),
    portalId: idParam(params, PORTAL_PARAMS, 'portal id'),
  };
}

/**
 * Reads the identity into `res.locals` and refuses a request from another HubSpot account (403) when this
 * install is pinned to one (`HUBSPOT_PORTAL_ID`). A request naming no portal is accepted: the signature
 * already proves it came through this app, and a static-auth app is installed in one account.
 */
export function cardIdentity(opts: { portalId?: string | undefined }): RequestHandler {
  return (req, res, next) => {
    try {
      const identity = readCardIdentity(req.originalUrl);
      if (opts.portalId !== undefined && identity.portalId !== null && identity.portalId !== opts.portalId) {
        throw new ForbiddenError(`This partner-program service serves HubSpot account ${opts.portalId}, not ${identity.portalId}.`);
      }
      res.locals['cardIdentity'] = identity;
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function identityOf(res: Response): CardIdentity {
  const identity = res.locals['cardIdentity'] as CardIdentity | undefined;
  if (!identity) throw new Error('cardIdentity middleware did not run');
  return identity;
}

/** The user id a change is recorded under; a change by nobody in particular is refused. */
export function requireUser(identity: CardIdentity): string {
  if (identity.userId === null) {
    throw new ForbiddenError('HubSpot did not say which user sent this request, so nothing can be changed on its behalf. Reload the page and try again.');
  }
  return identity.userId;
}
