/**
 * Partner activities: the `pp_activity` custom object (docs/program.md#activities-retainers-and-bonuses), associated
 * with the partner company by the object's default association. Its objectTypeId differs per portal and is
 * resolved by name. Written in the style of the other src/hubspot modules; the create is the one
 * single-record call (dated paths, `hubspotPaths`); its notes go through notes.ts.
 */
import { z } from 'zod';
import { hubspotPaths } from './api-paths.js';
import { associateDefaultBatch, readAssociations } from './associations.js';
import type { HubSpot } from './client.js';
import { batchReadRecords, batchUpdateRecords, searchRecords, type CrmRecord, type CrmUpdateInput } from './crm-records.js';
import { HubSpotResponseError } from './errors.js';
import { ACTIVITY_OBJECT, ACTIVITY_READ_PROPERTIES } from './properties.js';
import { customObjectTypeId } from './object-types.js';

/** The portal's objectTypeId of `pp_activity`; PayoutSchemaMissingError naming it (run `npm run provision`) when absent. */
export function resolveActivityObjectType(hs: HubSpot): Promise<string> {
  return customObjectTypeId(hs, ACTIVITY_OBJECT.name);
}

/** Activities by id; ids with no record (deleted) are absent. */
export function readActivities(hs: HubSpot, objectType: string, ids: readonly string[]): Promise<Map<string, CrmRecord>> {
  return batchReadRecords(hs, { objectType, label: 'activities', ids, properties: ACTIVITY_READ_PROPERTIES });
}

export function updateActivities(hs: HubSpot, objectType: string, inputs: readonly CrmUpdateInput[]): Promise<CrmRecord[]> {
  return batchUpdateRecords(hs, { objectType, label: 'activities', inputs });
}

/** Each activity's associated company ids. */
export async function readActivityCompanies(hs: HubSpot, objectType: string, ids: readonly string[]): Promise<Map<string, string[]>> {
  const read = await readAssociations(hs, { fromType: objectType, toType: 'companies', fromIds: ids });
  return new Map([...read].map(([id, records]) => [id, records.map((r) => r.toId)]));
}

/** A company's activity ids. */
export async function readCompanyActivityIds(hs: HubSpot, objectType: string, companyId: string): Promise<string[]> {
  const read = await readAssociations(hs, { fromType: 'companies', toType: objectType, fromIds: [companyId] });
  return (read.get(companyId) ?? []).map((r) => r.toId);
}

/** Creates one activity and associates it with its partner company. Not idempotent: callers dedupe. */
export async function createActivity(hs: HubSpot, objectType: string, properties: Record<string, string>, companyId: string): Promise<string> {
  const operation = 'activities.create';
  const res = await hs.request(operation, { method: 'POST', path: hubspotPaths.objects(objectType), body: { properties, associations: [] } });
  const parsed = z.looseObject({ id: z.string() }).safeParse(res.data);
  if (!parsed.success) throw new HubSpotResponseError(operation, z.prettifyError(parsed.error));
  await associateActivity(hs, objectType, parsed.data.id, companyId);
  return parsed.data.id;
}

/** (Re)associates an activity with a company (default type; repeating is harmless). */
export function associateActivity(hs: HubSpot, objectType: string, activityId: string, companyId: string): Promise<void> {
  return associateDefaultBatch(hs, { fromType: objectType, toType: 'companies', pairs: [{ fromId: activityId, toId: companyId }] });
}

/** Activities modified at or after `sinceMs` (the reconciliation sweep), by id. Search lags writes: look back a little. */
export function searchActivitiesModifiedSince(hs: HubSpot, objectType: string, sinceMs: number): AsyncGenerator<CrmRecord[]> {
  return searchRecords(hs, {
    objectType,
    label: 'activities',
    request: {
      filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(sinceMs) }] }],
      properties: ['hs_lastmodifieddate'],
    },
  });
}

/** Activities whose CRM status is one of `statuses` (the home page's decision queue). Search lags writes: callers re-check. */
export function searchActivitiesByStatus(hs: HubSpot, objectType: string, statuses: readonly string[]): AsyncGenerator<CrmRecord[]> {
  return searchRecords(hs, {
    objectType,
    label: 'activities',
    request: {
      filterGroups: [{ filters: [{ propertyName: 'pp_activity_status', operator: 'IN', values: [...statuses] }] }],
      properties: ACTIVITY_READ_PROPERTIES,
    },
  });
}
