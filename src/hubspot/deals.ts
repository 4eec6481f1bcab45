/**
 * Deals: batch read, batch update, search. See crm-records.ts for chunking, 207 handling and search paging.
 */
import type { HubSpot } from './client.js';
import {
  batchReadRecords,
  batchUpdateRecords,
  searchRecords,
  type CrmRecord,
  type CrmSearchRequest,
  type CrmUpdateInput,
  type SearchOptions,
} from './crm-records.js';

export type { CrmRecord } from './crm-records.js';

const DEALS = 'deals';

/** The deals HubSpot has, by id; deleted or unknown ids are absent. */
export function readDeals(hs: HubSpot, ids: readonly string[], properties: readonly string[]): Promise<Map<string, CrmRecord>> {
  return batchReadRecords(hs, { objectType: DEALS, label: 'deals', ids, properties });
}

/**
 * Writes the given properties (values as strings; "" clears). A 207 throws HubSpotBatchError naming the failed
 * ids; the others are written and stay written.
 */
export function updateDeals(hs: HubSpot, inputs: readonly CrmUpdateInput[]): Promise<CrmRecord[]> {
  return batchUpdateRecords(hs, { objectType: DEALS, label: 'deals', inputs });
}

export function searchDeals(hs: HubSpot, request: CrmSearchRequest, options?: SearchOptions): AsyncGenerator<CrmRecord[]> {
  return searchRecords(hs, { objectType: DEALS, label: 'deals', request, ...(options ? { options } : {}) });
}

/** Deals modified at or after `sinceMs`, oldest change first: the reconciliation sweep. */
export function searchDealsModifiedSince(hs: HubSpot, sinceMs: number, properties: readonly string[], options?: SearchOptions): AsyncGenerator<CrmRecord[]> {
  return searchDeals(
    hs,
    {
      filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(sinceMs) }] }],
      properties,
      orderBy: 'hs_lastmodifieddate',
    },
    options,
  );
}
