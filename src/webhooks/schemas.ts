/**
 * The shape of a HubSpot webhook delivery: a JSON array of events (docs/hubspot.md#webhooks). Only the fields the app
 * reads are declared; anything else HubSpot adds is kept and ignored, so a new field never breaks intake.
 */
import { z } from 'zod';

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

export const hubSpotEventSchema = z.looseObject({
  eventId: id,
  subscriptionId: id.optional(),
  portalId: id,
  appId: id.optional(),
  occurredAt: z.number().int().nonnegative(),
  subscriptionType: z.string().min(1),
  attemptNumber: z.number().int().nonnegative().optional(),
  objectId: id.optional(),
  /** Generic `object.*` subscriptions name the object type by id (`0-3` deals, `0-2` companies). */
  objectTypeId: z.string().optional(),
  propertyName: z.string().optional(),
  propertyValue: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
  changeSource: z.string().optional(),
  sourceId: z.string().nullable().optional(),
  changeFlag: z.string().optional(),
  associationType: z.string().optional(),
  fromObjectId: id.optional(),
  toObjectId: id.optional(),
  associationRemoved: z.boolean().optional(),
  isPrimaryAssociation: z.boolean().optional(),
  primaryObjectId: id.optional(),
  mergedObjectIds: z.array(id).optional(),
  newObjectId: id.optional(),
});

export type HubSpotEvent = z.infer<typeof hubSpotEventSchema>;

export const hubSpotEventBatchSchema = z.array(hubSpotEventSchema);
