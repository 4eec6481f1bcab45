/**
 * CRM search (`POST /crm/objects/2026-09/{type}/search`) over the store, with HubSpot's limits: filterGroups are
 * ORed, filters inside a group ANDed; at most 5 groups, 6 filters per group, 18 in all; limit ≤ 200; no
 * page past the 10,000th result. Numbers and dates compare numerically (dates given as ms or ISO).
 */
import { z } from 'zod';
import type { ObjectTypeInfo, PropertySpec } from './catalog.js';
import { invalid } from './errors.js';
import type { SandboxStore, StoredRecord } from './store.js';
import { compareIds } from './store.js';
import { comparable, parseInstant } from './values.js';

const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const filterSchema = z.object({
  propertyName: z.string().min(1),
  operator: z.enum(OPERATORS),
  value: scalar.optional(),
  highValue: scalar.optional(),
  values: z.array(scalar).optional(),
});

/** HubSpot's guides send sorts as `{ propertyName, direction }`; its generated spec types them as strings. Both are accepted. */
const sortSchema = z.union([
  z.string().min(1),
  z.object({ propertyName: z.string().min(1), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') }),
]);

export const searchRequestSchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(filterSchema) })).default([]),
  sorts: z.array(sortSchema).default([]),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(0).default(10),
  after: z.union([z.string(), z.number()]).transform(String).optional(),
  query: z.string().optional(),
});
export type SearchRequest = z.infer<typeof searchRequestSchema>;
type Filter = z.infer<typeof filterSchema>;

export const SEARCH_MAX_LIMIT = 200;
export const SEARCH_MAX_RESULTS = 10_000;
const MAX_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 6;
const MAX_FILTERS = 18;

export interface SearchPage {
  total: number;
  records: StoredRecord[];
  nextAfter: string | null;
}

export function search(store: SandboxStore, t: ObjectTypeInfo, req: SearchRequest): SearchPage {
  if (req.limit > SEARCH_MAX_LIMIT) {
    throw invalid(`limit must be less than or equal to ${SEARCH_MAX_LIMIT}, got ${req.limit}`, [
      { message: `must be less than or equal to ${SEARCH_MAX_LIMIT}`, in: 'limit', code: 'INVALID_LIMIT' },
    ]);
  }
  if (req.filterGroups.length > MAX_GROUPS) throw invalid(`There are too many filter groups (max ${MAX_GROUPS}).`);
  const filterCount = req.filterGroups.reduce((n, g) => n + g.filters.length, 0);
  if (filterCount > MAX_FILTERS || req.filterGroups.some((g) => g.filters.length > MAX_FILTERS_PER_GROUP)) {
    throw invalid(`There are too many filters (max ${MAX_FILTERS_PER_GROUP} per group, ${MAX_FILTERS} in all).`);
  }
  const offset = req.after === undefined ? 0 : Number(req.after);
  if (!Number.isInteger(offset) || offset < 0) throw invalid(`after must be a paging cursor returned by a previous search, got ${req.after}`);
  if (offset >= SEARCH_MAX_RESULTS) {
    throw invalid(`Search cannot page past ${SEARCH_MAX_RESULTS} results: after=${offset}. Narrow the filters instead.`, [
      { message: `paging is limited to ${SEARCH_MAX_RESULTS} results`, in: 'after', code: 'PAGING_LIMIT_EXCEEDED' },
    ]);
  }
  const spec = (name: string): PropertySpec | undefined => store.findProperty(t.objectTypeId, name);
  for (const f of req.filterGroups.flatMap((g) => g.filters)) checkFilter(f, spec(f.propertyName));

  const matches = store
    .listRecords(t.objectTypeId)
    .filter((r) => req.filterGroups.length === 0 || req.filterGroups.some((g) => g.filters.every((f) => matchFilter(r, f, spec(f.propertyName)))))
    .filter((r) => req.query === undefined || matchQuery(r, req.query));
  matches.sort(compareBy(req.sorts, spec));
  const page = matches.slice(offset, offset + req.limit);
  const nextOffset = offset + req.limit;
  return { total: matches.length, records: page, nextAfter: nextOffset < matches.length ? String(nextOffset) : null };
}

function checkFilter(f: Filter, spec: PropertySpec | undefined): void {
  const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(f.operator);
  if (needsValue && f.value === undefined) throw invalid(`Filter on ${f.propertyName} with operator ${f.operator} needs a value.`);
  if (f.operator === 'BETWEEN' && f.highValue === undefined) throw invalid(`BETWEEN on ${f.propertyName} needs a highValue.`);
  if ((f.operator === 'IN' || f.operator === 'NOT_IN') && (f.values ?? []).length === 0) throw invalid(`${f.operator} on ${f.propertyName} needs values.`);
  const numeric = spec && (spec.type === 'number' || spec.type === 'datetime' || spec.type === 'date');
  if (numeric && ['LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'EQ', 'NEQ'].includes(f.operator)) {
    for (const v of [f.value, f.highValue]) {
      if (v !== undefined && Number.isNaN(filterNumber(spec, v))) throw invalid(`${v} is not a valid value for ${f.propertyName} (${spec.type}).`);
    }
  }
}

function filterNumber(spec: PropertySpec, value: string): number {
  if (spec.type === 'number') return value.trim() === '' ? Number.NaN : Number(value);
  return parseInstant(value) ?? Number.NaN;
}

function operand(spec: PropertySpec | undefined, value: string): number | string {
  if (spec && (spec.type === 'number' || spec.type === 'datetime' || spec.type === 'date')) return filterNumber(spec, value);
  return value.toLowerCase();
}

function matchFilter(r: StoredRecord, f: Filter, spec: PropertySpec | undefined): boolean {
  const stored = r.properties.get(f.propertyName);
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return stored !== undefined;
    case 'NOT_HAS_PROPERTY':
      return stored === undefined;
    case 'NEQ':
      return stored === undefined || comparable(spec, stored) !== operand(spec, f.value!);
    case 'NOT_IN':
      return stored === undefined || !(f.values ?? []).some((v) => comparable(spec, stored) === operand(spec, v));
    case 'NOT_CONTAINS_TOKEN':
      return stored === undefined || !containsToken(stored, f.value!);
    default:
      break;
  }
  if (stored === undefined) return false;
  const left = comparable(spec, stored);
  switch (f.operator) {
    case 'EQ':
      return left === operand(spec, f.value!);
    case 'IN':
      return (f.values ?? []).some((v) => left === operand(spec, v));
    case 'LT':
      return left < operand(spec, f.value!);
    case 'LTE':
      return left <= operand(spec, f.value!);
    case 'GT':
      return left > operand(spec, f.value!);
    case 'GTE':
      return left >= operand(spec, f.value!);
    case 'BETWEEN':
      return left >= operand(spec, f.value!) && left <= operand(spec, f.highValue!);
    case 'CONTAINS_TOKEN':
      return containsToken(stored, f.value!);
    default:
      return false;
  }
}

/** A token is a word of the value; `*` in the filter value is a wildcard, as in HubSpot. */
function containsToken(stored: string, token: string): boolean {
  const lower = token.toLowerCase();
  if (lower.includes('*')) {
    const pattern = new RegExp(`^${lower.split('*').map(escapeRegExp).join('.*')}$`);
    return pattern.test(stored.toLowerCase()) || tokens(stored).some((w) => pattern.test(w));
  }
  return tokens(stored).includes(lower);
}

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function matchQuery(r: StoredRecord, query: string): boolean {
  const q = query.toLowerCase();
  return ['name', 'dealname', 'domain', 'email', 'firstname', 'lastname'].some((p) => r.properties.get(p)?.toLowerCase().includes(q));
}

type Sort = SearchRequest['sorts'][number];

function compareBy(sorts: Sort[], spec: (name: string) => PropertySpec | undefined): (a: StoredRecord, b: StoredRecord) => number {
  const keys = sorts.map((s) => (typeof s === 'string' ? { propertyName: s, direction: 'ASCENDING' as const } : s));
  return (a, b) => {
    for (const k of keys) {
      const s = spec(k.propertyName);
      const va = a.properties.get(k.propertyName);
      const vb = b.properties.get(k.propertyName);
      if (va === vb) continue;
      // Records without the value come last whatever the direction.
      if (va === undefined) return 1;
      if (vb === undefined) return -1;
      const ca = comparable(s, va);
      const cb = comparable(s, vb);
      const c = ca < cb ? -1 : ca > cb ? 1 : 0;
      if (c !== 0) return k.direction === 'DESCENDING' ? -c : c;
    }
    return compareIds(a.id, b.id);
  };
}
