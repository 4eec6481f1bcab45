/**
 * How backend values read on the cards. Plain functions with no React and no SDK import, so the app home page
 * (a separate bundle with its own React) can share them without pulling a second React into its bundle.
 */
import type { DealPayoutStatus, ProtectionStatus, RegistrationStatus } from './api/contract.js';

/** Variants of the SDK's StatusTag and Tag (no Badge exists in the SDK). */
export type StatusTagVariant = 'danger' | 'warning' | 'info' | 'success' | 'default';
export type TagVariant = 'default' | 'warning' | 'success' | 'error' | 'info';

const LABEL_OVERRIDES: Record<string, string> = {
  tier_1: 'Tier 1',
  tier_2: 'Tier 2',
  tier_3: 'Tier 3',
  on_hold: 'On hold',
  expiring_soon: 'Expiring soon',
};

/** `medical_advisor` → "Medical advisor"; null or empty → the fallback. */
export function humanize(value: string | null | undefined, fallback = 'None'): string {
  if (value === null || value === undefined || value.trim() === '') return fallback;
  const override = LABEL_OVERRIDES[value];
  if (override !== undefined) return override;
  const words = value.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function daysLeftText(daysLeft: number): string {
  return daysLeft === 1 ? '1 day left' : `${daysLeft} days left`;
}

// UTC keeps a date the same for every viewer and in tests; the backend sends instants, the card shows days.
const DATE_FORMAT = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

export function formatDate(iso: string | null): string {
  if (iso === null || iso === '') return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_FORMAT.format(date);
}

export const REGISTRATION_STATUS_VARIANT: Record<RegistrationStatus, StatusTagVariant> = {
  pending: 'info',
  approved: 'success',
  rejected: 'danger',
  expired: 'default',
  disputed: 'warning',
};

export function registrationStatusVariant(status: string): StatusTagVariant {
  return REGISTRATION_STATUS_VARIANT[status as RegistrationStatus] ?? 'default';
}

const PROTECTION_TAG: Record<ProtectionStatus, { label: string; variant: TagVariant }> = {
  none: { label: 'Not protected', variant: 'default' },
  pending: { label: 'Awaiting approval', variant: 'info' },
  protected: { label: 'Protected', variant: 'success' },
  // The last 30 days: the one protection state a partner manager has to act on before it lapses.
  expiring_soon: { label: 'Expiring soon', variant: 'warning' },
  expired: { label: 'Protection expired', variant: 'default' },
  conflict: { label: 'In conflict', variant: 'error' },
};

/** The protection tag, with the days left while protection runs. Unknown statuses read as themselves. */
export function protectionTag(status: string, daysLeft: number | null): { label: string; variant: TagVariant } {
  const known = PROTECTION_TAG[status as ProtectionStatus];
  const base = known ?? { label: humanize(status), variant: 'default' as const };
  const running = status === 'protected' || status === 'expiring_soon';
  return running && daysLeft !== null ? { label: `${base.label} · ${daysLeftText(daysLeft)}`, variant: base.variant } : base;
}

const PAYOUT_STATUS_VARIANT: Record<DealPayoutStatus, StatusTagVariant> = {
  none: 'default',
  scheduled: 'info',
  on_hold: 'warning',
  approved: 'success',
  paid: 'success',
  reversed: 'danger',
};

export function payoutStatusVariant(status: string): StatusTagVariant {
  return PAYOUT_STATUS_VARIANT[status as DealPayoutStatus] ?? 'default';
}

export function commissionStatusVariant(status: 'payable' | 'zero' | 'scheduled'): StatusTagVariant {
  return status === 'payable' ? 'success' : status === 'scheduled' ? 'info' : 'default';
}
