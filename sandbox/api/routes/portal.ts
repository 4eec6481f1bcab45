/**
 * Everything around the records: deal pipelines, property definitions and groups, custom object schemas,
 * users and teams, and workflow-action callbacks.
 */
import { z } from 'zod';
import type { PipelineSpec } from '../catalog.js';
import { notFound } from '../errors.js';
import { param, parseBody } from '../http.js';
import { publicGroup, publicProperty, publicSchema, publicSchemaAssociation } from '../present.js';
import type { SandboxStore, SandboxUser } from '../store.js';
import { USERS_V, V } from '../versions.js';
import type { RouteContext } from './context.js';

const PROPERTY_TYPES = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool', 'phone_number'] as const;

/** 2026-09 `OptionInput`: label, value, displayOrder and hidden are all required. */
const optionSchema = z.object({
  label: z.string(),
  value: z.string(),
  displayOrder: z.number().int(),
  hidden: z.boolean(),
  description: z.string().optional(),
});
export const propertyCreateSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  type: z.enum(PROPERTY_TYPES),
  fieldType: z.string().min(1),
  groupName: z.string().min(1),
  description: z.string().optional(),
  options: z.array(optionSchema).optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  displayOrder: z.number().int().optional(),
});
const propertyUpdateSchema = propertyCreateSchema.omit({ name: true, hasUniqueValue: true }).partial();
export const groupCreateSchema = z.object({ name: z.string().min(1), label: z.string().min(1), displayOrder: z.number().int().optional() });
/** 2026-09 `ObjectSchemaEgg`: every field but description and primaryDisplayProperty is required. */
export const schemaCreateSchema = z.object({
  name: z.string().min(1),
  allowsSensitiveProperties: z.boolean(),
  labels: z.object({ singular: z.string().min(1), plural: z.string().min(1) }),
  description: z.string().optional(),
  primaryDisplayProperty: z.string().optional(),
  secondaryDisplayProperties: z.array(z.string()),
  searchableProperties: z.array(z.string()),
  requiredProperties: z.array(z.string()),
  properties: z.array(propertyCreateSchema.extend({ groupName: z.string().min(1).optional() })),
  associatedObjects: z.array(z.string()),
});
const schemaAssociationSchema = z.object({ fromObjectTypeId: z.string().min(1), toObjectTypeId: z.string().min(1), name: z.string().optional() });
const outputFieldsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));
// The spec marks typedOutputs required; HubSpot's reference sends it empty. Accepted with or without it.
const typedOutputsSchema = z.record(z.string(), z.unknown()).optional();
const callbackSchema = z.object({ outputFields: outputFieldsSchema, typedOutputs: typedOutputsSchema });
const callbackBatchSchema = z.object({
  inputs: z.array(z.object({ callbackId: z.string().min(1), outputFields: outputFieldsSchema, typedOutputs: typedOutputsSchema })),
});

export function registerPortalRoutes({ route, store }: RouteContext): void {
  // Pipelines (deals only: the app reads closed-won stages from here).
  route('get', `/crm/pipelines/${V}/:objectType`, (req, res) => {
    res.json({ results: pipelinesFor(store, param(req, 'objectType')).map((p) => publicPipeline(p.spec, p.createdAt)) });
  });
  route('get', `/crm/pipelines/${V}/:objectType/:pipelineId`, (req, res) => {
    const p = pipelinesFor(store, param(req, 'objectType')).find((x) => x.spec.id === param(req, 'pipelineId'));
    if (!p) throw notFound(`Unable to find pipeline ${param(req, 'pipelineId')}`);
    res.json(publicPipeline(p.spec, p.createdAt));
  });
  route('get', `/crm/pipelines/${V}/:objectType/:pipelineId/stages`, (req, res) => {
    const p = pipelinesFor(store, param(req, 'objectType')).find((x) => x.spec.id === param(req, 'pipelineId'));
    if (!p) throw notFound(`Unable to find pipeline ${param(req, 'pipelineId')}`);
    res.json({ results: publicPipeline(p.spec, p.createdAt).stages });
  });

  // Property groups before properties: `/groups` is not a property name.
  route('get', `/crm/properties/${V}/:objectType/groups`, (req, res) => {
    res.json({ results: store.listGroups(param(req, 'objectType')).map(publicGroup) });
  });
  route('post', `/crm/properties/${V}/:objectType/groups`, (req, res) => {
    const body = parseBody(groupCreateSchema, req.body);
    res.status(201).json(publicGroup(store.createGroup(param(req, 'objectType'), body)));
  });
  route('get', `/crm/properties/${V}/:objectType/groups/:groupName`, (req, res) => {
    res.json(publicGroup(store.getGroup(param(req, 'objectType'), param(req, 'groupName'))));
  });
  route('get', `/crm/properties/${V}/:objectType`, (req, res) => {
    res.json({ results: store.listProperties(param(req, 'objectType'), { archived: req.query['archived'] === 'true' }).map(publicProperty) });
  });
  route('post', `/crm/properties/${V}/:objectType`, (req, res) => {
    const body = parseBody(propertyCreateSchema, req.body);
    res.status(201).json(publicProperty(store.createProperty(param(req, 'objectType'), body)));
  });
  route('get', `/crm/properties/${V}/:objectType/:propertyName`, (req, res) => {
    res.json(publicProperty(store.getProperty(param(req, 'objectType'), param(req, 'propertyName'))));
  });
  route('patch', `/crm/properties/${V}/:objectType/:propertyName`, (req, res) => {
    const body = parseBody(propertyUpdateSchema, req.body);
    res.json(publicProperty(store.updateProperty(param(req, 'objectType'), param(req, 'propertyName'), body)));
  });

  // Custom object schemas.
  {
    const base = `/crm-object-schemas/${V}/schemas`;
    route('get', base, (_req, res) => {
      res.json({ results: store.listSchemas().map((s) => publicSchema(store, s)) });
    });
    route('post', base, (req, res) => {
      const body = parseBody(schemaCreateSchema, req.body);
      res.status(201).json(publicSchema(store, store.createSchema(body)));
    });
    route('get', `${base}/:objectType`, (req, res) => {
      res.json(publicSchema(store, store.getSchema(param(req, 'objectType'))));
    });
    route('post', `${base}/:objectType/associations`, (req, res) => {
      const body = parseBody(schemaAssociationSchema, req.body);
      store.getSchema(param(req, 'objectType'));
      res.status(201).json(publicSchemaAssociation(store.createSchemaAssociation(body.fromObjectTypeId, body.toObjectTypeId)));
    });
  }

  // Users and teams: the app checks partner managers server-side.
  route('get', `/settings/users/${USERS_V}/teams`, (_req, res) => {
    res.json({ results: store.listTeams() });
  });
  route('get', `/settings/users/${USERS_V}/:userId`, (req, res) => {
    const user = store.findUser(param(req, 'userId'));
    if (!user) throw notFound(`User ${param(req, 'userId')} not found`);
    res.json(publicUser(user));
  });

  // Workflow action callbacks: recorded for the tests' assertions.
  route('post', `/automation/actions/callbacks/${V}/complete`, (req, res) => {
    const body = parseBody(callbackBatchSchema, req.body);
    for (const input of body.inputs) store.completeCallback(input.callbackId, input.outputFields);
    res.status(204).end();
  });
  route('post', `/automation/actions/callbacks/${V}/:callbackId/complete`, (req, res) => {
    const body = parseBody(callbackSchema, req.body);
    store.completeCallback(param(req, 'callbackId'), body.outputFields);
    res.status(204).end();
  });
}

function pipelinesFor(store: SandboxStore, objectType: string): SandboxStore['pipelines'] {
  return store.type(objectType).objectTypeId === '0-3' ? store.pipelines : [];
}

function publicPipeline(p: PipelineSpec, createdAt: number): Record<string, unknown> & { stages: unknown[] } {
  const at = new Date(createdAt).toISOString();
  return {
    id: p.id,
    label: p.label,
    displayOrder: p.displayOrder,
    stages: p.stages.map((s) => ({
      id: s.id,
      label: s.label,
      displayOrder: s.displayOrder,
      metadata: { isClosed: String(s.isClosed), probability: s.probability },
      writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
      createdAt: at,
      updatedAt: at,
      archived: false,
    })),
    createdAt: at,
    updatedAt: at,
    archived: false,
  };
}

function publicUser(u: SandboxUser): Record<string, unknown> {
  return {
    id: u.id,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    roleIds: u.roleIds,
    ...(u.primaryTeamId === null ? {} : { primaryTeamId: u.primaryTeamId }),
    secondaryTeamIds: u.secondaryTeamIds,
    superAdmin: u.superAdmin,
  };
}
