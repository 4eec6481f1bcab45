/**
 * Download links for the payouts CSV. A card cannot carry the file (hubspot.fetch answers are capped at 1 MB,
 * docs/program.md#export), and a browser following a link sends no HubSpot signature, so the card backend hands out a link
 * whose query is signed with the app's client secret and expires. The export route accepts such a link, a
 * signed card request, or the admin token.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../safe-equal.js';

export interface ExportQuery {
  from: string;
  to: string;
  status?: string | undefined;
  partnerId?: string | undefined;
}

const FIELDS = ['from', 'to', 'status', 'partnerId'] as const;

function canonical(q: ExportQuery, expires: number): string {
  return [...FIELDS.map((f) => `${f}=${q[f] ?? ''}`), `expires=${expires}`].join('&');
}

function sign(q: ExportQuery, expires: number, secret: string): string {
  return createHmac('sha256', secret).update(canonical(q, expires)).digest('base64url');
}

export function createExportLink(opts: { publicBaseUrl: string; secret: string; query: ExportQuery; now: number; ttlMs?: number }): string {
  const expires = opts.now + (opts.ttlMs ?? 15 * 60_000);
  const params = new URLSearchParams();
  for (const f of FIELDS) if (opts.query[f]) params.set(f, opts.query[f]!);
  params.set('expires', String(expires));
  params.set('sig', sign(opts.query, expires, opts.secret));
  return `${opts.publicBaseUrl}/api/payouts/export.csv?${params.toString()}`;
}

/** True when `sig` signs exactly this query and the link has not expired. */
export function verifyExportLink(query: ExportQuery, expires: number, sig: string, secret: string, now: number): boolean {
  if (!Number.isFinite(expires) || expires < now) return false;
  return safeEqual(sign(query, expires, secret), sig);
}
