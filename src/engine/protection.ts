/**
 * Deal protection: what a registration is worth at a given instant (docs/program.md#deal-registration, the
 * protection-status table). Pure: the instant is a parameter.
 */
import { DateTime } from 'luxon';
import type { ProgramConfig } from './program-config.js';
import type { Instant, ProtectionStatus, Registration } from './types.js';

/** Protection and expiry windows are counted in elapsed 24-hour days, not calendar days: DST never moves them. */
export const DAY_MS = 86_400_000;

/** When protection granted at `approvedAt` ends. */
export function protectionEndsAt(approvedAt: Instant, config: Pick<ProgramConfig, 'registration'>): Instant {
  return approvedAt + config.registration.protectionDays * DAY_MS;
}

/** When a pending registration nobody decided expires; null when its submission time is unknown. */
export function pendingExpiresAt(reg: Registration, config: Pick<ProgramConfig, 'registration'>): Instant | null {
  return reg.submittedAt === null ? null : reg.submittedAt + config.registration.pendingExpiryDays * DAY_MS;
}

/**
 * The end of an approved registration's protection: its decision time plus the configured days, computed and
 * never read back (docs/program.md#who-may-change-what): `pp_protection_expires_at` is written for people to read,
 * and a value typed into it (2099-01-01) protects nothing.
 */
export function approvedProtectionEnd(reg: Registration, config: Pick<ProgramConfig, 'registration'>): Instant | null {
  return reg.decidedAt === null ? null : protectionEndsAt(reg.decidedAt, config);
}

/** A day as people read it in the program's time zone: 2026-07-30. */
export function formatDay(at: Instant, timeZone = 'UTC'): string {
  return DateTime.fromMillis(at, { zone: timeZone }).toISODate() ?? new Date(at).toISOString().slice(0, 10);
}

/** `pp_protection_status` for a deal's registration at `now`. */
export function protectionStatus(
  reg: Registration | null,
  deal: { isClosedWon: boolean; isClosedLost: boolean },
  now: Instant,
  config: Pick<ProgramConfig, 'registration'>,
): ProtectionStatus {
  if (reg === null) return 'none';
  switch (reg.status) {
    case 'rejected':
      return 'none';
    case 'disputed':
      return 'conflict';
    case 'expired':
      return 'expired';
    case 'pending': {
      if (deal.isClosedLost) return 'expired';
      const expiresAt = pendingExpiresAt(reg, config);
      return expiresAt !== null && now >= expiresAt ? 'expired' : 'pending';
    }
    case 'approved': {
      if (deal.isClosedLost) return 'expired';
      // The protection did its job once the deal is won: it never lapses afterwards.
      if (deal.isClosedWon) return 'protected';
      const endsAt = approvedProtectionEnd(reg, config);
      if (endsAt === null) return 'protected';
      if (now >= endsAt) return 'expired';
      return endsAt - now <= config.registration.warningDays * DAY_MS ? 'expiring_soon' : 'protected';
    }
  }
}

/**
 * Whole days of protection left (floor, never negative); null when the registration has no protection window
 * (none, pending, rejected, disputed).
 */
export function protectionDaysLeft(reg: Registration | null, now: Instant, config?: Pick<ProgramConfig, 'registration'>): number | null {
  if (reg === null) return null;
  if (reg.status !== 'approved' && reg.status !== 'expired') return null;
  const endsAt = config ? approvedProtectionEnd(reg, config) : reg.protectionExpiresAt;
  if (endsAt === null) return null;
  return Math.max(0, Math.floor((endsAt - now) / DAY_MS));
}
