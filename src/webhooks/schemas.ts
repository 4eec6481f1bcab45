/**
 * The shape of a HubSpot webhook delivery: a JSON array of events (docs/hubspot.md#webhooks). Only the fields the app
 * reads are declared; anything else HubSpot adds is kept and ignored, so a new field never breaks intake.
 */
import { z } from 'zod';

const DIGITS = /^\d+$/;
/**
 * An id, as a number or a string of digits, read as a string. One predicate rather than a union of two schemas
 * with a regex: a delivery holds a hundred events of up to a dozen ids each, and the union was most of the
 * parse time of an acknowledgement (`npm run bench:ack`).
 */
const id = z
  .custom<number | string>((v) => (typeof v === 'number' ? Number.isSafeInteger(v) && v >= 0 : typeof v === 'string' && DIGITS.test(v)), {
    message: 'expected a non-negative integer id (a number or a string of digits)',
  })
  .transform(String);

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
