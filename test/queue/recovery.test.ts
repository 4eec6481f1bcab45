import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { announcePresence, createOrphanRecovery, workerRegistryKey, type WorkerPresence } from '../../src/queue/recovery.js';
import { deleteKeys, testPrefix, testRedis } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;
let queue: Queue;
const closers: (() => Promise<unknown>)[] = [];

/** A worker "process": its presence and one worker whose jobs run until the test lets them finish. */
async function workerProcess(name: string, ran: string[]) {
  const connection = redis.duplicate({ maxRetriesPerRequest: null });
  const presence: WorkerPresence = await announcePresence(connection, prefix);
  const release: (() => void)[] = [];
  const worker = new Worker(
    'q',
    async (job: Job) => {
      ran.push(`${name} ${job.id}`);
      await new Promise<void>((resolve) => release.push(resolve));
      return name;
    },
    { connection, prefix, autorun: false, concurrency: 5 },
  );
  worker.on('error', () => {});
  await worker.waitUntilReady();
  await presence.run(worker);
  const proc = {
    worker,
    presence,
    finishAll: () => release.splice(0).forEach((f) => f()),
    /** What SIGKILL does: the process stops at once, its connections drop, its jobs' locks stay. */
    async kill() {
      await worker.close(true);
      await presence.close();
      connection.disconnect();
    },
  };
  closers.push(async () => {
    proc.finishAll();
    await worker.close(true).catch(() => undefined);
    await presence.close();
    connection.disconnect();
  });
  return proc;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
}

beforeAll(() => {
  redis = testRedis();
});
beforeEach(() => {
  prefix = testPrefix('recovery');
  queue = new Queue('q', { connection: redis, prefix });
});
afterAll(async () => {
  for (const close of closers) await close();
  await queue.close();
  await deleteKeys(redis, 'test-recovery-');
  redis.disconnect();
});

describe('taking up the jobs of a worker process that died', () => {
  it("a killed process's running job is moved back and run by the next process, without waiting for its lock to run out", async () => {
    const ran: string[] = [];
    const a = await workerProcess('A', ran);
    const job = await queue.add('recompute', {}, { jobId: 'j1' });
    await until(async () => ran.length === 1);
    expect(ran).toEqual(['A j1']);
    await a.kill();
    // Its lock is still there: BullMQ alone would wait for it to run out (30 s) and then two stalled checks.
    expect(await redis.exists(`${prefix}:q:j1:lock`)).toBe(1);

    const b = await workerProcess('B', ran);
    const recovery = createOrphanRecovery({ redis, prefix, queues: [queue], graceMs: 0 });
    expect(await recovery.look()).toEqual([]);
    expect(await recovery.look()).toEqual(['j1']);
    await until(async () => ran.length === 2);
    expect(ran).toEqual(['A j1', 'B j1']);
    b.finishAll();
    await until(async () => (await job.getState()) === 'completed');
    expect(await queue.getJobState('j1')).toBe('completed');
    expect((await queue.getJob('j1'))?.returnvalue).toBe('B');
  });

  it("a live process's long job is never taken, however many looks pass (nothing runs twice at once)", async () => {
    const ran: string[] = [];
    const a = await workerProcess('A', ran);
    await queue.add('recompute', {}, { jobId: 'long' });
    await until(async () => ran.length === 1);
    const b = await workerProcess('B', ran);
    const recovery = createOrphanRecovery({ redis, prefix, queues: [queue], graceMs: 0 });
    for (let i = 0; i < 5; i++) expect(await recovery.look()).toEqual([]);
    expect(await queue.getJobState('long')).toBe('active');
    expect(ran).toEqual(['A long']);
    a.finishAll();
    await until(async () => (await queue.getJobState('long')) === 'completed');
    expect((await queue.getJob('long'))?.returnvalue).toBe('A');
    expect(ran).toEqual(['A long']);
    b.finishAll();
  });

  it("a job whose worker is not registered (another version, a script) is left to BullMQ's stalled check", async () => {
    const ran: string[] = [];
    const a = await workerProcess('A', ran);
    await queue.add('recompute', {}, { jobId: 'unknown' });
    await until(async () => ran.length === 1);
    await redis.del(workerRegistryKey(prefix));
    await a.kill();
    const recovery = createOrphanRecovery({ redis, prefix, queues: [queue], graceMs: 0 });
    expect(await recovery.look()).toEqual([]);
    expect(await recovery.look()).toEqual([]);
    expect(await queue.getJobState('unknown')).toBe('active');
  });

  it('a job seen orphaned once is not moved before the grace period (a connection blip reconnects first)', async () => {
    const ran: string[] = [];
    const a = await workerProcess('A', ran);
    await queue.add('recompute', {}, { jobId: 'blip' });
    await until(async () => ran.length === 1);
    await a.kill();
    let t = 1_000_000;
    const recovery = createOrphanRecovery({ redis, prefix, queues: [queue], graceMs: 2_000, now: () => t });
    expect(await recovery.look()).toEqual([]);
    t += 1_999;
    expect(await recovery.look()).toEqual([]);
    t += 1;
    expect(await recovery.look()).toEqual(['blip']);
  });
});
