/**
 * STOPGAP, to move into src/hubspot/associations.ts: the HubSpot layer lists deal→company labels only
 * (`listDealCompanyLabels`), and provisioning also needs the company→deal side (where an inverse label shows)
 * and the pp_payout→deals / pp_payout→companies types (whether the schema's associations exist). This is that
 * same call for any pair of object types, kept in one place so the move is a cut and paste.
 * https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associations-schema/guide
 */
import { z } from 'zod';
import type { AssociationLabel } from '../hubspot/associations.js';
import type { HubSpot } from '../hubspot/client.js';
import { HubSpotResponseError } from '../hubspot/errors.js';

const typesSchema = z.looseObject({
  results: z.array(z.looseObject({ category: z.string(), typeId: z.number(), label: z.string().nullable().optional() })).default([]),
});

/** Every association type from `fromType` to `toType` (labelled or not) of this portal. */
export async function listAssociationTypes(hs: HubSpot, fromType: string, toType: string): Promise<AssociationLabel[]> {
  const operation = `associations.${fromType}.${toType}.labels`;
  const res = await hs.call(operation, (api) => api.crm.associations.v4.schema.definitionsApi.getAllWithHttpInfo(fromType, toType));
  const parsed = typesSchema.safeParse(res.data);
  if (!parsed.success) throw new HubSpotResponseError(operation, z.prettifyError(parsed.error));
  return parsed.data.results.map((t) => ({ category: t.category, typeId: t.typeId, label: t.label ?? null }));
}
