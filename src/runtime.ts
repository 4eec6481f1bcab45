/**
 * The composition root: builds every long-lived object of a process (Redis connections, queues, the HubSpot
 * client with its shared limiter, the services' context, metrics) from the validated environment and program
 * configuration. `npm start`, `npm run worker`, `npm run receiver` and the commands all start from here.
 */
import type { Env } from './config/env.js';
import type { LoadedProgramConfig } from './config/program.js';
import { createHubSpotClient, type HubSpot } from './hubspot/client.js';
import { createRedisRateLimiter, withHeadroom } from './hubspot/rate-limit.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createRedis } from './queue/connections.js';
import { createQueues, enqueueRecomputes, type Queues } from './queue/queues.js';
import { createCrmAccess } from './services/crm-access.js';
import { createDispatchGate } from './services/dispatch-gate.js';
import { createHubSpotPayoutStore } from './services/hubspot-payout-store.js';
import { createPartnerStatsStore } from './services/partner-stats.js';
import { createPortalMetadata } from './services/portal-metadata.js';
import { scheduleRetentionCheck } from './services/retention-bonus.js';
import type { SyncContext } from './services/sync-context.js';
import type { Redis } from 'ioredis';

export interface RuntimeOptions {
  env: Env;
  program: LoadedProgramConfig;
  logger: Logger;
  /** The token and API base actually used (the sandbox supplies its own when no token is configured). */
  hubspot: { accessToken: string; basePath: string };
  clock?: () => number;
  metrics?: Metrics;
}

export interface Runtime {
  env: Env;
  program: LoadedProgramConfig;
  logger: Logger;
  metrics: Metrics;
  /** Blocking connection for workers (BullMQ needs maxRetriesPerRequest: null). */
  workerRedis: Redis;
  /** Fail-fast connection for the receiver and the card backend. */
  producerRedis: Redis;
  queues: Queues;
  hs: HubSpot;
  ctx: SyncContext;
  clock: () => number;
  close(): Promise<void>;
}

export function createRuntime(opts: RuntimeOptions): Runtime {
  const { env, program, logger } = opts;
  const clock = opts.clock ?? Date.now;
  const metrics = opts.metrics ?? createMetrics();
  const prefix = env.QUEUE_PREFIX;
  const workerRedis = createRedis(env.REDIS_URL, 'worker');
  const producerRedis = createRedis(env.REDIS_URL, 'producer');
  for (const r of [workerRedis, producerRedis]) r.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const queues = createQueues(producerRedis, prefix);
  metrics.watchQueues([queues.sync, queues.maintenance]);

  const limiter = createRedisRateLimiter({
    redis: workerRedis,
    // One limit per HubSpot account, shared by every process of this install.
    key: `${prefix}:ratelimit:${env.HUBSPOT_PORTAL_ID ?? 'portal'}`,
    max: withHeadroom(env.HUBSPOT_RATE_LIMIT_MAX, env.HUBSPOT_RATE_LIMIT_HEADROOM_PERCENT),
    intervalMs: env.HUBSPOT_RATE_LIMIT_INTERVAL_MS,
  });
  const hs = createHubSpotClient({
    accessToken: opts.hubspot.accessToken,
    basePath: opts.hubspot.basePath,
    limiter,
    logger: logger.child({ component: 'hubspot' }),
    now: clock,
    onCall(e) {
      metrics.hubspotCalls.inc({ operation: e.operation, status: String(e.status) });
      metrics.hubspotLatency.observe({ operation: e.operation }, e.durationMs / 1000);
      if (e.status === 429) metrics.hubspotRateLimited.inc({ operation: e.operation });
    },
  });

  const portal = createPortalMetadata(hs, { closedWonStageIds: program.config.closedWonStageIds, clock });
  const gate = createDispatchGate();
  const ctx: SyncContext = {
    crm: createCrmAccess(hs, { gate, logger: logger.child({ component: 'hubspot' }) }),
    portal,
    program,
    stats: createPartnerStatsStore(workerRedis, prefix, program.config),
    payouts: createHubSpotPayoutStore(hs, { gate }),
    enqueue: (targets, reason) => enqueueRecomputes(queues.sync, targets, reason, program.config.sync.debounceMs),
    scheduleRetentionCheck: (dealId, closedWonAt) =>
      scheduleRetentionCheck(queues.maintenance, { dealId, closedWonAt }, program.config, clock()).then(() => undefined),
    clock,
    logger,
  };

  return {
    env,
    program,
    logger,
    metrics,
    workerRedis,
    producerRedis,
    queues,
    hs,
    ctx,
    clock,
    async close() {
      await queues.close().catch(() => undefined);
      workerRedis.disconnect();
      producerRedis.disconnect();
    },
  };
}
