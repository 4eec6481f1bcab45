/**
 * Qualified referrals this quarter, kept in Redis as one set of deal ids per partner and quarter.
 *
 * A full count reads every deal the partner refers (several HubSpot calls), so it runs once per partner and
 * quarter (and again on each recompute of the partner itself); after that each deal recompute only moves its own
 * deal in or out of the set. The deal being recomputed therefore always sees a count that includes itself:
 * its rate is final the first time it is written (docs/program.md#how-outputs-are-written: no intermediate value reaches the CRM).
 *
 * Beside the sets, each partner has a ledger of its referred deals (hash `perf:<company>`: deal id → the deal as its
 * last recompute saw it). A full read fills it; each deal recompute updates its own entry. The partner recompute a
 * deal asks for computes the partner's performance (last quarter, satisfaction, lead quality) from the ledger instead
 * of reading every referred deal again: the ledger is as fresh as the changes that reached the app, as the sets are.
 * A reverse index (`referrers:<deal>`) names the partners a deal was noted under, so a deal that stops referring a
 * partner (label removed, unassociated, deleted) leaves that partner's set and ledger at its own recompute.
 */
import type { Redis } from 'ioredis';
import type { ProgramConfig } from '../engine/program-config.js';
import { calendarQuarter, type CalendarQuarter } from '../engine/quarter.js';
import { isQualifiedReferral } from '../engine/tiers.js';
import { z } from 'zod';
import type { DealPartner, DealSnapshot, Instant, PartnerRole } from '../engine/types.js';

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
   * Remember one referred deal as the partner recompute will need it (its snapshot and the partner's roles on it)
   * with what it brings to the partner's performance (`performanceFingerprint`); true when that differs from what
   * was remembered, so the partner must be recomputed (a score set, a deal leaving the window …).
   */
  noteReferral(companyId: string, entry: ReferralEntry, fingerprint: string): Promise<boolean>;
  /** Forget one deal of the partner (it no longer refers the partner, or it was deleted). */
  forgetReferral(companyId: string, quarter: CalendarQuarter, dealId: string): Promise<void>;
  /**
   * Every referred deal of the partner as last seen, or null when no full read filled the ledger since it was
   * last lost (the caller reads the deals from HubSpot then, and `replaceReferrals` them).
   */
  referrals(companyId: string): Promise<ReferralEntry[] | null>;
  /** The ledger from a full read of the partner's referred deals (marks it complete). */
  replaceReferrals(companyId: string, entries: { entry: ReferralEntry; fingerprint: string }[]): Promise<void>;
  /**
   * The referral partners the deal was last noted under, replaced by `current`; returns those it no longer refers
   * (a label removed, a partner unassociated, the deal deleted), whose ledgers and counts must drop it.
   */
  swapReferrers(dealId: string, current: string[]): Promise<string[]>;
}

/**
 * One referred deal in a partner's ledger: the deal as the engine saw it at its last recompute and the partner's
 * roles on it. Facts that depend on the date (last quarter, the 12-month window) are computed from it when used.
 */
export interface ReferralEntry {
  deal: DealSnapshot;
  roles: PartnerRole[];
}

/** The fingerprint of a deal that brings nothing: a first sighting of it is no change. */
const NOTHING = '0||';
/** Fingerprints are kept a little longer than the performance window (12 months by default). */
const PERF_KEEP_MS = 400 * 86_400_000;

/** A ledger value: `{ f: fingerprint, d: deal snapshot, r: roles }` (before this version, the bare fingerprint). */
const ledgerValue = z.object({ f: z.string(), d: z.object({ id: z.string() }).passthrough(), r: z.array(z.string()) });

function parseLedgerValue(value: string): z.infer<typeof ledgerValue> | null {
  try {
    const parsed = ledgerValue.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The snapshot was written by this module from a DealSnapshot; only its envelope is checked here. */
function parseEntry(value: string): ReferralEntry | null {
  const v = parseLedgerValue(value);
  return v === null ? null : { deal: v.d as unknown as DealSnapshot, roles: v.r as PartnerRole[] };
}

function fingerprintOf(value: string | null): string | null {
  if (value === null) return null;
  return value.startsWith('{') ? (parseLedgerValue(value)?.f ?? null) : value;
}

/** Sets outlive their quarter by a little, for late recomputes; then Redis drops them. */
const KEEP_MS = 120 * 86_400_000;

export function createPartnerStatsStore(redis: Redis, prefix: string, config: Pick<ProgramConfig, 'timeZone'>): PartnerStatsStore {
  const setKey = (companyId: string, q: CalendarQuarter) => `${prefix}:qual:${companyId}:${q.label}`;
  const countedKey = (companyId: string, q: CalendarQuarter) => `${prefix}:qual:${companyId}:${q.label}:counted`;
  const ledgerKey = (companyId: string) => `${prefix}:perf:${companyId}`;
  const completeKey = (companyId: string) => `${prefix}:perf:${companyId}:complete`;

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
    async noteReferral(companyId, entry, fingerprint) {
      const key = ledgerKey(companyId);
      const value = JSON.stringify({ f: fingerprint, d: entry.deal, r: entry.roles });
      const replies = await redis.multi().hget(key, entry.deal.id).hset(key, entry.deal.id, value).pexpire(key, PERF_KEEP_MS).exec();
      const before = fingerprintOf((replies?.[0]?.[1] as string | null | undefined) ?? null);
      return before === null ? fingerprint !== NOTHING : before !== fingerprint;
    },
    async forgetReferral(companyId, q, dealId) {
      await redis.multi().hdel(ledgerKey(companyId), dealId).srem(setKey(companyId, q), dealId).exec();
    },
    async referrals(companyId) {
      const [complete, all] = await Promise.all([redis.exists(completeKey(companyId)), redis.hgetall(ledgerKey(companyId))]);
      if (complete !== 1) return null;
      const entries: ReferralEntry[] = [];
      for (const value of Object.values(all)) {
        const entry = parseEntry(value);
        // An entry this version cannot read (an older format): the caller reads the deals again.
        if (entry === null) return null;
        entries.push(entry);
      }
      return entries;
    },
    async replaceReferrals(companyId, entries) {
      const key = ledgerKey(companyId);
      const tx = redis.multi().del(key);
      if (entries.length > 0) {
        tx.hset(
          key,
          Object.fromEntries(entries.map(({ entry, fingerprint }) => [entry.deal.id, JSON.stringify({ f: fingerprint, d: entry.deal, r: entry.roles })])),
        );
      }
      tx.pexpire(key, PERF_KEEP_MS).set(completeKey(companyId), '1', 'PX', PERF_KEEP_MS);
      await tx.exec();
    },
    async swapReferrers(dealId, current) {
      const key = `${prefix}:referrers:${dealId}`;
      const tx = redis.multi().smembers(key).del(key);
      if (current.length > 0) tx.sadd(key, ...current).pexpire(key, PERF_KEEP_MS);
      const replies = await tx.exec();
      const before = (replies?.[0]?.[1] as string[] | undefined) ?? [];
      return before.filter((id) => !current.includes(id));
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
