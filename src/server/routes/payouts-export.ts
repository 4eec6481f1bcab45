/**
 * GET /api/payouts/export.csv?from=YYYY-MM-DD&to=YYYY-MM-DD[&status=][&partnerId=] — the payouts CSV.
 *
 * Off (404 to everyone) unless ADMIN_TOKEN is set, as the configuration table says. Then three ways in,
 * checked in this order, the first one present decides:
 * 1. a signed download link (`by` + `expires` + `sig`, made by `createExportLink` for the card: a browser
 *    following a link carries no HubSpot signature); the user it names must still be finance or a partner manager;
 * 2. a signed card request (X-HubSpot-Signature-v3 through `hubspot.fetch`), read like every card request (one
 *    user, one portal, this portal) and allowed for finance users and partner managers only;
 * 3. the admin token (`Authorization: Bearer <ADMIN_TOKEN>`), for finance scripts and curl.
 * Anything else is 401; a known caller without the role is 403. A query naming a parameter twice is 400 before
 * anything else (the signed value and the value used must be the same one). The query is validated after the
 * caller is known (400 with the reasons).
 */
import { Router, type Request } from 'express';
import { safeEqual } from '../../safe-equal.js';
import { ForbiddenError, NotFoundError, PayloadError, SignatureError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { EXPORT_LINK_PARAMS, verifyExportLink, type ExportQuery } from '../../services/export-link.js';
import { exportFileName, parseExportQuery, type PayoutExport, type PayoutExportQuery } from '../../services/export-payouts.js';
import { readCardIdentity, requireUser } from '../cards/request-identity.js';
import { verifyHubSpot, type SignatureSettings } from '../middleware/verify-hubspot.js';

export const PAYOUTS_EXPORT_PATH = '/api/payouts/export.csv';

export interface PayoutsExportRouteDeps {
  signature: SignatureSettings;
  /** ADMIN_TOKEN; unset: the export is off and answers 404. */
  adminToken: string | undefined;
  /** HUBSPOT_PORTAL_ID: a card request from another portal is refused (403). */
  portalId?: string | undefined;
  /** Whether this HubSpot user is a finance user or a partner manager (looked up on the server, never from the request). */
  mayExport(userId: string): Promise<boolean>;
  exportPayouts(query: PayoutExportQuery): Promise<Pick<PayoutExport, 'csv' | 'summary'>>;
  logger: Logger;
}

type Caller = { via: 'link' | 'card'; userId: string } | { via: 'admin' };

/** The query as signed: every name once, plain (no `a[]=`), else 400. */
function singleValuedQuery(originalUrl: string): Map<string, string> {
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

export function payoutsExportRoutes(deps: PayoutsExportRouteDeps): Router {
  const router = Router();
  const verifyCard = verifyHubSpot(deps.signature);
  const forbidden = (userId: string) =>
    new ForbiddenError(`Only finance users and partner managers can download payouts, and user ${userId} is neither.`);

  async function authorize(req: Request, q: Map<string, string>): Promise<Caller> {
    if (q.has('sig') || q.has('expires')) {
      for (const name of q.keys()) if (!EXPORT_LINK_PARAMS.has(name)) throw new SignatureError('this download link is invalid or has expired; ask the card for a new one');
      const link: ExportQuery = { from: q.get('from') ?? '', to: q.get('to') ?? '', status: q.get('status'), partnerId: q.get('partnerId'), by: q.get('by') ?? '' };
      const ok = verifyExportLink(link, Number(q.get('expires')), q.get('sig') ?? '', deps.signature.clientSecret, deps.signature.clock());
      if (!ok) throw new SignatureError('this download link is invalid or has expired; ask the card for a new one');
      if (!(await deps.mayExport(link.by))) throw forbidden(link.by);
      return { via: 'link', userId: link.by };
    }
    if (req.headers['x-hubspot-signature-v3'] !== undefined) {
      await new Promise<void>((resolve, reject) => verifyCard(req, {} as never, (err?: unknown) => (err ? reject(err) : resolve())));
      const identity = readCardIdentity(req.originalUrl);
      if (deps.portalId !== undefined && identity.portalId !== deps.portalId) {
        throw new ForbiddenError(`This partner-program service serves HubSpot account ${deps.portalId}, not ${identity.portalId ?? 'an unnamed one'}.`);
      }
      const userId = requireUser(identity);
      if (!(await deps.mayExport(userId))) throw forbidden(userId);
      return { via: 'card', userId };
    }
    const auth = req.headers.authorization ?? '';
    if (auth.startsWith('Bearer ')) {
      if (deps.adminToken && safeEqual(auth.slice(7), deps.adminToken)) return { via: 'admin' };
      throw new SignatureError('the admin token is not valid');
    }
    throw new SignatureError('a signed download link, a signed HubSpot request or the admin token is required');
  }

  router.get(PAYOUTS_EXPORT_PATH, async (req, res) => {
    if (!deps.adminToken) throw new NotFoundError('No such route.');
    const q = singleValuedQuery(req.originalUrl);
    const caller = await authorize(req, q);
    const query = parseExportQuery({ from: q.get('from'), to: q.get('to'), status: q.get('status'), partnerId: q.get('partnerId') });
    const result = await deps.exportPayouts(query);
    deps.logger.info({ caller, ...query, rows: result.summary.rows }, 'payouts exported');
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${exportFileName(query)}"`);
    // Payout data: never kept by a browser or a proxy.
    res.setHeader('Cache-Control', 'no-store');
    res.send(result.csv);
  });
  return router;
}
