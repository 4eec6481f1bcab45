/**
 * What every service needs, built once per process: coalesced CRM access, portal metadata, the program
 * configuration, the partner stats store, the payout store, a way to enqueue follow-up recomputes, the clock, and
 * the handles the sweeps use directly (the HubSpot client for searches, Redis for their markers, the maintenance
 * queue). Every use case takes this one context (plus its input).
 */
import type { Redis } from 'ioredis';
import type { LoadedProgramConfig } from '../config/program.js';
import type { Activity } from '../engine/activities.js';
import type { HubSpot } from '../hubspot/client.js';
import type { Queues } from '../queue/queues.js';
import type { Logger } from '../logger.js';
import type { ChangeAuthor, ForeignChangeLog } from '../security/app-owned.js';
import type { CrmAccess } from '../hubspot/crm-access.js';
import type { PartnerStatsStore } from '../stores/partner-stats.js';
import type { PayoutStore } from '../hubspot/payout-store.js';
import type { PortalMetadata } from '../hubspot/portal-metadata.js';
import type { Notify } from './portal/notifications.js';

export interface RecomputeRequest {
  kind: 'deal' | 'company' | 'activity';
  id: string;
}

export interface SyncContext {
  crm: CrmAccess;
  portal: PortalMetadata;
  program: LoadedProgramConfig;
  stats: PartnerStatsStore;
  payouts: PayoutStore;
  enqueue(targets: RecomputeRequest[], reason: string): Promise<void>;
  /** The maintenance queue: the delayed retention checks (schedule-retention-check.ts). */
  queues: Pick<Queues, 'maintenance'>;
  /** The HubSpot client `crm` reads through: the searches of the sweeps, exports and reports. */
  hs: HubSpot;
  /** The workers' Redis connection: the sweeps' watermarks and markers, the retention decisions, the workflow action ledger. */
  redis: Redis;
  /** This install's Redis key prefix (QUEUE_PREFIX). */
  prefix: string;
  clock(): number;
  logger: Logger;
  /** Partner-portal email notifications (registration decided, protection expiring, payouts); absent: none. */
  notify?: Notify;
  /** A partner's activities as the app trusts them (co-marketing commitments); absent without the client secret. */
  activities?: { forCompany(companyId: string): Promise<Activity[]> };
  /** Key of the seals on app-owned CRM values (keys.ts, purpose `crm-seal`). */
  sealKey: Buffer;
  /** Who HubSpot said changed app-owned values (recorded by the webhook intake, read by the restores). */
  foreignChanges: ForeignChangeLog;
  /**
   * Who may change what the app guards (docs/program.md#who-may-change-what), looked up on the server. Absent:
   * nobody (every foreign change is restored).
   */
  authority?: { isPartnerManager(userId: string): Promise<boolean>; isFinance(userId: string): Promise<boolean> };
  /** HubSpot's property history: who set each property's current value (absent: unknown, "outside the app"). */
  latestAuthors?(objectType: string, id: string, properties: readonly string[]): Promise<Map<string, ChangeAuthor>>;
  /** A timeline note on a deal, a company or a contact (plain text; escaped by the implementation). */
  addNote(target: { kind: 'deal' | 'company' | 'contact'; id: string }, text: string): Promise<void>;
}
