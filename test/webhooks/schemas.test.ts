import { describe, expect, it } from 'vitest';
import { hubSpotEventBatchSchema } from '../../src/webhooks/schemas.js';

const event = (over: Record<string, unknown> = {}) => ({
  eventId: 100,
  subscriptionId: 7,
  portalId: 1234567,
  appId: 7654321,
  occurredAt: 1_764_000_000_000,
  subscriptionType: 'deal.propertyChange',
  objectId: 555,
  propertyName: 'amount',
  propertyValue: '45000',
  ...over,
});

describe('src/webhooks/schemas.ts: a delivery is an array of events whose ids are non-negative integers, read as strings', () => {
  it('reads numeric and digit-string ids alike, as strings, and keeps fields it does not declare', () => {
    const [e] = hubSpotEventBatchSchema.parse([event({ eventId: '100', objectId: 555, mergedObjectIds: [1, '2'], futureField: true })]);
    expect(e).toMatchObject({ eventId: '100', portalId: '1234567', objectId: '555', mergedObjectIds: ['1', '2'], futureField: true });
  });

  it.each([
    ['a negative id', { objectId: -1 }],
    ['a fractional id', { eventId: 1.5 }],
    ['an id beyond safe integers', { eventId: 2 ** 60 }],
    ['an id with letters', { portalId: '123abc' }],
    ['an empty id', { objectId: '' }],
    ['an id that is not a number or string', { eventId: { id: 1 } }],
    ['a missing eventId', { eventId: undefined }],
    ['an empty subscriptionType', { subscriptionType: '' }],
  ])('refuses %s (the route answers 400 and enqueues nothing)', (_name, over) => {
    expect(hubSpotEventBatchSchema.safeParse([event(over)]).success).toBe(false);
  });

  it('refuses a body that is not an array', () => {
    expect(hubSpotEventBatchSchema.safeParse(event()).success).toBe(false);
  });
});
