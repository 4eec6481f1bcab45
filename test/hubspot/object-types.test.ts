/**
 * The app's custom objects are found by name in one schemas listing per client (docs/hubspot.md#custom-objects-and-properties):
 * a burst that reaches payouts and activities lists the schemas once.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveActivityObjectType } from '../../src/hubspot/activities.js';
import { PayoutSchemaMissingError } from '../../src/hubspot/errors.js';
import { resolvePayoutObjectType } from '../../src/hubspot/payouts.js';
import { BASE, fixture, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

const SCHEMAS = '/crm-object-schemas/2026-09/schemas';

/** The recorded schemas listing with a pp_activity schema beside pp_payout. */
function withActivity() {
  const listing = fixture<{ results: Record<string, unknown>[] }>('schemas');
  const payout = listing.results.find((s) => s.name === 'pp_payout')!;
  return { results: [...listing.results, { ...payout, id: '8811224', objectTypeId: '2-8811224', name: 'pp_activity', fullyQualifiedName: 'p_pp_activity' }] };
}

describe('custom object type ids', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('one listing serves pp_payout and pp_activity, however many ask at once', async () => {
    const { hs } = testHubSpot();
    const listed = nock(BASE).get(SCHEMAS).query({ archived: 'false' }).once().reply(200, withActivity());
    const types = await Promise.all([resolvePayoutObjectType(hs), resolveActivityObjectType(hs), resolvePayoutObjectType(hs)]);
    expect(types).toEqual(['2-8811223', '2-8811224', '2-8811223']);
    expect(await resolveActivityObjectType(hs)).toBe('2-8811224');
    expect(listed.isDone()).toBe(true);
  });

  it('an object the listing lacks is an error naming it, and the next call lists again (provisioned since)', async () => {
    const { hs } = testHubSpot();
    nock(BASE).get(SCHEMAS).query(true).once().reply(200, fixture('schemas'));
    const err = await resolveActivityObjectType(hs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayoutSchemaMissingError);
    expect((err as Error).message).toContain('pp_activity');
    nock(BASE).get(SCHEMAS).query(true).once().reply(200, withActivity());
    expect(await resolveActivityObjectType(hs)).toBe('2-8811224');
  });
});
