import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/queue/connections.js';
import { createWebhookIntake } from '../../src/queue/intake.js';
import { createIntakePump, decodeTargets, encodeTargets, intakeStreamKey, INTAKE_GROUP } from '../../src/queue/intake-pump.js';
import { SYNC_QUEUE } from '../../src/queue/job-data.js';
import type { HubSpotEvent } from '../../src/webhooks/schemas.js';
import { TEST_APP_ID, TEST_PORTAL_ID, dealPropertyChange } from '../helpers/hubspot-events.js';
import { deleteKeys, testPrefix, testRedis } from '../helpers/redis.js';

let redis: Redis;
let queue: Queue;
let prefix: string;

const filter = { appId: String(TEST_APP_ID), portalId: String(TEST_PORTAL_ID) };
const events = (...e: ReturnType<typeof dealPropertyChange>[]) =>
  e.map((x) => ({ ...x, portalId: String(x.portalId), appId: String(x.appId), objectId: String(x.objectId) })) as unknown as HubSpotEvent[];

/** A queue whose Redis is gone: the process that owns it can store deliveries but not make jobs of them. */
function deadQueue(): { queue: Queue; close(): Promise<void> } {
  const dead = createRedis('redis://127.0.0.1:6399', 'producer', { lazyConnect: true, retryStrategy: () => null });
  dead.on('error', () => {});
  const q = new Queue(SYNC_QUEUE, { connection: dead, prefix });
  q.on('error', () => {});
  return { queue: q, close: async () => dead.disconnect() };
}

async function jobs() {
  return (await queue.getJobs(['delayed', 'waiting', 'active'])).map((j) => `${j.name} ${JSON.stringify(j.data)}`).sort();
}

beforeAll(() => {
  redis = testRedis();
});
beforeEach(() => {
  prefix = testPrefix('intake');
  queue = new Queue(SYNC_QUEUE, { connection: redis, prefix });
});
afterAll(async () => {
  await deleteKeys(redis, 'test-intake-');
  await queue.close();
  redis.disconnect();
});

describe('intake stream entries', () => {
  it('encode and decode the records of a delivery; anything else in the field is dropped', () => {
    expect(
      decodeTargets(
        encodeTargets([
          { kind: 'deal', id: '1' },
          { kind: 'company', id: '22' },
          { kind: 'activity', id: '333' },
        ]),
      ),
    ).toEqual([
      { kind: 'deal', id: '1' },
      { kind: 'company', id: '22' },
      { kind: 'activity', id: '333' },
    ]);
    expect(decodeTargets('deal:1 ticket:5 deal:x  company: payout:7 contact:8')).toEqual([
      { kind: 'deal', id: '1' },
      { kind: 'payout', id: '7' },
      { kind: 'contact', id: '8' },
    ]);
  });
});

describe('nothing acknowledged is lost', () => {
  it('a delivery answered by a process that could not make jobs of it is taken over by another process', async () => {
    const dying = deadQueue();
    const first = createWebhookIntake({ redis, queue: dying.queue, prefix, filter, debounceMs: 60_000, eventDedupeHours: 72 });
    const result = await first.accept(events(dealPropertyChange(11, 'amount', '1'), dealPropertyChange(12, 'amount', '2')));
    // Answered: the work is in Redis (the stream), not yet jobs.
    expect(result).toMatchObject({ accepted: 2, targets: 2 });
    await first.settled();
    expect(await jobs()).toEqual([]);
    expect(await redis.xlen(intakeStreamKey(prefix))).toBe(1);
    await dying.close();

    // Another process (or this one restarted): its sweep takes over the entry the first one left pending.
    const next = createIntakePump({ redis, queue, prefix, debounceMs: 60_000, claimAfterMs: 0 });
    next.start();
    await next.settled();
    await next.stop();
    expect(await jobs()).toEqual(['recompute-deal {"dealId":"11","reason":"webhook"}', 'recompute-deal {"dealId":"12","reason":"webhook"}']);
    expect(await redis.xlen(intakeStreamKey(prefix))).toBe(0);
  });

  it('an entry no pump was told about (the receiver died right after answering) is read by the next sweep', async () => {
    await redis.xgroup('CREATE', intakeStreamKey(prefix), INTAKE_GROUP, '0', 'MKSTREAM');
    await redis.xadd(intakeStreamKey(prefix), '*', 'targets', 'deal:31 company:32', 'reason', 'webhook', 'at', '0');
    const pump = createIntakePump({ redis, queue, prefix, debounceMs: 60_000 });
    pump.start();
    await pump.settled();
    await pump.stop();
    expect(await jobs()).toEqual(['recompute-company {"companyId":"32","reason":"webhook"}', 'recompute-deal {"dealId":"31","reason":"webhook"}']);
  });

  it('an entry taken by two pumps still makes one job per record (the recompute is deduplicated)', async () => {
    const stream = intakeStreamKey(prefix);
    await redis.xgroup('CREATE', stream, INTAKE_GROUP, '0', 'MKSTREAM');
    await redis.xadd(stream, '*', 'targets', 'deal:41', 'reason', 'webhook', 'at', '0');
    // A first consumer reads it and dies before acknowledging it.
    await redis.xreadgroup('GROUP', INTAKE_GROUP, 'dead-process', 'COUNT', 10, 'STREAMS', stream, '>');
    await queue.add('recompute-deal', { dealId: '41', reason: 'webhook' }, { delay: 60_000, deduplication: { id: 'deal:41', keepLastIfActive: true } });
    const pump = createIntakePump({ redis, queue, prefix, debounceMs: 60_000, claimAfterMs: 0 });
    pump.start();
    await pump.settled();
    await pump.stop();
    expect(await jobs()).toEqual(['recompute-deal {"dealId":"41","reason":"webhook"}']);
    expect(await redis.xlen(stream)).toBe(0);
  });
});

describe('one round trip per delivery, same deduplication', () => {
  it('a redelivered event stores nothing; an event twice in one delivery counts once', async () => {
    const intake = createWebhookIntake({ redis, queue, prefix, filter, debounceMs: 60_000, eventDedupeHours: 72 });
    const e = dealPropertyChange(51, 'amount', '1');
    expect(await intake.accept(events(e, e))).toMatchObject({ accepted: 1, duplicates: 1, targets: 1 });
    expect(await intake.accept(events(e))).toMatchObject({ accepted: 0, duplicates: 1, targets: 0 });
    await intake.settled();
    expect(await jobs()).toEqual(['recompute-deal {"dealId":"51","reason":"webhook"}']);
  });

  it('a pp_activity event becomes its activity sync (docs/activities.md): no kind the mapping asks for is dropped by the pump', async () => {
    const intake = createWebhookIntake({ redis, queue, prefix, filter, debounceMs: 60_000, eventDedupeHours: 72 });
    const activity = { ...dealPropertyChange(71, 'pp_status', 'done'), subscriptionType: 'p_pp_activity.propertyChange' };
    expect(await intake.accept(events(activity))).toMatchObject({ accepted: 1, targets: 1 });
    await intake.settled();
    expect(await jobs()).toEqual(['sync-activity {"activityId":"71","reason":"webhook"}']);
  });

  it('a burst of deliveries naming the same records makes one job per record, not one per delivery', async () => {
    const stream = intakeStreamKey(prefix);
    await redis.xgroup('CREATE', stream, INTAKE_GROUP, '0', 'MKSTREAM');
    // Three deliveries over the same 60 deals: more records than one enqueue slice (100) holds.
    const sixtyDeals = Array.from({ length: 60 }, (_, i) => `deal:${100 + i}`).join(' ');
    for (let d = 0; d < 3; d++) await redis.xadd(stream, '*', 'targets', sixtyDeals, 'reason', 'webhook', 'at', '0');
    const addBulk = queue.addBulk.bind(queue);
    let jobsBuilt = 0;
    queue.addBulk = async (bulk) => {
      jobsBuilt += bulk.length;
      return addBulk(bulk);
    };
    const pump = createIntakePump({ redis, queue, prefix, debounceMs: 60_000 });
    pump.start();
    await pump.settled();
    await pump.stop();
    expect(jobsBuilt).toBe(60);
    expect(await jobs()).toHaveLength(60);
    expect(await redis.xlen(stream)).toBe(0);
  });

  it('the marks keep their TTL (eventDedupeHours)', async () => {
    const intake = createWebhookIntake({ redis, queue, prefix, filter, debounceMs: 60_000, eventDedupeHours: 72 });
    const e = dealPropertyChange(61, 'amount', '1');
    await intake.accept(events(e));
    const ttl = await redis.pttl(`${prefix}:evt:${TEST_PORTAL_ID}:${e.eventId}`);
    expect(ttl).toBeGreaterThan(71 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(72 * 3_600_000);
    await intake.settled();
  });
});
