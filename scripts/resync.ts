/**
 * `npm run resync`: recompute every partner and every deal of the portal now, and wait until it is done.
 *
 * It runs its own workers (no schedules), so it works whether or not `npm start` / `npm run worker` processes
 * share the Redis: the jobs go on the same `sync` queue and whichever worker is free takes them. What every
 * worker did is followed on the queue's event stream, so the summary counts jobs run elsewhere too.
 * Progress goes to stderr, the summary to stdout.
 *
 * Exit status: 0 every job succeeded, 1 a job failed for good (or HubSpot refused the sweep itself),
 * 2 nothing to resync (no token, invalid environment or program configuration, no Redis).
 */
import { pathToFileURL } from 'node:url';
import { Job, QueueEvents } from 'bullmq';
import { loadEnv, type Env } from '../src/config/env.js';
import { ConfigError } from '../src/config/errors.js';
import { loadProgramConfig, type LoadedProgramConfig } from '../src/config/program.js';
import { featureWorkerOptions } from '../src/features.js';
import { silentLogger, type Logger } from '../src/logger.js';
import { RedisUnreachableError } from '../src/main.js';
import { redisAnswers } from '../src/queue/connections.js';
import { SYNC_QUEUE } from '../src/queue/job-data.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { resyncEverything } from '../src/services/reconcile.js';
import { startWorkers } from '../workers/main.js';

export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

export interface ResyncOptions {
  /** Default: silent (the command reports failures itself; pino's lines would mix into stdout). */
  logger?: Logger;
  /** How often the queue is looked at while it drains. Default 250 ms. */
  pollMs?: number;
  /** How often a progress line is printed while nothing else changes. Default 5,000 ms. */
  progressEveryMs?: number;
}

type Outcome = 'written' | 'unchanged' | 'gone' | 'failed';

/** Per record, the best outcome seen: a record recomputed twice (its own job, then a partner's fan-out) counts once. */
class Outcomes {
  private readonly byId = new Map<string, Outcome>();
  private static readonly RANK: Record<Outcome, number> = { failed: 0, gone: 1, unchanged: 2, written: 3 };

  record(id: string, outcome: Outcome): void {
    const before = this.byId.get(id);
    if (before === undefined || Outcomes.RANK[outcome] > Outcomes.RANK[before]) this.byId.set(id, outcome);
  }

  count(outcome: Outcome): number {
    let n = 0;
    for (const o of this.byId.values()) if (o === outcome) n++;
    return n;
  }
}

interface JobOutcome {
  kind: 'deal' | 'company';
  id: string;
  outcome: Outcome;
}

/** The return values of recomputeDeal / recomputeCompany, as they come back on the event stream. */
function completedOutcome(value: unknown): JobOutcome | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as { dealId?: unknown; companyId?: unknown; status?: unknown };
  const outcome: Outcome = v.status === 'written' ? 'written' : v.status === 'unchanged' ? 'unchanged' : 'gone';
  if (typeof v.dealId === 'string') return { kind: 'deal', id: v.dealId, outcome };
  if (typeof v.companyId === 'string') return { kind: 'company', id: v.companyId, outcome };
  return null;
}

interface Failure {
  subject: string;
  reason: string;
}

/** One line per distinct reason: a refused batch fails every deal in it with the same words. */
function failureLines(failures: Failure[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const f of failures) {
    const subjects = byReason.get(f.reason) ?? [];
    if (!subjects.includes(f.subject)) subjects.push(f.subject);
    byReason.set(f.reason, subjects);
  }
  return [...byReason].map(([reason, subjects]) => {
    const named = subjects.slice(0, 5).join(', ') + (subjects.length > 5 ? ` and ${subjects.length - 5} more` : '');
    return `  - ${named}: ${reason}`;
  });
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Every sync-queue outcome from now on, whichever process's worker produced it. */
async function followSyncQueue(rt: Runtime) {
  const deals = new Outcomes();
  const partners = new Outcomes();
  const failures: Promise<Failure>[] = [];
  let done = 0;
  let failed = 0;

  // QueueEvents reads from "$" by default, which misses whatever lands before its first blocking read: start
  // from the stream's current last entry instead.
  const last = await rt.workerRedis.xrevrange(rt.queues.sync.keys.events!, '+', '-', 'COUNT', 1);
  const events = new QueueEvents(SYNC_QUEUE, { connection: rt.workerRedis, prefix: rt.env.QUEUE_PREFIX, lastEventId: last[0]?.[0] ?? '0-0' });
  events.on('error', (err) => rt.logger.warn({ err: err.message }, 'queue events error'));
  events.on('completed', ({ returnvalue }) => {
    done++;
    const o = completedOutcome(returnvalue);
    if (o) (o.kind === 'deal' ? deals : partners).record(o.id, o.outcome);
  });
  events.on('failed', ({ jobId, failedReason }) => {
    failed++;
    failures.push(
      Job.fromId(rt.queues.sync, jobId).then(
        (job) => {
          const data = (job?.data ?? {}) as { dealId?: string; companyId?: string };
          if (data.dealId) deals.record(data.dealId, 'failed');
          if (data.companyId) partners.record(data.companyId, 'failed');
          return { subject: data.dealId ? `deal ${data.dealId}` : data.companyId ? `partner ${data.companyId}` : `job ${jobId}`, reason: failedReason };
        },
        () => ({ subject: `job ${jobId}`, reason: failedReason }),
      ),
    );
  });
  await events.waitUntilReady();

  return {
    deals,
    partners,
    get done() {
      return done;
    },
    get failed() {
      return failed;
    },
    failures: () => Promise.all(failures),
    close: () => events.close(),
  };
}

async function hubspotCalls(rt: Runtime): Promise<number> {
  const metric = await rt.metrics.hubspotCalls.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

async function remainingJobs(rt: Runtime): Promise<number> {
  const counts = await rt.queues.sync.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function resync(env: Env & { HUBSPOT_ACCESS_TOKEN: string }, program: LoadedProgramConfig, io: CommandOutput, options: ResyncOptions): Promise<number> {
  const started = Date.now();
  const pollMs = options.pollMs ?? 250;
  const progressEveryMs = options.progressEveryMs ?? 5_000;
  const rt = createRuntime({
    env,
    program,
    logger: options.logger ?? silentLogger,
    hubspot: { accessToken: env.HUBSPOT_ACCESS_TOKEN, basePath: env.HUBSPOT_API_BASE_URL },
  });
  let follow: Awaited<ReturnType<typeof followSyncQueue>> | null = null;
  let workers: Awaited<ReturnType<typeof startWorkers>> | null = null;
  try {
    follow = await followSyncQueue(rt);
    workers = await startWorkers(rt, { schedules: false, ...featureWorkerOptions(rt) });

    io.err(
      `resync of ${env.HUBSPOT_API_BASE_URL}${env.HUBSPOT_PORTAL_ID ? ` (portal ${env.HUBSPOT_PORTAL_ID})` : ''}: enqueueing every partner and every deal …\n`,
    );
    let sweep;
    try {
      sweep = await resyncEverything(rt.ctx);
    } catch (err) {
      io.err(`resync failed while listing the portal's partners and deals: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    io.err(`  enqueued ${plural(sweep.companies, 'partner')} and ${plural(sweep.deals, 'deal')}; a partner's recompute also recomputes its open deals\n`);

    // Done when the sync queue has stayed empty for a few looks: a partner's job fans out to deal jobs, and a
    // deal job to its partner's, so one empty look can fall between a job and the ones it enqueues.
    let lastLine = '';
    let lastPrintedAt = 0;
    for (let quiet = 0; quiet < 3;) {
      await sleep(pollMs);
      const remaining = await remainingJobs(rt);
      quiet = remaining === 0 ? quiet + 1 : 0;
      const line = `${follow.done} jobs done, ${remaining} remaining${follow.failed > 0 ? `, ${follow.failed} failed` : ''}, ${await hubspotCalls(rt)} HubSpot calls`;
      const now = Date.now();
      if (line !== lastLine || now - lastPrintedAt >= progressEveryMs) {
        io.err(`  [${seconds(now - started)}] ${line}\n`);
        lastLine = line;
        lastPrintedAt = now;
      }
    }

    await workers.close();
    workers = null;
    const failures = await follow.failures();
    const { deals, partners } = follow;
    const outcomeLine = (o: Outcomes) =>
      `${o.count('written')} written, ${o.count('unchanged')} unchanged, ${o.count('failed')} failed${o.count('gone') > 0 ? `, ${o.count('gone')} no longer in HubSpot` : ''}`;
    io.out(
      [
        `resync finished in ${seconds(Date.now() - started)}: ${plural(sweep.companies, 'partner')} and ${plural(sweep.deals, 'deal')} enqueued`,
        `  deals:    ${outcomeLine(deals)}`,
        `  partners: ${outcomeLine(partners)}`,
        `  jobs:     ${follow.done} done, ${follow.failed} failed; ${await hubspotCalls(rt)} HubSpot calls`,
        ...(failures.length > 0 ? ['failed (kept on the sync queue for two weeks: /admin/queues):', ...failureLines(failures)] : []),
        '',
      ].join('\n'),
    );
    return follow.failed > 0 ? 1 : 0;
  } finally {
    await workers?.close();
    await follow?.close();
    await rt.close();
  }
}

/** The whole command, with its inputs passed in; resolves to the exit status. */
export async function runResync(source: Record<string, string | undefined>, io: CommandOutput, options: ResyncOptions = {}): Promise<number> {
  let env: Env;
  let program: LoadedProgramConfig;
  try {
    env = loadEnv(source);
    program = loadProgramConfig(env.PARTNER_PROGRAM_CONFIG);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`Refusing to resync: ${err.message}\n`);
    return 2;
  }
  const token = env.HUBSPOT_ACCESS_TOKEN;
  if (token === undefined) {
    io.err(
      'HUBSPOT_ACCESS_TOKEN is not set: refusing to resync, there is no HubSpot portal to read.\n' +
        '  The sandbox portal (`npm start` without a token) resyncs itself at start; restart it to compute everything afresh.\n',
    );
    return 2;
  }
  if (!(await redisAnswers(env.REDIS_URL))) {
    io.err(`Refusing to resync: ${new RedisUnreachableError(env.REDIS_URL).message}\n`);
    return 2;
  }
  return resync({ ...env, HUBSPOT_ACCESS_TOKEN: token }, program, io, options);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runResync(process.env, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
