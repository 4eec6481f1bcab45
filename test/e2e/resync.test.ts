/**
 * `npm run resync` against the demo portal: every partner and deal recomputed by the command's own workers (and
 * by any other worker on the same queue), progress on stderr, the summary on stdout, the exit status.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { loadProgramConfig } from '../../src/config/program.js';
import { silentLogger } from '../../src/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { startWorkers } from '../../workers/main.js';
import { startSandboxApi, type RunningSandboxApi } from '../../sandbox/api/server.js';
import { seedDemoPortal, type DemoPortalIds } from '../../sandbox/seed.js';
import { runResync } from '../../scripts/resync.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix, testRedis } from '../helpers/redis.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TOKEN = 'resync-token';
const prefix = testPrefix('e2e-resync');
const dir = mkdtempSync(join(tmpdir(), 'pp-resync-'));
/** The default program with a short debounce, only so the runs are quick. */
const PROGRAM_FILE = join(dir, 'program.yaml');
writeFileSync(PROGRAM_FILE, 'sync:\n  debounceMs: 100\n');

let redis: Redis;
let api: RunningSandboxApi;
let ids: DemoPortalIds;
/** A queue (and limiter) of its own per test, as a fresh install would have. */
let queuePrefix = prefix;
let testNumber = 0;

beforeAll(() => {
  redis = testRedis();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  api = await startSandboxApi({ accessToken: TOKEN });
  ids = seedDemoPortal(api.store, { now: Date.now(), clientSecret: 'resync-secret' });
  queuePrefix = `${prefix}-${++testNumber}`;
});
afterEach(async () => {
  await api.close();
});

function vars(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    HUBSPOT_ACCESS_TOKEN: TOKEN,
    HUBSPOT_CLIENT_SECRET: 'resync-secret',
    HUBSPOT_API_BASE_URL: api.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    PARTNER_PROGRAM_CONFIG: PROGRAM_FILE,
    ...extra,
  };
}

async function resync(extra: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runResync(vars(extra), { out: (t) => out.push(t), err: (t) => err.push(t) }, { progressEveryMs: 1_000 });
  return { status, stdout: out.join('').split('\n'), stderr: err.join('').split('\n') };
}

const DURATION = /^resync finished in \d+\.\d s: 18 partners and 42 deals enqueued$/;
const JOBS_OK = /^ {2}jobs: {5}\d+ done, 0 failed; \d+ HubSpot calls$/;
const PROGRESS = /^ {2}\[\d+\.\d s\] \d+ jobs done, \d+ remaining(, \d+ failed)?, \d+ HubSpot calls$/;

describe('npm run resync', () => {
  it.each([
    [
      'without HUBSPOT_ACCESS_TOKEN it refuses (exit 2) and says the sandbox resyncs itself',
      { HUBSPOT_ACCESS_TOKEN: undefined },
      'HUBSPOT_ACCESS_TOKEN is not set: refusing to resync, there is no HubSpot portal to read.\n' +
        '  The sandbox portal (`npm start` without a token) resyncs itself at start; restart it to compute everything afresh.\n',
    ],
    [
      'with an invalid environment value it names the variable (exit 2)',
      { HUBSPOT_RATE_LIMIT_MAX: 'lots' },
      'Refusing to resync: invalid environment:\n  HUBSPOT_RATE_LIMIT_MAX: a whole number\n',
    ],
    [
      'without Redis it names the address and how to start Redis (exit 2)',
      { REDIS_URL: 'redis://127.0.0.1:6399' },
      'Refusing to resync: Redis is not reachable at redis://127.0.0.1:6399.\n' +
        '  Start it locally with:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379\n' +
        '  or point REDIS_URL at a running Redis (e.g. REDIS_URL=redis://host:6379/0).\n',
    ],
  ])('%s, calling HubSpot not once', async (_name, extra, message) => {
    const { status, stdout, stderr } = await resync(extra);

    expect([status, stdout.join('\n'), stderr.join('\n'), api.stats.total]).toEqual([2, '', message, 0]);
  });

  it('recomputes every partner and deal of the demo portal (exit 0): progress on stderr, the summary on stdout, totals written', async () => {
    const { status, stdout, stderr } = await resync();

    expect(status).toBe(0);
    expect(stdout[0]).toMatch(DURATION);
    expect(stdout.slice(1, 3)).toEqual(['  deals:    42 written, 0 unchanged, 0 failed', '  partners: 18 written, 0 unchanged, 0 failed']);
    expect(stdout[3]).toMatch(JOBS_OK);
    expect(stdout.slice(4)).toEqual(['']);
    expect(stderr.slice(0, 2)).toEqual([
      `resync of ${api.url}: enqueueing every partner and every deal …`,
      "  enqueued 18 partners and 42 deals; a partner's recompute also recomputes its open deals",
    ]);
    const progress = stderr.slice(2, -1);
    expect(progress.filter((line) => !PROGRESS.test(line))).toEqual([]);
    expect(progress.at(-1)).toMatch(/ 0 remaining, /);

    const total = (key: keyof DemoPortalIds['deals']) => api.store.getRecord('deals', ids.deals[key]).properties.get('pp_commission_total');
    const tier = (key: keyof DemoPortalIds['partners']) => api.store.getRecord('companies', ids.partners[key]).properties.get('pp_referral_tier');
    expect([total('rule1Tier1'), total('rule2Expansion'), total('rule6CoSelling'), total('jpyDeal'), tier('consultantTier2')]).toEqual([
      '72000',
      '12000',
      '645000',
      '0',
      'tier_2',
    ]);
  }, 30_000);

  it("a second run, with another worker process on the same queue, counts that worker's jobs too and writes nothing", async () => {
    const first = await resync();
    // Another `npm run worker` on the same Redis and queue prefix: jobs go to whichever worker is free.
    const env = loadEnv(vars());
    const other = createRuntime({ env, program: loadProgramConfig(PROGRAM_FILE), logger: silentLogger, hubspot: { accessToken: TOKEN, basePath: api.url } });
    const workers = await startWorkers(other, { schedules: false });
    let otherTook = 0;
    workers.sync.on('completed', () => otherTook++);
    try {
      const second = await resync();

      expect([first.status, second.status]).toEqual([0, 0]);
      // Both workers wait on the same queue, so the other one takes a share (about half): jobs the command's own
      // workers never saw, which the summary below still counts.
      expect(otherTook).toBeGreaterThan(0);
      expect(second.stdout.slice(1, 3)).toEqual(['  deals:    0 written, 42 unchanged, 0 failed', '  partners: 0 written, 18 unchanged, 0 failed']);
    } finally {
      await workers.close();
      await other.close();
    }
  }, 30_000);

  it("exits 1 when jobs fail for good, and names the deals and HubSpot's reason once per reason", async () => {
    // An admin removed the app's options from pp_protection_status in HubSpot: every write of it is refused.
    api.store.updateProperty('deals', 'pp_protection_status', { options: [{ label: 'Legacy', value: 'legacy', displayOrder: 0, hidden: false }] });

    const { status, stdout } = await resync();

    expect(status).toBe(1);
    expect(stdout.slice(1, 3)).toEqual(['  deals:    0 written, 0 unchanged, 42 failed', '  partners: 18 written, 0 unchanged, 0 failed']);
    expect(stdout[3]).toMatch(/^ {2}jobs: {5}\d+ done, [1-9]\d* failed; \d+ HubSpot calls$/);
    expect(stdout[4]).toBe('failed (kept on the sync queue for two weeks: /admin/queues):');
    // Each deal's refused write is set aside on its own (the others of its batch are still written), and the
    // deals refused with the same words share one line (HubSpot's message quotes the value, so a few lines).
    const reasons = stdout.slice(5, -1);
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.length).toBeLessThan(16);
    expect(
      reasons.filter((r) => !/^ {2}- deal \d+.*: HubSpot refused this deal's write \(VALIDATION_ERROR\): .*INVALID_OPTION.*pp_protection_status/.test(r)),
    ).toEqual([]);
  }, 30_000);

  it('as a command: `tsx scripts/resync.ts` without a token exits 2 with the refusal on stderr', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/resync.ts'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, REDIS_URL: TEST_REDIS_URL },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const guard = setTimeout(() => child.kill('SIGKILL'), 25_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(guard);
        resolve({ code, stderr });
      });
    });

    expect([result.code, result.stderr.split('\n')[0]]).toEqual([
      2,
      'HUBSPOT_ACCESS_TOKEN is not set: refusing to resync, there is no HubSpot portal to read.',
    ]);
  }, 30_000);
});
