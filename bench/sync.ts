/**
 * `npm run bench:sync`: the sync under a burst, against the sandbox portal with HubSpot-like latency and a
 * 10-second rate limit. Prints figures; asserts nothing (tests assert behaviour, benchmarks measure).
 *
 * 1,000 deals over 50 partners (sandbox seedBenchPortal); 5,000 signed webhook events in deliveries of 100,
 * 10 at a time (HubSpot's maxConcurrentRequests). Then: events/s the receiver accepted, p50/p99
 * acknowledgement latency, time until every deal is right, HubSpot calls (total, per event, most in any
 * 10-second window), and how that time compares with the minimum the rate limit itself imposes; and per kind of
 * call, the count beside the minimum the batch limits allow (ceil(distinct records / 100)).
 * "Right" is checked, not assumed: after the run every deal is evaluated again from the portal and compared
 * with what was written.
 *
 * By default the burst is the first one the app sees (cold: every referral partner is counted from all its deals
 * during the burst). BENCH_WARM=1 counts them first, as the quarter-start job leaves them, outside the figures: the
 * steady state of a running app.
 *
 * Options (env): BENCH_DEALS (1000), BENCH_EVENTS (5000), BENCH_LATENCY_MS (80), BENCH_RATE_MAX (100),
 * BENCH_RATE_INTERVAL_MS (10000), BENCH_DEBOUNCE_MS (2000), BENCH_WARM (0).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadEnv } from '../src/config/env.js';
import { buildProgramConfig } from '../src/config/program.js';
import { createLogger } from '../src/logger.js';
import { runApp } from '../src/main.js';
import { waitUntilIdle } from '../src/queue/idle.js';
import { evaluateDeal } from '../src/services/evaluate-deal.js';
import { countPartnerReferrals } from '../src/services/partner-referrals.js';
import { dealOutputs } from '../src/services/recompute-deal.js';
import { sameValue } from '../src/hubspot/changed-properties.js';
import { signHubSpotRequest } from '../src/server/verify-hubspot-request.js';
import { startSandboxApi } from '../sandbox/api/server.js';
import { seedBenchPortal } from '../sandbox/seed.js';

const num = (name: string, def: number) => Number(process.env[name] ?? def);
const DEALS = num('BENCH_DEALS', 1000);
const EVENTS = num('BENCH_EVENTS', 5000);
const LATENCY = num('BENCH_LATENCY_MS', 80);
const RATE_MAX = num('BENCH_RATE_MAX', 100);
const RATE_INTERVAL = num('BENCH_RATE_INTERVAL_MS', 10_000);
const DEBOUNCE = num('BENCH_DEBOUNCE_MS', 2000);
const WARM = num('BENCH_WARM', 0) === 1;
const BATCH = 100;
const CONCURRENT_DELIVERIES = 10;

const log = (line: string) => process.stdout.write(`${line}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main(): Promise<void> {
  const token = `bench-${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const sandbox = await startSandboxApi({
    accessToken: token,
    clientSecret: secret,
    latencyMs: LATENCY,
    rateLimit: { max: RATE_MAX, intervalMs: RATE_INTERVAL },
  });
  const ids = seedBenchPortal(sandbox.store, { deals: DEALS, partners: 50 });
  log(
    `sandbox portal ${sandbox.url}: ${ids.deals.length} deals, ${ids.partners.length} partners, ${LATENCY} ms latency, ${RATE_MAX} calls / ${RATE_INTERVAL / 1000} s`,
  );

  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const env = loadEnv({
    ...process.env,
    HUBSPOT_ACCESS_TOKEN: token,
    HUBSPOT_CLIENT_SECRET: secret,
    HUBSPOT_API_BASE_URL: sandbox.url,
    HUBSPOT_PORTAL_ID: String(sandbox.store.portalId),
    HUBSPOT_APP_ID: String(sandbox.store.appId),
    HUBSPOT_RATE_LIMIT_MAX: String(RATE_MAX),
    HUBSPOT_RATE_LIMIT_INTERVAL_MS: String(RATE_INTERVAL),
    QUEUE_PREFIX: prefix,
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const program = buildProgramConfig({ sync: { debounceMs: DEBOUNCE } });
  const logger = createLogger(env.LOG_LEVEL, {}, { format: env.LOG_FORMAT });
  const app = await runApp({
    env: { ...env, PUBLIC_BASE_URL: 'http://bench.local' },
    program,
    logger,
    role: 'all',
    hubspot: { accessToken: token, basePath: sandbox.url },
    clientSecret: secret,
    workers: { schedules: false },
  });
  const target = `${app.url}/webhooks/hubspot`;
  if (WARM) {
    // What the quarter-start job leaves: every partner counted, its ledger of referred deals filled.
    const ctx = app.runtime.ctx;
    const quarter = ctx.stats.quarter(ctx.clock());
    const partners = await ctx.crm.companies(ids.partners);
    await Promise.all(partners.flatMap((c) => (c ? [countPartnerReferrals(ctx, c.id, c.properties, quarter)] : [])));
  }
  log(
    `burst                       ${WARM ? 'warm (partners counted before it, as the quarter-start job leaves them)' : 'cold (the first the app sees: partners counted during it)'}`,
  );
  sandbox.stats.reset();

  // 5,000 events spread over the deals (each deal several times), as HubSpot would deliver them.
  let eventId = 1;
  const events = Array.from({ length: EVENTS }, (_, i) => ({
    eventId: eventId++,
    subscriptionId: 1,
    portalId: sandbox.store.portalId,
    appId: sandbox.store.appId,
    occurredAt: Date.now(),
    subscriptionType: 'deal.propertyChange',
    attemptNumber: 0,
    objectId: Number(ids.deals[(i * 7919) % ids.deals.length]),
    propertyName: i % 3 === 0 ? 'dealstage' : 'amount',
    propertyValue: 'changed',
    changeSource: 'CRM_UI',
    sourceId: 'userId:1',
  }));
  const batches: string[] = [];
  for (let i = 0; i < events.length; i += BATCH) batches.push(JSON.stringify(events.slice(i, i + BATCH)));

  const acks: number[] = [];
  const started = performance.now();
  const startedWall = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT_DELIVERIES }, async () => {
      while (next < batches.length) {
        const body = batches[next++]!;
        const t0 = performance.now();
        const res = await fetch(target, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            // Signed over the public URL HubSpot would have called.
            ...signHubSpotRequest({ method: 'POST', uri: 'http://bench.local/webhooks/hubspot', rawBody: body, secret, timestamp: Date.now() }),
          },
          body,
        });
        if (res.status !== 200) throw new Error(`receiver answered ${res.status}: ${await res.text()}`);
        acks.push(performance.now() - t0);
      }
    }),
  );
  const acceptedIn = (performance.now() - started) / 1000;

  // Converged when the queue is empty and stays so; the time is that of the last HubSpot call made.
  await waitUntilIdle({ queues: [app.runtime.queues.sync], timeoutMs: 10 * 60_000, pollMs: 200 });
  const convergedIn = ((sandbox.stats.lastCallAt ?? Date.now()) - startedWall) / 1000;
  const calls = sandbox.stats.total;
  const busiest = sandbox.stats.maxCallsInWindow(RATE_INTERVAL);
  const rateLimited = sandbox.stats.rateLimited;
  const operations = sandbox.stats.operationStats();
  const minimum = operations.reduce((n, o) => n + o.minimum, 0);
  const byOperation = (await app.runtime.metrics.hubspotCalls.get()).values
    .map((v) => [String(v.labels.operation), v.value] as const)
    .sort((a, b) => b[1] - a[1]);

  // Verify: evaluate every deal afresh (rate limit off, not counted) and compare with what was written.
  sandbox.setRateLimit(null);
  sandbox.setLatencyMs(0);
  let wrong = 0;
  // 100 at a time, so the reads batch (one at a time took minutes of gate waits).
  for (let i = 0; i < ids.deals.length; i += 100) {
    const evs = await Promise.all(ids.deals.slice(i, i + 100).map((dealId) => evaluateDeal(app.runtime.ctx, dealId)));
    for (const ev of evs) {
      if (!ev) continue;
      const expected = dealOutputs(ev, null);
      const props = ev.record.properties;
      const ok =
        sameValue(props.pp_commission_total, expected.pp_commission_total!, 'number') && sameValue(props.pp_partner_tier, expected.pp_partner_tier!, 'text');
      if (!ok) wrong++;
    }
  }
  await app.close();
  await sandbox.close();

  const sorted = [...acks].sort((a, b) => a - b);
  // The least time N calls need under a sliding window of RATE_MAX per RATE_INTERVAL: the first window's worth
  // goes at once, each further window's worth one interval later.
  const imposed = Math.max(0, Math.ceil(calls / RATE_MAX) - 1) * (RATE_INTERVAL / 1000);
  const syncTime = convergedIn - DEBOUNCE / 1000;
  log('');
  log(`events sent                 ${EVENTS} in ${batches.length} deliveries of ${BATCH}`);
  log(`accepted by the receiver    ${(EVENTS / acceptedIn).toFixed(0)} events/s`);
  log(`ack latency                 p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`);
  log(
    `every deal right after      ${convergedIn.toFixed(1)} s from the first event (${DEBOUNCE / 1000} s of it the configured debounce); deals wrong: ${wrong} of ${ids.deals.length}`,
  );
  log(`HubSpot calls               ${calls} (${(calls / EVENTS).toFixed(3)} per event); 429s: ${rateLimited}`);
  log(`most calls in any ${RATE_INTERVAL / 1000} s      ${busiest} (limit ${RATE_MAX})`);
  log(
    `rate limit alone needs      ${imposed.toFixed(1)} s for ${calls} calls; sync time after the debounce ${syncTime.toFixed(1)} s → ${imposed > 0 ? `${(syncTime / imposed).toFixed(2)}×` : 'n/a (under one window)'}`,
  );
  log("calls by operation (the app's view):");
  for (const [op, n] of byOperation) log(`  ${String(n).padStart(5)}  ${op}`);
  log(`HubSpot calls vs minimum    ${calls} calls; the batch limits allow ${minimum} for these records → ${(calls / minimum).toFixed(2)}× (target ≤ 1.3×)`);
  log("calls by operation (the portal's view): calls / minimum (ceil(distinct records / 100) per kind), inputs carried");
  for (const o of operations) {
    log(
      `  ${String(o.calls).padStart(5)} / ${String(o.minimum).padEnd(4)} ${String(o.inputs).padStart(6)} inputs, ${String(o.distinct).padStart(5)} distinct  ${o.operation}`,
    );
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:sync failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
