/**
 * Runs the app: the HTTP receiver (webhooks, card backend, workflow action, health, metrics, dashboard) and the
 * workers, in one process (`role: 'all'`) or separately (`receiver`, `worker`) to scale out on one Redis.
 * `scripts/start.ts` is the command-line entry; it starts the sandbox portal first when no token is configured.
 */
import type { Server } from 'node:http';
import type { Router } from 'express';
import type { Env } from './config/env.js';
import type { LoadedProgramConfig } from './config/program.js';
import type { Logger } from './logger.js';
import { createRedis, pingRedis, redisAnswers } from './queue/connections.js';
import { createWebhookIntake } from './queue/intake.js';
import { createIntakePump, type IntakePump } from './queue/intake-pump.js';
import { createRuntime, type Runtime } from './runtime.js';
import { createApp } from './server/app.js';
import { featureRouters, featureWorkerOptions } from './features.js';
import { opsRoutes } from './server/routes/ops.js';
import { startWorkers, type StartWorkersOptions, type Workers } from '../workers/main.js';

export type Role = 'all' | 'receiver' | 'worker';

export interface RunOptions {
  env: Env;
  program: LoadedProgramConfig;
  logger: Logger;
  role: Role;
  hubspot: { accessToken: string; basePath: string };
  clientSecret: string;
  /** Routers mounted besides the product's own features (the sandbox adds its scenario controls). */
  routers?: (rt: Runtime) => Router[];
  workers?: Pick<StartWorkersOptions, 'schedules' | 'lockDurationMs' | 'stalledIntervalMs'>;
  clock?: () => number;
}

export interface RunningApp {
  runtime: Runtime;
  server: Server | null;
  workers: Workers | null;
  url: string | null;
  close(): Promise<void>;
}

/** Redis is the app's memory: without it nothing can be accepted, so say so at once and how to fix it. */
export class RedisUnreachableError extends Error {
  constructor(url: string) {
    super(
      `Redis is not reachable at ${url}.\n` +
        `  Start it locally with:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379\n` +
        `  or point REDIS_URL at a running Redis (e.g. REDIS_URL=redis://host:6379/0).`,
    );
    this.name = 'RedisUnreachableError';
  }
}

async function connected(redis: Runtime['producerRedis'], timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
    redis.once('ready', done);
  });
}

export async function runApp(opts: RunOptions): Promise<RunningApp> {
  const { env, logger } = opts;
  if (!(await redisAnswers(env.REDIS_URL))) throw new RedisUnreachableError(env.REDIS_URL);

  const runtime = createRuntime({ env, program: opts.program, logger, hubspot: opts.hubspot, clock: opts.clock });
  // The producer connection fails fast (no offline queue): let it connect before the first webhook or pump uses it.
  await connected(runtime.producerRedis);
  let server: Server | null = null;
  let workers: Workers | null = null;
  let url: string | null = null;

  const signature = {
    clientSecret: opts.clientSecret,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    toleranceMs: env.SIGNATURE_TOLERANCE_MS,
    clock: runtime.clock,
  };
  let pump: IntakePump | null = null;
  let intakeRedis: Runtime['producerRedis'] | null = null;
  if (opts.role !== 'worker') {
    // The webhook answer waits on one script: on a connection of its own, its reply never queues behind the
    // pump's job adds or the card backend's reads on the shared producer connection (`npm run bench:ack`).
    intakeRedis = createRedis(env.REDIS_URL, 'producer');
    intakeRedis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error (webhook intake)'));
    await connected(intakeRedis);
    const intake = createWebhookIntake({
      redis: intakeRedis,
      pumpRedis: runtime.producerRedis,
      queue: runtime.queues.sync,
      prefix: env.QUEUE_PREFIX,
      filter: { appId: env.HUBSPOT_APP_ID, portalId: env.HUBSPOT_PORTAL_ID },
      debounceMs: opts.program.config.sync.debounceMs,
      eventDedupeHours: opts.program.config.sync.eventDedupeHours,
      logger,
    });
    pump = intake.pump;
    const app = createApp({
      logger,
      signature,
      webhookMaxBodyBytes: env.WEBHOOK_MAX_BODY_BYTES,
      intake,
      readiness: async () => ({ redis: await pingRedis(runtime.producerRedis), configuration: true }),
      routers: [...featureRouters(runtime, signature), ...(opts.routers?.(runtime) ?? []), opsRoutes(runtime)],
      onWebhookAccepted: (r) => {
        runtime.metrics.webhookEvents.inc({ outcome: 'accepted' }, r.accepted);
        runtime.metrics.webhookEvents.inc({ outcome: 'duplicate' }, r.duplicates);
        runtime.metrics.webhookEvents.inc({ outcome: 'ignored' }, r.ignored);
      },
    });
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(env.PORT, () => resolve(s));
      s.on('error', reject);
    });
    const address = server.address();
    url = `http://localhost:${typeof address === 'object' && address ? address.port : env.PORT}`;
    logger.info({ url, publicBaseUrl: env.PUBLIC_BASE_URL }, 'receiver listening');
  }
  // Every process pumps: deliveries a receiver stored but could not turn into jobs (it died right after
  // answering) are taken up by whichever process runs next.
  pump ??= createIntakePump({
    redis: runtime.producerRedis,
    queue: runtime.queues.sync,
    prefix: env.QUEUE_PREFIX,
    debounceMs: opts.program.config.sync.debounceMs,
    logger,
  });
  pump.start();
  if (opts.role !== 'receiver') workers = await startWorkers(runtime, { ...featureWorkerOptions(runtime), ...opts.workers });

  let closing: Promise<void> | null = null;
  return {
    runtime,
    server,
    workers,
    url,
    close() {
      // Stop taking new HTTP work, let running jobs finish, then let go of Redis.
      closing ??= (async () => {
        if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
        await pump!.stop();
        if (workers) await workers.close();
        intakeRedis?.disconnect();
        await runtime.close();
      })();
      return closing;
    },
  };
}

/** SIGTERM/SIGINT: a graceful stop; a second signal exits at once. */
export function closeOnSignals(app: RunningApp, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing running jobs');
    app.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
