/**
 * What `npm run provision` needs: property groups, properties, the payout custom object schema and the
 * deal→company labels. List, then create what is missing (the script decides; these calls do one thing each).
 * https://developers.hubspot.com/docs/api/crm/properties  https://developers.hubspot.com/docs/api/crm/crm-custom-objects
 * The 13.5 client reads schemas at /crm-object-schemas/v3/schemas (HubSpot's current path for /crm/v3/schemas).
 */
import type { PropertyCreate, PropertyGroupCreate } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import type { ObjectSchemaEgg } from '@hubspot/api-client/lib/codegen/crm/schemas/index.js';
import { z } from 'zod';
import type { HubSpot } from './client.js';
import { HubSpotResponseError } from './errors.js';
import { ACTIVITY_OBJECT, ACTIVITY_PROPERTIES, PAYOUT_OBJECT, PAYOUT_PROPERTIES, PROPERTY_GROUP, type PropertyDefinition } from './properties.js';

export { createDealCompanyLabel, listDealCompanyLabels } from './associations.js';

export interface PropertyGroupSummary {
  name: string;
  label: string;
  displayOrder: number;
}

export interface PropertySummary {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  hasUniqueValue: boolean;
  options: { label: string; value: string }[];
}

export interface ObjectSchemaSummary {
  id: string;
  /** `2-…`: what the objects, search and associations endpoints take as objectType. */
  objectTypeId: string;
  name: string;
  fullyQualifiedName: string | null;
  propertyNames: string[];
}

function parse<S extends z.ZodType>(schema: S, value: unknown, operation: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HubSpotResponseError(operation, z.prettifyError(result.error));
  return result.data;
}

const groupSchema = z.looseObject({ name: z.string(), label: z.string(), displayOrder: z.number().default(-1) });
const propertySchema = z.looseObject({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  fieldType: z.string(),
  groupName: z.string().default(''),
  hasUniqueValue: z.boolean().default(false),
  options: z.array(z.looseObject({ label: z.string(), value: z.string() })).default([]),
});
const schemaSchema = z.looseObject({
  id: z.string(),
  objectTypeId: z.string(),
  name: z.string(),
  fullyQualifiedName: z.string().nullable().optional(),
  properties: z.array(z.looseObject({ name: z.string() })).default([]),
});

const toGroup = (g: z.infer<typeof groupSchema>): PropertyGroupSummary => ({ name: g.name, label: g.label, displayOrder: g.displayOrder });
const toProperty = (p: z.infer<typeof propertySchema>): PropertySummary => ({
  name: p.name,
  label: p.label,
  type: p.type,
  fieldType: p.fieldType,
  groupName: p.groupName,
  hasUniqueValue: p.hasUniqueValue,
  options: p.options.map((o) => ({ label: o.label, value: o.value })),
});
const toSchema = (s: z.infer<typeof schemaSchema>): ObjectSchemaSummary => ({
  id: s.id,
  objectTypeId: s.objectTypeId,
  name: s.name,
  fullyQualifiedName: s.fullyQualifiedName ?? null,
  propertyNames: s.properties.map((p) => p.name),
});

export async function listPropertyGroups(hs: HubSpot, objectType: string): Promise<PropertyGroupSummary[]> {
  const operation = `properties.${objectType}.groups.getAll`;
  const res = await hs.call(operation, (api) => api.crm.properties.groupsApi.getAllWithHttpInfo(objectType));
  return parse(z.looseObject({ results: z.array(groupSchema) }), res.data, operation).results.map(toGroup);
}

export async function createPropertyGroup(
  hs: HubSpot,
  objectType: string,
  group: { name: string; label: string; displayOrder?: number } = PROPERTY_GROUP,
): Promise<PropertyGroupSummary> {
  const operation = `properties.${objectType}.groups.create`;
  const body: PropertyGroupCreate = { name: group.name, label: group.label, ...(group.displayOrder !== undefined ? { displayOrder: group.displayOrder } : {}) };
  const res = await hs.call(operation, (api) => api.crm.properties.groupsApi.createWithHttpInfo(objectType, body));
  return toGroup(parse(groupSchema, res.data, operation));
}

export async function listProperties(hs: HubSpot, objectType: string): Promise<PropertySummary[]> {
  const operation = `properties.${objectType}.getAll`;
  const res = await hs.call(operation, (api) => api.crm.properties.coreApi.getAllWithHttpInfo(objectType));
  return parse(z.looseObject({ results: z.array(propertySchema) }), res.data, operation).results.map(toProperty);
}

/** The HubSpot create body of one of our property definitions (our `output` flag is not HubSpot's). */
export function propertyCreateBody(def: PropertyDefinition, groupName: string = PROPERTY_GROUP.name): PropertyCreate {
  return {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    groupName,
    description: def.description,
    ...(def.options ? { options: def.options.map((o) => ({ ...o, hidden: false })) } : {}),
    ...(def.hasUniqueValue ? { hasUniqueValue: true } : {}),
  } as PropertyCreate;
}

export async function createProperty(
  hs: HubSpot,
  objectType: string,
  def: PropertyDefinition,
  groupName: string = PROPERTY_GROUP.name,
): Promise<PropertySummary> {
  const operation = `properties.${objectType}.create`;
  const res = await hs.call(operation, (api) => api.crm.properties.coreApi.createWithHttpInfo(objectType, propertyCreateBody(def, groupName)));
  return toProperty(parse(propertySchema, res.data, operation));
}

export async function listObjectSchemas(hs: HubSpot): Promise<ObjectSchemaSummary[]> {
  const operation = 'schemas.getAll';
  const res = await hs.call(operation, (api) => api.crm.schemas.coreApi.getAllWithHttpInfo(false));
  return parse(z.looseObject({ results: z.array(schemaSchema) }), res.data, operation).results.map(toSchema);
}

/**
 * The `pp_payout` schema of RULES.md, with all its properties (pp_payout_key unique) and its associations.
 * Schema properties take no groupName: HubSpot puts them in the object's own default group.
 */
export function payoutSchemaBody(): ObjectSchemaEgg {
  return customObjectSchemaBody(PAYOUT_OBJECT, PAYOUT_PROPERTIES);
}

/** The app's custom objects by name: `pp_payout` and `pp_activity`. */
export const CUSTOM_OBJECTS = {
  [PAYOUT_OBJECT.name]: { object: PAYOUT_OBJECT, properties: PAYOUT_PROPERTIES },
  [ACTIVITY_OBJECT.name]: { object: ACTIVITY_OBJECT, properties: ACTIVITY_PROPERTIES },
} as const;
export type CustomObjectName = keyof typeof CUSTOM_OBJECTS;

interface CustomObjectDefinition {
  name: string;
  labels: { singular: string; plural: string };
  primaryDisplayProperty: string;
  secondaryDisplayProperties: readonly string[];
  searchableProperties: readonly string[];
  requiredProperties: readonly string[];
  associatedObjects: readonly string[];
}

export function customObjectSchemaBody(object: CustomObjectDefinition, properties: readonly PropertyDefinition[]): ObjectSchemaEgg {
  // The codegen types `type`/`fieldType` as enums of the same strings; the cast only bridges that.
  return {
    name: object.name,
    labels: { ...object.labels },
    primaryDisplayProperty: object.primaryDisplayProperty,
    secondaryDisplayProperties: [...object.secondaryDisplayProperties],
    searchableProperties: [...object.searchableProperties],
    requiredProperties: [...object.requiredProperties],
    associatedObjects: [...object.associatedObjects],
    properties: properties.map((def) => ({
      name: def.name,
      label: def.label,
      type: def.type,
      fieldType: def.fieldType,
      description: def.description,
      ...(def.options ? { options: def.options.map((o) => ({ ...o, hidden: false })) } : {}),
      ...(def.hasUniqueValue ? { hasUniqueValue: true } : {}),
    })),
  } as unknown as ObjectSchemaEgg;
}

/** Enterprise portals only, with the crm.schemas.custom.write scope. */
export async function createPayoutSchema(hs: HubSpot): Promise<ObjectSchemaSummary> {
  return createCustomObjectSchema(hs, PAYOUT_OBJECT.name);
}

/** Enterprise portals only, with the crm.schemas.custom.write scope. */
export async function createCustomObjectSchema(hs: HubSpot, name: CustomObjectName): Promise<ObjectSchemaSummary> {
  const operation = 'schemas.create';
  const def = CUSTOM_OBJECTS[name];
  const body = customObjectSchemaBody(def.object, def.properties);
  const res = await hs.call(operation, (api) => api.crm.schemas.coreApi.createWithHttpInfo(body));
  return toSchema(parse(schemaSchema, res.data, operation));
}
