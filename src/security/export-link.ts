/**
 * Download links for the payouts CSV. A card cannot carry the file (hubspot.fetch answers are capped at 1 MB,
 * docs/program.md#export), and a browser following a link sends no HubSpot signature, so the card backend hands out a link
 * whose query is signed and expires. The export route accepts such a link, a signed card request, or the
 * admin token.
 *
 * The link is signed with a key derived for this purpose from the client secret (src/security/keys.ts), never
 * with the secret itself: a link's signature then proves nothing anywhere else, and the secret is used for one
 * thing only, checking HubSpot. The link names the user it was made for (`by`): the route checks again that
 * this user is finance or a partner manager, so a link forwarded after someone lost the role stops working.
 */
import { createHmac } from 'node:crypto';
import { deriveKey } from './keys.js';
import { safeEqual } from '../safe-equal.js';

export interface ExportQuery {
  from: string;
  to: string;
  status?: string | undefined;
  partnerId?: string | undefined;
  /** The HubSpot user the link was made for. */
  by: string;
}

const FIELDS = ['from', 'to', 'status', 'partnerId', 'by'] as const;
/** Every parameter a link may carry; anything else makes it invalid. */
export const EXPORT_LINK_PARAMS: ReadonlySet<string> = new Set([...FIELDS, 'expires', 'sig']);
export const EXPORT_LINK_TTL_MS = 15 * 60_000;

function canonical(q: ExportQuery, expires: number): string {
  return [...FIELDS.map((f) => `${f}=${encodeURIComponent(q[f] ?? '')}`), `expires=${expires}`].join('&');
}

function sign(q: ExportQuery, expires: number, clientSecret: string): string {
  return createHmac('sha256', deriveKey(clientSecret, 'export-link')).update(canonical(q, expires)).digest('base64url');
}

export function createExportLink(opts: { publicBaseUrl: string; secret: string; query: ExportQuery; now: number; ttlMs?: number }): string {
  const expires = opts.now + (opts.ttlMs ?? EXPORT_LINK_TTL_MS);
  const params = new URLSearchParams();
  for (const f of FIELDS) if (opts.query[f]) params.set(f, opts.query[f]!);
  params.set('expires', String(expires));
  params.set('sig', sign(opts.query, expires, opts.secret));
  return `${opts.publicBaseUrl}/api/payouts/export.csv?${params.toString()}`;
}

/** True when `sig` signs exactly this query, the link has not expired and lives no longer than links are made for. */
export function verifyExportLink(query: ExportQuery, expires: number, sig: string, secret: string, now: number): boolean {
  if (!Number.isFinite(expires) || expires < now || expires > now + EXPORT_LINK_TTL_MS) return false;
  if (!/^\d+$/.test(query.by)) return false;
  return safeEqual(sign(query, expires, secret), sig);
}
