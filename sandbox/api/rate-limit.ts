/**
 * HubSpot's burst limit as a sliding window over every call of the portal ("ten_secondly_rolling"): a call
 * is accepted when fewer than `max` calls were accepted in the last `intervalMs`. Refused calls do not use
 * the budget, as with HubSpot.
 */

export interface RateLimitOptions {
  max: number;
  intervalMs: number;
}

export type RateDecision =
  | { allowed: true; max: number; remaining: number; intervalMs: number }
  | { allowed: false; max: number; remaining: 0; intervalMs: number; retryAfterMs: number };

export class SlidingWindowLimiter {
  /** Accepted call times, oldest first. */
  private readonly accepted: number[] = [];
  private head = 0;

  constructor(readonly options: RateLimitOptions) {
    if (!Number.isInteger(options.max) || options.max < 1) throw new RangeError('rateLimit.max must be a positive integer');
    if (!(options.intervalMs > 0)) throw new RangeError('rateLimit.intervalMs must be positive');
  }

  take(now: number): RateDecision {
    const { max, intervalMs } = this.options;
    while (this.head < this.accepted.length && this.accepted[this.head]! <= now - intervalMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.accepted.length) {
      this.accepted.splice(0, this.head);
      this.head = 0;
    }
    const inWindow = this.accepted.length - this.head;
    if (inWindow >= max) {
      const oldest = this.accepted[this.head]!;
      return { allowed: false, max, remaining: 0, intervalMs, retryAfterMs: Math.max(1, oldest + intervalMs - now) };
    }
    this.accepted.push(now);
    return { allowed: true, max, remaining: max - inWindow - 1, intervalMs };
  }

  reset(): void {
    this.accepted.length = 0;
    this.head = 0;
  }
}
