/**
 * GET /api/results/export.csv?from=YYYY-MM-DD&to=YYYY-MM-DD — the program results CSV (RULES.md "Program
 * results"); without from and to, the current calendar year.
 *
 * The same three ways in as the payouts export, first present decides: a signed download link (made by
 * `createResultsLink` for the home page), a signed card request, or the admin token. A results link signs its
 * query with a fixed marker in the place of the payouts link's status, so a payouts link never opens the results
 * and a results link never opens the payouts.
 */
import { Router, type Request } from 'express';
import { SignatureError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { safeEqual } from '../../safe-equal.js';
import { createExportLink, verifyExportLink } from '../../services/export-link.js';
import { parseResultsPeriod, resultsFileName } from '../../services/program-results.js';
import type { ResultsPeriod } from '../../engine/results.js';
import { verifyHubSpot, type SignatureSettings } from '../middleware/verify-hubspot.js';

export const RESULTS_EXPORT_PATH = '/api/results/export.csv';
const LINK_MARK = 'program-results';

export interface ResultsExportRouteDeps {
  signature: SignatureSettings;
  /** ADMIN_TOKEN; unset: the admin way in is closed. */
  adminToken: string | undefined;
  timeZone: string;
  exportResults(period: ResultsPeriod): Promise<string>;
  logger: Logger;
}

/** A link to the results CSV of a period that expires (15 minutes by default), for the home page. */
export function createResultsLink(opts: { publicBaseUrl: string; secret: string; period: ResultsPeriod; now: number; ttlMs?: number }): string {
  const url = createExportLink({ publicBaseUrl: opts.publicBaseUrl, secret: opts.secret, query: { ...opts.period, status: LINK_MARK }, now: opts.now, ...(opts.ttlMs ? { ttlMs: opts.ttlMs } : {}) });
  return url.replace('/api/payouts/export.csv', RESULTS_EXPORT_PATH);
}

const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function resultsExportRoutes(deps: ResultsExportRouteDeps): Router {
  const router = Router();
  const verifyCard = verifyHubSpot(deps.signature);

  async function authorize(req: Request): Promise<'link' | 'card' | 'admin'> {
    const q = req.query as Record<string, unknown>;
    if (q.sig !== undefined || q.expires !== undefined) {
      const ok =
        single(q.status) === LINK_MARK &&
        verifyExportLink(
          { from: single(q.from) ?? '', to: single(q.to) ?? '', status: LINK_MARK },
          Number(single(q.expires)),
          single(q.sig) ?? '',
          deps.signature.clientSecret,
          deps.signature.clock(),
        );
      if (!ok) throw new SignatureError('this download link is invalid or has expired; open the home page for a new one');
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

  router.get(RESULTS_EXPORT_PATH, async (req, res) => {
    const caller = await authorize(req);
    const q = req.query as Record<string, unknown>;
    const period = parseResultsPeriod({ from: q.from, to: q.to }, deps.signature.clock(), deps.timeZone);
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
