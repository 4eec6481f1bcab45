/**
 * Qualified referrals this quarter, kept in Redis as one set of deal ids per partner and quarter.
 *
 * A full count reads every deal the partner refers (several HubSpot calls), so it runs once per partner and
 * quarter (and again on each recompute of the partner itself); after that each deal recompute only moves its own
 * deal in or out of the set. The deal being recomputed therefore always sees a count that includes itself:
 * its rate is final the first time it is written (docs/program.md#how-outputs-are-written: no intermediate value reaches the CRM).
 */
import type { Redis } from 'ioredis';
import type { ProgramConfig } from '../engine/program-config.js';
import { calendarQuarter, type CalendarQuarter } from '../engine/quarter.js';
import { isQualifiedReferral } from '../engine/tiers.js';
import type { DealPartner, DealSnapshot, Instant } from '../engine/types.js';

export interface PartnerStatsStore {
  quarter(now: Instant): CalendarQuarter;
  /** Whether a full count exists for the partner and quarter. */
  isCounted(companyId: string, quarter: CalendarQuarter): Promise<boolean>;
  /** Replace the partner's set with a full count. */
  replace(companyId: string, quarter: CalendarQuarter, qualifiedDealIds: string[]): Promise<number>;
  /** Put one deal in or out of the set; returns the new count and whether it moved. */
  place(companyId: string, quarter: CalendarQuarter, dealId: string, qualified: boolean): Promise<{ count: number; moved: boolean }>;
  count(companyId: string, quarter: CalendarQuarter): Promise<number>;
  /**
   * Remember what one deal brings to the partner's performance (`performanceFingerprint`); true when it differs
   * from what was remembered, so the partner must be recomputed (a score set, a deal leaving the window …).
   */
  notePerformance(companyId: string, dealId: string, fingerprint: string): Promise<boolean>;
}

/** The fingerprint of a deal that brings nothing: a first sighting of it is no change. */
const NOTHING = '0||';
/** Fingerprints are kept a little longer than the performance window (12 months by default). */
const PERF_KEEP_MS = 400 * 86_400_000;

/** Sets outlive their quarter by a little, for late recomputes; then Redis drops them. */
const KEEP_MS = 120 * 86_400_000;

export function createPartnerStatsStore(redis: Redis, prefix: string, config: Pick<ProgramConfig, 'timeZone'>): PartnerStatsStore {
  const setKey = (companyId: string, q: CalendarQuarter) => `${prefix}:qual:${companyId}:${q.label}`;
  const countedKey = (companyId: string, q: CalendarQuarter) => `${prefix}:qual:${companyId}:${q.label}:counted`;

  return {
    quarter: (now) => calendarQuarter(now, config.timeZone),
    async isCounted(companyId, q) {
      return (await redis.exists(countedKey(companyId, q))) === 1;
    },
    async replace(companyId, q, ids) {
      const tx = redis.multi().del(setKey(companyId, q));
      if (ids.length > 0) tx.sadd(setKey(companyId, q), ...ids);
      tx.pexpire(setKey(companyId, q), KEEP_MS).set(countedKey(companyId, q), '1', 'PX', KEEP_MS);
      await tx.exec();
      return new Set(ids).size;
    },
    async place(companyId, q, dealId, qualified) {
      const key = setKey(companyId, q);
      const tx = redis.multi();
      if (qualified) tx.sadd(key, dealId);
      else tx.srem(key, dealId);
      tx.scard(key).pexpire(key, KEEP_MS);
      const replies = await tx.exec();
      const moved = Number(replies?.[0]?.[1] ?? 0) === 1;
      return { count: Number(replies?.[1]?.[1] ?? 0), moved };
    },
    async count(companyId, q) {
      return redis.scard(setKey(companyId, q));
    },
    async notePerformance(companyId, dealId, fingerprint) {
      const key = `${prefix}:perf:${companyId}`;
      const replies = await redis.multi().hget(key, dealId).hset(key, dealId, fingerprint).pexpire(key, PERF_KEEP_MS).exec();
      const before = (replies?.[0]?.[1] as string | null | undefined) ?? null;
      return before === null ? fingerprint !== NOTHING : before !== fingerprint;
    },
  };
}

/** Which of `deals` qualify for `partner` in `quarter` (each deal with its partners as the engine sees them). */
export function qualifiedDealIds(
  companyId: string,
  deals: { deal: DealSnapshot; partners: DealPartner[] }[],
  config: ProgramConfig,
  quarter: CalendarQuarter,
): string[] {
  const ids: string[] = [];
  for (const { deal, partners } of deals) {
    const partner = partners.find((p) => p.company.id === companyId);
    if (partner && isQualifiedReferral(deal, partner, config, quarter)) ids.push(deal.id);
  }
  return ids;
}
