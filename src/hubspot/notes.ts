/**
 * Timeline notes (docs/program.md#deal-registration: every registration decision and payout is recorded on the deal;
 * restores and activity decisions on the company; a restored portal access on the contact). A note is created with
 * its association in one call: hs_timestamp is required; note→deal is HUBSPOT_DEFINED 214, note→company 190,
 * note→contact 202. Shapes and sources: docs/hubspot-api.md.
 * Not idempotent: if HubSpot created the note but the answer was lost, the retry creates a second one.
 */
import { z } from 'zod';
import { hubspotPaths } from './api-paths.js';
import type { HubSpot } from './client.js';
import { HubSpotResponseError } from './errors.js';
import { HUBSPOT_ASSOCIATION_TYPES } from './properties.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for a note body: names, reasons and notes are user input. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** The record a note goes on. */
export interface NoteTarget {
  kind: 'deal' | 'company' | 'contact';
  id: string;
}

const NOTE_ASSOCIATION: Record<NoteTarget['kind'], number> = {
  deal: HUBSPOT_ASSOCIATION_TYPES.noteToDeal,
  company: HUBSPOT_ASSOCIATION_TYPES.noteToCompany,
  contact: HUBSPOT_ASSOCIATION_TYPES.noteToContact,
};

export async function createNote(hs: HubSpot, input: { on: NoteTarget; bodyHtml: string; /** epoch ms */ timestamp: number }): Promise<{ id: string }> {
  const operation = 'notes.create';
  const body = {
    properties: { hs_timestamp: new Date(input.timestamp).toISOString(), hs_note_body: input.bodyHtml },
    associations: [{ to: { id: input.on.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_ASSOCIATION[input.on.kind] }] }],
  };
  const res = await hs.request(operation, { method: 'POST', path: hubspotPaths.objects('notes'), body });
  const parsed = z.looseObject({ id: z.string() }).safeParse(res.data);
  if (!parsed.success) throw new HubSpotResponseError(operation, z.prettifyError(parsed.error));
  return { id: parsed.data.id };
}
