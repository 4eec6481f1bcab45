/**
 * Puts a registration change into HubSpot: the `pp_registration_*` properties that changed, then a note on
 * the deal's timeline saying who did what and why (docs/program.md#deal-registration: "every decision goes on the deal's
 * timeline"). Properties first: a note cannot be created idempotently, so if the note fails the caller's
 * retry finds the registration already changed and writes nothing twice, rather than a second note.
 */
import type { Registration } from '../engine/types.js';
import { registrationProperties, type Properties } from '../hubspot/mappers.js';
import { createNote, escapeHtml } from '../hubspot/notes.js';
import { changedProperties, type ValueKind } from '../hubspot/changed-properties.js';
import type { SyncContext } from './sync-context.js';
import type { OwnedValues } from '../security/app-owned.js';
import { withRegistrationSeal } from '../security/registration-guard.js';

export interface RegistrationWrite {
  dealId: string;
  /** The deal's properties as the CRM holds them, read before the change (what a write is compared against). */
  current: Properties;
  /** The app's last sealed registration values of the deal (registration-guard.ts). */
  sealed?: OwnedValues | undefined;
  registration: Registration;
  /** Plain text from the engine (`RegistrationChange.note`). */
  note: string;
}

/** HubSpot normalises datetimes it stores (ISO or epoch ms): compare them as instants. */
export const REGISTRATION_KINDS: Record<string, ValueKind> = {
  pp_registration_submitted_at: 'datetime',
  pp_registration_decided_at: 'datetime',
  pp_protection_expires_at: 'datetime',
};

/** Returns the property names written. */
export async function recordRegistrationChange(ctx: SyncContext, write: RegistrationWrite): Promise<string[]> {
  const changed = changedProperties(write.current, registrationProperties(write.registration), REGISTRATION_KINDS);
  const written = Object.keys(changed);
  if (written.length > 0) await ctx.crm.updateDeal({ id: write.dealId, properties: withRegistrationSeal(ctx.sealKey, write.dealId, write.sealed, changed) });
  await createNote(ctx.hs, { on: { kind: 'deal', id: write.dealId }, bodyHtml: noteHtml(write.note), timestamp: ctx.clock() });
  return written;
}

/** The note body: a heading naming the program (and the topic, when one fits the note), then the text, escaped (partner names and reasons are user input). */
export function noteHtml(text: string, topic: string | null = 'deal registration'): string {
  const escaped = escapeHtml(text).replace(/\r?\n/g, '<br>');
  return `<p><strong>Partner program${topic === null ? '' : ` · ${topic}`}</strong></p><p>${escaped}</p>`;
}
