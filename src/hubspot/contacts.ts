/**
 * Contacts (partner portal users and customer contacts): batch read, batch update, search, and the
 * contact ⇄ company associations. Same contract as deals.ts / companies.ts (crm-records.ts does the work).
 */
import { readAssociations } from './associations.js';
import type { HubSpot } from './client.js';
import { batchReadRecords, batchUpdateRecords, collectPages, searchRecords, type CrmRecord, type CrmUpdateInput } from './crm-records.js';
import { CONTACT_READ_PROPERTIES } from './properties.js';

const CONTACTS = 'contacts';

/** The contacts HubSpot has, by id; deleted or unknown ids are absent. */
export function readContacts(hs: HubSpot, ids: readonly string[], properties: readonly string[] = CONTACT_READ_PROPERTIES): Promise<Map<string, CrmRecord>> {
  return batchReadRecords(hs, { objectType: CONTACTS, label: 'contacts', ids, properties });
}

export function updateContacts(hs: HubSpot, inputs: readonly CrmUpdateInput[]): Promise<CrmRecord[]> {
  return batchUpdateRecords(hs, { objectType: CONTACTS, label: 'contacts', inputs });
}

/**
 * Contacts whose email is exactly `email` (HubSpot stores emails lower-cased; the caller normalises).
 * Search lags writes by seconds: a contact created a moment ago may not be found yet.
 */
export async function searchContactsByEmail(hs: HubSpot, email: string, properties: readonly string[] = CONTACT_READ_PROPERTIES): Promise<CrmRecord[]> {
  return collectPages(
    searchRecords(hs, {
      objectType: CONTACTS,
      label: 'contacts',
      request: { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }], properties, pageSize: 10 },
      options: { resultCap: 10 },
    }),
  );
}

/** Each contact's associated company ids (any association type). */
export async function readContactCompanies(hs: HubSpot, contactIds: readonly string[]): Promise<Map<string, string[]>> {
  const read = await readAssociations(hs, { fromType: CONTACTS, toType: 'companies', fromIds: contactIds });
  return new Map([...read].map(([id, records]) => [id, records.map((r) => r.toId)]));
}

/** Each company's associated contact ids. */
export async function readCompanyContacts(hs: HubSpot, companyIds: readonly string[]): Promise<Map<string, string[]>> {
  const read = await readAssociations(hs, { fromType: 'companies', toType: CONTACTS, fromIds: companyIds });
  return new Map([...read].map(([id, records]) => [id, records.map((r) => r.toId)]));
}
