/**
 * What `npm run provision` needs: property groups, properties, the payout custom object schema and the
 * deal→company labels. List, then create what is missing (the script decides; these calls do one thing each).
 * Properties, property groups and custom object schemas APIs (`hubspotPaths`); shapes and sources:
 * docs/hubspot-api.md.
 */
import { z } from 'zod';
import { hubspotPaths } from './api-paths.js';
import type { HubSpot } from './client.js';
import { HubSpotResponseError } from './errors.js';
import { ACTIVITY_OBJECT, ACTIVITY_PROPERTIES, PAYOUT_OBJECT, PAYOUT_PROPERTIES, PROPERTY_GROUP, type PropertyDefinition } from './properties.js';

export { createDealCompanyLabel } from './associations.js';

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

/** An option as the 2026-09 properties and schemas APIs require it (displayOrder and hidden required). */
export interface PropertyOptionBody {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

export interface PropertyGroupCreateBody {
  name: string;
  label: string;
  displayOrder?: number;
}

export interface PropertyCreateBody {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options?: PropertyOptionBody[];
  hasUniqueValue?: boolean;
}

/** `ObjectSchemaEgg` of the 2026-09 schemas API: every field below but primaryDisplayProperty is required. */
export interface ObjectSchemaCreateBody {
  name: string;
  allowsSensitiveProperties: boolean;
  labels: { singular: string; plural: string };
  primaryDisplayProperty: string;
  secondaryDisplayProperties: string[];
  searchableProperties: string[];
  requiredProperties: string[];
  associatedObjects: string[];
  properties: Omit<PropertyCreateBody, 'groupName'>[];
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
  const res = await hs.request(operation, { method: 'GET', path: hubspotPaths.propertyGroups(objectType) });
  return parse(z.looseObject({ results: z.array(groupSchema) }), res.data, operation).results.map(toGroup);
}

export async function createPropertyGroup(
  hs: HubSpot,
  objectType: string,
  group: { name: string; label: string; displayOrder?: number } = PROPERTY_GROUP,
): Promise<PropertyGroupSummary> {
  const operation = `properties.${objectType}.groups.create`;
  const body: PropertyGroupCreateBody = {
    name: group.name,
    label: group.label,
    ...(group.displayOrder !== undefined ? { displayOrder: group.displayOrder } : {}),
  };
  const res = await hs.request(operation, { method: 'POST', path: hubspotPaths.propertyGroups(objectType), body });
  return toGroup(parse(groupSchema, res.data, operation));
}

export async function listProperties(hs: HubSpot, objectType: string): Promise<PropertySummary[]> {
  const operation = `properties.${objectType}.getAll`;
  const res = await hs.request(operation, { method: 'GET', path: hubspotPaths.properties(objectType) });
  return parse(z.looseObject({ results: z.array(propertySchema) }), res.data, operation).results.map(toProperty);
}

/** The HubSpot create body of one of our property definitions (our `output` flag is not HubSpot's). */
export function propertyCreateBody(def: PropertyDefinition, groupName: string = PROPERTY_GROUP.name): PropertyCreateBody {
  return {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    groupName,
    description: def.description,
    ...(def.options ? { options: def.options.map((o) => ({ ...o, hidden: false })) } : {}),
    ...(def.hasUniqueValue ? { hasUniqueValue: true } : {}),
  };
}

export async function createProperty(
  hs: HubSpot,
  objectType: string,
  def: PropertyDefinition,
  groupName: string = PROPERTY_GROUP.name,
): Promise<PropertySummary> {
  const operation = `properties.${objectType}.create`;
  const res = await hs.request(operation, { method: 'POST', path: hubspotPaths.properties(objectType), body: propertyCreateBody(def, groupName) });
  return toProperty(parse(propertySchema, res.data, operation));
}

export async function listObjectSchemas(hs: HubSpot): Promise<ObjectSchemaSummary[]> {
  const operation = 'schemas.getAll';
  const res = await hs.request(operation, { method: 'GET', path: hubspotPaths.schemas(), query: { archived: false } });
  return parse(z.looseObject({ results: z.array(schemaSchema) }), res.data, operation).results.map(toSchema);
}

/**
 * The `pp_payout` schema of docs/program.md#the-pp_payout-object, with all its properties (pp_payout_key unique) and its associations.
 * Schema properties take no groupName: HubSpot puts them in the object's own default group.
 * @internal the sandbox builds its pp_payout object with it; provisioning goes through createCustomObjectSchema.
 */
export function payoutSchemaBody(): ObjectSchemaCreateBody {
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

export function customObjectSchemaBody(object: CustomObjectDefinition, properties: readonly PropertyDefinition[]): ObjectSchemaCreateBody {
  return {
    name: object.name,
    // Required from 2026-09. No property of the app's objects is sensitive data (HubSpot's HIPAA-grade property class).
    allowsSensitiveProperties: false,
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
  };
}

/**
 * Enterprise portals only, with the crm.schemas.custom.write scope.
 * @internal the tests create the payout object with it; provisioning goes through createCustomObjectSchema.
 */
export async function createPayoutSchema(hs: HubSpot): Promise<ObjectSchemaSummary> {
  return createCustomObjectSchema(hs, PAYOUT_OBJECT.name);
}

/** Enterprise portals only, with the crm.schemas.custom.write scope. */
export async function createCustomObjectSchema(hs: HubSpot, name: CustomObjectName): Promise<ObjectSchemaSummary> {
  const operation = 'schemas.create';
  const def = CUSTOM_OBJECTS[name];
  const body = customObjectSchemaBody(def.object, def.properties);
  const res = await hs.request(operation, { method: 'POST', path: hubspotPaths.schemas(), body });
  return toSchema(parse(schemaSchema, res.data, operation));
}
