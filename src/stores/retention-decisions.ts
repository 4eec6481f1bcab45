/**
 * The one-time customer decision of the retention bonus (docs/program.md#rule-7-client-retention-bonus): the
 * customer check is made once, at the first check on or after the due date, so a customer who churned then and
 * came back later does not revive the bonus. Redis keeps that decision for a while after the due date.
 */
import type { Redis } from 'ioredis';
import { DAY_MS } from '../engine/protection.js';
import type { Instant } from '../engine/types.js';

export interface RetentionDecisions {
  get(dealId: string, dueAt: Instant): Promise<string | null>;
  set(dealId: string, dueAt: Instant, decision: 'paid' | 'churned'): Promise<void>;
}

export function redisRetentionDecisions(redis: Redis, prefix: string, keepMs = 60 * DAY_MS): RetentionDecisions {
  const key = (dealId: string, dueAt: Instant) => `${prefix}:retention:decided:${dealId}:${dueAt}`;
  return {
    get: (dealId, dueAt) => redis.get(key(dealId, dueAt)),
    async set(dealId, dueAt, decision) {
      await redis.set(key(dealId, dueAt), decision, 'PX', keepMs);
    },
  };
}
