/**
 * GET /api/results/export.csv?from=YYYY-MM-DD&to=YYYY-MM-DD — the program results CSV (docs/program.md#program-results);
 * without from and to, the current calendar year.
 *
 * Who may download it is decided exactly as for the payouts export (export-access.ts: off without ADMIN_TOKEN; a
 * signed link naming its user, a signed card request from finance or a partner manager, or the admin token). A
 * results link signs its query with a fixed marker in the place of the payouts link's status, so a payouts link
 * never opens the results and a results link never opens the payouts (its status is not a payout status: 400).
 */
import { Router } from 'express';
import { SignatureError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { createExportLink } from '../../security/export-link.js';
import { parseResultsPeriod, resultsFileName } from '../../services/program-results.js';
import type { ResultsPeriod } from '../../engine/results.js';
import { exportAccess, type ExportAccessDeps } from './export-access.js';

export const RESULTS_EXPORT_PATH = '/api/results/export.csv';
const LINK_MARK = 'program-results';

export interface ResultsExportRouteDeps extends ExportAccessDeps {
  timeZone: string;
  exportResults(period: ResultsPeriod): Promise<string>;
  logger: Logger;
}

/** A link to the results CSV of a period for one user, expiring (15 minutes by default), for the home page. */
export function createResultsLink(opts: { publicBaseUrl: string; secret: string; period: ResultsPeriod; by: string; now: number; ttlMs?: number }): string {
  const url = createExportLink({
    publicBaseUrl: opts.publicBaseUrl,
    secret: opts.secret,
    query: { ...opts.period, status: LINK_MARK, by: opts.by },
    now: opts.now,
    ...(opts.ttlMs ? { ttlMs: opts.ttlMs } : {}),
  });
  return url.replace('/api/payouts/export.csv', RESULTS_EXPORT_PATH);
}

export function resultsExportRoutes(deps: ResultsExportRouteDeps): Router {
  const router = Router();
  const authorize = exportAccess(deps, 'program results');

  router.get(RESULTS_EXPORT_PATH, async (req, res) => {
    const { query: q, caller } = await authorize(req);
    if (caller.via === 'link' && q.get('status') !== LINK_MARK) throw new SignatureError('this download link is not a program results link');
    const period = parseResultsPeriod({ from: q.get('from'), to: q.get('to') }, deps.signature.clock(), deps.timeZone);
    const csv = await deps.exportResults(period);
    deps.logger.info({ caller, ...period }, 'program results exported');
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${resultsFileName(period)}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(csv);
  });
  return router;
}
