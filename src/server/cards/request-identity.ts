/**
 * Who sent a card request. HubSpot appends identifying query parameters to `hubspot.fetch` calls
 * (docs/hubspot.md#card-requests: `userId`, `portalId`, … — names unconfirmed, so the snake_case spellings are accepted too).
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

/** Express may hand a repeated parameter over as an array; HubSpot sends each once, so the first counts. */
function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function idParam(query: Record<string, unknown>, names: readonly string[], what: string): string | null {
  for (const name of names) {
    const raw = first(query[name]);
    if (raw === undefined || raw === '') continue;
    const parsed = hubspotId.safeParse(raw);
    if (!parsed.success) throw new PayloadError(`the ${what} HubSpot sent (${name}) is not a HubSpot id`);
    return parsed.data;
  }
  return null;
}

export function readCardIdentity(query: Record<string, unknown>): CardIdentity {
  return {
    userId: idParam(query, ['userId', 'user_id'], 'user id'),
    portalId: idParam(query, ['portalId', 'portal_id'], 'portal id'),
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
      const identity = readCardIdentity(req.query as Record<string, unknown>);
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
