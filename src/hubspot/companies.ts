/**
 * Companies (partners and customers): batch read, batch update, search. Same contract as deals.ts.
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

const COMPANIES = 'companies';

/** The companies HubSpot has, by id; deleted or unknown ids are absent. */
export function readCompanies(hs: HubSpot, ids: readonly string[], properties: readonly string[]): Promise<Map<string, CrmRecord>> {
  return batchReadRecords(hs, { objectType: COMPANIES, label: 'companies', ids, properties });
}

/** A 207 throws HubSpotBatchError naming the failed ids; the others are written and stay written. */
export function updateCompanies(hs: HubSpot, inputs: readonly CrmUpdateInput[]): Promise<CrmRecord[]> {
  return batchUpdateRecords(hs, { objectType: COMPANIES, label: 'companies', inputs });
}

export function searchCompanies(hs: HubSpot, request: CrmSearchRequest, options?: SearchOptions): AsyncGenerator<CrmRecord[]> {
  return searchRecords(hs, { objectType: COMPANIES, label: 'companies', request, ...(options ? { options } : {}) });
}
