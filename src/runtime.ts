/**
 * The composition root: builds every long-lived object of a process (Redis connections, queues, the HubSpot
 * client with its shared limiter, the services' context, metrics) from the validated environment and program
 * configuration. `npm start`, `npm run worker`, `npm run receiver` and the commands all start from here.
 */
import { isLocalDevelopment, type Env } from './config/env.js';
import { activitiesOfCompany } from './services/activities.js';
import { resolveActivityObjectType } from './hubspot/activities.js';
import { activitySealer } from './security/activity-guard.js';
import type { LoadedProgramConfig } from './config/program.js';
import { createHubSpotClient, type CallEvent, type HubSpot } from './hubspot/client.js';
import { createRedisRateLimiter, withHeadroom, type RateLimiter } from './hubspot/rate-limit.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createRedis } from './queue/connections.js';
import { createQueues, enqueueRecomputes, followUpBeatMs, nextBeat, type Queues } from './queue/queues.js';
import { createCrmAccess } from './hubspot/crm-access.js';
import { coalescingLoader, createDispatchGate, type DispatchGate } from './hubspot/dispatch-gate.js';
import { readAssociations } from './hubspot/associations.js';
import { createHubSpotPayoutStore, type PayoutStoreOptions } from './hubspot/payout-store.js';
import { createPartnerStatsStore } from './stores/partner-stats.js';
import { createPortalMetadata } from './hubspot/portal-metadata.js';
import { createMailer, type Mailer } from './services/portal/mailer.js';
import { createNotifier } from './services/portal/notifications.js';
import type { SyncContext } from './services/sync-context.js';
import type { Redis } from 'ioredis';
import { deriveKey } from './security/keys.js';
import { createForeignChangeLog, createSealBackup, restoreNoteText } from './security/app-owned.js';
import { createNote } from './hubspot/notes.js';
import { readLatestAuthors } from './hubspot/property-history.js';
import { programRoles } from './services/program-roles.js';
import { noteHtml } from './services/record-registration.js';
import { PARTNER_FOLLOW_UP } from './services/recompute-deal.js';

/** Only for runs without a client secret (a worker in tests): production requires HUBSPOT_CLIENT_SECRET. */
const UNSIGNED_DEVELOPMENT_SECRET = 'partner-program-development-only';

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
  /**
   * The partner portal's HubSpot client and context: the same shared limiter, plus a cap of its own
   * (PORTAL_HUBSPOT_SHARE_PERCENT of the budget), so a busy portal cannot starve webhook processing.
   */
  interactive: { hs: HubSpot; ctx: SyncContext };
  /** The card routes' context: the workers' client and stores, a dispatch gate of its own (see createRuntime). */
  cards: { ctx: SyncContext };
  mailer: Mailer;
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

  const budget = withHeadroom(env.HUBSPOT_RATE_LIMIT_MAX, env.HUBSPOT_RATE_LIMIT_HEADROOM_PERCENT);
  const limiter = createRedisRateLimiter({
    redis: workerRedis,
    // One limit per HubSpot account, shared by every process of this install.
    key: `${prefix}:ratelimit:${env.HUBSPOT_PORTAL_ID ?? 'portal'}`,
    max: budget,
    intervalMs: env.HUBSPOT_RATE_LIMIT_INTERVAL_MS,
  });
  const onCall = (e: CallEvent) => {
    metrics.hubspotCalls.inc({ operation: e.operation, status: String(e.status) });
    metrics.hubspotLatency.observe({ operation: e.operation }, e.durationMs / 1000);
    if (e.status === 429) metrics.hubspotRateLimited.inc({ operation: e.operation });
  };
  const hs = createHubSpotClient({
    accessToken: opts.hubspot.accessToken,
    basePath: opts.hubspot.basePath,
    limiter,
    logger: logger.child({ component: 'hubspot' }),
    now: clock,
    onCall,
  });
  // The portal's calls pass its own limiter first (its share of the budget), then the shared one.
  const portalLimiter = createRedisRateLimiter({
    redis: workerRedis,
    key: `${prefix}:ratelimit:${env.HUBSPOT_PORTAL_ID ?? 'portal'}:interactive`,
    max: Math.max(1, Math.floor((budget * env.PORTAL_HUBSPOT_SHARE_PERCENT) / 100)),
    intervalMs: env.HUBSPOT_RATE_LIMIT_INTERVAL_MS,
  });
  const interactiveHs = createHubSpotClient({
    accessToken: opts.hubspot.accessToken,
    basePath: opts.hubspot.basePath,
    limiter: bothLimiters(portalLimiter, limiter),
    logger: logger.child({ component: 'hubspot', caller: 'portal' }),
    now: clock,
    onCall,
  });

  const portal = createPortalMetadata(hs, { closedWonStageIds: program.config.closedWonStageIds, clock });
  const gate = createDispatchGate();
  const sealKey = deriveKey(env.HUBSPOT_CLIENT_SECRET ?? UNSIGNED_DEVELOPMENT_SECRET, 'crm-seal');
  if (!env.HUBSPOT_CLIENT_SECRET) logger.warn('HUBSPOT_CLIENT_SECRET is not set: app-owned CRM values are sealed with a development key anyone can know');
  const foreignChanges = createForeignChangeLog(workerRedis, prefix);
  // The program's roles, looked up when a guard first asks (programRoles needs the finished runtime).
  let runtime: Runtime | null = null;
  const roles = () => {
    if (!runtime) throw new Error('the runtime is not built yet');
    return programRoles(runtime);
  };
  const authority = {
    isPartnerManager: async (userId: string) => (await roles().managers.check(userId)).isManager,
    isFinance: async (userId: string) => (await roles().finance.check(userId)).isManager,
  };
  const sealBackup = createSealBackup(workerRedis, prefix);
  /** The payout store's options but its gate (the workers' and the cards' stores differ only in that). */
  const payoutOptions: Omit<PayoutStoreOptions, 'gate'> = {
    sealKey,
    onRestored: async (record, changes, authors) => {
      logger.warn({ key: record.key, changes: changes.map((c) => c.property) }, 'restored a payout record changed outside the app');
      const text = restoreNoteText({
        what: `Payout record ${record.key}: its fields`,
        rule: 'written only by the partner-program app (finance users alone may move pp_status from scheduled to approved to paid)',
        changes,
        authors,
      });
      await ctx.addNote(record.dealId ? { kind: 'deal', id: record.dealId } : { kind: 'company', id: record.partnerId }, text);
    },
    statusSteps: {
      reported: (recordId) => foreignChanges.take(`payout:${recordId}`),
      isFinance: (userId) => authority.isFinance(userId),
    },
  };
  const ctx: SyncContext = {
    crm: createCrmAccess(hs, { gate, logger: logger.child({ component: 'hubspot' }), sealKey, sealBackup }),
    portal,
    program,
    stats: createPartnerStatsStore(workerRedis, prefix, program.config),
    payouts: createHubSpotPayoutStore(hs, { ...payoutOptions, gate }),
    // A partner recompute its deals ask for comes due on the follow-up beat (queues.ts), not a debounce after the
    // ask: partners asked for early and late in a burst are read and written together.
    enqueue: (targets, reason) => {
      const now = Date.now();
      const debounce = program.config.sync.debounceMs;
      return enqueueRecomputes(queues.sync, targets, reason, reason === PARTNER_FOLLOW_UP ? nextBeat(now, followUpBeatMs(debounce)) - now : debounce);
    },
    queues: { maintenance: queues.maintenance },
    hs,
    redis: workerRedis,
    prefix,
    clock,
    logger,
    sealKey,
    foreignChanges,
    authority,
    latestAuthors: (objectType, id, properties) => readLatestAuthors(hs, objectType, [id], properties).then((m) => m.get(id) ?? new Map()),
    async addNote(target, text) {
      // Restore notes land on deals, partner companies and contacts, for registrations, payouts, partner inputs and
      // portal access alike: the heading names the program, the text says what was put back.
      const bodyHtml = noteHtml(text, null);
      await createNote(hs, { on: target, bodyHtml, timestamp: clock() });
    },
  };
  const mailer = createMailer({
    smtpUrl: env.SMTP_URL,
    from: env.MAIL_FROM,
    outboxAllowed: isLocalDevelopment(env.PUBLIC_BASE_URL),
    redis: producerRedis,
    prefix: `${prefix}:portal`,
    clock,
  });
  ctx.notify = createNotifier({
    hs,
    crm: ctx.crm,
    redis: producerRedis,
    prefix: `${prefix}:portal`,
    mailer,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    logger: logger.child({ component: 'portal-notify' }),
  });

  // Activities are read through their seals, which need the client secret: without it, no commitment outputs.
  if (env.HUBSPOT_CLIENT_SECRET) {
    const sealer = activitySealer(sealKey);
    const hasActivities = companiesWithActivities(hs, gate);
    ctx.activities = {
      forCompany: async (companyId) => ((await hasActivities(companyId)) ? activitiesOfCompany({ ctx, hs, sealer }, companyId) : []),
    };
  }

  // What a person waits on (the cards, the partner portal) goes through gates of its own that hold a batch at most
  // 500 ms, where the workers' gate holds a burst's writes up to 2 s to fill them; both read the app's own
  // registration values, as the workers do.
  const cardGate = createDispatchGate({ maxWaitMs: 500 });
  const cardsCtx: SyncContext = {
    ...ctx,
    crm: createCrmAccess(hs, { gate: cardGate, logger: logger.child({ component: 'hubspot' }), sealKey, sealBackup }),
    payouts: createHubSpotPayoutStore(hs, { ...payoutOptions, gate: cardGate }),
  };
  const interactiveCtx: SyncContext = {
    ...ctx,
    hs: interactiveHs,
    crm: createCrmAccess(interactiveHs, { gate: createDispatchGate({ maxWaitMs: 500 }), sealKey, sealBackup }),
    payouts: ctx.payouts,
  };

  runtime = {
    env,
    program,
    logger,
    metrics,
    workerRedis,
    producerRedis,
    queues,
    hs,
    ctx,
    interactive: { hs: interactiveHs, ctx: interactiveCtx },
    cards: { ctx: cardsCtx },
    mailer,
    clock,
    async close() {
      await queues.close().catch(() => undefined);
      workerRedis.disconnect();
      producerRedis.disconnect();
    },
  };
  return runtime;
}

/**
 * Whether a company has any pp_activity, asked through the dispatch gate: the company recomputes of a burst share
 * one batched association read (100 companies a call) instead of one call each, and only companies that have
 * activities go on to read them (activitiesOfCompany, which reads their list again: one call for those few).
 */
function companiesWithActivities(hs: HubSpot, gate: DispatchGate): (companyId: string) => Promise<boolean> {
  const loader = coalescingLoader<string, boolean>(
    gate,
    async (companyIds) => {
      const read = await readAssociations(hs, { fromType: 'companies', toType: await resolveActivityObjectType(hs), fromIds: companyIds });
      return companyIds.map((id) => (read.get(id) ?? []).length > 0);
    },
    { maxBatchSize: 100, shareWhileOpen: true },
  );
  return (companyId) => loader.load(companyId);
}

/** A call admitted by both limiters (the portal's share first, then the app's shared budget); a 429 pauses both. */
function bothLimiters(first: RateLimiter, second: RateLimiter): RateLimiter {
  return {
    async acquire() {
      await first.acquire();
      await second.acquire();
    },
    async pauseUntil(epochMs) {
      await Promise.all([first.pauseUntil(epochMs), second.pauseUntil(epochMs)]);
    },
  };
}
