/**
 * What the card view builders need beyond the sync context: HubSpot for the searches (registrations across the
 * portal, payouts), the partner-manager check, the payout object's type id, and how to sign export links.
 */
import type { HubSpot } from '../../hubspot/client.js';
import type { CrmRecord } from '../../hubspot/crm-records.js';
import type { PartnerManagers } from '../partner-managers.js';
import type { ActivityDeps } from '../activities.js';
import type { SyncContext } from '../sync-context.js';

export interface CardContext {
  ctx: SyncContext;
  hs: HubSpot;
  managers: PartnerManagers;
  /** The portal's `pp_payout` object type id (resolved once). */
  payoutObjectType(): Promise<string>;
  /** Null when the CSV export is not configured (no ADMIN_TOKEN): the card then shows no link. */
  exportLink: { publicBaseUrl: string; secret: string } | null;
  /** Activity services (seals need the client secret); absent → the card shows no activities. */
  activities?: ActivityDeps | null;
}

/**
 * Card lists stop here: hubspot.fetch answers are capped at 1 MB, and a list longer than this is a job for the
 * CRM's own views (or the CSV export), not a card.
 */
export const CARD_LIST_LIMIT = 100;

/** The first `limit` records of a paged search; the rest of the search is never requested. */
export async function firstRecords(pages: AsyncIterable<CrmRecord[]>, limit: number = CARD_LIST_LIMIT): Promise<CrmRecord[]> {
  const out: CrmRecord[] = [];
  for await (const page of pages) {
    out.push(...page.slice(0, limit - out.length));
    if (out.length >= limit) break;
  }
  return out;
}

/** Instants on the wire are ISO-8601 strings (the contract). */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** HubSpot user ids as the card shows them (the users API read here returns teams, not names). */
export const userLabel = (id: string | null): string | null => (id === null || id === '' ? null : `user ${id}`);
