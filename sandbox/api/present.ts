/**
 * Store state → HubSpot response bodies, field for field as HubSpot's 2026-09 reference documents them
 * (`SimplePublicObject`, `Property`, `ObjectSchema`, `Pipeline`, `AssociationSpecWithLabel` …).
 */
import type { ObjectTypeInfo, PropertyGroupSpec } from './catalog.js';
import type { SandboxStore, SchemaMeta, StoredDefinition, StoredProperty, StoredRecord } from './store.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * HubSpot returns the requested properties (unset ones as null), or the type's defaults when none were
 * requested, and always the id, creation and modification properties.
 */
export function publicProperties(store: SandboxStore, t: ObjectTypeInfo, record: StoredRecord, requested?: string[]): Record<string, string | null> {
  const names = new Set<string>(requested && requested.length > 0 ? requested : t.defaultProperties);
  names.add('hs_object_id');
  names.add(t.createdProperty);
  names.add('hs_lastmodifieddate');
  const out: Record<string, string | null> = {};
  for (const name of names) {
    if (!store.findProperty(t.objectTypeId, name)) continue;
    out[name] = record.properties.get(name) ?? null;
  }
  return out;
}

export function publicObject(
  store: SandboxStore,
  t: ObjectTypeInfo,
  record: StoredRecord,
  requested?: string[],
  withHistory?: string[],
): Record<string, unknown> {
  return {
    id: record.id,
    properties: publicProperties(store, t, record, requested),
    ...(withHistory && withHistory.length > 0 ? { propertiesWithHistory: propertiesWithHistory(store, t, record, withHistory) } : {}),
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    archived: record.archived,
    ...(record.archivedAt === null ? {} : { archivedAt: iso(record.archivedAt) }),
  };
}

/**
 * `propertiesWithHistory`: per property, its values newest first, each with `sourceType`, `sourceId` and, for a
 * person's change, `updatedByUserId` (HubSpot's `ValueWithTimestamp`).
 */
function propertiesWithHistory(store: SandboxStore, t: ObjectTypeInfo, record: StoredRecord, names: string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const name of names) {
    if (!store.findProperty(t.objectTypeId, name)) continue;
    out[name] = [...(record.history?.get(name) ?? [])].reverse().map((v) => {
      const user = v.actor.sourceId?.match(/^userId:(\d+)$/)?.[1];
      return {
        value: v.value,
        timestamp: iso(v.timestamp),
        sourceType: v.actor.changeSource,
        ...(v.actor.sourceId === null ? {} : { sourceId: v.actor.sourceId }),
        ...(user ? { updatedByUserId: Number(user) } : {}),
      };
    });
  }
  return out;
}

/** Batch writes answer with what was written plus the always-present properties. */
export function writtenObject(store: SandboxStore, t: ObjectTypeInfo, record: StoredRecord, written: string[]): Record<string, unknown> {
  return publicObject(store, t, record, written.length > 0 ? written : ['hs_object_id']);
}

/** v3 `associations` on a record read: `{ companies: { results: [{ id, type }] } }`. */
export function v3Associations(store: SandboxStore, t: ObjectTypeInfo, record: StoredRecord, toTypes: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const ref of toTypes) {
    const to = store.findType(ref);
    if (!to) continue;
    const results = store
      .associationsOf(t.objectTypeId, record.id, to.objectTypeId)
      .flatMap((a) => a.types.map((d) => ({ id: a.toObjectId, type: v3TypeName(t, to, d) })));
    if (results.length > 0) out[ref] = { results };
  }
  return out;
}

function v3TypeName(from: ObjectTypeInfo, to: ObjectTypeInfo, d: StoredDefinition): string {
  const base = `${from.singular.toLowerCase()}_to_${to.singular.toLowerCase()}`;
  if (d.unlabelled) return d.category === 'HUBSPOT_DEFINED' ? `${base}_unlabeled` : base;
  if (d.primary) return base;
  return d.name ?? base;
}

export function publicProperty(p: StoredProperty): Record<string, unknown> {
  return {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: p.description,
    groupName: p.groupName,
    options: p.options.map((o) => ({ ...o })),
    displayOrder: p.displayOrder,
    calculated: p.calculated,
    externalOptions: false,
    hasUniqueValue: p.hasUniqueValue,
    hidden: p.hidden,
    hubspotDefined: p.hubspotDefined || undefined,
    modificationMetadata: {
      archivable: !p.hubspotDefined,
      readOnlyDefinition: p.hubspotDefined,
      readOnlyValue: p.readOnlyValue,
    },
    formField: p.formField,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
    archived: p.archived,
  };
}

export function publicGroup(g: PropertyGroupSpec): Record<string, unknown> {
  return { name: g.name, label: g.label, displayOrder: g.displayOrder, archived: g.archived };
}

/** `AssociationSpecWithLabel`: the labels API and association reads (no internal name: HubSpot never sends it). */
export function associationType(d: StoredDefinition): { category: string; typeId: number; label: string | null } {
  return { category: d.category, typeId: d.typeId, label: d.label };
}

export function publicSchema(store: SandboxStore, meta: SchemaMeta): Record<string, unknown> {
  const info = store.type(meta.objectTypeId);
  return {
    id: meta.id,
    objectTypeId: meta.objectTypeId,
    fullyQualifiedName: info.fullyQualifiedName,
    name: meta.name,
    labels: meta.labels,
    ...(meta.description === null ? {} : { description: meta.description }),
    primaryDisplayProperty: meta.primaryDisplayProperty,
    secondaryDisplayProperties: meta.secondaryDisplayProperties,
    searchableProperties: meta.searchableProperties,
    requiredProperties: meta.requiredProperties,
    properties: store.listProperties(meta.objectTypeId).map(publicProperty),
    associations: store.schemaAssociations(meta.objectTypeId).map((d) => publicSchemaAssociation(d)),
    archived: false,
    createdAt: iso(meta.createdAt),
    updatedAt: iso(meta.updatedAt),
  };
}

export function publicSchemaAssociation(d: StoredDefinition): Record<string, unknown> {
  return {
    id: String(d.typeId),
    fromObjectTypeId: d.fromObjectTypeId,
    toObjectTypeId: d.toObjectTypeId,
    name: d.name,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.createdAt),
  };
}

/** The envelope of every batch answer. */
export function batchEnvelope(startedAt: number, results: unknown[], errors: unknown[] = []): Record<string, unknown> {
  return {
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt: iso(startedAt),
    completedAt: iso(Date.now()),
  };
}
