/**
 * `npm run provision` as a command: arguments, environment, exit status, progress on stderr and the summary on
 * stdout, against the sandbox portal. The HubSpot limit is the app's shared Redis limiter, under this file's
 * own key prefix.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Redis } from 'ioredis';
import { startSandboxApi, type RunningSandboxApi } from '../../sandbox/api/server.js';
import { inProcessLimiter, runProvisionCommand } from '../../scripts/provision.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix, testRedis } from '../helpers/redis.js';

const TOKEN = 'provision-command-token';
const prefix = testPrefix('provision');

let redis: Redis;
let api: RunningSandboxApi;
/** A limiter key per test: each test starts with the whole HubSpot budget, as a fresh portal would. */
let queuePrefix = prefix;
let testNumber = 0;

beforeAll(() => {
  redis = testRedis();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});
beforeEach(async () => {
  api = await startSandboxApi({ accessToken: TOKEN });
  queuePrefix = `${prefix}-${++testNumber}`;
});
afterEach(async () => {
  await api.close();
});

async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runProvisionCommand(
    argv,
    { HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_API_BASE_URL: api.url, HUBSPOT_PORTAL_ID: '4242', REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: queuePrefix, ...env },
    { out: (t) => out.push(t), err: (t) => err.push(t) },
  );
  return { status, stdout: out.join(''), stderr: err.join('') };
}

describe('npm run provision', () => {
  it('without HUBSPOT_ACCESS_TOKEN it says so and refuses (exit 2), calling nobody', async () => {
    const { status, stdout, stderr } = await run([], { HUBSPOT_ACCESS_TOKEN: undefined });

    expect([status, stdout]).toEqual([2, '']);
    expect(stderr.split('\n')[0]).toBe('HUBSPOT_ACCESS_TOKEN is not set: refusing to provision, there is no HubSpot portal to provision.');
    expect(api.stats.total).toBe(0);
  });

  it('provisions an empty portal (exit 0): progress on stderr, counts on stdout; a second run has nothing to do', async () => {
    const first = await run([]);

    expect([first.status, first.stdout]).toEqual([0, '55 created, 0 already present, 0 conflicts\n']);
    const progress = first.stderr.split('\n');
    expect(progress.slice(0, 4)).toEqual([
      `provisioning ${api.url} (portal 4242)`,
      'reading the portal: property groups, deal and company properties, association labels, custom objects',
      'plan: 55 to create, 0 already present, 0 in conflict',
      '[1/55] created property group pp_partner_program on companies',
    ]);
    expect(progress).toContain('[54/55] created custom object pp_payout');
    expect(progress).toContain('[55/55] created custom object pp_activity');

    const second = await run([]);
    expect([second.status, second.stdout]).toEqual([0, 'nothing to do: the portal already matches (55 definitions present)\n']);
  });

  it('--dry-run prints the plan and changes nothing (exit 0)', async () => {
    const { status, stdout } = await run(['--dry-run']);

    const lines = stdout.split('\n');
    expect([status, lines[0], lines.length]).toEqual([0, 'dry run, nothing changed: 55 to create, 0 already present, 0 conflicts', 57]);
    expect(lines).toContain('  would create deal→company label pp_finder ("Finder" / inverse "Found deal")');
    expect(Object.keys(api.stats.byRoute).filter((route) => !route.startsWith('GET '))).toEqual([]);
  });

  it('a conflict exits 1 after creating the rest, and the summary explains it', async () => {
    api.store.createProperty('companies', {
      name: 'pp_partner_type',
      label: 'Partner type',
      type: 'string',
      fieldType: 'text',
      groupName: 'companyinformation',
    });

    const { status, stdout } = await run([]);

    expect(status).toBe(1);
    expect(stdout.split('\n').slice(0, 3)).toEqual([
      '54 created, 0 already present, 1 conflict',
      'conflicts (left as they are; fix them in HubSpot, then run provision again):',
      '  - company property pp_partner_type: it is string (text), the app needs enumeration (select) with options consultant, technology, ' +
        'association, medical_advisor, channel, complementary_solution, healthcare_organization; HubSpot does not change the type of a ' +
        'property that holds values, so rename or delete it in HubSpot and run provision again',
    ]);
  });

  it('an unknown argument prints the usage and exits 2', async () => {
    const { status, stderr } = await run(['--force']);

    expect(status).toBe(2);
    expect(stderr.split('\n').slice(0, 2)).toEqual(['unknown argument: --force', 'usage: npm run provision [-- --dry-run]']);
    expect(api.stats.total).toBe(0);
  });

  it('an invalid environment value is named and exits 2', async () => {
    const { status, stderr } = await run([], { HUBSPOT_RATE_LIMIT_MAX: 'lots' });

    expect(status).toBe(2);
    expect(stderr).toBe('invalid environment:\n  HUBSPOT_RATE_LIMIT_MAX: a whole number\n');
  });

  it('without Redis it paces calls in-process and still provisions', async () => {
    const { status, stderr } = await run([], { REDIS_URL: 'redis://127.0.0.1:1' });

    expect(status).toBe(0);
    expect(stderr.split('\n')[0]).toBe('Redis at redis://127.0.0.1:1 does not answer: pacing HubSpot calls in this process only (90 per 10000 ms)');
  });
});

describe('inProcessLimiter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('admits max calls per interval, then holds the next one until the oldest leaves the window', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const limiter = inProcessLimiter(2, 10_000);
    await limiter.acquire();
    await limiter.acquire();

    let third = false;
    const pending = limiter.acquire().then(() => {
      third = true;
    });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(third).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(third).toBe(true);
  });

  it('holds every call until a 429 pause is over', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const limiter = inProcessLimiter(100, 10_000);
    await limiter.pauseUntil(1_005_000);

    let admitted = false;
    const pending = limiter.acquire().then(() => {
      admitted = true;
    });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(admitted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(admitted).toBe(true);
  });
});
