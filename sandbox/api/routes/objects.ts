/**
 * CRM objects: `/crm/objects/2026-09/{objectType}` for deals, companies, contacts, notes and custom objects.
 * Batch writes validate every input first and refuse the whole batch on one bad input; batch read answers
 * 207 with OBJECT_NOT_FOUND for the ids it cannot find, and the found ones in `results`.
 */
import { z } from 'zod';
import { invalid, notFound, standardError, ValidationRuleError, type StandardError } from '../errors.js';
import { associationSpecSchema, checkBatchSize, objectIdSchema, param, parseBody, propertiesSchema, queryBool, queryList, queryString } from '../http.js';
import { batchEnvelope, publicObject, v3Associations, writtenObject } from '../present.js';
import { search, searchRequestSchema } from '../search.js';
import { compareIds, type SandboxStore } from '../store.js';
import { V } from '../versions.js';
import type { RouteContext } from './context.js';

const createSchema = z.object({
  properties: propertiesSchema.default({}),
  associations: z.array(z.object({ to: objectIdSchema, types: z.array(associationSpecSchema).min(1) })).default([]),
});
const updateSchema = z.object({ properties: propertiesSchema });
const batchReadSchema = z.object({
  inputs: z.array(objectIdSchema),
  properties: z.array(z.string()).default([]),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});
const batchIdsSchema = z.object({ inputs: z.array(objectIdSchema) });
const batchCreateSchema = z.object({ inputs: z.array(createSchema) });
const batchUpdateSchema = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), idProperty: z.string().optional(), properties: propertiesSchema })),
});
const batchUpsertSchema = z.object({
  inputs: z.array(z.object({ id: z.string(), idProperty: z.string().optional(), properties: propertiesSchema })),
});

/**
 * Runs each input's checks. Any error refuses the whole batch (thrown), except a broken validation rule when
 * the store answers rules per input (`validationBatchMode: 'per-input'`): that input becomes a 207 item naming
 * it, and the others are written.
 */
function partitionByRules<I extends { id: string }>(
  inputs: I[],
  mode: SandboxStore['validationBatchMode'],
  check: (input: I) => void,
): { accepted: I[]; refused: StandardError[] } {
  const accepted: I[] = [];
  const refused: StandardError[] = [];
  for (const input of inputs) {
    try {
      check(input);
      accepted.push(input);
    } catch (err) {
      if (!(err instanceof ValidationRuleError) || mode !== 'per-input') throw err;
      refused.push({ ...standardError('VALIDATION_ERROR', err.ruleMessage, { ids: [input.id] }), errors: err.extra.errors ?? [] });
    }
  }
  return { accepted, refused };
}

export function registerObjectRoutes({ route, store }: RouteContext): void {
  const actor = store.integrationActor;

  route('get', `/crm/objects/${V}/:objectType`, (req, res) => {
    const t = store.type(param(req, 'objectType'));
    const limit = Number(queryString(req, 'limit') ?? '10');
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid(`limit must be between 1 and 100, got ${limit}`);
    const after = Number(queryString(req, 'after') ?? '0');
    const records = store.listRecords(t.objectTypeId, { archived: queryBool(req, 'archived') }).sort((a, b) => compareIds(a.id, b.id));
    const start = records.findIndex((r) => Number(r.id) > after);
    const page = start < 0 ? [] : records.slice(start, start + limit);
    const last = page[page.length - 1];
    const more = start >= 0 && start + limit < records.length;
    const assocTypes = queryList(req, 'associations') ?? [];
    res.json({
      results: page.map((r) => ({
        ...publicObject(store, t, r, queryList(req, 'properties')),
        ...(assocTypes.length > 0 ? { associations: v3Associations(store, t, r, assocTypes) } : {}),
      })),
      ...(more && last ? { paging: { next: { after: String(Number(last.id)), link: '' } } } : {}),
    });
  });

  route('get', `/crm/objects/${V}/:objectType/:objectId`, (req, res) => {
    const t = store.type(param(req, 'objectType'));
    const record = store.findRecord(t.objectTypeId, param(req, 'objectId'), queryString(req, 'idProperty'), { archived: queryBool(req, 'archived') });
    if (!record) throw notFound('Object not found.  objectId are usually numeric.', { id: [param(req, 'objectId')] });
    const assocTypes = queryList(req, 'associations') ?? [];
    const associations = assocTypes.length > 0 ? v3Associations(store, t, record, assocTypes) : {};
    res.json({
      ...publicObject(store, t, record, queryList(req, 'properties')),
      ...(Object.keys(associations).length > 0 ? { associations } : {}),
    });
  });

  route('post', `/crm/objects/${V}/:objectType`, (req, res) => {
    const t = store.type(param(req, 'objectType'));
    const body = parseBody(createSchema, req.body);
    const record = store.createObject(t.objectTypeId, body.properties, { associations: body.associations, actor });
    res.status(201).json(writtenObject(store, t, record, Object.keys(body.properties)));
  });

  route('patch', `/crm/objects/${V}/:objectType/:objectId`, (req, res) => {
    const t = store.type(param(req, 'objectType'));
    const body = parseBody(updateSchema, req.body);
    const { record } = store.updateObject(t.objectTypeId, param(req, 'objectId'), body.properties, {
      actor,
      idProperty: queryString(req, 'idProperty'),
    });
    res.json(writtenObject(store, t, record, Object.keys(body.properties)));
  });

  route('delete', `/crm/objects/${V}/:objectType/:objectId`, (req, res) => {
    const t = store.type(param(req, 'objectType'));
    store.archiveObject(t.objectTypeId, param(req, 'objectId'), { actor });
    res.status(204).end();
  });

  route('post', `/crm/objects/${V}/:objectType/batch/read`, (req, res) => {
    const startedAt = Date.now();
    const t = store.type(param(req, 'objectType'));
    const body = parseBody(batchReadSchema, req.body);
    checkBatchSize(body.inputs);
    const archived = queryBool(req, 'archived');
    const found = [];
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const { id } of body.inputs) {
      const record = store.findRecord(t.objectTypeId, id, body.idProperty, { archived });
      if (!record) missing.push(id);
      else if (!seen.has(record.id)) {
        seen.add(record.id);
        found.push(publicObject(store, t, record, body.properties, body.propertiesWithHistory));
      }
    }
    if (missing.length === 0) {
      res.json(batchEnvelope(startedAt, found));
      return;
    }
    const error = standardError('OBJECT_NOT_FOUND', `Could not get some ${t.singular} objects, they may be deleted or not exist. Check that ids are valid.`, {
      ids: missing,
    });
    res.status(207).json(batchEnvelope(startedAt, found, [error]));
  });

  route('post', `/crm/objects/${V}/:objectType/batch/create`, (req, res) => {
    const startedAt = Date.now();
    const t = store.type(param(req, 'objectType'));
    const body = parseBody(batchCreateSchema, req.body);
    checkBatchSize(body.inputs);
    for (const input of body.inputs) store.checkCreate(t.objectTypeId, input.properties, input.associations);
    const results = body.inputs.map((input) =>
      writtenObject(store, t, store.createObject(t.objectTypeId, input.properties, { associations: input.associations, actor }), Object.keys(input.properties)),
    );
    res.status(201).json(batchEnvelope(startedAt, results));
  });

  route('post', `/crm/objects/${V}/:objectType/batch/update`, (req, res) => {
    const startedAt = Date.now();
    const t = store.type(param(req, 'objectType'));
    const body = parseBody(batchUpdateSchema, req.body);
    checkBatchSize(body.inputs);
    rejectDuplicateIds(body.inputs.map((i) => i.id));
    const missing: string[] = [];
    const present = body.inputs.filter((input) => {
      const exists = store.findRecord(t.objectTypeId, input.id, input.idProperty) !== undefined;
      if (!exists) missing.push(input.id);
      return exists;
    });
    const { accepted, refused } = partitionByRules(present, store.validationBatchMode, (input) =>
      store.checkUpdate(t.objectTypeId, input.id, input.properties, input.idProperty),
    );
    const results = accepted.map((input) => {
      const { record } = store.updateObject(t.objectTypeId, input.id, input.properties, { actor, idProperty: input.idProperty });
      return writtenObject(store, t, record, Object.keys(input.properties));
    });
    const errors = [...refused];
    if (missing.length > 0) {
      errors.push(
        standardError('OBJECT_NOT_FOUND', `Could not get some ${t.singular} objects, they may be deleted or not exist. Check that ids are valid.`, {
          ids: missing,
        }),
      );
    }
    if (errors.length === 0) {
      res.json(batchEnvelope(startedAt, results));
      return;
    }
    res.status(207).json(batchEnvelope(startedAt, results, errors));
  });

  route('post', `/crm/objects/${V}/:objectType/batch/upsert`, (req, res) => {
    const startedAt = Date.now();
    const t = store.type(param(req, 'objectType'));
    const body = parseBody(batchUpsertSchema, req.body);
    checkBatchSize(body.inputs);
    rejectDuplicateIds(body.inputs.map((i) => i.id));
    const { accepted, refused } = partitionByRules(body.inputs, store.validationBatchMode, (input) => store.checkUpsert(t.objectTypeId, input));
    const results = accepted.map((input) => {
      const { record, created } = store.upsertObject(t.objectTypeId, input, actor);
      return { ...writtenObject(store, t, record, Object.keys(input.properties)), new: created };
    });
    if (refused.length === 0) res.json(batchEnvelope(startedAt, results));
    else res.status(207).json(batchEnvelope(startedAt, results, refused));
  });

  route('post', `/crm/objects/${V}/:objectType/batch/archive`, (req, res) => {
    const t = store.type(param(req, 'objectType'));
    const body = parseBody(batchIdsSchema, req.body);
    checkBatchSize(body.inputs);
    for (const { id } of body.inputs) store.archiveObject(t.objectTypeId, id, { actor });
    res.status(204).end();
  });

  route('post', `/crm/objects/${V}/:objectType/search`, (req, res) => {
    const t = store.type(param(req, 'objectType'));
    const body = parseBody(searchRequestSchema, req.body ?? {});
    const page = search(store, t, body);
    res.json({
      total: page.total,
      results: page.records.map((r) => publicObject(store, t, r, body.properties)),
      ...(page.nextAfter === null ? {} : { paging: { next: { after: page.nextAfter, link: '' } } }),
    });
  });
}

/** HubSpot refuses a batch that names one record twice. */
function rejectDuplicateIds(ids: string[]): void {
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dup.length > 0) throw invalid(`Duplicate IDs found in batch input: [${[...new Set(dup)].join(', ')}]. IDs must be unique`);
}
