/**
 * A budget per HubSpot user for card requests: each request reads HubSpot (a deal card is a handful of calls),
 * and every call spends the one per-portal HubSpot budget that webhook processing needs too. A user who asks
 * more than `max` times in `windowMs` (a script replaying a signed URL, a stuck reload loop) gets 429 with
 * Retry-After, and the workers keep their share. Fixed window in Redis (INCR + PEXPIRE), shared by every
 * receiver process; when Redis fails the request is let through (the HubSpot limiter still protects the budget).
 */
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { AppError } from '../../errors.js';
import { identityOf } from './request-identity.js';

export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { status: 429 });
  }
}

export interface UserBudgetOptions {
  redis: Redis;
  prefix: string;
  /** @defaultValue 30 */
  max?: number;
  /** @defaultValue 10000 */
  windowMs?: number;
  clock: () => number;
}

export function userBudget(opts: UserBudgetOptions): RequestHandler {
  const max = opts.max ?? 30;
  const windowMs = opts.windowMs ?? 10_000;
  return (_req, res, next) => {
    const user = identityOf(res).userId ?? 'anonymous';
    const window = Math.floor(opts.clock() / windowMs);
    const key = `${opts.prefix}:card-budget:${user}:${window}`;
    opts.redis
      .multi()
      .incr(key)
      .pexpire(key, windowMs * 2)
      .exec()
      .then((replies) => {
        const count = Number(replies?.[0]?.[1] ?? 0);
        if (count > max) {
          const retryAfter = Math.max(1, Math.ceil(((window + 1) * windowMs - opts.clock()) / 1000));
          res.setHeader('Retry-After', String(retryAfter));
          next(new TooManyRequestsError(`Too many card requests from this user; try again in ${retryAfter} s.`, retryAfter));
          return;
        }
        next();
      })
      .catch(() => next());
  };
}
