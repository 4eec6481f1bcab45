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

export class SandboxStats {
  private times: number[] = [];
  private readonly routes = new Map<string, number>();
  private limited = 0;
  private unauthorizedCount = 0;

  record(route: string, at: number): void {
    this.times.push(at);
    this.routes.set(route, (this.routes.get(route) ?? 0) + 1);
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
    this.limited = 0;
    this.unauthorizedCount = 0;
  }
}
