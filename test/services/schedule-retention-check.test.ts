/**
 * Rule 7 (docs/program.md#rule-7-client-retention-bonus): the delayed check per deal, at closed-won +
 * retention.months, once per deal and due date.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import { MAINTENANCE_JOBS, MAINTENANCE_QUEUE } from '../../src/queue/job-data.js';
import { retentionCheckJobId } from '../../src/queue/queues.js';
import { scheduleRetentionCheck } from '../../src/services/schedule-retention-check.js';
import { deleteKeys, testPrefix, testRedis } from '../helpers/redis.js';

describe('the delayed job per deal', () => {
  let redis: Redis;
  let queue: Queue;
  let prefix: string;
  beforeAll(() => {
    redis = testRedis();
    prefix = testPrefix('retention-job');
    queue = new Queue(MAINTENANCE_QUEUE, { connection: redis, prefix });
  });
  afterAll(async () => {
    await queue.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  /** The context the scheduling reads: this file's queue, the program, and a fixed clock. */
  const at = (program: ReturnType<typeof buildProgramConfig>, now: number) => ({ queues: { maintenance: queue }, program, clock: () => now });

  it('is scheduled at closed-won + 24 months with a deterministic id: scheduling it again adds nothing', async () => {
    const program = buildProgramConfig({});
    const closedWonAt = Date.UTC(2026, 2, 15, 10);
    const now = Date.UTC(2026, 2, 16, 8);
    const first = await scheduleRetentionCheck(at(program, now), { dealId: '501', closedWonAt });
    const again = await scheduleRetentionCheck(at(program, now + 3_600_000), { dealId: '501', closedWonAt });

    const dueAt = Date.UTC(2028, 2, 15, 10);
    expect(first).toEqual({ jobId: retentionCheckJobId('501', dueAt), dueAt, delayMs: dueAt - now });
    expect(again.jobId).toBe(first.jobId);
    const delayed = await queue.getDelayed();
    expect(delayed.map((j) => [j.id, j.name, j.data, j.opts.delay])).toEqual([
      [first.jobId, MAINTENANCE_JOBS.retentionCheck, { dealId: '501', dueAt }, dueAt - now],
    ]);
  });

  it('follows the configured months (12)', async () => {
    const program = buildProgramConfig({ retention: { months: 12 } });
    const scheduled = await scheduleRetentionCheck(at(program, Date.UTC(2026, 2, 15, 10)), { dealId: '502', closedWonAt: Date.UTC(2026, 2, 15, 10) });
    expect(scheduled.dueAt).toBe(Date.UTC(2027, 2, 15, 10));
  });
});
