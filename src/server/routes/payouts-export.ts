/**
 * GET /api/payouts/export.csv?from=YYYY-MM-DD&to=YYYY-MM-DD[&status=][&partnerId=] — the payouts CSV.
 *
 * Who may download it (off without ADMIN_TOKEN; a signed link, a signed card request from finance or a partner
 * manager, or the admin token): export-access.ts. The query is validated after the caller is known (400 with the
 * reasons).
 */
import { Router } from 'express';
import type { Logger } from '../../logger.js';
import { exportFileName, parseExportQuery, type PayoutExport, type PayoutExportQuery } from '../../services/export-payouts.js';
import { exportAccess, type ExportAccessDeps } from './export-access.js';

export const PAYOUTS_EXPORT_PATH = '/api/payouts/export.csv';

export interface PayoutsExportRouteDeps extends ExportAccessDeps {
  exportPayouts(query: PayoutExportQuery): Promise<Pick<PayoutExport, 'csv' | 'summary'>>;
  logger: Logger;
}

export function payoutsExportRoutes(deps: PayoutsExportRouteDeps): Router {
  const router = Router();
  const authorize = exportAccess(deps, 'payouts');

  router.get(PAYOUTS_EXPORT_PATH, async (req, res) => {
    const { query: q, caller } = await authorize(req);
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
