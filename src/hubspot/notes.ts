/**
 * Timeline notes on a deal (docs/program.md#deal-registration: every registration decision and payout is recorded on the deal).
 * A note is created with its association in one call: hs_timestamp is required, note→deal is HUBSPOT_DEFINED 214.
 * Shapes and sources: docs/hubspot-api.md.
 * Not idempotent: if HubSpot created the note but the answer was lost, the retry creates a second one.
 */
import { z } from 'zod';
import { hubspotPaths } from './api-paths.js';
import type { HubSpot } from './client.js';
import { HubSpotResponseError } from './errors.js';
import { HUBSPOT_ASSOCIATION_TYPES } from './properties.js';

export async function createDealNote(hs: HubSpot, input: { dealId: string; bodyHtml: string; /** epoch ms */ timestamp: number }): Promise<{ id: string }> {
  const operation = 'notes.create';
  const body = {
    properties: { hs_timestamp: new Date(input.timestamp).toISOString(), hs_note_body: input.bodyHtml },
    associations: [
      {
        to: { id: input.dealId },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: HUBSPOT_ASSOCIATION_TYPES.noteToDeal }],
      },
    ],
  };
  const res = await hs.request(operation, { method: 'POST', path: hubspotPaths.objects('notes'), body });
  const parsed = z.looseObject({ id: z.string() }).safeParse(res.data);
  if (!parsed.success) throw new HubSpotResponseError(operation, z.prettifyError(parsed.error));
  return { id: parsed.data.id };
}

/** The same on a company's timeline (note→company is HUBSPOT_DEFINED 190): restores of a partner's inputs. */
export async function createCompanyNote(
  hs: HubSpot,
  input: { companyId: string; bodyHtml: string; /** epoch ms */ timestamp: number },
): Promise<{ id: string }> {
  const operation = 'notes.create';
  const body = {
    properties: { hs_timestamp: new Date(input.timestamp).toISOString(), hs_note_body: input.bodyHtml },
    associations: [
      {
        to: { id: input.companyId },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: HUBSPOT_ASSOCIATION_TYPES.noteToCompany }],
      },
    ],
  };
  const res = await hs.request(operation, { method: 'POST', path: hubspotPaths.objects('notes'), body });
  const parsed = z.looseObject({ id: z.string() }).safeParse(res.data);
  if (!parsed.success) throw new HubSpotResponseError(operation, z.prettifyError(parsed.error));
  return { id: parsed.data.id };
}

/** The same on a contact's timeline (note→contact is HUBSPOT_DEFINED 202): a restored portal access. */
export async function createContactNote(
  hs: HubSpot,
  input: { contactId: string; bodyHtml: string; /** epoch ms */ timestamp: number },
): Promise<{ id: string }> {
  const operation = 'notes.create';
  const body = {
    properties: { hs_timestamp: new Date(input.timestamp).toISOString(), hs_note_body: input.bodyHtml },
    associations: [
      {
        to: { id: input.contactId },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: HUBSPOT_ASSOCIATION_TYPES.noteToContact }],
      },
    ],
  };
  const res = await hs.request(operation, { method: 'POST', path: hubspotPaths.objects('notes'), body });
  const parsed = z.looseObject({ id: z.string() }).safeParse(res.data);
  if (!parsed.success) throw new HubSpotResponseError(operation, z.prettifyError(parsed.error));
  return { id: parsed.data.id };
}
