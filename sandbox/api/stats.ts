/**
 * What the benchmark and the tests count: every call that reached the sandbox (refused ones included, since
 * the app made them), per `METHOD route-pattern`, the 429s, and the busiest window of any length.
 */

export interface StatsSnapshot {
  total: number;
  byRoute: Record<string, number>;
  rateLimited: number;
  unauthorized: number;
}

/** One kind of call as the app made it (`POST /crm/v3/objects/deals/batch/read`), with what it carried. */
export interface OperationStats {
  operation: string;
  calls: number;
  /** Inputs carried, summed over the calls (batch inputs or search `IN` values). */
  inputs: number;
  /** Distinct inputs: the records the calls were about. */
  distinct: number;
  /**
   * The fewest calls that could have carried these records: ceil(distinct / 100) for a batch or an `IN` search
   * (HubSpot's batch limit), one per distinct path otherwise.
   */
  minimum: number;
}

const BATCH_LIMIT = 100;

/** What a call was about: a batch's input ids (or from>to pairs), a search's `IN` values, else nothing. */
export function callInputs(body: unknown): string[] | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as { inputs?: unknown; filterGroups?: unknown };
  if (Array.isArray(b.inputs)) {
    return b.inputs.map((input: unknown) => {
      if (input === null || typeof input !== 'object') return String(input);
      const i = input as { id?: unknown; from?: { id?: unknown }; to?: { id?: unknown } };
      if (i.id !== undefined) return String(i.id);
      if (i.from?.id !== undefined) return `${String(i.from.id)}>${String(i.to?.id ?? '')}`;
      return JSON.stringify(input);
    });
  }
  if (Array.isArray(b.filterGroups)) {
    const values: string[] = [];
    for (const g of b.filterGroups as { filters?: { values?: unknown[] }[] }[]) {
      for (const f of g.filters ?? []) for (const v of f.values ?? []) values.push(String(v));
    }
    return values.length > 0 ? values : null;
  }
  return null;
}

export class SandboxStats {
  private readonly operations = new Map<string, { calls: number; inputs: number; distinct: Set<string>; batch: boolean }>();
  private times: number[] = [];
  private readonly routes = new Map<string, number>();
  private limited = 0;
  private unauthorizedCount = 0;

  record(route: string, at: number): void {
    this.times.push(at);
    this.routes.set(route, (this.routes.get(route) ?? 0) + 1);
  }

  /** A call as made: `METHOD /path` and its body (batch inputs and search values are counted). */
  recordOperation(method: string, path: string, body: unknown): void {
    const inputs = callInputs(body);
    const operation = `${method} ${inputs ? path : path.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
    const op = this.operations.get(operation) ?? { calls: 0, inputs: 0, distinct: new Set<string>(), batch: inputs !== null };
    this.operations.set(operation, op);
    op.calls++;
    for (const i of inputs ?? [path]) op.distinct.add(i);
    op.inputs += inputs?.length ?? 1;
  }

  /** Per kind of call: calls, inputs and the minimum the batch limit allows (see OperationStats). */
  operationStats(): OperationStats[] {
    return [...this.operations.entries()]
      .map(([operation, o]) => ({
        operation,
        calls: o.calls,
        inputs: o.inputs,
        distinct: o.distinct.size,
        minimum: o.batch ? Math.ceil(o.distinct.size / BATCH_LIMIT) : o.distinct.size,
      }))
      .sort((a, b) => b.calls - a.calls);
  }

  recordRateLimited(): void {
    this.limited++;
  }

  recordUnauthorized(): void {
    this.unauthorizedCount++;
  }

  get total(): number {
    return this.times.length;
  }

  /** When the last call arrived (epoch ms), or null before any. */
  get lastCallAt(): number | null {
    return this.times.length > 0 ? this.times[this.times.length - 1]! : null;
  }

  get rateLimited(): number {
    return this.limited;
  }

  /** Calls for one `METHOD route-pattern`, e.g. `POST /crm/objects/2026-09/:objectType/batch/read`. */
  calls(route: string): number {
    return this.routes.get(route) ?? 0;
  }

  get byRoute(): Record<string, number> {
    return Object.fromEntries([...this.routes.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** The most calls inside any window of `ms` (calls at t and t+ms are in different windows). */
  maxCallsInWindow(ms: number): number {
    const t = this.times;
    let best = 0;
    let start = 0;
    for (let end = 0; end < t.length; end++) {
      while (t[end]! - t[start]! >= ms) start++;
      best = Math.max(best, end - start + 1);
    }
    return best;
  }

  snapshot(): StatsSnapshot {
    return { total: this.total, byRoute: this.byRoute, rateLimited: this.limited, unauthorized: this.unauthorizedCount };
  }

  reset(): void {
    this.times = [];
    this.routes.clear();
    this.operations.clear();
    this.limited = 0;
    this.unauthorizedCount = 0;
  }
}
