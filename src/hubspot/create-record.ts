/**
 * Creates one CRM record with its associations in one request (`POST /crm/v3/objects/{objectType}`), so a
 * deal never exists without its customer and partner. Not idempotent in HubSpot: callers that must create
 * once (a resent portal form) claim the work first (src/services/portal/submit-referral.ts).
 * https://developers.hubspot.com/docs/api-reference/crm-deals-v3/basic/post-crm-v3-objects-deals
 */
import type { SimplePublicObjectInputForCreate } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import { z } from 'zod';
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
  } as SimplePublicObjectInputForCreate;
  const res = await hs.call(operation, (api) => api.crm.objects.basicApi.createWithHttpInfo(input.objectType, body));
  const parsed = z.looseObject({ id: z.string() }).safeParse(res.data);
  if (!parsed.success) throw new HubSpotResponseError(operation, z.prettifyError(parsed.error));
  return { id: parsed.data.id };
}
