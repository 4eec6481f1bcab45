/**
 * `npm run bench:ack`: how fast the receiver acknowledges HubSpot's deliveries. Prints figures; asserts nothing.
 *
 * HubSpot sends up to 100 events per request and at most 10 requests at a time. Each round posts 50 signed
 * deliveries of 100 deal events (over 1,000 deals, fresh eventIds) to the app's receiver, 10 at a time, and
 * measures each request from send to answer. The receiver runs as production runs it, a process of its own
 * (`scripts/start.ts --role receiver`, as `npm run receiver`; its intake pump runs there too, so its work is part
 * of the load), and the bench then waits until every stored delivery has become jobs. The bench's own HTTP client
 * (the sending side, HubSpot's in production) stays in this process.
 *
 * Beside it, the same rounds against a minimal receiver, also a process of its own (bench/minimal-receiver.ts):
 * Node's http server that reads the body and stores it with one LPUSH, no signature check and no parsing. Rounds
 * alternate between the two so both see the same machine load. Options (env): BENCH_ROUNDS (6 each),
 * BENCH_DELIVERIES (50 per round), BENCH_CHILD_PROF (a directory for the receivers' CPU profiles).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync, unlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { createRedis } from '../src/queue/connections.js';
import { intakeStreamKey } from '../src/queue/intake-pump.js';
import { SYNC_QUEUE } from '../src/queue/job-data.js';
import { signHubSpotRequest } from '../src/server/verify-hubspot-request.js';
import { freePort } from './free-port.js';

const num = (name: string, def: number) => Number(process.env[name] ?? def);
const ROUNDS = num('BENCH_ROUNDS', 6);
const DELIVERIES = num('BENCH_DELIVERIES', 50);
const EVENTS_PER_DELIVERY = 100;
const CONCURRENT = 10;
const DEALS = 1000;
const PORTAL_ID = 1234567;
const APP_ID = 7654321;

const log = (line: string) => process.stdout.write(`${line}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const summary = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms (${s.length} deliveries)`;
};

let nextEventId = 1;
function deliveries(): string[] {
  const out: string[] = [];
  for (let d = 0; d < DELIVERIES; d++) {
    const events = Array.from({ length: EVENTS_PER_DELIVERY }, (_, i) => ({
      eventId: nextEventId++,
      subscriptionId: 1,
      portalId: PORTAL_ID,
      appId: APP_ID,
      occurredAt: Date.now(),
      subscriptionType: 'deal.propertyChange',
      attemptNumber: 0,
      objectId: 10_000 + (((d * EVENTS_PER_DELIVERY + i) * 7919) % DEALS),
      propertyName: i % 3 === 0 ? 'dealstage' : 'amount',
      propertyValue: 'changed',
      changeSource: 'CRM_UI',
      sourceId: 'userId:1',
    }));
    out.push(JSON.stringify(events));
  }
  return out;
}

/** Posts the bodies 10 at a time; answers each request's time. */
async function round(url: string, bodies: string[], headers: (body: string) => Record<string, string>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const h = headers(body);
        const t0 = performance.now();
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...h }, body });
        await res.arrayBuffer();
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      }
    }),
  );
  return times;
}

/** Starts a child process and resolves once `ready` answers true; its output is kept for errors. */
async function startChild(
  args: string[],
  env: Record<string, string>,
  ready: (output: string) => Promise<boolean>,
): Promise<{ child: ChildProcess; output: () => string }> {
  // BENCH_CHILD_PROF=<dir>: each receiver writes a CPU profile there when it stops.
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_CHILD_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CHILD_PROF}`] : []), '--import', 'tsx', ...args],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  while (!(await ready(output))) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited (${child.exitCode}) before it was ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => output };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  const secret = randomBytes(16).toString('hex');
  const prefix = `bench-ack-${randomBytes(4).toString('hex')}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const programFile = join(tmpdir(), `${prefix}.json`);
  // The jobs wait out a long debounce: the bench measures intake, no worker runs them.
  writeFileSync(programFile, JSON.stringify({ sync: { debounceMs: 60_000 } }));
  const appPort = await freePort();
  const childEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HUBSPOT_ACCESS_TOKEN: 'bench-token',
    HUBSPOT_CLIENT_SECRET: secret,
    // The receiver makes no HubSpot call.
    HUBSPOT_API_BASE_URL: 'http://127.0.0.1:9',
    HUBSPOT_PORTAL_ID: String(PORTAL_ID),
    HUBSPOT_APP_ID: String(APP_ID),
    QUEUE_PREFIX: prefix,
    PORT: String(appPort),
    PUBLIC_BASE_URL: 'http://bench.local',
    PARTNER_PROGRAM_CONFIG: programFile,
    REDIS_URL: redisUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    LOG_FORMAT: 'json',
  };
  const app = await startChild(['scripts/start.ts', '--role', 'receiver'], childEnv, () =>
    fetch(`http://127.0.0.1:${appPort}/healthz`).then(
      (res) => res.ok,
      () => false,
    ),
  );
  const minimalKey = `${prefix}:minimal`;
  const minimal = await startChild(['bench/minimal-receiver.ts'], { ...childEnv, MINIMAL_KEY: minimalKey, MINIMAL_PORT: '0' }, async (output) =>
    /listening \d+/.test(output),
  );
  const appUrl = `http://127.0.0.1:${appPort}/webhooks/hubspot`;
  const minimalUrl = `http://127.0.0.1:${/listening (\d+)/.exec(minimal.output())![1]}/`;
  const signed = (body: string) =>
    signHubSpotRequest({ method: 'POST', uri: 'http://bench.local/webhooks/hubspot', rawBody: body, secret, timestamp: Date.now() });
  const redis = createRedis(redisUrl, 'worker');
  const queue = new Queue(SYNC_QUEUE, { connection: redis, prefix });

  // Warm-up, one full round each (JIT, zod's compiled parsers, connections, the script cached in Redis, the
  // pump's first jobs), not counted: 20 deliveries left the first measured round of the app cold.
  await round(appUrl, deliveries(), signed);
  while ((await redis.xlen(intakeStreamKey(prefix))) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await round(minimalUrl, deliveries(), () => ({}));

  const appTimes: number[] = [];
  const minimalTimes: number[] = [];
  let catchUp = 0;
  for (let r = 0; r < ROUNDS; r++) {
    appTimes.push(...(await round(appUrl, deliveries(), signed)));
    const t0 = performance.now();
    while ((await redis.xlen(intakeStreamKey(prefix))) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    catchUp = Math.max(catchUp, performance.now() - t0);
    minimalTimes.push(...(await round(minimalUrl, deliveries(), () => ({}))));
  }
  const jobs = await queue.getJobCountByTypes('delayed', 'waiting');

  await Promise.all([stopChild(app.child), stopChild(minimal.child)]);
  await queue.close();
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = nextCursor;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  unlinkSync(programFile);

  log(
    `${ROUNDS} rounds of ${DELIVERIES} deliveries × ${EVENTS_PER_DELIVERY} events, ${CONCURRENT} at a time (Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()[0]!.toFixed(2)} at the end)`,
  );
  log(`app receiver (own process: verify, parse, 1 Redis round trip)   ${summary(appTimes)}`);
  log(`minimal receiver (own process: read body, 1 LPUSH)             ${summary(minimalTimes)}`);
  log(`stored deliveries made jobs ≤ ${catchUp.toFixed(0)} ms after a round's last answer; ${jobs} recompute jobs waiting (1,000 deals)`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:ack failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
