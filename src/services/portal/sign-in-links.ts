/**
 * One-time sign-in links (docs/program.md: expire after 30 minutes, work once). The token is 32 random bytes in the
 * link; Redis keeps only its SHA-256, so a Redis dump holds no usable link. Consuming is one GETDEL: two
 * requests racing with the same link cannot both win. A used token leaves a marker for a day so the partner
 * is told "already used" rather than "unknown".
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PortalContext } from './portal-context.js';

const USED_MARKER_MS = 24 * 3_600_000;

const linkSchema = z.object({ contactId: z.string().regex(/^\d+$/), expiresAt: z.number(), issuedBy: z.string() });

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');
const linkKey = (pc: PortalContext, h: string) => `${pc.prefix}:link:${h}`;
const usedKey = (pc: PortalContext, h: string) => `${pc.prefix}:link-used:${h}`;

export interface IssuedLink {
  url: string;
  expiresAt: number;
}

/** `issuedBy`: `email`, `user:<hubspotUserId>` or `command` (kept for the log). */
export async function issueSignInLink(pc: PortalContext, contactId: string, issuedBy: string): Promise<IssuedLink> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = pc.ctx.clock() + pc.settings.linkTtlMs;
  const value = JSON.stringify({ contactId, expiresAt, issuedBy });
  await pc.redis.set(linkKey(pc, hash(token)), value, 'PX', pc.settings.linkTtlMs);
  pc.logger.info({ contactId, issuedBy }, 'portal sign-in link issued');
  return { url: `${pc.publicBaseUrl}/portal/auth/${token}`, expiresAt };
}

export type ConsumedLink = { ok: true; contactId: string } | { ok: false; reason: 'expired' | 'used' | 'unknown' };

/** Whether a link would work now, without using it (the confirmation page). */
export async function peekSignInLink(pc: PortalContext, token: string): Promise<ConsumedLink> {
  if (!isTokenShape(token)) return { ok: false, reason: 'unknown' };
  const h = hash(token);
  const raw = await pc.redis.get(linkKey(pc, h));
  return judge(pc, raw, h);
}

export async function consumeSignInLink(pc: PortalContext, token: string): Promise<ConsumedLink> {
  if (!isTokenShape(token)) return { ok: false, reason: 'unknown' };
  const h = hash(token);
  const raw = await pc.redis.getdel(linkKey(pc, h));
  if (raw !== null) await pc.redis.set(usedKey(pc, h), '1', 'PX', USED_MARKER_MS);
  return judge(pc, raw, h);
}

async function judge(pc: PortalContext, raw: string | null, h: string): Promise<ConsumedLink> {
  if (raw === null) return { ok: false, reason: (await pc.redis.exists(usedKey(pc, h))) === 1 ? 'used' : 'unknown' };
  const parsed = linkSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) return { ok: false, reason: 'unknown' };
  // Redis drops the key on its own clock; the program clock decides too (tests move it).
  if (pc.ctx.clock() >= parsed.data.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, contactId: parsed.data.contactId };
}

const isTokenShape = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);
