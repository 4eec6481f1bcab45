/**
 * Associations (`hubspotPaths.associations*`): who is on a deal, with which labels, and the deal→company labels
 * themselves. Label changes may not send a webhook, so these reads are the source of truth (docs/program.md#deal-partners-and-association-labels).
 * Shapes and sources: docs/hubspot-api.md.
 * The batch read answers `paging.next.after` for an input with more associations than one page holds; that
 * input is asked again with `after` until no paging comes back.
 */
import { z } from 'zod';
import { hubspotPaths } from './api-paths.js';
import type { HubSpot } from './client.js';
import { chunk } from './crm-records.js';
import { HubSpotBatchError, HubSpotResponseError, type BatchInputFailure } from './errors.js';

export type AssociationCategory = 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';

/** One association type to write: its category and type id (labelled associations name the label's type id). */
export interface AssociationTypeRef {
  category: AssociationCategory;
  typeId: number;
}

export interface AssociationLabel {
  category: string;
  typeId: number;
  /** null for unlabelled types (e.g. deal→company 341). */
  label: string | null;
}

export interface AssociatedRecord {
  toId: string;
  types: AssociationLabel[];
}

export interface DealCompanyAssociation {
  companyId: string;
  types: AssociationLabel[];
}

const idSchema = z.union([z.string(), z.number()]).transform(String);
const labelSchema = z.looseObject({
  category: z.string(),
  typeId: z.number(),
  label: z.string().nullable().optional(),
});
const batchReadSchema = z.looseObject({
  results: z
    .array(
      z.looseObject({
        from: z.looseObject({ id: idSchema }).optional(),
        to: z.array(z.looseObject({ toObjectId: idSchema, associationTypes: z.array(labelSchema).default([]) })).default([]),
        paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
      }),
    )
    .default([]),
  errors: z
    .array(z.looseObject({ category: z.string().optional(), message: z.string().optional(), context: z.record(z.string(), z.unknown()).optional() }))
    .optional(),
});
const labelsSchema = z.looseObject({ results: z.array(labelSchema).default([]) });
const batchWriteSchema = z.looseObject({
  results: z
    .array(
      z.looseObject({
        fromObjectId: idSchema.optional(),
        toObjectId: idSchema.optional(),
        from: z.looseObject({ id: idSchema }).optional(),
        to: z.looseObject({ id: idSchema }).optional(),
      }),
    )
    .default([]),
  errors: z
    .array(z.looseObject({ category: z.string().optional(), message: z.string().optional(), context: z.record(z.string(), z.unknown()).optional() }))
    .optional(),
});

function parse<S extends z.ZodType>(schema: S, value: unknown, operation: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HubSpotResponseError(operation, z.prettifyError(result.error));
  return result.data;
}

const toLabel = (l: z.infer<typeof labelSchema>): AssociationLabel => ({ category: l.category, typeId: l.typeId, label: l.label ?? null });

/**
 * Every association from each of `fromIds` to `toType`, with all its types. Each id asked for is in the map,
 * with an empty list when it has none: HubSpot reports that as a 207 per-input error (OBJECT_NOT_FOUND,
 * subCategory crm.associations.NO_ASSOCIATIONS_FOUND), which is an answer, not a failure. Other per-input
 * errors throw HubSpotBatchError.
 */
export async function readAssociations(
  hs: HubSpot,
  args: { fromType: string; toType: string; fromIds: readonly string[] },
): Promise<Map<string, AssociatedRecord[]>> {
  const operation = `associations.${args.fromType}.${args.toType}.batchRead`;
  const byFrom = new Map<string, Map<string, AssociationLabel[]>>();
  for (const id of args.fromIds) byFrom.set(id, new Map());

  let pending: { id: string; after?: string }[] = [...byFrom.keys()].map((id) => ({ id }));
  while (pending.length > 0) {
    const next: { id: string; after: string }[] = [];
    for (const inputs of chunk(pending)) {
      const res = await hs.request(operation, {
        method: 'POST',
        path: hubspotPaths.associationsBatch(args.fromType, args.toType, 'read'),
        body: { inputs },
      });
      const data = parse(batchReadSchema, res.data, operation);
      for (const result of data.results) {
        const fromId = result.from?.id;
        if (fromId === undefined) throw new HubSpotResponseError(operation, 'a result without from.id');
        const targets = byFrom.get(fromId) ?? new Map<string, AssociationLabel[]>();
        byFrom.set(fromId, targets);
        for (const to of result.to) {
          targets.set(to.toObjectId, [...(targets.get(to.toObjectId) ?? []), ...to.associationTypes.map(toLabel)]);
        }
        const after = result.paging?.next?.after;
        if (after !== undefined) next.push({ id: fromId, after });
      }
      const failures = (data.errors ?? []).filter((e) => e.category !== 'OBJECT_NOT_FOUND');
      if (failures.length > 0) {
        const named = failures.map((e) => {
          const ids = e.context?.fromObjectId;
          return { id: Array.isArray(ids) && ids.length > 0 ? String(ids[0]) : null, category: e.category ?? 'UNKNOWN', message: e.message ?? '' };
        });
        throw new HubSpotBatchError(operation, { failedIds: named.map((f) => f.id ?? '?'), succeededIds: [], failures: named });
      }
    }
    pending = next;
  }

  const out = new Map<string, AssociatedRecord[]>();
  for (const [fromId, targets] of byFrom)
    out.set(
      fromId,
      [...targets].map(([toId, types]) => ({ toId, types })),
    );
  return out;
}

/** Each deal's companies with every association type (labels included): partners, roles and the customer. */
export async function readDealCompanies(hs: HubSpot, dealIds: readonly string[]): Promise<Map<string, DealCompanyAssociation[]>> {
  const read = await readAssociations(hs, { fromType: 'deals', toType: 'companies', fromIds: dealIds });
  return new Map([...read].map(([dealId, records]) => [dealId, records.map((r) => ({ companyId: r.toId, types: r.types }))]));
}

/** Each company's deal ids (the fan-out of a partner's change to its deals). */
export async function readCompanyDeals(hs: HubSpot, companyIds: readonly string[]): Promise<Map<string, string[]>> {
  const read = await readAssociations(hs, { fromType: 'companies', toType: 'deals', fromIds: companyIds });
  return new Map([...read].map(([companyId, records]) => [companyId, records.map((r) => r.toId)]));
}

/**
 * Every association type from `fromType` to `toType` of this portal, labelled or not. HubSpot gives category,
 * typeId and display label (not the internal name), so roles are matched on the label text
 * (mappers.ts `resolveRoleTypeIds`). Provisioning also reads the company→deal side (inverse labels) and the
 * pp_payout types.
 */
export async function listAssociationTypes(hs: HubSpot, fromType: string, toType: string): Promise<AssociationLabel[]> {
  const operation = `associations.${fromType}.${toType}.labels`;
  const res = await hs.request(operation, { method: 'GET', path: hubspotPaths.associationLabels(fromType, toType) });
  return parse(labelsSchema, res.data, operation).results.map(toLabel);
}

/** The deal→company association types: the partner roles' labels among them. */
export function listDealCompanyLabels(hs: HubSpot): Promise<AssociationLabel[]> {
  return listAssociationTypes(hs, 'deals', 'companies');
}

/** Creates a deal→company label; HubSpot answers the type ids of both directions (label and inverse label). */
export async function createDealCompanyLabel(hs: HubSpot, input: { label: string; name: string; inverseLabel: string }): Promise<AssociationLabel[]> {
  const operation = 'associations.deals.companies.createLabel';
  const body = { name: input.name, label: input.label, inverseLabel: input.inverseLabel };
  const res = await hs.request(operation, { method: 'POST', path: hubspotPaths.associationLabels('deals', 'companies'), body });
  return parse(labelsSchema, res.data, operation).results.map(toLabel);
}

/** Collects a batch write's answers: created pairs (`from→to`) from `results`, failures from `errors`. */
class BatchOutcome {
  private readonly created: string[] = [];
  private readonly failures: BatchInputFailure[] = [];

  add(data: z.infer<typeof batchWriteSchema>): void {
    for (const r of data.results) {
      const from = r.fromObjectId ?? r.from?.id;
      const to = r.toObjectId ?? r.to?.id;
      if (from !== undefined && to !== undefined) this.created.push(`${from}→${to}`);
    }
    for (const e of data.errors ?? []) {
      const ids = e.context?.ids;
      this.failures.push({
        id: Array.isArray(ids) && ids.length > 0 ? ids.map(String).join(',') : null,
        category: e.category ?? 'UNKNOWN',
        message: e.message ?? '',
      });
    }
  }

  throwIfFailed(operation: string): void {
    if (this.failures.length === 0) return;
    throw new HubSpotBatchError(operation, {
      failedIds: this.failures.map((f) => f.id ?? '?'),
      succeededIds: [...new Set(this.created)],
      failures: this.failures,
    });
  }
}

/**
 * Batch "associate default": the unlabelled default type between the two object types, which is what a
 * custom object's declared `associatedObjects` get. Idempotent.
 */
export async function associateDefaultBatch(
  hs: HubSpot,
  args: { fromType: string; toType: string; pairs: readonly { fromId: string; toId: string }[] },
): Promise<void> {
  const operation = `associations.${args.fromType}.${args.toType}.batchCreateDefault`;
  const outcome = new BatchOutcome();
  for (const batch of chunk(args.pairs)) {
    const inputs = batch.map((p) => ({ from: { id: p.fromId }, to: { id: p.toId } }));
    const res = await hs.request(operation, {
      method: 'POST',
      path: hubspotPaths.associationsBatch(args.fromType, args.toType, 'associate/default'),
      body: { inputs },
    });
    outcome.add(parse(batchWriteSchema, res.data, operation));
  }
  outcome.throwIfFailed(operation);
}
