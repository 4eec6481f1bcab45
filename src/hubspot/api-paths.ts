/**
 * Every HubSpot path the app calls, built in one place. HubSpot's APIs carry a date version in the path
 * (`/crm/objects/2026-09/deals`); the numbered versions (v1–v4) lose support in 2027. Moving to the next date
 * version is a change of the constant below, plus whatever shape differences that version documents
 * (docs/hubspot-api.md lists the endpoints, their shapes and their sources).
 */

/** The API version of every call, except where HubSpot has no GA release of it for an endpoint (see below). */
export const HUBSPOT_API_VERSION = '2026-09';

/**
 * The users API has no GA 2026-09 release (only `2026-09-beta`): 2026-03 is its newest GA version, and a
 * beta is not something a production app should depend on. Move it to HUBSPOT_API_VERSION once 2026-09 is GA.
 */
export const USERS_API_VERSION = '2026-03';

const seg = (value: string | number): string => encodeURIComponent(String(value));
const V = HUBSPOT_API_VERSION;

export type ObjectBatchAction = 'read' | 'update' | 'upsert' | 'create' | 'archive';
export type AssociationBatchAction = 'read' | 'create' | 'associate/default' | 'archive';

export const hubspotPaths = {
  /** `POST` creates one record (notes: with its associations). */
  objects: (objectType: string) => `/crm/objects/${V}/${seg(objectType)}`,
  objectsBatch: (objectType: string, action: ObjectBatchAction) => `/crm/objects/${V}/${seg(objectType)}/batch/${action}`,
  objectsSearch: (objectType: string) => `/crm/objects/${V}/${seg(objectType)}/search`,
  /** `PUT` with a body of association types: adds those labels to the pair. */
  associateRecords: (fromType: string, fromId: string, toType: string, toId: string) =>
    `/crm/objects/${V}/${seg(fromType)}/${seg(fromId)}/associations/${seg(toType)}/${seg(toId)}`,
  associationsBatch: (fromType: string, toType: string, action: AssociationBatchAction) =>
    `/crm/associations/${V}/${seg(fromType)}/${seg(toType)}/batch/${action}`,
  associationLabels: (fromType: string, toType: string) => `/crm/associations/${V}/${seg(fromType)}/${seg(toType)}/labels`,
  properties: (objectType: string) => `/crm/properties/${V}/${seg(objectType)}`,
  propertyGroups: (objectType: string) => `/crm/properties/${V}/${seg(objectType)}/groups`,
  schemas: () => `/crm-object-schemas/${V}/schemas`,
  pipelines: (objectType: string) => `/crm/pipelines/${V}/${seg(objectType)}`,
  user: (userId: string) => `/settings/users/${USERS_API_VERSION}/${seg(userId)}`,
  callbackComplete: (callbackId: string) => `/automation/actions/callbacks/${V}/${seg(callbackId)}/complete`,
  callbacksCompleteBatch: () => `/automation/actions/callbacks/${V}/complete`,
} as const;
