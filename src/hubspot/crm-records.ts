/**
 * CRM object batch and search operations shared by deals, companies and payouts (all on the objects API,
 * `hubspotPaths.objects*`).
 * Batches carry at most 100 inputs; larger inputs are split and sent one chunk after another (the shared
 * limiter paces them anyway, and order keeps logs readable). Search pages carry at most 200 records.
 * https://developers.hubspot.com/docs/api-reference/error-handling (207 Multi-Status)
 * https://developers.hubspot.com/docs/api/crm/search
 */
import { z } from 'zod';
import { hubspotPaths } from './api-paths.js';
import type { HubSpot, HubSpotResponse } from './client.js';
import { HubSpotBatchError, HubSpotClientError, HubSpotResponseError, type BatchInputFailure } from './errors.js';

/** One CRM record as HubSpot returns it: every value a string (or null when unset). */
export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  /** ISO 8601. */
  updatedAt?: string;
  /** Asked for with `propertiesWithHistory`: each property's values, as HubSpot lists them (property-history.ts). */
  propertiesWithHistory?: Record<string, unknown[]>;
}

export interface CrmUpdateInput {
  id: string;
  properties: Record<string, string>;
}

export interface CrmUpsertInput {
  /** The value of the unique `idProperty`. */
  key: string;
  properties: Record<string, string>;
}

export interface CrmUpsertResult {
  key: string;
  id: string;
  /** HubSpot's `new` flag: the upsert created the record. */
  created: boolean;
}

export const BATCH_LIMIT = 100;
export const SEARCH_PAGE_LIMIT = 200;
/** HubSpot search stops paging at 10,000 results per query; deeper pages answer 400. */
export const SEARCH_RESULT_CAP = 10_000;

export function chunk<T>(items: readonly T[], size: number = BATCH_LIMIT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const recordSchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable().optional()).default({}),
  updatedAt: z.string().optional(),
  propertiesWithHistory: z.record(z.string(), z.array(z.unknown())).optional(),
});

const standardErrorSchema = z.looseObject({
  category: z.string().optional(),
  message: z.string().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});

const batchResponseSchema = z.looseObject({
  results: z.array(z.unknown()).default([]),
  errors: z.array(standardErrorSchema).optional(),
});

const upsertFlagsSchema = z.looseObject({ new: z.boolean().optional() });

const searchResponseSchema = z.looseObject({
  total: z.number().optional(),
  results: z.array(z.unknown()).default([]),
  paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
});

function parse<S extends z.ZodType>(schema: S, value: unknown, operation: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HubSpotResponseError(operation, z.prettifyError(result.error));
  return result.data;
}

export function toCrmRecord(raw: unknown, operation: string): CrmRecord {
  const r = parse(recordSchema, raw, operation);
  const properties: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(r.properties)) properties[k] = v ?? null;
  const record: CrmRecord = r.updatedAt === undefined ? { id: r.id, properties } : { id: r.id, properties, updatedAt: r.updatedAt };
  if (r.propertiesWithHistory !== undefined) record.propertiesWithHistory = r.propertiesWithHistory;
  return record;
}

type StandardError = z.infer<typeof standardErrorSchema>;

function failuresOf(errors: StandardError[]): BatchInputFailure[] {
  return errors.flatMap((e): BatchInputFailure[] => {
    const raw = e.context?.ids;
    const ids = Array.isArray(raw) ? raw.map(String) : [];
    const base = { category: e.category ?? 'UNKNOWN', message: e.message ?? '' };
    return ids.length > 0 ? ids.map((id) => ({ id, ...base })) : [{ id: null, ...base }];
  });
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * From API 2026-09 HubSpot enforces the portal's validation rules on API writes (conditionally required
 * properties, Create-record form requirements, association permissions): a refused write is a 400
 * VALIDATION_ERROR, for the whole batch when one input breaks a rule. Whether the answer names the input is
 * not documented, so: inputs it names are set aside and the rest sent again; when it names none, the batch is
 * split in two until each refused input stands alone (about 2·log2(n) extra calls for one bad input in n,
 * and only when a rule fires). Every other input is written; the refused ones come back with the rule's
 * message. Never retried as is: the same input breaks the same rule.
 */
async function sendIsolatingRefusals<I extends { id: string }>(
  batch: readonly I[],
  send: (inputs: I[]) => Promise<HubSpotResponse>,
): Promise<{ responses: HubSpotResponse[]; refused: BatchInputFailure[] }> {
  try {
    return { responses: [await send([...batch])], refused: [] };
  } catch (err) {
    if (!(err instanceof HubSpotClientError) || err.hubspotStatus !== 400 || err.category !== 'VALIDATION_ERROR') throw err;
    const reason = refusalReason(err);
    const refuse = (inputs: readonly I[]) => inputs.map((i) => ({ id: i.id, category: 'VALIDATION_ERROR', message: reason }));
    if (batch.length === 1) return { responses: [], refused: refuse(batch) };
    const named = new Set(idsNamedIn(err.hubspotBody));
    const namedInputs = batch.filter((i) => named.has(i.id));
    if (namedInputs.length === batch.length) return { responses: [], refused: refuse(batch) };
    if (namedInputs.length > 0) {
      const rest = await sendIsolatingRefusals(
        batch.filter((i) => !named.has(i.id)),
        send,
      );
      return { responses: rest.responses, refused: [...refuse(namedInputs), ...rest.refused] };
    }
    const mid = Math.ceil(batch.length / 2);
    const left = await sendIsolatingRefusals(batch.slice(0, mid), send);
    const right = await sendIsolatingRefusals(batch.slice(mid), send);
    return { responses: [...left.responses, ...right.responses], refused: [...left.refused, ...right.refused] };
  }
}

/** The rule's own words: HubSpot's `errors[].message` details when it gives them, else its message. */
function refusalReason(err: HubSpotClientError): string {
  const body = err.hubspotBody;
  const details = Array.isArray(body?.errors)
    ? body.errors
        .map((e) => (typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : undefined))
        .filter((m): m is string => typeof m === 'string' && m !== '')
    : [];
  if (details.length > 0) return details.join('; ');
  return typeof body?.message === 'string' && body.message !== '' ? body.message : err.message;
}

/** Record ids a 400 names, wherever HubSpot's StandardError puts them (context.ids / objectId, per error). */
function idsNamedIn(body: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  const collect = (context: unknown) => {
    if (typeof context !== 'object' || context === null) return;
    for (const key of ['ids', 'id', 'objectId', 'objectIds']) {
      const v = (context as Record<string, unknown>)[key];
      if (Array.isArray(v)) out.push(...v.map(String));
      else if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
    }
  };
  collect(body?.context);
  if (Array.isArray(body?.errors)) for (const e of body.errors) collect((e as { context?: unknown } | null)?.context);
  return out;
}

/**
 * Batch read by id (or by a unique `idProperty`). Ids HubSpot does not find (207 OBJECT_NOT_FOUND: deleted or
 * never existed) are simply absent from the map; any other per-input error throws HubSpotBatchError.
 * The map is keyed by the id asked for (the `idProperty` value when one is given).
 */
export async function batchReadRecords(
  hs: HubSpot,
  args: {
    objectType: string;
    label: string;
    ids: readonly string[];
    properties: readonly string[];
    idProperty?: string;
    propertiesWithHistory?: readonly string[];
  },
): Promise<Map<string, CrmRecord>> {
  const operation = `${args.label}.batchRead`;
  const properties = unique(args.idProperty ? [...args.properties, args.idProperty] : args.properties);
  const found = new Map<string, CrmRecord>();
  for (const ids of chunk(unique(args.ids))) {
    const body = {
      inputs: ids.map((id) => ({ id })),
      properties,
      propertiesWithHistory: [...(args.propertiesWithHistory ?? [])],
      ...(args.idProperty ? { idProperty: args.idProperty } : {}),
    };
    const res = await hs.request(operation, {
      method: 'POST',
      path: hubspotPaths.objectsBatch(args.objectType, 'read'),
      query: { archived: false },
      body,
    });
    const data = parse(batchResponseSchema, res.data, operation);
    for (const raw of data.results) {
      const record = toCrmRecord(raw, operation);
      const key = args.idProperty ? record.properties[args.idProperty] : record.id;
      if (key !== null && key !== undefined) found.set(key, record);
    }
    const failures = failuresOf((data.errors ?? []).filter((e) => e.category !== 'OBJECT_NOT_FOUND'));
    if (failures.length > 0) {
      throw new HubSpotBatchError(operation, {
        failedIds: unique(failures.map((f) => f.id ?? '?')),
        succeededIds: [...found.keys()],
        failures,
      });
    }
  }
  return found;
}

/**
 * Batch update. Inputs for the same id are merged (HubSpot rejects duplicate ids in one batch; the later value
 * wins). Every chunk is sent even when an earlier one partly failed, then one HubSpotBatchError lists every
 * failed id; the inputs that succeeded count as written (HubSpot applied them, and writes here are absolute
 * values, so running the whole update again is harmless).
 */
export async function batchUpdateRecords(hs: HubSpot, args: { objectType: string; label: string; inputs: readonly CrmUpdateInput[] }): Promise<CrmRecord[]> {
  const operation = `${args.label}.batchUpdate`;
  const merged = new Map<string, Record<string, string>>();
  for (const input of args.inputs) merged.set(input.id, { ...merged.get(input.id), ...input.properties });
  const inputs = [...merged].map(([id, properties]) => ({ id, properties }));

  const updated: CrmRecord[] = [];
  const failedIds: string[] = [];
  const failures: BatchInputFailure[] = [];
  for (const batch of chunk(inputs)) {
    const sent = await sendIsolatingRefusals(batch, (b) =>
      hs.request(operation, { method: 'POST', path: hubspotPaths.objectsBatch(args.objectType, 'update'), body: { inputs: b } }),
    );
    for (const res of sent.responses) {
      const data = parse(batchResponseSchema, res.data, operation);
      updated.push(...data.results.map((raw) => toCrmRecord(raw, operation)));
      failures.push(...failuresOf(data.errors ?? []));
    }
    failures.push(...sent.refused);
    const ok = new Set(updated.map((r) => r.id));
    failedIds.push(...batch.filter((i) => !ok.has(i.id)).map((i) => i.id));
  }
  if (failedIds.length > 0 || failures.length > 0) {
    throw new HubSpotBatchError(operation, { failedIds: unique(failedIds), succeededIds: updated.map((r) => r.id), failures });
  }
  return updated;
}

/**
 * Batch upsert on a unique property: a repeat of the same input changes nothing. The key is also written as
 * the property itself so a created record always carries it. Partial failures: as `batchUpdateRecords`.
 */
export async function batchUpsertRecords(
  hs: HubSpot,
  args: { objectType: string; label: string; idProperty: string; inputs: readonly CrmUpsertInput[] },
): Promise<CrmUpsertResult[]> {
  const operation = `${args.label}.batchUpsert`;
  const merged = new Map<string, Record<string, string>>();
  for (const input of args.inputs) merged.set(input.key, { ...merged.get(input.key), ...input.properties });
  const inputs = [...merged].map(([key, properties]) => ({
    id: key,
    idProperty: args.idProperty,
    properties: { ...properties, [args.idProperty]: key },
  }));

  const done = new Map<string, CrmUpsertResult>();
  const unmatched: string[] = [];
  const failures: BatchInputFailure[] = [];
  for (const batch of chunk(inputs)) {
    const sent = await sendIsolatingRefusals(batch, (b) =>
      hs.request(operation, { method: 'POST', path: hubspotPaths.objectsBatch(args.objectType, 'upsert'), body: { inputs: b } }),
    );
    for (const res of sent.responses) {
      const data = parse(batchResponseSchema, res.data, operation);
      for (const raw of data.results) {
        const record = toCrmRecord(raw, operation);
        const key = record.properties[args.idProperty];
        const flags = upsertFlagsSchema.parse(raw);
        if (key) done.set(key, { key, id: record.id, created: flags.new ?? false });
      }
      failures.push(...failuresOf(data.errors ?? []));
    }
    failures.push(...sent.refused);
    const refusedKeys = new Set(sent.refused.map((f) => f.id));
    unmatched.push(...batch.filter((input) => !done.has(input.id) && !refusedKeys.has(input.id)).map((input) => input.id));
  }

  // HubSpot echoes the written properties, so with no error reported a key missing from the results only lost
  // its echo: a read by key finds the record (and cannot tell whether it was new).
  if (failures.length === 0 && unmatched.length > 0) {
    const found = await batchReadRecords(hs, { ...args, ids: unmatched, properties: [args.idProperty], idProperty: args.idProperty });
    for (const [key, record] of found) done.set(key, { key, id: record.id, created: false });
  }
  const failedKeys = unmatched.filter((key) => !done.has(key));
  if (failedKeys.length > 0 || failures.length > 0) {
    const refusedKeys = failures.flatMap((f) => (f.id !== null && !done.has(f.id) ? [f.id] : []));
    throw new HubSpotBatchError(operation, { failedIds: unique([...failedKeys, ...refusedKeys]), succeededIds: [...done.keys()], failures });
  }
  return inputs.map((input) => done.get(input.id) as CrmUpsertResult);
}

export type FilterOperator =
  'EQ' | 'NEQ' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'BETWEEN' | 'IN' | 'NOT_IN' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY' | 'CONTAINS_TOKEN' | 'NOT_CONTAINS_TOKEN';

export interface CrmFilter {
  propertyName: string;
  operator: FilterOperator;
  value?: string;
  values?: string[];
  highValue?: string;
}

export interface CrmSearchRequest {
  /** OR of groups, AND within a group (HubSpot: at most 5 groups, 6 filters each, 18 in all). */
  filterGroups?: { filters: CrmFilter[] }[];
  properties: readonly string[];
  /**
   * Results come sorted ascending on this property, which is also the anchor that carries a search past the
   * 10,000-result cap (a new query starting after the last value seen). @defaultValue hs_object_id
   */
  orderBy?: 'hs_object_id' | 'hs_lastmodifieddate';
  /** @defaultValue 200 (HubSpot's maximum) */
  pageSize?: number;
}

export interface SearchOptions {
  /** Results one query may page through before re-anchoring. @defaultValue 10000 (HubSpot's cap) */
  resultCap?: number;
}

/** Datetime filters take epoch ms; search results give ISO strings. */
function filterValue(anchor: string, value: string): string {
  if (anchor !== 'hs_lastmodifieddate' || /^\d+$/.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : String(ms);
}

/**
 * Pages of a CRM search, in ascending `orderBy` order. Search is eventually consistent: never use it to read
 * back what was just written (use a batch read).
 *
 * Past the cap, the query restarts with `orderBy > last value` (hs_object_id, unique) or `orderBy >= last value`
 * (hs_lastmodifieddate, where ties are possible: records of the boundary instant already yielded are skipped).
 * A record modified during the walk may come again later with its new date: for "modified since" that is right.
 */
export async function* searchRecords(
  hs: HubSpot,
  args: { objectType: string; label: string; request: CrmSearchRequest; options?: SearchOptions },
): AsyncGenerator<CrmRecord[]> {
  const operation = `${args.label}.search`;
  const anchor = args.request.orderBy ?? 'hs_object_id';
  const limit = Math.min(args.request.pageSize ?? SEARCH_PAGE_LIMIT, SEARCH_PAGE_LIMIT);
  const cap = args.options?.resultCap ?? SEARCH_RESULT_CAP;
  const properties = unique([...args.request.properties, anchor, 'hs_object_id']);
  const groups = args.request.filterGroups ?? [];

  let anchorFilter: CrmFilter | undefined;
  let after: string | undefined;
  let returnedInQuery = 0;
  let lastValue: string | undefined;
  const seenAtLastValue = new Set<string>();

  for (;;) {
    const filterGroups = anchorFilter
      ? groups.length > 0
        ? groups.map((g) => ({ filters: [...g.filters, anchorFilter as CrmFilter] }))
        : [{ filters: [anchorFilter] }]
      : groups;
    const body = {
      filterGroups,
      // HubSpot's guides send sorts as [{ propertyName, direction }] (its generated spec types them as strings).
      sorts: [{ propertyName: anchor, direction: 'ASCENDING' }],
      properties,
      limit,
      ...(after ? { after } : {}),
    };
    const res = await hs.request(operation, { method: 'POST', path: hubspotPaths.objectsSearch(args.objectType), body });
    const page = parse(searchResponseSchema, res.data, operation);
    const records = page.results.map((raw) => toCrmRecord(raw, operation));

    const fresh: CrmRecord[] = [];
    for (const record of records) {
      const value = record.properties[anchor];
      if (value === null || value === undefined) throw new HubSpotResponseError(operation, `record ${record.id} has no ${anchor}`);
      if (value === lastValue) {
        if (seenAtLastValue.has(record.id)) continue;
      } else {
        lastValue = value;
        seenAtLastValue.clear();
      }
      seenAtLastValue.add(record.id);
      fresh.push(record);
    }
    if (fresh.length > 0) yield fresh;

    returnedInQuery += records.length;
    const next = page.paging?.next?.after;
    if (next === undefined || records.length === 0) return;
    if (returnedInQuery + limit <= cap) {
      after = next;
      continue;
    }
    if (lastValue === undefined) return;
    const nextAnchor: CrmFilter =
      anchor === 'hs_object_id'
        ? { propertyName: anchor, operator: 'GT', value: lastValue }
        : { propertyName: anchor, operator: 'GTE', value: filterValue(anchor, lastValue) };
    if (anchorFilter && anchorFilter.value === nextAnchor.value) {
      throw new HubSpotResponseError(operation, `more than ${cap} records share ${anchor} = ${lastValue}; the search cannot move past them`);
    }
    anchorFilter = nextAnchor;
    after = undefined;
    returnedInQuery = 0;
  }
}

/**
 * All pages of a search, for callers that need the whole list (mind the memory for large portals).
 */
export async function collectPages(pages: AsyncIterable<CrmRecord[]>): Promise<CrmRecord[]> {
  const all: CrmRecord[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}
