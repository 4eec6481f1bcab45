/**
 * Associations (2026-09) and their labels. An association is stored once and read from either side with that
 * side's type ids (deal → company 341 / primary 5, company → deal 342 / 6, labels in pairs). The labels
 * API returns `{ category, typeId, label }` only: HubSpot never returns the internal `name` there.
 */
import { z } from 'zod';
import { invalid, standardError } from '../errors.js';
import { associationSpecSchema, checkBatchSize, objectIdSchema, param, parseBody } from '../http.js';
import { associationType, batchEnvelope } from '../present.js';
import type { SandboxStore } from '../store.js';
import { V } from '../versions.js';
import type { RouteContext } from './context.js';

const PAGE_LIMIT = 500;

const specsSchema = z.array(associationSpecSchema).min(1);
const batchReadSchema = z.object({ inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), after: z.string().optional() })) });
const batchCreateSchema = z.object({ inputs: z.array(z.object({ from: objectIdSchema, to: objectIdSchema, types: specsSchema })) });
const batchDefaultSchema = z.object({ inputs: z.array(z.object({ from: objectIdSchema, to: objectIdSchema })) });
const batchArchiveSchema = z.object({ inputs: z.array(z.object({ from: objectIdSchema, to: z.array(objectIdSchema) })) });
const labelCreateSchema = z.object({ label: z.string().min(1), name: z.string().min(1), inverseLabel: z.string().min(1).optional() });
const labelUpdateSchema = z.object({ associationTypeId: z.coerce.number().int(), label: z.string().min(1), inverseLabel: z.string().min(1).optional() });

export function registerAssociationRoutes({ route, store }: RouteContext): void {
  const actor = store.integrationActor;

  // No GET of one record's associations: 2026-09 has none (the v4 one is legacy); batch/read answers it.

  route('put', `/crm/objects/${V}/:fromType/:fromId/associations/default/:toType/:toId`, (req, res) => {
    const startedAt = Date.now();
    const from = store.type(param(req, 'fromType'));
    const to = store.type(param(req, 'toType'));
    const fromId = param(req, 'fromId');
    const toId = param(req, 'toId');
    const d = store.associateDefault(from.objectTypeId, fromId, to.objectTypeId, toId, { actor });
    res.json(batchEnvelope(startedAt, defaultResults(d.typeId, d.inverseTypeId, d.category, fromId, toId)));
  });

  route('put', `/crm/objects/${V}/:fromType/:fromId/associations/:toType/:toId`, (req, res) => {
    const from = store.type(param(req, 'fromType'));
    const to = store.type(param(req, 'toType'));
    const specs = parseBody(specsSchema, req.body);
    const fromId = param(req, 'fromId');
    const toId = param(req, 'toId');
    store.associate(from.objectTypeId, fromId, to.objectTypeId, toId, specs, { actor });
    res.status(201).json(labelsBetween(store, from.objectTypeId, fromId, to.objectTypeId, toId));
  });

  route('delete', `/crm/objects/${V}/:fromType/:fromId/associations/:toType/:toId`, (req, res) => {
    const from = store.type(param(req, 'fromType'));
    const to = store.type(param(req, 'toType'));
    store.removeAssociation(from.objectTypeId, param(req, 'fromId'), to.objectTypeId, param(req, 'toId'), { actor });
    res.status(204).end();
  });

  route('post', `/crm/associations/${V}/:fromType/:toType/batch/read`, (req, res) => {
    const startedAt = Date.now();
    const from = store.type(param(req, 'fromType'));
    const to = store.type(param(req, 'toType'));
    const body = parseBody(batchReadSchema, req.body);
    checkBatchSize(body.inputs);
    const results = [];
    const errors = [];
    for (const input of body.inputs) {
      const all = store.associationsOf(from.objectTypeId, input.id, to.objectTypeId);
      if (all.length === 0) {
        // HubSpot reports "no associations" as a per-input error of a 207, not as an empty result.
        errors.push(
          standardError(
            'OBJECT_NOT_FOUND',
            `No ${to.singular.toLowerCase()} is associated with ${from.singular.toLowerCase()} ${input.id}.`,
            { fromObjectId: [input.id], toObjectType: [to.name] },
            'crm.associations.NO_ASSOCIATIONS_FOUND',
          ),
        );
        continue;
      }
      const offset = Number(input.after ?? '0');
      const page = all.slice(offset, offset + PAGE_LIMIT);
      results.push({
        from: { id: input.id },
        to: page.map(toAssociated),
        ...(offset + PAGE_LIMIT < all.length ? { paging: { next: { after: String(offset + PAGE_LIMIT), link: '' } } } : {}),
      });
    }
    res.status(errors.length > 0 ? 207 : 200).json(batchEnvelope(startedAt, results, errors));
  });

  route('post', `/crm/associations/${V}/:fromType/:toType/batch/create`, (req, res) => {
    const startedAt = Date.now();
    const from = store.type(param(req, 'fromType')).objectTypeId;
    const to = store.type(param(req, 'toType')).objectTypeId;
    const body = parseBody(batchCreateSchema, req.body);
    checkBatchSize(body.inputs);
    for (const i of body.inputs) store.checkAssociate(from, i.from.id, to, i.to.id, i.types);
    const results = body.inputs.map((i) => {
      store.associate(from, i.from.id, to, i.to.id, i.types, { actor });
      return labelsBetween(store, from, i.from.id, to, i.to.id);
    });
    res.status(201).json(batchEnvelope(startedAt, results));
  });

  route('post', `/crm/associations/${V}/:fromType/:toType/batch/associate/default`, (req, res) => {
    const startedAt = Date.now();
    const from = store.type(param(req, 'fromType')).objectTypeId;
    const to = store.type(param(req, 'toType')).objectTypeId;
    const body = parseBody(batchDefaultSchema, req.body);
    checkBatchSize(body.inputs);
    for (const i of body.inputs) store.checkAssociate(from, i.from.id, to, i.to.id, []);
    const results = body.inputs.flatMap((i) => {
      const d = store.associateDefault(from, i.from.id, to, i.to.id, { actor });
      return defaultResults(d.typeId, d.inverseTypeId, d.category, i.from.id, i.to.id);
    });
    res.json(batchEnvelope(startedAt, results));
  });

  route('post', `/crm/associations/${V}/:fromType/:toType/batch/archive`, (req, res) => {
    const from = store.type(param(req, 'fromType')).objectTypeId;
    const to = store.type(param(req, 'toType')).objectTypeId;
    const body = parseBody(batchArchiveSchema, req.body);
    checkBatchSize(body.inputs);
    for (const i of body.inputs) for (const target of i.to) store.removeAssociation(from, i.from.id, to, target.id, { actor });
    res.status(204).end();
  });

  route('post', `/crm/associations/${V}/:fromType/:toType/batch/labels/archive`, (req, res) => {
    const from = store.type(param(req, 'fromType')).objectTypeId;
    const to = store.type(param(req, 'toType')).objectTypeId;
    const body = parseBody(batchCreateSchema, req.body);
    checkBatchSize(body.inputs);
    for (const i of body.inputs) store.removeAssociationTypes(from, i.from.id, to, i.to.id, i.types, { actor });
    res.status(204).end();
  });

  route('get', `/crm/associations/${V}/:fromType/:toType/labels`, (req, res) => {
    const defs = store.definitionsBetween(param(req, 'fromType'), param(req, 'toType'));
    res.json({ results: defs.map(associationType) });
  });

  route('post', `/crm/associations/${V}/:fromType/:toType/labels`, (req, res) => {
    const body = parseBody(labelCreateSchema, req.body);
    const [forward, inverse] = store.createLabel(param(req, 'fromType'), param(req, 'toType'), body);
    res.json({ results: [associationType(forward), associationType(inverse)] });
  });

  route('put', `/crm/associations/${V}/:fromType/:toType/labels`, (req, res) => {
    const body = parseBody(labelUpdateSchema, req.body);
    store.updateLabel(param(req, 'fromType'), param(req, 'toType'), body);
    res.status(204).end();
  });

  route('delete', `/crm/associations/${V}/:fromType/:toType/labels/:associationTypeId`, (req, res) => {
    store.deleteLabel(param(req, 'fromType'), param(req, 'toType'), Number(param(req, 'associationTypeId')));
    res.status(204).end();
  });
}

/** `MultiAssociatedObjectWithLabel`: HubSpot sends `toObjectId` as a number. */
function toAssociated(a: { toObjectId: string; types: Parameters<typeof associationType>[0][] }): Record<string, unknown> {
  return { toObjectId: Number(a.toObjectId), associationTypes: a.types.map(associationType) };
}

/** `LabelsBetweenObjectPair`: the labels now on the pair (unlabelled types have none). */
function labelsBetween(store: SandboxStore, from: string, fromId: string, to: string, toId: string): Record<string, unknown> {
  const pair = store.associationsOf(from, fromId, to).find((a) => a.toObjectId === toId);
  return {
    fromObjectTypeId: from,
    fromObjectId: Number(fromId),
    toObjectTypeId: to,
    toObjectId: Number(toId),
    labels: (pair?.types ?? []).map((d) => d.label).filter((l): l is string => l !== null),
  };
}

function defaultResults(typeId: number, inverseTypeId: number, category: string, fromId: string, toId: string): Record<string, unknown>[] {
  return [
    { from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: category, associationTypeId: typeId } },
    { from: { id: toId }, to: { id: fromId }, associationSpec: { associationCategory: category, associationTypeId: inverseTypeId } },
  ];
}
