/**
 * Creates one CRM record with its associations in one request (`POST /crm/objects/2026-09/{objectType}`), so a
 * deal never exists without its customer and partner. Not idempotent in HubSpot: callers that must create
 * once (a resent portal form) claim the work first (src/services/portal/submit-referral.ts).
 * The same endpoint notes.ts creates notes with (shapes and sources: docs/hubspot-api.md).
 */
import { z } from 'zod';
import { hubspotPaths } from './api-paths.js';
import type { AssociationTypeRef } from './associations.js';
import type { HubSpot } from './client.js';
import { HubSpotResponseError } from './errors.js';

export interface CreateRecordInput {
  objectType: string;
  properties: Record<string, string>;
  associations?: { toId: string; types: readonly AssociationTypeRef[] }[];
}

export async function createRecord(hs: HubSpot, input: CreateRecordInput): Promise<{ id: string }> {
  const operation = `${input.objectType}.create`;
  const body = {
    properties: input.properties,
    associations: (input.associations ?? []).map((a) => ({
      to: { id: a.toId },
      types: a.types.map((t) => ({ associationCategory: t.category, associationTypeId: t.typeId })),
    })),
  };
  const res = await hs.request(operation, { method: 'POST', path: hubspotPaths.objects(input.objectType), body });
  const parsed = z.looseObject({ id: z.string() }).safeParse(res.data);
  if (!parsed.success) throw new HubSpotResponseError(operation, z.prettifyError(parsed.error));
  return { id: parsed.data.id };
}
