/**
 * The sandbox portal's state: object types, property definitions, records, associations and their labels,
 * pipelines, users and teams, and the workflow callbacks the app completed. The HTTP routes are thin
 * adapters over it; tests and seeds drive it directly, as a person in the CRM would (`actAsUser`).
 *
 * Every mutation carries an actor (who made it) and is published as a change; the webhook emitter turns
 * changes into HubSpot webhook events. Mutations validate everything before touching anything, so a
 * refused write changes nothing, as HubSpot's does.
 */
import { AssociationGraph, compareIds } from './association-graph.js';
import {
  DEAL_PIPELINES,
  HUBSPOT_DEFINED_ASSOCIATIONS,
  STANDARD_OBJECT_TYPES,
  STANDARD_TYPE_ALIASES,
  customObjectSystemProperties,
  standardProperties,
  type AssociationDefinitionSpec,
  type ObjectTypeInfo,
  type PipelineSpec,
  type PropertyGroupSpec,
  type PropertyOption,
  type PropertySpec,
} from './catalog.js';
import { SandboxApiError, ValidationRuleError, invalid, notFound, propertyValuesInvalid, type PropertyValueIssue } from './errors.js';
import { normalizeValue, webhookValue, type RawValue } from './values.js';

/** Who made a change, as HubSpot reports it in webhooks (`changeSource`, `sourceId`). */
export interface Actor {
  changeSource: string;
  sourceId: string | null;
}

export type StoreChange =
  | { kind: 'creation' | 'deletion'; objectTypeId: string; objectId: string; occurredAt: number; actor: Actor }
  | {
      kind: 'propertyChange';
      objectTypeId: string;
      objectId: string;
      propertyName: string;
      /** The value as a webhook carries it ('' when cleared, datetimes as epoch ms). */
      propertyValue: string;
      occurredAt: number;
      actor: Actor;
    }
  | {
      kind: 'associationChange';
      fromObjectTypeId: string;
      fromObjectId: string;
      toObjectTypeId: string;
      toObjectId: string;
      removed: boolean;
      primary: boolean;
      occurredAt: number;
      actor: Actor;
    };

export interface StoredRecord {
  id: string;
  objectTypeId: string;
  properties: Map<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt: number | null;
  /** Every value each property took, oldest first, with who set it (what `propertiesWithHistory` answers). */
  history?: Map<string, PropertyVersion[]>;
}

/** One value a property took, as HubSpot's property history reports it. */
export interface PropertyVersion {
  value: string;
  timestamp: number;
  actor: Actor;
}

export interface StoredProperty extends PropertySpec {
  createdAt: number;
  updatedAt: number;
}

export interface SchemaMeta {
  id: string;
  objectTypeId: string;
  name: string;
  labels: { singular: string; plural: string };
  description: string | null;
  primaryDisplayProperty: string | null;
  secondaryDisplayProperties: string[];
  searchableProperties: string[];
  requiredProperties: string[];
  createdAt: number;
  updatedAt: number;
}

export interface StoredDefinition extends AssociationDefinitionSpec {
  createdAt: number;
}

export interface SandboxUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  primaryTeamId: string | null;
  secondaryTeamIds: string[];
  roleIds: string[];
  superAdmin: boolean;
}

export interface SandboxTeam {
  id: string;
  name: string;
}

export interface CallbackCompletion {
  callbackId: string;
  outputFields: Record<string, string>;
  completedAt: number;
}

/** An association to create with a record: `{ to: { id }, types: [{ associationCategory, associationTypeId }] }`. */
export interface AssociationInput {
  to: { id: string };
  types: AssociationSpecInput[];
}
export interface AssociationSpecInput {
  associationCategory?: string;
  associationTypeId: number;
}

/** Property values as callers send them: HubSpot wants strings; numbers and booleans are stringified. */
export type PropertyInput = Record<string, RawValue>;

/**
 * An admin's conditional required property (HubSpot: "property X is required when Y is Z"), enforced on every
 * write from API 2026-09: a write that leaves the record breaking it is refused, whichever properties it sets.
 */
export interface ValidationRule {
  /** deals, companies, a custom type (any ref `type()` accepts). */
  objectType: string;
  /** The property that must have a value… */
  requires: string;
  /** …when this property has this value after the write (any value when `equals` is absent). Absent: always. */
  when?: { property: string; equals?: string };
  /** The admin's message, answered in the error's `errors[].message`. */
  message: string;
}

export interface StoreOptions {
  portalId: number;
  appId: number;
  /** The portal's clock (createdate, hs_lastmodifieddate, occurredAt). Default `Date.now`. */
  now?: () => number;
  /**
   * First record id handed out. The default sits just below 10,000 so ids cross a digit boundary within
   * the first records a seed creates: code that orders ids as strings gets caught in tests.
   */
  firstObjectId?: number;
}

type Listener = (change: StoreChange) => void;

const DEFAULT_FIRST_OBJECT_ID = 9_981;
const FIRST_CUSTOM_TYPE = 27_100_001;
const FIRST_LABEL_TYPE_ID = 1_001;
const FIRST_SCHEMA_ID = 41_000_001;

export class SandboxStore {
  readonly portalId: number;
  readonly appId: number;
  readonly now: () => number;
  /** The actor of API calls made with the app's token. */
  readonly integrationActor: Actor;

  private readonly types = new Map<string, ObjectTypeInfo>();
  private readonly properties = new Map<string, Map<string, StoredProperty>>();
  private readonly groups = new Map<string, Map<string, PropertyGroupSpec>>();
  private readonly records = new Map<string, Map<string, StoredRecord>>();
  private readonly schemas = new Map<string, SchemaMeta>();
  private readonly definitions = new Map<number, StoredDefinition>();
  private readonly graph = new AssociationGraph();
  private readonly users = new Map<string, SandboxUser>();
  private readonly teams = new Map<string, SandboxTeam>();
  private readonly listeners = new Set<Listener>();
  readonly callbackCompletions: CallbackCompletion[] = [];
  /** The portal's validation rules (`addValidationRule`). */
  readonly validationRules: ValidationRule[] = [];
  /**
   * How a batch answers when one input breaks a rule: `whole-batch` (400 for the batch: the changelog's
   * example) or `per-input` (207 naming the record). Which one HubSpot does is unconfirmed: both are tested.
   */
  validationBatchMode: 'whole-batch' | 'per-input' = 'whole-batch';
  readonly pipelines: { spec: PipelineSpec; createdAt: number }[];

  private nextObjectId: number;
  private nextCustomType = FIRST_CUSTOM_TYPE;
  private nextLabelTypeId = FIRST_LABEL_TYPE_ID;
  private nextSchemaId = FIRST_SCHEMA_ID;
  private silentDepth = 0;

  constructor(options: StoreOptions) {
    this.portalId = options.portalId;
    this.appId = options.appId;
    this.now = options.now ?? Date.now;
    this.nextObjectId = options.firstObjectId ?? DEFAULT_FIRST_OBJECT_ID;
    this.integrationActor = { changeSource: 'INTEGRATION', sourceId: String(options.appId) };
    const t0 = this.now();
    for (const info of STANDARD_OBJECT_TYPES) {
      this.registerType(info);
      const { groups, properties } = standardProperties(info.objectTypeId);
      for (const g of groups) this.groups.get(info.objectTypeId)!.set(g.name, { ...g });
      for (const p of properties) this.properties.get(info.objectTypeId)!.set(p.name, { ...p, createdAt: t0, updatedAt: t0 });
    }
    for (const d of HUBSPOT_DEFINED_ASSOCIATIONS) this.definitions.set(d.typeId, { ...d, createdAt: t0 });
    this.pipelines = DEAL_PIPELINES.map((spec) => ({ spec, createdAt: t0 }));
  }

  // ── changes ────────────────────────────────────────────────────────────────────────────────────────────

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `fn` without publishing changes (seeding a benchmark portal sends no webhooks). */
  silently<T>(fn: () => T): T {
    this.silentDepth++;
    try {
      return fn();
    } finally {
      this.silentDepth--;
    }
  }

  private publish(change: StoreChange): void {
    if (this.silentDepth > 0) return;
    for (const l of this.listeners) l(change);
  }

  /** A view of the store whose writes are made by a HubSpot user in the CRM (`CRM_UI`, `userId:<id>`). */
  actAsUser(userId: string | number): PortalSession {
    return new PortalSession(this, { changeSource: 'CRM_UI', sourceId: `userId:${userId}` });
  }

  /** A view whose writes are the app's own (what API calls with the app's token do). */
  asIntegration(): PortalSession {
    return new PortalSession(this, this.integrationActor);
  }

  // ── object types ───────────────────────────────────────────────────────────────────────────────────────

  private registerType(info: ObjectTypeInfo): void {
    this.types.set(info.objectTypeId, info);
    this.properties.set(info.objectTypeId, new Map());
    this.groups.set(info.objectTypeId, new Map());
    this.records.set(info.objectTypeId, new Map());
  }

  /** `deals`, `deal`, `DEAL`, `0-3`, `2-…`, `p<portalId>_<name>` or a custom object's name. */
  findType(ref: string): ObjectTypeInfo | undefined {
    const direct = this.types.get(ref);
    if (direct) return direct;
    const lower = ref.toLowerCase();
    const alias = STANDARD_TYPE_ALIASES[lower];
    if (alias) return this.types.get(alias);
    for (const t of this.types.values()) {
      if (!t.custom) continue;
      if (t.name.toLowerCase() === lower || t.fullyQualifiedName?.toLowerCase() === lower) return t;
    }
    return undefined;
  }

  type(ref: string): ObjectTypeInfo {
    const t = this.findType(ref);
    if (!t) throw new SandboxApiError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${ref}`);
    return t;
  }

  // ── property definitions ───────────────────────────────────────────────────────────────────────────────

  listProperties(typeRef: string, opts: { archived?: boolean } = {}): StoredProperty[] {
    const t = this.type(typeRef);
    return [...this.properties.get(t.objectTypeId)!.values()].filter((p) => p.archived === (opts.archived ?? false));
  }

  findProperty(typeRef: string, name: string): StoredProperty | undefined {
    const t = this.type(typeRef);
    const p = this.properties.get(t.objectTypeId)!.get(name);
    return p && !p.archived ? p : undefined;
  }

  getProperty(typeRef: string, name: string): StoredProperty {
    const p = this.findProperty(typeRef, name);
    if (!p) throw notFound(`Unable to find property ${name} for object type ${this.type(typeRef).objectTypeId}`);
    return p;
  }

  createProperty(typeRef: string, input: PropertyCreateInput): StoredProperty {
    const t = this.type(typeRef);
    const defs = this.properties.get(t.objectTypeId)!;
    if (defs.get(input.name)) {
      throw new SandboxApiError(409, 'OBJECT_ALREADY_EXISTS', `A property named '${input.name}' already exists.`, {
        subCategory: 'Property.ALREADY_EXISTS',
      });
    }
    if (!this.groups.get(t.objectTypeId)!.has(input.groupName)) {
      throw invalid(`Property group ${input.groupName} does not exist for object type ${t.objectTypeId}.`);
    }
    if (input.type === 'enumeration' && (input.options ?? []).length === 0) {
      throw invalid(`Property ${input.name} of type enumeration needs at least one option.`);
    }
    if (!/^[a-z][a-z0-9_]*$/.test(input.name)) {
      throw invalid(`Property name ${input.name} must be lower case letters, digits and underscores.`);
    }
    const at = this.now();
    const p: StoredProperty = {
      name: input.name,
      label: input.label,
      type: input.type,
      fieldType: input.fieldType,
      groupName: input.groupName,
      description: input.description ?? '',
      options: toOptions(input.options),
      hasUniqueValue: input.hasUniqueValue ?? false,
      hidden: input.hidden ?? false,
      formField: input.formField ?? false,
      displayOrder: input.displayOrder ?? -1,
      hubspotDefined: false,
      calculated: false,
      readOnlyValue: false,
      archived: false,
      createdAt: at,
      updatedAt: at,
    };
    defs.set(p.name, p);
    return p;
  }

  updateProperty(typeRef: string, name: string, patch: PropertyUpdateInput): StoredProperty {
    const t = this.type(typeRef);
    const p = this.getProperty(typeRef, name);
    if (patch.groupName !== undefined && !this.groups.get(t.objectTypeId)!.has(patch.groupName)) {
      throw invalid(`Property group ${patch.groupName} does not exist for object type ${t.objectTypeId}.`);
    }
    if (p.hubspotDefined && (patch.type !== undefined || patch.fieldType !== undefined)) {
      throw invalid(`The type of HubSpot-defined property ${name} cannot be changed.`);
    }
    if (patch.label !== undefined) p.label = patch.label;
    if (patch.description !== undefined) p.description = patch.description;
    if (patch.groupName !== undefined) p.groupName = patch.groupName;
    if (patch.type !== undefined) p.type = patch.type;
    if (patch.fieldType !== undefined) p.fieldType = patch.fieldType;
    if (patch.options !== undefined) p.options = toOptions(patch.options);
    if (patch.hidden !== undefined) p.hidden = patch.hidden;
    if (patch.formField !== undefined) p.formField = patch.formField;
    if (patch.displayOrder !== undefined) p.displayOrder = patch.displayOrder;
    p.updatedAt = this.now();
    return p;
  }

  listGroups(typeRef: string): PropertyGroupSpec[] {
    return [...this.groups.get(this.type(typeRef).objectTypeId)!.values()].filter((g) => !g.archived);
  }

  getGroup(typeRef: string, name: string): PropertyGroupSpec {
    const g = this.groups.get(this.type(typeRef).objectTypeId)!.get(name);
    if (!g || g.archived) throw notFound(`Unable to find property group ${name}`);
    return g;
  }

  createGroup(typeRef: string, input: { name: string; label: string; displayOrder?: number }): PropertyGroupSpec {
    const groups = this.groups.get(this.type(typeRef).objectTypeId)!;
    if (groups.has(input.name)) {
      throw new SandboxApiError(409, 'OBJECT_ALREADY_EXISTS', `A property group named '${input.name}' already exists.`, {
        subCategory: 'PropertyGroup.ALREADY_EXISTS',
      });
    }
    const g: PropertyGroupSpec = { name: input.name, label: input.label, displayOrder: input.displayOrder ?? -1, archived: false };
    groups.set(g.name, g);
    return g;
  }

  // ── custom object schemas ──────────────────────────────────────────────────────────────────────────────

  listSchemas(): SchemaMeta[] {
    return [...this.schemas.values()];
  }

  getSchema(typeRef: string): SchemaMeta {
    const t = this.findType(typeRef);
    const s = t ? this.schemas.get(t.objectTypeId) : undefined;
    if (!s) throw notFound(`Unable to find object schema ${typeRef}`);
    return s;
  }

  createSchema(egg: SchemaCreateInput): SchemaMeta {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(egg.name)) throw invalid(`Object name ${egg.name} must start with a letter and use letters, digits and underscores.`);
    if ([...this.types.values()].some((t) => t.name.toLowerCase() === egg.name.toLowerCase())) {
      throw new SandboxApiError(409, 'OBJECT_ALREADY_EXISTS', `Object type with name ${egg.name} already exists.`, {
        subCategory: 'ObjectType.ALREADY_EXISTS',
      });
    }
    const names = new Set(egg.properties.map((p) => p.name));
    for (const ref of [...egg.requiredProperties, ...(egg.searchableProperties ?? []), ...(egg.secondaryDisplayProperties ?? [])]) {
      if (!names.has(ref)) throw invalid(`Property ${ref} is referenced by the schema but not defined in its properties.`);
    }
    if (egg.primaryDisplayProperty !== undefined && !names.has(egg.primaryDisplayProperty)) {
      throw invalid(`primaryDisplayProperty ${egg.primaryDisplayProperty} is not defined in the schema's properties.`);
    }
    const targets = (egg.associatedObjects ?? []).map((ref) => this.type(ref));

    const objectTypeId = `2-${this.nextCustomType++}`;
    const info: ObjectTypeInfo = {
      objectTypeId,
      name: egg.name,
      singular: egg.name.toUpperCase(),
      fullyQualifiedName: `p${this.portalId}_${egg.name}`,
      custom: true,
      createdProperty: 'hs_createdate',
      defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    };
    this.registerType(info);
    const group = `${egg.name}_information`;
    this.createGroup(objectTypeId, { name: group, label: `${egg.labels.singular} information` });
    const at = this.now();
    for (const p of customObjectSystemProperties(group)) this.properties.get(objectTypeId)!.set(p.name, { ...p, createdAt: at, updatedAt: at });
    for (const p of egg.properties) this.createProperty(objectTypeId, { ...p, groupName: p.groupName ?? group });

    const meta: SchemaMeta = {
      id: String(this.nextSchemaId++),
      objectTypeId,
      name: egg.name,
      labels: egg.labels,
      description: egg.description ?? null,
      primaryDisplayProperty: egg.primaryDisplayProperty ?? null,
      secondaryDisplayProperties: egg.secondaryDisplayProperties ?? [],
      searchableProperties: egg.searchableProperties ?? [],
      requiredProperties: egg.requiredProperties,
      createdAt: at,
      updatedAt: at,
    };
    this.schemas.set(objectTypeId, meta);
    for (const target of targets) this.createSchemaAssociation(objectTypeId, target.objectTypeId);
    return meta;
  }

  /** A custom object's association to another type: an unlabelled USER_DEFINED pair, as HubSpot makes it. */
  createSchemaAssociation(fromRef: string, toRef: string): StoredDefinition {
    const from = this.type(fromRef);
    const to = this.type(toRef);
    const existing = this.definitionsBetween(from.objectTypeId, to.objectTypeId).find((d) => d.unlabelled);
    if (existing) return existing;
    const [forward] = this.addDefinitionPair(from.objectTypeId, to.objectTypeId, {
      label: null,
      inverseLabel: null,
      name: `${from.name}_to_${to.singular.toLowerCase()}`,
      unlabelled: true,
    });
    return forward;
  }

  /** The custom-object association definitions of a schema (from the custom object's side). */
  schemaAssociations(objectTypeId: string): StoredDefinition[] {
    return [...this.definitions.values()].filter((d) => d.fromObjectTypeId === objectTypeId && d.unlabelled);
  }

  addValidationRule(rule: ValidationRule): void {
    this.type(rule.objectType);
    this.validationRules.push({ ...rule });
  }

  /** Throws ValidationRuleError when the record as it would be after this write breaks a rule. */
  private checkRules(t: ObjectTypeInfo, record: StoredRecord | null, values: Map<string, string | null>): void {
    const after = (name: string): string | null => (values.has(name) ? (values.get(name) ?? null) : (record?.properties.get(name) ?? null));
    for (const rule of this.validationRules) {
      if (this.type(rule.objectType).objectTypeId !== t.objectTypeId) continue;
      const trigger = rule.when ? after(rule.when.property) : 'always';
      const applies = trigger !== null && (rule.when?.equals === undefined || trigger === rule.when.equals);
      if (applies && (after(rule.requires) ?? '') === '') throw new ValidationRuleError(record?.id ?? null, rule.message, rule.requires);
    }
  }

  // ── records ────────────────────────────────────────────────────────────────────────────────────────────

  createObject(typeRef: string, properties: PropertyInput, opts: { associations?: AssociationInput[]; actor?: Actor } = {}): StoredRecord {
    const t = this.type(typeRef);
    const values = this.checkWrite(t, null, properties);
    const links = (opts.associations ?? []).map((a) => this.checkAssociationInput(t, a));
    return this.commitCreate(t, values, links, opts.actor ?? this.integrationActor);
  }

  /** Validates a create without making it (batch endpoints refuse the whole batch on one bad input). */
  checkCreate(typeRef: string, properties: PropertyInput, associations: AssociationInput[] = []): void {
    const t = this.type(typeRef);
    this.checkWrite(t, null, properties);
    for (const a of associations) this.checkAssociationInput(t, a);
  }

  private commitCreate(
    t: ObjectTypeInfo,
    values: Map<string, string | null>,
    links: { toType: string; toId: string; typeIds: number[] }[],
    actor: Actor,
  ): StoredRecord {
    const at = this.now();
    const id = String(this.nextObjectId++);
    const given = values.get(t.createdProperty);
    const createdAt = given ? Date.parse(given) : at;
    const props = new Map<string, string>();
    for (const [k, v] of values) if (v !== null) props.set(k, v);
    props.set('hs_object_id', id);
    props.set(t.createdProperty, new Date(createdAt).toISOString());
    props.set('hs_lastmodifieddate', new Date(at).toISOString());
    if (t.objectTypeId === '0-1') props.set('lastmodifieddate', new Date(at).toISOString());
    const record: StoredRecord = { id, objectTypeId: t.objectTypeId, properties: props, createdAt, updatedAt: at, archived: false, archivedAt: null };
    record.history = new Map();
    for (const [k, v] of props) if (k !== 'hs_object_id' && k !== 'hs_lastmodifieddate') record.history.set(k, [{ value: v, timestamp: at, actor }]);
    this.records.get(t.objectTypeId)!.set(id, record);
    this.publish({ kind: 'creation', objectTypeId: t.objectTypeId, objectId: id, occurredAt: at, actor });
    for (const [name, value] of props) {
      if (name === 'hs_object_id' || name === 'hs_lastmodifieddate' || name === 'lastmodifieddate') continue;
      this.publishPropertyChange(t, id, name, value, at, actor);
    }
    for (const link of links) this.associateChecked(t.objectTypeId, id, link.toType, link.toId, link.typeIds, actor);
    return record;
  }

  /**
   * Applies a partial update. Only values that really change are written; `hs_lastmodifieddate` moves and
   * webhooks go out only when something did. Returns the names that changed.
   */
  updateObject(
    typeRef: string,
    id: string,
    properties: PropertyInput,
    opts: { actor?: Actor; idProperty?: string } = {},
  ): { record: StoredRecord; changed: string[] } {
    const t = this.type(typeRef);
    const record = this.requireRecord(t, id, opts.idProperty);
    const values = this.checkWrite(t, record, properties);
    return { record, changed: this.commitUpdate(t, record, values, opts.actor ?? this.integrationActor) };
  }

  checkUpdate(typeRef: string, id: string, properties: PropertyInput, idProperty?: string): void {
    const t = this.type(typeRef);
    this.checkWrite(t, this.requireRecord(t, id, idProperty), properties);
  }

  private commitUpdate(t: ObjectTypeInfo, record: StoredRecord, values: Map<string, string | null>, actor: Actor): string[] {
    const changed: string[] = [];
    for (const [name, value] of values) {
      const before = record.properties.get(name) ?? null;
      if (before === value) continue;
      if (value === null) record.properties.delete(name);
      else record.properties.set(name, value);
      changed.push(name);
    }
    if (changed.length === 0) return changed;
    const at = this.now();
    record.updatedAt = at;
    record.history ??= new Map();
    for (const name of changed)
      record.history.set(name, [...(record.history.get(name) ?? []), { value: record.properties.get(name) ?? '', timestamp: at, actor }]);
    record.properties.set('hs_lastmodifieddate', new Date(at).toISOString());
    if (t.objectTypeId === '0-1') record.properties.set('lastmodifieddate', new Date(at).toISOString());
    for (const name of changed) this.publishPropertyChange(t, record.id, name, record.properties.get(name) ?? null, at, actor);
    return changed;
  }

  private publishPropertyChange(t: ObjectTypeInfo, id: string, name: string, value: string | null, at: number, actor: Actor): void {
    const spec = this.properties.get(t.objectTypeId)!.get(name);
    this.publish({
      kind: 'propertyChange',
      objectTypeId: t.objectTypeId,
      objectId: id,
      propertyName: name,
      propertyValue: webhookValue(spec, value),
      occurredAt: at,
      actor,
    });
  }

  /** Upsert keyed on a unique property: `{ id: <unique value>, idProperty, properties }`. */
  upsertObject(
    typeRef: string,
    input: { id: string; idProperty?: string; properties: PropertyInput },
    actor: Actor = this.integrationActor,
  ): { record: StoredRecord; created: boolean } {
    const t = this.type(typeRef);
    const existing = this.findForUpsert(t, input.id, input.idProperty);
    if (existing) {
      const values = this.checkWrite(t, existing, input.properties);
      this.commitUpdate(t, existing, values, actor);
      return { record: existing, created: false };
    }
    const props = input.idProperty ? { ...input.properties, [input.idProperty]: input.id } : input.properties;
    const values = this.checkWrite(t, null, props);
    return { record: this.commitCreate(t, values, [], actor), created: true };
  }

  checkUpsert(typeRef: string, input: { id: string; idProperty?: string; properties: PropertyInput }): void {
    const t = this.type(typeRef);
    const existing = this.findForUpsert(t, input.id, input.idProperty);
    const props = !existing && input.idProperty ? { ...input.properties, [input.idProperty]: input.id } : input.properties;
    this.checkWrite(t, existing ?? null, props);
  }

  private findForUpsert(t: ObjectTypeInfo, id: string, idProperty: string | undefined): StoredRecord | undefined {
    if (idProperty === undefined || idProperty === 'hs_object_id') {
      if (idProperty === 'hs_object_id') {
        throw invalid(`Unable to perform update/upsert by non-unique ${t.objectTypeId} property hs_object_id in portal ID ${this.portalId}`);
      }
      return this.findRecord(t.objectTypeId, id);
    }
    this.requireUniqueProperty(t, idProperty);
    return this.findByUnique(t.objectTypeId, idProperty, id);
  }

  archiveObject(typeRef: string, id: string, opts: { actor?: Actor } = {}): boolean {
    const t = this.type(typeRef);
    const record = this.findRecord(t.objectTypeId, id);
    if (!record) return false;
    const at = this.now();
    record.archived = true;
    record.archivedAt = at;
    this.graph.removeRecord(t.objectTypeId, id, (x) => this.inverseOf(x));
    this.publish({ kind: 'deletion', objectTypeId: t.objectTypeId, objectId: id, occurredAt: at, actor: opts.actor ?? this.integrationActor });
    return true;
  }

  /** A live record by id (or by a unique property's value), else undefined. */
  findRecord(typeRef: string, id: string, idProperty?: string, opts: { archived?: boolean } = {}): StoredRecord | undefined {
    const t = this.type(typeRef);
    const wantArchived = opts.archived ?? false;
    if (idProperty !== undefined && idProperty !== 'hs_object_id') {
      this.requireUniqueProperty(t, idProperty);
      const r = this.findByUnique(t.objectTypeId, idProperty, id, wantArchived);
      return r;
    }
    const r = this.records.get(t.objectTypeId)!.get(id);
    return r && r.archived === wantArchived ? r : undefined;
  }

  getRecord(typeRef: string, id: string, idProperty?: string): StoredRecord {
    return this.requireRecord(this.type(typeRef), id, idProperty);
  }

  private requireRecord(t: ObjectTypeInfo, id: string, idProperty?: string): StoredRecord {
    const r = this.findRecord(t.objectTypeId, id, idProperty);
    if (!r) throw notFound('Object not found.  objectId are usually numeric.', { id: [id] });
    return r;
  }

  listRecords(typeRef: string, opts: { archived?: boolean } = {}): StoredRecord[] {
    const wantArchived = opts.archived ?? false;
    return [...this.records.get(this.type(typeRef).objectTypeId)!.values()].filter((r) => r.archived === wantArchived);
  }

  private findByUnique(objectTypeId: string, name: string, value: string, archived = false): StoredRecord | undefined {
    for (const r of this.records.get(objectTypeId)!.values()) {
      if (r.archived === archived && r.properties.get(name) === value) return r;
    }
    return undefined;
  }

  private requireUniqueProperty(t: ObjectTypeInfo, name: string): void {
    const spec = this.properties.get(t.objectTypeId)!.get(name);
    if (!spec || spec.archived || !spec.hasUniqueValue) {
      throw invalid(`Unable to perform update/upsert by non-unique ${t.objectTypeId} property ${name} in portal ID ${this.portalId}`);
    }
  }

  /** Validates and normalises a write; throws HubSpot's VALIDATION_ERROR naming every bad property. */
  private checkWrite(t: ObjectTypeInfo, record: StoredRecord | null, input: PropertyInput): Map<string, string | null> {
    const defs = this.properties.get(t.objectTypeId)!;
    const issues: PropertyValueIssue[] = [];
    const values = new Map<string, string | null>();
    for (const [name, raw] of Object.entries(input)) {
      const spec = defs.get(name);
      if (!spec || spec.archived) {
        issues.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
        continue;
      }
      if (spec.readOnlyValue || (record !== null && name === t.createdProperty)) {
        issues.push({ name, error: 'READ_ONLY_VALUE', message: `${name} is a read only property; its value cannot be set.` });
        continue;
      }
      const n = normalizeValue(spec, raw);
      if (!n.ok) issues.push(n.issue);
      else values.set(name, n.value);
    }
    if (issues.length > 0) throw propertyValuesInvalid(issues, this.portalId);

    if (t.objectTypeId === '0-3') this.checkDealStage(record, values);
    this.checkRules(t, record, values);
    if (record === null) {
      for (const required of this.requiredProperties(t)) {
        if ((values.get(required) ?? null) === null) {
          throw propertyValuesInvalid([{ name: required, error: 'REQUIRED', message: `${required} is required.` }], this.portalId);
        }
      }
    }
    for (const [name, value] of values) {
      if (value === null || !defs.get(name)!.hasUniqueValue) continue;
      const clash = this.findByUnique(t.objectTypeId, name, value);
      if (clash && clash.id !== record?.id) {
        throw new SandboxApiError(409, 'CONFLICT', `A ${t.singular} with ${name}=${value} already exists. Existing ID: ${clash.id}`, {
          context: { id: [clash.id] },
        });
      }
    }
    return values;
  }

  private requiredProperties(t: ObjectTypeInfo): string[] {
    if (t.objectTypeId === '0-46') return ['hs_timestamp'];
    return this.schemas.get(t.objectTypeId)?.requiredProperties ?? [];
  }

  /** A deal's stage must belong to its pipeline; a new deal without either gets the default pipeline's first stage. */
  private checkDealStage(record: StoredRecord | null, values: Map<string, string | null>): void {
    const pipelineId = values.get('pipeline') ?? record?.properties.get('pipeline') ?? null;
    const stageId = values.get('dealstage') ?? record?.properties.get('dealstage') ?? null;
    if (record === null) {
      const pipeline = this.pipelines.find((p) => p.spec.id === (pipelineId ?? 'default'))!.spec;
      if (pipelineId === null) values.set('pipeline', pipeline.id);
      if (stageId === null) values.set('dealstage', pipeline.stages[0]!.id);
    }
    const pid = values.get('pipeline') ?? record?.properties.get('pipeline') ?? 'default';
    const sid = values.get('dealstage') ?? record?.properties.get('dealstage') ?? null;
    const pipeline = this.pipelines.find((p) => p.spec.id === pid)?.spec;
    if (sid !== null && pipeline && !pipeline.stages.some((s) => s.id === sid)) {
      throw propertyValuesInvalid([{ name: 'dealstage', error: 'INVALID_OPTION', message: `${sid} is not a valid stage of pipeline ${pid}` }], this.portalId);
    }
  }

  // ── associations ───────────────────────────────────────────────────────────────────────────────────────

  private inverseOf(typeId: number): number {
    return this.definitions.get(typeId)?.inverseTypeId ?? typeId;
  }

  definition(typeId: number): StoredDefinition | undefined {
    return this.definitions.get(typeId);
  }

  /** Every association type from one object type to another (labels API order: HubSpot's first). */
  definitionsBetween(fromRef: string, toRef: string): StoredDefinition[] {
    const from = this.type(fromRef).objectTypeId;
    const to = this.type(toRef).objectTypeId;
    return [...this.definitions.values()]
      .filter((d) => d.fromObjectTypeId === from && d.toObjectTypeId === to)
      .sort((a, b) => (a.category === b.category ? a.typeId - b.typeId : a.category === 'HUBSPOT_DEFINED' ? -1 : 1));
  }

  /** The type id of a USER_DEFINED label by its internal name (the API only ever shows labels). */
  labelTypeId(fromRef: string, toRef: string, name: string): number {
    const d = this.definitionsBetween(fromRef, toRef).find((x) => x.name === name && !x.unlabelled);
    if (!d) throw new Error(`no association label named ${name} from ${fromRef} to ${toRef}`);
    return d.typeId;
  }

  createLabel(fromRef: string, toRef: string, input: { label: string; name: string; inverseLabel?: string | undefined }): [StoredDefinition, StoredDefinition] {
    const from = this.type(fromRef).objectTypeId;
    const to = this.type(toRef).objectTypeId;
    if (!/^[a-z0-9_]+$/i.test(input.name)) throw invalid(`Association label name ${input.name} may only use letters, digits and underscores.`);
    const taken = [...this.definitions.values()].some(
      (d) => d.name === input.name && ((d.fromObjectTypeId === from && d.toObjectTypeId === to) || (d.fromObjectTypeId === to && d.toObjectTypeId === from)),
    );
    if (taken) {
      throw new SandboxApiError(409, 'OBJECT_ALREADY_EXISTS', `An association label named ${input.name} already exists between ${from} and ${to}.`);
    }
    return this.addDefinitionPair(from, to, {
      label: input.label,
      inverseLabel: input.inverseLabel ?? input.label,
      name: input.name,
      unlabelled: false,
    });
  }

  updateLabel(fromRef: string, toRef: string, input: { associationTypeId: number; label: string; inverseLabel?: string | undefined }): void {
    const d = this.definitionsBetween(fromRef, toRef).find((x) => x.typeId === input.associationTypeId && x.category === 'USER_DEFINED' && !x.unlabelled);
    if (!d) throw notFound(`Association type ${input.associationTypeId} not found.`);
    d.label = input.label;
    if (input.inverseLabel !== undefined) this.definitions.get(d.inverseTypeId)!.label = input.inverseLabel;
  }

  deleteLabel(fromRef: string, toRef: string, typeId: number): void {
    const d = this.definitionsBetween(fromRef, toRef).find((x) => x.typeId === typeId && x.category === 'USER_DEFINED' && !x.unlabelled);
    if (!d) throw notFound(`Association type ${typeId} not found.`);
    this.definitions.delete(d.inverseTypeId);
    this.definitions.delete(d.typeId);
  }

  private addDefinitionPair(
    from: string,
    to: string,
    spec: { label: string | null; inverseLabel: string | null; name: string; unlabelled: boolean },
  ): [StoredDefinition, StoredDefinition] {
    const at = this.now();
    const forwardId = this.nextLabelTypeId++;
    const inverseId = this.nextLabelTypeId++;
    const base = { category: 'USER_DEFINED' as const, name: spec.name, primary: false, unlabelled: spec.unlabelled, createdAt: at };
    const forward: StoredDefinition = { ...base, typeId: forwardId, fromObjectTypeId: from, toObjectTypeId: to, label: spec.label, inverseTypeId: inverseId };
    const inverse: StoredDefinition = {
      ...base,
      typeId: inverseId,
      fromObjectTypeId: to,
      toObjectTypeId: from,
      label: spec.inverseLabel,
      inverseTypeId: forwardId,
    };
    this.definitions.set(forwardId, forward);
    this.definitions.set(inverseId, inverse);
    return [forward, inverse];
  }

  /** The unlabelled type every association between two object types carries. */
  private unlabelledType(from: string, to: string): StoredDefinition {
    const d = [...this.definitions.values()].find((x) => x.fromObjectTypeId === from && x.toObjectTypeId === to && x.unlabelled);
    if (!d) throw invalid(`${from} cannot be associated with ${to}.`);
    return d;
  }

  private checkSpecs(from: string, to: string, specs: AssociationSpecInput[]): number[] {
    return specs.map((s) => {
      const d = this.definitions.get(s.associationTypeId);
      const categoryOk = s.associationCategory === undefined || s.associationCategory === d?.category;
      if (!d || d.fromObjectTypeId !== from || d.toObjectTypeId !== to || !categoryOk) {
        throw invalid(`${s.associationCategory ?? ''} ${s.associationTypeId} is not a valid association type between ${from} and ${to}.`.trim(), [
          { message: `invalid association type ${s.associationTypeId}`, code: 'INVALID_ASSOCIATION_TYPE' },
        ]);
      }
      return d.typeId;
    });
  }

  private checkAssociationInput(t: ObjectTypeInfo, input: AssociationInput): { toType: string; toId: string; typeIds: number[] } {
    const first = input.types[0];
    if (!first) throw invalid('An association needs at least one type.');
    const d = this.definitions.get(first.associationTypeId);
    if (!d || d.fromObjectTypeId !== t.objectTypeId) {
      throw invalid(`${first.associationTypeId} is not a valid association type from ${t.objectTypeId}.`);
    }
    const typeIds = this.checkSpecs(t.objectTypeId, d.toObjectTypeId, input.types);
    if (!this.findRecord(d.toObjectTypeId, input.to.id)) {
      throw invalid(`Cannot associate with ${d.toObjectTypeId} ${input.to.id}: the record does not exist.`);
    }
    return { toType: d.toObjectTypeId, toId: input.to.id, typeIds };
  }

  /**
   * Adds association types between two records (the unlabelled type comes with any label, as in HubSpot).
   * Emits an association change when the records become associated, or when the primary flag is added;
   * adding a label to records already associated emits nothing.
   */
  associate(fromRef: string, fromId: string, toRef: string, toId: string, specs: AssociationSpecInput[], opts: { actor?: Actor } = {}): Set<number> {
    const from = this.type(fromRef).objectTypeId;
    const to = this.type(toRef).objectTypeId;
    const typeIds = this.checkSpecs(from, to, specs);
    this.requireRecord(this.type(from), fromId);
    this.requireRecord(this.type(to), toId);
    this.associateChecked(from, fromId, to, toId, typeIds, opts.actor ?? this.integrationActor);
    return this.graph.typesBetween(from, fromId, to, toId);
  }

  /** Validates an association without making it (batch endpoints). */
  checkAssociate(fromRef: string, fromId: string, toRef: string, toId: string, specs: AssociationSpecInput[]): void {
    const from = this.type(fromRef).objectTypeId;
    const to = this.type(toRef).objectTypeId;
    this.checkSpecs(from, to, specs);
    this.requireRecord(this.type(from), fromId);
    this.requireRecord(this.type(to), toId);
  }

  associateDefault(fromRef: string, fromId: string, toRef: string, toId: string, opts: { actor?: Actor } = {}): StoredDefinition {
    const from = this.type(fromRef).objectTypeId;
    const to = this.type(toRef).objectTypeId;
    const d = this.unlabelledType(from, to);
    this.associate(from, fromId, to, toId, [{ associationTypeId: d.typeId }], opts);
    return d;
  }

  private associateChecked(from: string, fromId: string, to: string, toId: string, typeIds: number[], actor: Actor): void {
    const before = this.graph.typesBetween(from, fromId, to, toId);
    const wanted = new Set([this.unlabelledType(from, to).typeId, ...typeIds]);
    const at = this.now();
    for (const t of wanted) {
      const d = this.definitions.get(t)!;
      if (d.primary && !before.has(t)) this.demoteOtherPrimary(d, from, fromId, to, toId, at, actor);
    }
    this.graph.add(from, fromId, to, toId, [...wanted], (x) => this.inverseOf(x));
    const after = this.graph.typesBetween(from, fromId, to, toId);
    const wasPrimary = this.hasPrimary(before);
    const isPrimary = this.hasPrimary(after);
    if (before.size === 0 || (!wasPrimary && isPrimary)) {
      this.publishAssociation(from, fromId, to, toId, false, isPrimary, at, actor);
    }
  }

  /** A deal has one primary company: making another one primary removes the flag from the previous one. */
  private demoteOtherPrimary(d: StoredDefinition, from: string, fromId: string, to: string, toId: string, at: number, actor: Actor): void {
    const ownerIsFrom = d.typeId < d.inverseTypeId;
    const ownerType = ownerIsFrom ? from : to;
    const ownerId = ownerIsFrom ? fromId : toId;
    const otherType = ownerIsFrom ? to : from;
    const ownerPrimaryType = ownerIsFrom ? d.typeId : d.inverseTypeId;
    for (const { toId: otherId, typeIds } of this.graph.list(ownerType, ownerId, otherType)) {
      if (otherId === (ownerIsFrom ? toId : fromId) || !typeIds.has(ownerPrimaryType)) continue;
      this.graph.remove(ownerType, ownerId, otherType, otherId, [ownerPrimaryType], (x) => this.inverseOf(x));
      this.publishAssociation(ownerType, ownerId, otherType, otherId, true, true, at, actor);
    }
  }

  private hasPrimary(types: Set<number>): boolean {
    return [...types].some((t) => this.definitions.get(t)?.primary === true);
  }

  /** Removes the association between two records (every type). */
  removeAssociation(fromRef: string, fromId: string, toRef: string, toId: string, opts: { actor?: Actor } = {}): void {
    const from = this.type(fromRef).objectTypeId;
    const to = this.type(toRef).objectTypeId;
    const before = this.graph.typesBetween(from, fromId, to, toId);
    if (before.size === 0) return;
    this.graph.remove(from, fromId, to, toId, 'all', (x) => this.inverseOf(x));
    this.publishAssociation(from, fromId, to, toId, true, this.hasPrimary(before), this.now(), opts.actor ?? this.integrationActor);
  }

  /**
   * Removes some types (labels) and keeps the association. Removing the unlabelled type removes it all.
   * Label-only removals emit nothing: HubSpot may not send a webhook for them (docs/program.md#deal-partners-and-association-labels).
   */
  removeAssociationTypes(fromRef: string, fromId: string, toRef: string, toId: string, specs: AssociationSpecInput[], opts: { actor?: Actor } = {}): void {
    const from = this.type(fromRef).objectTypeId;
    const to = this.type(toRef).objectTypeId;
    const typeIds = this.checkSpecs(from, to, specs);
    if (typeIds.includes(this.unlabelledType(from, to).typeId)) {
      this.removeAssociation(from, fromId, to, toId, opts);
      return;
    }
    const before = this.graph.typesBetween(from, fromId, to, toId);
    if (before.size === 0) return;
    this.graph.remove(from, fromId, to, toId, typeIds, (x) => this.inverseOf(x));
    if (this.hasPrimary(before) && !this.hasPrimary(this.graph.typesBetween(from, fromId, to, toId))) {
      this.publishAssociation(from, fromId, to, toId, true, true, this.now(), opts.actor ?? this.integrationActor);
    }
  }

  private publishAssociation(from: string, fromId: string, to: string, toId: string, removed: boolean, primary: boolean, at: number, actor: Actor): void {
    this.publish({
      kind: 'associationChange',
      fromObjectTypeId: from,
      fromObjectId: fromId,
      toObjectTypeId: to,
      toObjectId: toId,
      removed,
      primary,
      occurredAt: at,
      actor,
    });
  }

  /** Associated records of `toType`, id order, each with its association types read from this side. */
  associationsOf(fromRef: string, fromId: string, toRef: string): { toObjectId: string; types: StoredDefinition[] }[] {
    const from = this.type(fromRef).objectTypeId;
    const to = this.type(toRef).objectTypeId;
    return this.graph.list(from, fromId, to).map(({ toId, typeIds }) => ({
      toObjectId: toId,
      types: [...typeIds]
        .map((t) => this.definitions.get(t))
        .filter((d): d is StoredDefinition => d !== undefined)
        .sort(byCategoryThenId),
    }));
  }

  // ── users, teams, workflow callbacks ───────────────────────────────────────────────────────────────────

  addTeam(team: { id: string; name: string }): SandboxTeam {
    const t = { ...team };
    this.teams.set(t.id, t);
    return t;
  }

  addUser(user: Partial<SandboxUser> & { id: string; email: string }): SandboxUser {
    const u: SandboxUser = {
      firstName: '',
      lastName: '',
      primaryTeamId: null,
      secondaryTeamIds: [],
      roleIds: [],
      superAdmin: false,
      ...user,
    };
    this.users.set(u.id, u);
    return u;
  }

  findUser(id: string): SandboxUser | undefined {
    return this.users.get(id);
  }

  listTeams(): (SandboxTeam & { userIds: string[]; secondaryUserIds: string[] })[] {
    const users = [...this.users.values()];
    return [...this.teams.values()].map((t) => ({
      ...t,
      userIds: users.filter((u) => u.primaryTeamId === t.id).map((u) => u.id),
      secondaryUserIds: users.filter((u) => u.secondaryTeamIds.includes(t.id)).map((u) => u.id),
    }));
  }

  completeCallback(callbackId: string, outputFields: Record<string, string>): CallbackCompletion {
    const c = { callbackId, outputFields, completedAt: this.now() };
    this.callbackCompletions.push(c);
    return c;
  }
}

function byCategoryThenId(a: StoredDefinition, b: StoredDefinition): number {
  if (a.category !== b.category) return a.category === 'HUBSPOT_DEFINED' ? -1 : 1;
  return a.typeId - b.typeId;
}

function toOptions(options: PropertyCreateInput['options']): PropertyOption[] {
  return (options ?? []).map((o, i) => ({
    label: o.label,
    value: o.value,
    displayOrder: o.displayOrder ?? i,
    hidden: o.hidden ?? false,
    ...(o.description === undefined ? {} : { description: o.description }),
  }));
}

export interface PropertyCreateInput {
  name: string;
  label: string;
  type: PropertySpec['type'];
  fieldType: string;
  groupName: string;
  description?: string | undefined;
  options?: { label: string; value: string; displayOrder?: number | undefined; hidden?: boolean | undefined; description?: string | undefined }[] | undefined;
  hasUniqueValue?: boolean | undefined;
  hidden?: boolean | undefined;
  formField?: boolean | undefined;
  displayOrder?: number | undefined;
}

export type PropertyUpdateInput = Partial<Omit<PropertyCreateInput, 'name' | 'hasUniqueValue'>>;

export interface SchemaCreateInput {
  name: string;
  labels: { singular: string; plural: string };
  description?: string | undefined;
  primaryDisplayProperty?: string | undefined;
  secondaryDisplayProperties?: string[] | undefined;
  searchableProperties?: string[] | undefined;
  requiredProperties: string[];
  properties: (Omit<PropertyCreateInput, 'groupName'> & { groupName?: string | undefined })[];
  associatedObjects?: string[] | undefined;
}

/**
 * Writes made by one actor. `store.actAsUser(id)` gives the CRM-user view tests use for "a rep changed the
 * deal"; the routes use `store.asIntegration()`.
 */
export class PortalSession {
  constructor(
    readonly store: SandboxStore,
    readonly actor: Actor,
  ) {}

  createObject(type: string, properties: PropertyInput, associations: AssociationInput[] = []): StoredRecord {
    return this.store.createObject(type, properties, { associations, actor: this.actor });
  }
  updateObject(type: string, id: string, properties: PropertyInput): string[] {
    return this.store.updateObject(type, id, properties, { actor: this.actor }).changed;
  }
  archiveObject(type: string, id: string): boolean {
    return this.store.archiveObject(type, id, { actor: this.actor });
  }
  createDeal(properties: PropertyInput, associations: AssociationInput[] = []): StoredRecord {
    return this.createObject('deals', properties, associations);
  }
  updateDeal(id: string, properties: PropertyInput): string[] {
    return this.updateObject('deals', id, properties);
  }
  archiveDeal(id: string): boolean {
    return this.archiveObject('deals', id);
  }
  createCompany(properties: PropertyInput): StoredRecord {
    return this.createObject('companies', properties);
  }
  updateCompany(id: string, properties: PropertyInput): string[] {
    return this.updateObject('companies', id, properties);
  }
  associate(fromType: string, fromId: string, toType: string, toId: string, specs: AssociationSpecInput[]): void {
    this.store.associate(fromType, fromId, toType, toId, specs, { actor: this.actor });
  }
  removeAssociation(fromType: string, fromId: string, toType: string, toId: string): void {
    this.store.removeAssociation(fromType, fromId, toType, toId, { actor: this.actor });
  }

  /**
   * Puts a company on a deal with the given partner roles (label internal names) and/or as its primary
   * company. On a pair already associated, adding labels is a label-only change (no webhook).
   */
  associateDealCompany(dealId: string, companyId: string, opts: { roles?: string[]; primary?: boolean } = {}): void {
    const specs: AssociationSpecInput[] = (opts.roles ?? []).map((name) => ({
      associationCategory: 'USER_DEFINED',
      associationTypeId: this.store.labelTypeId('deals', 'companies', name),
    }));
    if (opts.primary) specs.push({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 });
    if (specs.length === 0) specs.push({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 341 });
    this.associate('deals', dealId, 'companies', companyId, specs);
  }

  /** Removes partner roles (labels) but keeps the company on the deal: a label-only change. */
  removeDealCompanyRoles(dealId: string, companyId: string, roles: string[]): void {
    this.store.removeAssociationTypes(
      'deals',
      dealId,
      'companies',
      companyId,
      roles.map((name) => ({ associationCategory: 'USER_DEFINED', associationTypeId: this.store.labelTypeId('deals', 'companies', name) })),
      { actor: this.actor },
    );
  }

  removeDealCompany(dealId: string, companyId: string): void {
    this.removeAssociation('deals', dealId, 'companies', companyId);
  }
}

export { compareIds };
