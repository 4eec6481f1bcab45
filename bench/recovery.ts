/**
 * `npm run bench:recovery`: how soon work interrupted by a crash resumes. Prints figures; asserts nothing.
 *
 * The app runs as a child process (`scripts/start.ts`, role all) against the sandbox portal with HubSpot-like
 * latency. The bench posts signed webhooks for every deal, waits until the app's first deal writes are in flight
 * at the portal, kills the app with SIGKILL, notes the jobs that were active, and starts the app again. Then:
 * the time from the restart (and from the restarted app answering /healthz) until the first interrupted job is
 * taken up again and until all of them completed; whether any job started twice after the restart or failed;
 * and, once the queue is idle, whether every deal is right (each evaluated afresh from the portal and compared
 * with what was written): nothing lost.
 *
 * Options (env): BENCH_DEALS (300), BENCH_LATENCY_MS (300), BENCH_DEBOUNCE_MS (200).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { loadEnv } from '../src/config/env.js';
import { buildProgramConfig } from '../src/config/program.js';
import { silentLogger } from '../src/logger.js';
import { createRedis } from '../src/queue/connections.js';
import { waitUntilIdle } from '../src/queue/idle.js';
import { SYNC_QUEUE } from '../src/queue/job-data.js';
import { createRuntime } from '../src/runtime.js';
import { sameValue } from '../src/hubspot/changed-properties.js';
import { evaluateDeal } from '../src/services/evaluate-deal.js';
import { dealOutputs } from '../src/services/recompute-deal.js';
import { signHubSpotRequest } from '../src/server/verify-hubspot-request.js';
import { startSandboxApi } from '../sandbox/api/server.js';
import { seedBenchPortal } from '../sandbox/seed.js';
import { freePort } from './free-port.js';

const num = (name: string, def: number) => Number(process.env[name] ?? def);
const DEALS = num('BENCH_DEALS', 300);
const LATENCY = num('BENCH_LATENCY_MS', 300);
const DEBOUNCE = num('BENCH_DEBOUNCE_MS', 200);
const PUBLIC = 'http://bench.local';

const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const token = `bench-${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const sandbox = await startSandboxApi({ accessToken: token, clientSecret: secret, latencyMs: LATENCY });
  const ids = seedBenchPortal(sandbox.store, { deals: DEALS, partners: 20 });
  const prefix = `bench-rec-${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  const programFile = join(tmpdir(), `${prefix}.json`);
  writeFileSync(programFile, JSON.stringify({ sync: { debounceMs: DEBOUNCE } }));
  const childEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HUBSPOT_ACCESS_TOKEN: token,
    HUBSPOT_CLIENT_SECRET: secret,
    HUBSPOT_API_BASE_URL: sandbox.url,
    HUBSPOT_PORTAL_ID: String(sandbox.store.portalId),
    HUBSPOT_APP_ID: String(sandbox.store.appId),
    QUEUE_PREFIX: prefix,
    PORT: String(port),
    PUBLIC_BASE_URL: PUBLIC,
    PARTNER_PROGRAM_CONFIG: programFile,
    LOG_LEVEL: 'warn',
  };
  const appLog = createWriteStream(join(tmpdir(), `${prefix}.log`));
  const start = (): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(appLog, { end: false });
    child.stderr!.pipe(appLog, { end: false });
    return child;
  };
  const healthy = async () => {
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
      } catch {
        // not up yet
      }
      await sleep(20);
    }
  };
  log(`sandbox portal: ${ids.deals.length} deals, ${LATENCY} ms latency; app log ${join(tmpdir(), `${prefix}.log`)}`);

  let child = start();
  await healthy();

  // One webhook per deal, in deliveries of 100.
  let eventId = 1;
  const events = ids.deals.map((dealId) => ({
    eventId: eventId++,
    subscriptionId: 1,
    portalId: sandbox.store.portalId,
    appId: sandbox.store.appId,
    occurredAt: Date.now(),
    subscriptionType: 'deal.propertyChange',
    attemptNumber: 0,
    objectId: Number(dealId),
    propertyName: 'amount',
    propertyValue: 'changed',
    changeSource: 'CRM_UI',
    sourceId: 'userId:1',
  }));
  for (let i = 0; i < events.length; i += 100) {
    const body = JSON.stringify(events.slice(i, i + 100));
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/hubspot`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signHubSpotRequest({ method: 'POST', uri: `${PUBLIC}/webhooks/hubspot`, rawBody: body, secret, timestamp: Date.now() }),
      },
      body,
    });
    if (res.status !== 200) throw new Error(`receiver answered ${res.status}`);
  }

  // Kill while the first deal writes are in flight at the portal.
  const writes = () =>
    sandbox.stats
      .operationStats()
      .filter((o) => /deals\/batch\/update$/.test(o.operation))
      .reduce((n, o) => n + o.calls, 0);
  while (writes() === 0) await sleep(2);
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const redis = createRedis(childEnv.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
  const queue = new Queue(SYNC_QUEUE, { connection: redis, prefix });
  const interrupted = await redis.lrange(queue.toKey('active'), 0, -1);
  const eventsBefore = await redis.xrevrange(queue.toKey('events'), '+', '-', 'COUNT', 1);
  const lastEventBefore = eventsBefore[0]?.[0] ?? '0-0';
  log(`killed (SIGKILL) with ${writes()} deal write call(s) made and ${interrupted.length} job(s) active`);

  const restartedAt = Date.now();
  const t0 = performance.now();
  child = start();
  await healthy();
  const upAfter = (performance.now() - t0) / 1000;

  // Until every interrupted job has finished.
  let firstTakenUp: number | null = null;
  let allDone: number | null = null;
  for (;;) {
    const jobs = await Promise.all(interrupted.map((id) => queue.getJob(id)));
    const starts = jobs.map((j) => (j?.processedOn && j.processedOn >= restartedAt ? j.processedOn : null)).filter((x): x is number => x !== null);
    if (firstTakenUp === null && starts.length > 0) firstTakenUp = Math.min(...starts);
    // A finished job may already be removed (removeOnComplete keeps the last ones): missing counts as done.
    if (jobs.every((j) => !j || (j.finishedOn ?? 0) >= restartedAt)) {
      allDone = Math.max(restartedAt, ...jobs.map((j) => j?.finishedOn ?? 0));
      break;
    }
    if (Date.now() - restartedAt > 180_000) break;
    await sleep(50);
  }
  await waitUntilIdle({ queues: [queue], timeoutMs: 5 * 60_000, pollMs: 200 });

  // Jobs started again while a run of theirs had not ended, after the restart, and failures. A run ends when the
  // job completes, fails or is put off on purpose (a partner follow-up waiting for its deals moves itself to
  // delayed: workers/processors/sync.ts); a job active again without one of those between was started twice.
  const after = await redis.xrange(queue.toKey('events'), `(${lastEventBefore}`, '+');
  const running = new Set<string>();
  const startedTwice = new Set<string>();
  let failed = 0;
  for (const [, fields] of after) {
    const f: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
    const jobId = f['jobId'];
    if (f['event'] === 'failed') failed++;
    if (!jobId) continue;
    if (f['event'] === 'active') {
      if (running.has(jobId)) startedTwice.add(jobId);
      running.add(jobId);
    }
    if (f['event'] === 'completed' || f['event'] === 'failed' || f['event'] === 'delayed') running.delete(jobId);
  }
  const twice = startedTwice.size;

  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));

  // Nothing lost: every deal evaluated afresh equals what was written.
  sandbox.setLatencyMs(0);
  const env = loadEnv(childEnv);
  const rt = createRuntime({ env, program: buildProgramConfig({}), logger: silentLogger, hubspot: { accessToken: token, basePath: sandbox.url } });
  let wrong = 0;
  for (const dealId of ids.deals) {
    const ev = await evaluateDeal(rt.ctx, dealId);
    if (!ev) continue;
    const expected = dealOutputs(ev, null);
    const p = ev.record.properties;
    if (!(sameValue(p.pp_commission_total, expected.pp_commission_total!, 'number') && sameValue(p.pp_partner_tier, expected.pp_partner_tier!, 'text')))
      wrong++;
  }
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  await rt.close();
  await queue.close();
  redis.disconnect();
  await sandbox.close();
  appLog.end();

  const secs = (at: number | null) => (at === null ? 'not within 180 s' : `${((at - restartedAt) / 1000).toFixed(1)} s`);
  log('');
  log(`restarted app answering /healthz after   ${upAfter.toFixed(1)} s`);
  log(`first interrupted job taken up after     ${secs(firstTakenUp)} from the restart`);
  log(
    `all ${String(interrupted.length).padEnd(3)} interrupted jobs done after   ${secs(allDone)} from the restart (${allDone === null ? '-' : ((allDone - restartedAt) / 1000 - upAfter).toFixed(1)} s after /healthz)`,
  );
  log(`jobs started twice after the restart     ${twice} (a run not ended yet); failed: ${failed}`);
  log(`deals wrong once idle (lost work)        ${wrong} of ${ids.deals.length}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:recovery failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
