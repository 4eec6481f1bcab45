/**
 * GET /api/payouts/export.csv?from=YYYY-MM-DD&to=YYYY-MM-DD[&status=][&partnerId=] — the payouts CSV.
 *
 * Three ways in, checked in this order, the first one present decides:
 * 1. a signed download link (`expires` + `sig`, made by `createExportLink` for the card: a browser following a
 *    link carries no HubSpot signature);
 * 2. a signed card request (X-HubSpot-Signature-v3 through `hubspot.fetch`);
 * 3. the admin token (`Authorization: Bearer <ADMIN_TOKEN>`), for finance scripts and curl.
 * Anything else is 401. The query is validated after the caller is known (400 with the reasons).
 */
import { Router, type Request } from 'express';
import { safeEqual } from '../../safe-equal.js';
import { SignatureError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { verifyExportLink, type ExportQuery } from '../../services/export-link.js';
import { exportFileName, parseExportQuery, type PayoutExport, type PayoutExportQuery } from '../../services/export-payouts.js';
import { verifyHubSpot, type SignatureSettings } from '../middleware/verify-hubspot.js';

export const PAYOUTS_EXPORT_PATH = '/api/payouts/export.csv';

export interface PayoutsExportRouteDeps {
  signature: SignatureSettings;
  /** ADMIN_TOKEN; unset: the admin way in is closed (links and card requests still work). */
  adminToken: string | undefined;
  exportPayouts(query: PayoutExportQuery): Promise<Pick<PayoutExport, 'csv' | 'summary'>>;
  logger: Logger;
}

type Caller = 'link' | 'card' | 'admin';

function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function payoutsExportRoutes(deps: PayoutsExportRouteDeps): Router {
  const router = Router();
  const verifyCard = verifyHubSpot(deps.signature);

  async function authorize(req: Request): Promise<Caller> {
    const q = req.query as Record<string, unknown>;
    if (q.sig !== undefined || q.expires !== undefined) {
      const link: ExportQuery = { from: single(q.from) ?? '', to: single(q.to) ?? '', status: single(q.status), partnerId: single(q.partnerId) };
      const ok = verifyExportLink(link, Number(single(q.expires)), single(q.sig) ?? '', deps.signature.clientSecret, deps.signature.clock());
      if (!ok) throw new SignatureError('this download link is invalid or has expired; ask the card for a new one');
      return 'link';
    }
    if (req.headers['x-hubspot-signature-v3'] !== undefined) {
      await new Promise<void>((resolve, reject) => verifyCard(req, {} as never, (err?: unknown) => (err ? reject(err) : resolve())));
      return 'card';
    }
    const auth = req.headers.authorization ?? '';
    if (auth.startsWith('Bearer ')) {
      if (deps.adminToken && safeEqual(auth.slice(7), deps.adminToken)) return 'admin';
      throw new SignatureError('the admin token is not valid');
    }
    throw new SignatureError('a signed download link, a signed HubSpot request or the admin token is required');
  }

  router.get(PAYOUTS_EXPORT_PATH, async (req, res) => {
    const caller = await authorize(req);
    const q = req.query as Record<string, unknown>;
    const query = parseExportQuery({ from: q.from, to: q.to, status: q.status, partnerId: q.partnerId });
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
