/**
 * `npm run bench:partners`: the daily minimum-status job on its worst day, for a portal of 5,000 referral
 * partners, against the sandbox portal with HubSpot-like latency and HubSpot's 100 calls per 10 s. Prints
 * figures; asserts nothing.
 *
 * 5,000 tier_1 consultants, each with one referral deal created last quarter and none this quarter, their outputs
 * as the app last wrote them (0 referrals, on track). The clock is 00:15 UTC on the quarter's 23rd day, when
 * tier_1's due count rises from 0 to 1: every one of them falls behind at once, so the job asks for all 5,000
 * (the most it can ever ask for). Then: HubSpot calls, the most in any 10-second window against the limit, the
 * time until every partner is recomputed, and a check that each partner was recomputed exactly once and is now
 * `at_risk` in the portal.
 *
 * Options (env): BENCH_PARTNERS (5000), BENCH_LATENCY_MS (80), BENCH_RATE_MAX (100), BENCH_RATE_INTERVAL_MS (10000).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { loadEnv } from '../src/config/env.js';
import { buildProgramConfig } from '../src/config/program.js';
import { createLogger } from '../src/logger.js';
import { runApp } from '../src/main.js';
import { waitUntilIdle } from '../src/queue/idle.js';
import { sweepMinimumStatus } from '../src/services/minimum-status-sweep.js';
import { startSandboxApi } from '../sandbox/api/server.js';
import { ensureAppContract } from '../sandbox/contract.js';
import { DEMO_USERS } from '../sandbox/seed.js';

const num = (name: string, def: number) => Number(process.env[name] ?? def);
const PARTNERS = num('BENCH_PARTNERS', 5000);
const LATENCY = num('BENCH_LATENCY_MS', 80);
const RATE_MAX = num('BENCH_RATE_MAX', 100);
const RATE_INTERVAL = num('BENCH_RATE_INTERVAL_MS', 10_000);
/** 23 October 2026, 00:15 UTC: day 23 of 2026-Q4, ⌊4 × 23 ÷ 92⌋ = 1 referral due for tier_1. */
const NOW = Date.parse('2026-10-23T00:15:00Z');
const DAY = 86_400_000;

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const token = `bench-${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const sandbox = await startSandboxApi({
    accessToken: token,
    clientSecret: secret,
    latencyMs: LATENCY,
    rateLimit: { max: RATE_MAX, intervalMs: RATE_INTERVAL },
  });
  const partnerIds = sandbox.store.silently(() => {
    ensureAppContract(sandbox.store);
    const rep = sandbox.store.actAsUser(DEMO_USERS.salesRep.id);
    const customer = rep.createCompany({ name: 'Bench Customer', lifecyclestage: 'customer' }).id;
    return Array.from({ length: PARTNERS }, (_, i) => {
      const id = rep.createCompany({
        name: `Bench Consultant ${String(i + 1).padStart(4, '0')}`,
        pp_partner_type: 'consultant',
        pp_consultant_count: '60',
        pp_agreement_signed: 'true',
        createdate: String(NOW - 400 * DAY),
        // As the app wrote them yesterday.
        pp_referral_tier: 'tier_1',
        pp_referrals_this_quarter: '0',
        pp_high_performer: 'false',
        pp_quarterly_minimum: '4',
        pp_minimum_status: 'on_track',
        pp_requirements_status: 'met',
      }).id;
      const deal = rep.createDeal({
        dealname: `Bench referral ${i + 1}`,
        amount: '600000',
        dealstage: 'qualifiedtobuy',
        pipeline: 'default',
        createdate: String(Date.parse('2026-08-01T00:00:00Z') + (i % 60) * DAY),
      });
      rep.associateDealCompany(deal.id, customer, { primary: true });
      rep.associateDealCompany(deal.id, id, { roles: ['pp_referral_partner'] });
      return id;
    });
  });
  log(
    `sandbox portal ${sandbox.url}: ${PARTNERS} tier_1 partners with 1 referral deal each, ${LATENCY} ms latency, ${RATE_MAX} calls / ${RATE_INTERVAL / 1000} s`,
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
  const program = buildProgramConfig({ sync: { debounceMs: 0 } });
  const app = await runApp({
    env: { ...env, PUBLIC_BASE_URL: 'http://bench.local' },
    program,
    logger: createLogger(env.LOG_LEVEL),
    role: 'all',
    hubspot: { accessToken: token, basePath: sandbox.url },
    clientSecret: secret,
    workers: { schedules: false },
    clock: () => NOW,
  });
  const rt = app.runtime;
  // Recomputes counted per partner: exactly once each is the claim.
  const recomputed = new Map<string, number>();
  app.workers?.sync.on('completed', (job) => {
    const id = (job.data as { companyId?: string }).companyId;
    if (id) recomputed.set(id, (recomputed.get(id) ?? 0) + 1);
  });
  sandbox.stats.reset();

  const started = performance.now();
  const startedWall = Date.now();
  const sweep = await sweepMinimumStatus(rt.ctx);
  const sweptIn = (performance.now() - started) / 1000;
  // The same day again (a retried or duplicated job): nobody more is asked for.
  const again = await sweepMinimumStatus(rt.ctx);
  await waitUntilIdle({ queues: [rt.queues.sync], timeoutMs: 20 * 60_000, pollMs: 200 });
  const doneIn = ((sandbox.stats.lastCallAt ?? Date.now()) - startedWall) / 1000;
  const calls = sandbox.stats.total;
  const busiest = sandbox.stats.maxCallsInWindow(RATE_INTERVAL);
  const snapshot = sandbox.stats.snapshot();

  const statuses = new Map<string, number>();
  for (const id of partnerIds) {
    const s = sandbox.store.getRecord('companies', id).properties.get('pp_minimum_status') ?? '(none)';
    statuses.set(s, (statuses.get(s) ?? 0) + 1);
  }
  const twice = [...recomputed.values()].filter((n) => n > 1).length;
  await app.close();
  await sandbox.close();

  const imposed = Math.max(0, Math.ceil(calls / RATE_MAX) - 1) * (RATE_INTERVAL / 1000);
  log('');
  log(
    `partners asked for          ${sweep.companies} (tier_1 counts ${sweep.fallingBehind.tier_1?.from}–${(sweep.fallingBehind.tier_1?.to ?? 1) - 1} fall behind today); a second run the same day: ${again.companies}`,
  );
  log(`sweep itself                ${sweptIn.toFixed(1)} s`);
  log(`partners recomputed         ${recomputed.size}, ${twice} of them more than once`);
  log(`minimum status afterwards   ${[...statuses].map(([s, n]) => `${n} ${s}`).join(', ')}`);
  log(`HubSpot calls               ${calls} (${(calls / PARTNERS).toFixed(3)} per partner); 429s: ${sandbox.stats.rateLimited}`);
  log(`most calls in any ${RATE_INTERVAL / 1000} s      ${busiest} (limit ${RATE_MAX}; the app's own budget is 90)`);
  log(`all done after              ${doneIn.toFixed(1)} s (the rate limit alone needs ${imposed.toFixed(1)} s for ${calls} calls)`);
  log("calls by route (the portal's view):");
  for (const [route, n] of Object.entries(snapshot.byRoute)) log(`  ${String(n).padStart(5)}  ${route}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:partners failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
