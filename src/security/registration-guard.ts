/**
 * The registration fields of a deal are the app's (docs/program.md#who-may-change-what): a value the app did not
 * write is never used. Every read of a deal for the engine goes through `guardRegistration`, which takes the
 * app's last values from the seal (src/security/app-owned.ts) and lists what differs; the deal recompute puts
 * those values back and adds a note, and every writer of registration fields writes a new seal with them.
 */
import { checkOwned, sealOwned, type FieldChange, type OwnedValues } from './app-owned.js';
import type { Properties } from '../hubspot/mappers.js';
import { REGISTRATION_OWNED_PROPERTIES, REGISTRATION_SEAL_PROPERTY } from '../hubspot/properties.js';
import { sameValue, type ValueKind } from '../hubspot/changed-properties.js';

const KINDS: Record<string, ValueKind> = {
  pp_registration_submitted_at: 'datetime',
  pp_registration_decided_at: 'datetime',
  pp_protection_expires_at: 'datetime',
};
const same = (p: string, a: string, b: string) => sameValue(a, b, KINDS[p] ?? 'text');

export const registrationScope = (dealId: string) => `deal:${dealId}:registration`;
const scope = registrationScope;

export interface GuardedRegistration {
  /** The deal's properties with every registration field replaced by the app's last value. */
  trusted: Properties;
  /** The app's last values of the owned fields ("" where it wrote none). */
  sealed: OwnedValues;
  /** Owned fields someone else changed (pp_protection_status only when the app had sealed one). */
  changes: FieldChange[];
}

/** `backupSeal`: the app's own copy of the last seal it wrote, used when the CRM's is missing or broken. */
export function guardRegistration(key: Buffer, dealId: string, props: Properties, backupSeal?: string | null): GuardedRegistration {
  const check = checkOwned({
    key,
    scope: scope(dealId),
    properties: REGISTRATION_OWNED_PROPERTIES,
    current: props,
    seal: props[REGISTRATION_SEAL_PROPERTY],
    same,
    backup: { seal: backupSeal, property: REGISTRATION_SEAL_PROPERTY },
  });
  // pp_protection_status is recomputed on every run anyway; a difference is a foreign change only when the app
  // knows what it wrote (a deal written before seals existed just gets its status recomputed, silently).
  const changes = check.changes.filter((c) => c.property !== 'pp_protection_status' || check.seal === 'valid');
  return { trusted: { ...props, ...check.trusted }, sealed: check.trusted, changes };
}

/** The seal to write with registration values (the fields not given keep their sealed value). */
export function registrationSeal(key: Buffer, dealId: string, values: OwnedValues): string {
  return sealOwned(key, scope(dealId), REGISTRATION_OWNED_PROPERTIES, values);
}

/**
 * A deal write, with a new seal when it touches an owned field: the sealed values become the app's last values
 * with this write's owned fields applied. Every writer of registration fields or pp_protection_status uses it.
 */
export function withRegistrationSeal(key: Buffer, dealId: string, sealed: OwnedValues | undefined, changed: Record<string, string>): Record<string, string> {
  const owned = (REGISTRATION_OWNED_PROPERTIES as readonly string[]).filter((p) => p in changed);
  if (owned.length === 0) return changed;
  const next: OwnedValues = { ...(sealed ?? {}) };
  for (const p of owned) next[p] = changed[p]!;
  // A deal with no registration needs no seal for its protection status alone (it is recomputed every run):
  // no extra property written on every partner deal.
  const hasRegistration = REGISTRATION_OWNED_PROPERTIES.some((p) => p !== 'pp_protection_status' && (next[p] ?? '') !== '');
  const hadSeal = Object.values(sealed ?? {}).some((v) => v !== '');
  if (!hasRegistration && !hadSeal) return changed;
  return { ...changed, [REGISTRATION_SEAL_PROPERTY]: registrationSeal(key, dealId, next) };
}
