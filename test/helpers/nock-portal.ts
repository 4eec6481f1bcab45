/**
 * A small HubSpot portal faked at the HTTP edge with nock: persistent interceptors that answer the CRM
 * endpoints the sync uses from in-memory data, in HubSpot's response shapes, and record every call.
 * Writes change the data, so a later read sees them as a real portal would. Failures (429, 5xx) can be queued
 * per route to test retries.
 */
import nock from 'nock';

export const HUBSPOT_BASE = 'https://api.hubapi.com';

/** The portal's label type ids (USER_DEFINED, deal→company) and their inverses (company→deal). */
export const LABEL_TYPE_IDS = {
  pp_referral_partner: 101,
  pp_finder: 102,
  pp_co_selling_partner: 103,
  pp_implementation_partner: 104,
  pp_customer_success_partner: 105,
} as const;
const LABEL_TEXT: Record<number, string> = {
  101: 'Referral partner',
  102: 'Finder',
  103: 'Co-selling partner',
  104: 'Implementation partner',
  105: 'Customer success partner',
};
export type Role = keyof typeof LABEL_TYPE_IDS;

type Props = Record<string, string | null>;

export interface PortalLink {
  dealId: string;
  companyId: string;
  roles?: Role[];
  primary?: boolean;
}

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
  status: number;
}

interface Failure {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface NockPortal {
  deals: Map<string, Props>;
  companies: Map<string, Props>;
  links: PortalLink[];
  calls: RecordedCall[];
  /** Calls to one route, e.g. `POST /crm/objects/2026-09/deals/batch/update`. */
  callsTo(route: string): RecordedCall[];
  /** The next `times` calls to `route` answer with this failure before the route works again. */
  failNext(route: string, failure: Failure, times?: number): void;
  /** The next call to `route` is answered (normally) only after `ms`. */
  delayNext(route: string, ms: number): void;
  close(): void;
}

const ISO = '2026-11-01T00:00:00.000Z';

function record(id: string, properties: Props) {
  return { id, properties: { hs_object_id: id, ...properties }, createdAt: ISO, updatedAt: ISO, archived: false };
}

export function nockPortal(init: { deals?: Record<string, Props>; companies?: Record<string, Props>; links?: PortalLink[] } = {}): NockPortal {
  const portal: NockPortal = {
    deals: new Map(Object.entries(init.deals ?? {})),
    companies: new Map(Object.entries(init.companies ?? {})),
    links: [...(init.links ?? [])],
    calls: [],
    callsTo: (route) => portal.calls.filter((c) => `${c.method} ${c.path}` === route),
    failNext(route, failure, times = 1) {
      const list = failures.get(route) ?? [];
      for (let i = 0; i < times; i++) list.push(failure);
      failures.set(route, list);
    },
    delayNext(route, ms) {
      delays.set(route, ms);
    },
    close() {
      scope.persist(false);
      nock.cleanAll();
    },
  };
  const failures = new Map<string, Failure[]>();
  const delays = new Map<string, number>();

  const scope = nock(HUBSPOT_BASE).persist();

  function handle(method: string, path: string, answer: (body: any) => [number, unknown]) {
    const route = `${method} ${path}`;
    const interceptor = (method === 'GET' ? scope.get(path) : scope.post(path)).query(true);
    interceptor.reply(function (_uri, body, callback) {
      const failure = failures.get(route)?.shift();
      if (failure) {
        portal.calls.push({ method, path, body, status: failure.status });
        callback(null, [failure.status, failure.body as nock.Body, failure.headers ?? {}]);
        return;
      }
      const respond = () => {
        const [status, payload] = answer(body);
        portal.calls.push({ method, path, body, status });
        callback(null, [status, payload as nock.Body, { 'content-type': 'application/json' }]);
      };
      const delay = delays.get(route);
      delays.delete(route);
      if (delay) setTimeout(respond, delay);
      else respond();
    });
  }

  const batchRead = (store: Map<string, Props>) => (body: { inputs: { id: string }[]; properties?: string[] }) => {
    const found = body.inputs.filter((i) => store.has(i.id));
    const missing = body.inputs.filter((i) => !store.has(i.id)).map((i) => i.id);
    const results = found.map((i) => {
      const props = store.get(i.id)!;
      const wanted = body.properties ?? Object.keys(props);
      return record(i.id, Object.fromEntries(wanted.map((p) => [p, props[p] ?? null])));
    });
    const payload: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: ISO, completedAt: ISO };
    if (missing.length === 0) return [200, payload] as [number, unknown];
    payload.numErrors = 1;
    payload.errors = [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some records.', context: { ids: missing } }];
    return [207, payload] as [number, unknown];
  };

  const batchUpdate = (store: Map<string, Props>) => (body: { inputs: { id: string; properties: Record<string, string> }[] }) => {
    const results = body.inputs.map((i) => {
      const props = store.get(i.id) ?? {};
      for (const [k, v] of Object.entries(i.properties)) {
        // HubSpot normalises numbers it stores: "45000.00" reads back as "45000".
        props[k] = v === '' ? null : /^-?\d+\.\d+$/.test(v) ? String(Number(v)) : v;
      }
      store.set(i.id, props);
      return record(i.id, props);
    });
    return [200, { status: 'COMPLETE', results, startedAt: ISO, completedAt: ISO }] as [number, unknown];
  };

  const typesOf = (l: PortalLink, inverse: boolean) => [
    { category: 'HUBSPOT_DEFINED', typeId: inverse ? (l.primary ? 6 : 342) : l.primary ? 5 : 341, label: l.primary ? 'Primary' : null },
    ...(l.roles ?? []).map((r) => ({ category: 'USER_DEFINED', typeId: LABEL_TYPE_IDS[r] + (inverse ? 100 : 0), label: LABEL_TEXT[LABEL_TYPE_IDS[r]]! })),
  ];

  handle('GET', '/crm/associations/2026-09/deals/companies/labels', () => [
    200,
    {
      results: [
        { category: 'HUBSPOT_DEFINED', typeId: 341, label: null },
        { category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' },
        ...Object.entries(LABEL_TEXT).map(([typeId, label]) => ({ category: 'USER_DEFINED', typeId: Number(typeId), label })),
      ],
    },
  ]);
  handle('GET', '/crm/pipelines/2026-09/deals', () => [
    200,
    {
      results: [
        {
          id: 'default',
          label: 'Sales Pipeline',
          displayOrder: 0,
          archived: false,
          createdAt: ISO,
          updatedAt: ISO,
          stages: [
            ['appointmentscheduled', 'false', '0.2'],
            ['contractsent', 'false', '0.9'],
            ['closedwon', 'true', '1.0'],
            ['closedlost', 'true', '0.0'],
          ].map(([id, isClosed, probability], i) => ({
            id,
            label: id,
            displayOrder: i,
            archived: false,
            createdAt: ISO,
            updatedAt: ISO,
            metadata: { isClosed, probability },
          })),
        },
      ],
    },
  ]);
  handle('POST', '/crm/objects/2026-09/deals/batch/read', batchRead(portal.deals));
  handle('POST', '/crm/objects/2026-09/companies/batch/read', batchRead(portal.companies));
  handle('POST', '/crm/objects/2026-09/deals/batch/update', batchUpdate(portal.deals));
  handle('POST', '/crm/objects/2026-09/companies/batch/update', batchUpdate(portal.companies));
  handle('POST', '/crm/associations/2026-09/deals/companies/batch/read', (body: { inputs: { id: string }[] }) => {
    const results = body.inputs
      .filter((i) => portal.links.some((l) => l.dealId === i.id))
      .map((i) => ({
        from: { id: i.id },
        to: portal.links.filter((l) => l.dealId === i.id).map((l) => ({ toObjectId: Number(l.companyId), associationTypes: typesOf(l, false) })),
      }));
    return [200, { status: 'COMPLETE', results, startedAt: ISO, completedAt: ISO }];
  });
  handle('POST', '/crm/associations/2026-09/companies/deals/batch/read', (body: { inputs: { id: string }[] }) => {
    const results = body.inputs
      .filter((i) => portal.links.some((l) => l.companyId === i.id))
      .map((i) => ({
        from: { id: i.id },
        to: portal.links.filter((l) => l.companyId === i.id).map((l) => ({ toObjectId: Number(l.dealId), associationTypes: typesOf(l, true) })),
      }));
    return [200, { status: 'COMPLETE', results, startedAt: ISO, completedAt: ISO }];
  });
  return portal;
}

export const RATE_LIMIT_429 = {
  status: 429,
  body: {
    status: 'error',
    message: 'You have reached your ten_secondly_rolling limit.',
    errorType: 'RATE_LIMIT',
    correlationId: 'c0ffee00-0000-4000-8000-000000000429',
    policyName: 'TEN_SECONDLY_ROLLING',
  },
  headers: { 'retry-after': '1', 'content-type': 'application/json' },
};

export const SERVER_ERROR_500 = {
  status: 500,
  body: { status: 'error', message: 'internal error', correlationId: 'c0ffee00-0000-4000-8000-000000000500', category: 'INTERNAL_ERROR' },
  headers: { 'content-type': 'application/json' },
};
