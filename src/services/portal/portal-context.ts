/**
 * What the partner portal's use cases need: the sync context (its CRM access runs on the portal's HubSpot
 * client, which may use only its share of the rate-limit budget), that client for searches and creates, Redis
 * for links, submissions and caches, the partner-manager check and decision lock the registration actions use,
 * the mailer, and where the portal is served.
 */
import type { Redis } from 'ioredis';
import type { HubSpot } from '../../hubspot/client.js';
import type { Logger } from '../../logger.js';
import type { DecisionLock } from '../../stores/decision-lock.js';
import type { ActivityDeps } from '../activities.js';
import type { PartnerManagers } from '../partner-managers.js';
import type { SyncContext } from '../sync-context.js';
import type { Mailer } from './mailer.js';
import type { ShortCache } from './short-cache.js';

export interface PortalSettings {
  /** Sign-in links stop working after this long (docs/program.md: 30 minutes). */
  linkTtlMs: number;
  /** A session ends after this long without a request (docs/program.md: 12 hours). */
  sessionIdleMs: number;
  /** Access (pp_portal_access, the one partner association) is read again at least this often (5 minutes). */
  accessRecheckMs: number;
  /** Deals created by a submission go to this pipeline and stage. */
  pipeline: string;
  dealStage: string;
}

export interface PortalContext {
  ctx: SyncContext;
  hs: HubSpot;
  redis: Redis;
  /** Redis key prefix of the portal's keys (`<QUEUE_PREFIX>:portal`). */
  prefix: string;
  managers: PartnerManagers;
  lock: DecisionLock;
  mailer: Mailer;
  /** Where partners open the portal (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  settings: PortalSettings;
  cache: ShortCache;
  logger: Logger;
  /** Activity submissions and lists (seals need the client secret); null or absent: the portal offers none. */
  activities?: ActivityDeps | null;
}

export const DEFAULT_PORTAL_SETTINGS = {
  linkTtlMs: 30 * 60_000,
  sessionIdleMs: 12 * 3_600_000,
  accessRecheckMs: 5 * 60_000,
} as const;
