/**
 * Payout records: the `pp_payout` custom object (docs/program.md#payouts). Its objectTypeId (`2-…`) differs per
 * portal, so it is resolved by name once at start and passed to every call here.
 * Writes are upserts on the unique `pp_payout_key`, so a retry or a repeated trigger changes nothing.
 */
import type { PayoutStatus } from '../engine/types.js';
import { associateDefaultBatch } from './associations.js';
import type { HubSpot } from './client.js';
import {
  batchReadRecords,
  batchUpsertRecords,
  searchRecords,
  type CrmFilter,
  type CrmRecord,
  type CrmUpsertInput,
  type CrmUpsertResult,
  type SearchOptions,
} from './crm-records.js';
import { PAYOUT_OBJECT, PAYOUT_READ_PROPERTIES } from './properties.js';
import { customObjectTypeId } from './object-types.js';

export const PAYOUT_KEY_PROPERTY = 'pp_payout_key';

/** The portal's objectTypeId of `pp_payout`; PayoutSchemaMissingError (run `npm run provision`) when absent. */
export function resolvePayoutObjectType(hs: HubSpot): Promise<string> {
  return customObjectTypeId(hs, PAYOUT_OBJECT.name);
}

/** Payouts by key; keys with no record are absent. */
export function readPayoutsByKeys(
  hs: HubSpot,
  objectType: string,
  keys: readonly string[],
  properties: readonly string[] = PAYOUT_READ_PROPERTIES,
): Promise<Map<string, CrmRecord>> {
  return batchReadRecords(hs, { objectType, label: 'payouts', ids: keys, properties, idProperty: PAYOUT_KEY_PROPERTY });
}

export interface PayoutSearchFilters {
  dealIds?: readonly string[];
  partnerId?: string;
  statuses?: readonly PayoutStatus[];
  /** `pp_role` in (e.g. `bonus`, `activity`: the payouts without a deal). */
  roles?: readonly string[];
  /** `pp_frozen_at` at or after, epoch ms. */
  frozenFrom?: number;
  /** `pp_frozen_at` before, epoch ms. */
  frozenBefore?: number;
}

/**
 * Payouts matching every given filter (e.g. a deal's payouts, the period of a CSV export). Search lags writes
 * by a few seconds: to read back what was just written use `readPayoutsByKeys`.
 */
export function searchPayouts(
  hs: HubSpot,
  objectType: string,
  filters: PayoutSearchFilters,
  options?: SearchOptions & { properties?: readonly string[] },
): AsyncGenerator<CrmRecord[]> {
  const f: CrmFilter[] = [];
  if (filters.dealIds !== undefined) f.push({ propertyName: 'pp_deal_id', operator: 'IN', values: [...filters.dealIds] });
  if (filters.partnerId !== undefined) f.push({ propertyName: 'pp_partner_id', operator: 'EQ', value: filters.partnerId });
  if (filters.statuses !== undefined) f.push({ propertyName: 'pp_status', operator: 'IN', values: [...filters.statuses] });
  if (filters.roles !== undefined) f.push({ propertyName: 'pp_role', operator: 'IN', values: [...filters.roles] });
  if (filters.frozenFrom !== undefined) f.push({ propertyName: 'pp_frozen_at', operator: 'GTE', value: String(filters.frozenFrom) });
  if (filters.frozenBefore !== undefined) f.push({ propertyName: 'pp_frozen_at', operator: 'LT', value: String(filters.frozenBefore) });
  return searchRecords(hs, {
    objectType,
    label: 'payouts',
    request: { filterGroups: f.length > 0 ? [{ filters: f }] : [], properties: options?.properties ?? PAYOUT_READ_PROPERTIES },
    ...(options?.resultCap !== undefined ? { options: { resultCap: options.resultCap } } : {}),
  });
}

/** Creates or updates payouts by key; answers each key's record id and whether it was created. */
export function upsertPayouts(hs: HubSpot, objectType: string, inputs: readonly CrmUpsertInput[]): Promise<CrmUpsertResult[]> {
  return batchUpsertRecords(hs, { objectType, label: 'payouts', idProperty: PAYOUT_KEY_PROPERTY, inputs });
}

/** Associates each payout with its deal and its partner company (default types; repeating is harmless). */
export async function associatePayouts(
  hs: HubSpot,
  objectType: string,
  links: readonly { payoutId: string; dealId: string; partnerId: string }[],
): Promise<void> {
  if (links.length === 0) return;
  // Activity and bonus payouts have no deal (pp_deal_id empty): they are linked to their partner only.
  const withDeal = links.filter((l) => l.dealId !== '');
  if (withDeal.length > 0) {
    await associateDefaultBatch(hs, { fromType: objectType, toType: 'deals', pairs: withDeal.map((l) => ({ fromId: l.payoutId, toId: l.dealId })) });
  }
  await associateDefaultBatch(hs, {
    fromType: objectType,
    toType: 'companies',
    pairs: links.map((l) => ({ fromId: l.payoutId, toId: l.partnerId })),
  });
}
