/**
 * Who may download an export (payouts CSV, program results CSV): one check for both routes, so the two cannot
 * drift apart (docs/SECURITY.md).
 *
 * Off (404 to everyone) unless ADMIN_TOKEN is set, as the configuration table says. Then three ways in, checked
 * in this order, the first one present decides:
 * 1. a signed download link (`by` + `expires` + `sig`, made by `createExportLink` for a card: a browser following
 *    a link carries no HubSpot signature); the user it names must still be finance or a partner manager;
 * 2. a signed card request (X-HubSpot-Signature-v3 through `hubspot.fetch`), read like every card request (one
 *    user, one portal, this portal) and allowed for finance users and partner managers only;
 * 3. the admin token (`Authorization: Bearer <ADMIN_TOKEN>`), for finance scripts and curl.
 * Anything else is 401; a known caller without the role is 403. A query naming a parameter twice is 400 before
 * anything else (the signed value and the value used must be the same one).
 */
import type { Request } from 'express';
import { ForbiddenError, NotFoundError, PayloadError, SignatureError } from '../../errors.js';
import { safeEqual } from '../../safe-equal.js';
import { EXPORT_LINK_PARAMS, verifyExportLink, type ExportQuery } from '../../security/export-link.js';
import { readCardIdentity, requireUser } from '../cards/request-identity.js';
import { verifyHubSpot, type SignatureSettings } from '../middleware/verify-hubspot.js';

export interface ExportAccessDeps {
  signature: SignatureSettings;
  /** ADMIN_TOKEN; unset: the exports are off and answer 404. */
  adminToken: string | undefined;
  /** HUBSPOT_PORTAL_ID: a card request from another portal is refused (403). */
  portalId?: string | undefined;
  /** Whether this HubSpot user is a finance user or a partner manager (looked up on the server, never from the request). */
  mayExport(userId: string): Promise<boolean>;
}

export type ExportCaller = { via: 'link' | 'card'; userId: string } | { via: 'admin' };

/** The query as signed: every name once, plain (no `a[]=`), else 400. */
export function singleValuedQuery(originalUrl: string): Map<string, string> {
  const at = originalUrl.indexOf('?');
  const params = new URLSearchParams(at === -1 ? '' : originalUrl.slice(at + 1));
  const out = new Map<string, string>();
  for (const [name, value] of params) {
    if (out.has(name)) throw new PayloadError(`The query names ${name} more than once; it is refused as ambiguous.`);
    if (name.includes('[')) throw new PayloadError(`The query parameter ${name} is not a plain value.`);
    out.set(name, value);
  }
  return out;
}

/**
 * `authorize(req)`: the export's query (single-valued) and who asks, or a typed error (404 off, 400 ambiguous
 * query, 401 no or a bad credential, 403 no role). `what` names the data in the 403's words.
 */
export function exportAccess(deps: ExportAccessDeps, what: string) {
  const verifyCard = verifyHubSpot(deps.signature);
  const forbidden = (userId: string) => new ForbiddenError(`Only finance users and partner managers can download ${what}, and user ${userId} is neither.`);
  const badLink = () => new SignatureError('this download link is invalid or has expired; open the card again for a new one');

  return async function authorize(req: Request): Promise<{ query: Map<string, string>; caller: ExportCaller }> {
    if (!deps.adminToken) throw new NotFoundError('No such route.');
    const q = singleValuedQuery(req.originalUrl);
    if (q.has('sig') || q.has('expires')) {
      for (const name of q.keys()) if (!EXPORT_LINK_PARAMS.has(name)) throw badLink();
      const link: ExportQuery = {
        from: q.get('from') ?? '',
        to: q.get('to') ?? '',
        status: q.get('status'),
        partnerId: q.get('partnerId'),
        by: q.get('by') ?? '',
      };
      if (!verifyExportLink(link, Number(q.get('expires')), q.get('sig') ?? '', deps.signature.clientSecret, deps.signature.clock())) throw badLink();
      if (!(await deps.mayExport(link.by))) throw forbidden(link.by);
      return { query: q, caller: { via: 'link', userId: link.by } };
    }
    if (req.headers['x-hubspot-signature-v3'] !== undefined) {
      await new Promise<void>((resolve, reject) => verifyCard(req, {} as never, (err?: unknown) => (err ? reject(err) : resolve())));
      const identity = readCardIdentity(req.originalUrl);
      if (deps.portalId !== undefined && identity.portalId !== deps.portalId) {
        throw new ForbiddenError(`This partner-program service serves HubSpot account ${deps.portalId}, not ${identity.portalId ?? 'an unnamed one'}.`);
      }
      const userId = requireUser(identity);
      if (!(await deps.mayExport(userId))) throw forbidden(userId);
      return { query: q, caller: { via: 'card', userId } };
    }
    const auth = req.headers.authorization ?? '';
    if (auth.startsWith('Bearer ')) {
      if (safeEqual(auth.slice(7), deps.adminToken)) return { query: q, caller: { via: 'admin' } };
      throw new SignatureError('the admin token is not valid');
    }
    throw new SignatureError('a signed download link, a signed HubSpot request or the admin token is required');
  };
}
