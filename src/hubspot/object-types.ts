/**
 * The portal's objectTypeIds of the app's custom objects (`pp_payout`, `pp_activity`): they differ per portal and
 * are found by name in the schemas listing. One listing serves both objects and every caller of a client (a burst
 * that reaches payouts and activities lists the schemas once, not once per object); a name the listing lacks
 * drops it, so an object provisioned while the app runs is found on the next call.
 */
import type { HubSpot } from './client.js';
import { PayoutSchemaMissingError } from './errors.js';
import { listObjectSchemas } from './schema-admin.js';

const listings = new WeakMap<HubSpot, Promise<Map<string, string>>>();

/** The objectTypeId of the custom object `name`; PayoutSchemaMissingError naming it (run `npm run provision`) when absent. */
export async function customObjectTypeId(hs: HubSpot, name: string): Promise<string> {
  let listing = listings.get(hs);
  if (!listing) {
    listing = listObjectSchemas(hs).then((schemas) => new Map(schemas.map((s) => [s.name, s.objectTypeId])));
    listings.set(hs, listing);
  }
  const current = listing;
  let id: string | undefined;
  try {
    id = (await current).get(name);
  } catch (err) {
    if (listings.get(hs) === current) listings.delete(hs);
    throw err;
  }
  if (id === undefined) {
    if (listings.get(hs) === current) listings.delete(hs);
    throw new PayoutSchemaMissingError(name);
  }
  return id;
}
