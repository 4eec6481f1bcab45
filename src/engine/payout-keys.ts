/**
 * Every form of `pp_payout_key` (docs/program.md#payouts), built and parsed in one place:
 * - deal line   `<dealId>:<partnerId>:<role>` (role = the association label's internal name, e.g. `pp_finder`)
 * - retention   `<dealId>:<partnerId>:pp_referral_partner:retention` (rule 7)
 * - adjustment  `<key>:adj:<n>` of any of the others (n ≥ 1), for a payout finance already approved or paid
 * - activity    `activity:<activityId>` (an approved `pp_activity`)
 * - bonus       `bonus:<year>:<partnerId>:achievement|partner_of_the_year`
 * The key is the identity of a payout: upserts on it are what make a repeat never pay twice, so a key that
 * does not parse is not ours and is never guessed into one.
 */
import { PARTNER_ROLES, type PartnerRole } from './types.js';

export const BONUS_AWARDS = ['achievement', 'partner_of_the_year'] as const;
export type BonusAward = (typeof BONUS_AWARDS)[number];

export type BasePayoutKey =
  | { kind: 'commission'; dealId: string; partnerId: string; role: PartnerRole }
  | { kind: 'retention'; dealId: string; partnerId: string }
  | { kind: 'activity'; activityId: string }
  | { kind: 'bonus'; year: number; partnerId: string; award: BonusAward };

export type ParsedPayoutKey = BasePayoutKey | { kind: 'adjustment'; base: BasePayoutKey; n: number };

const ID = /^[^:\s]+$/;

/** `<dealId>:<partnerId>:<role>`. */
export const dealLineKey = (dealId: string, partnerId: string, role: PartnerRole): string => `${dealId}:${partnerId}:${role}`;
/** `<dealId>:<partnerId>:pp_referral_partner:retention`. */
export const retentionKey = (dealId: string, partnerId: string): string => `${dealLineKey(dealId, partnerId, 'pp_referral_partner')}:retention`;
/** `<key>:adj:<n>`: the n-th adjustment of a payout finance already approved or paid. */
export const adjustmentKey = (baseKey: string, n: number): string => `${baseKey}:adj:${n}`;
/** `activity:<activityId>`. */
export const activityKey = (activityId: string): string => `activity:${activityId}`;
/** `bonus:<year>:<partnerId>:<award>`. */
export const bonusKey = (year: number, partnerId: string, award: BonusAward): string => `bonus:${year}:${partnerId}:${award}`;

export function formatPayoutKey(k: ParsedPayoutKey): string {
  switch (k.kind) {
    case 'commission':
      return dealLineKey(k.dealId, k.partnerId, k.role);
    case 'retention':
      return retentionKey(k.dealId, k.partnerId);
    case 'activity':
      return activityKey(k.activityId);
    case 'bonus':
      return bonusKey(k.year, k.partnerId, k.award);
    case 'adjustment':
      return adjustmentKey(formatPayoutKey(k.base), k.n);
  }
}

const ADJUSTMENT = /^(.+):adj:([1-9]\d*)$/;

/** The key's parts, or null when it is none of the forms above. */
export function parsePayoutKey(key: string): ParsedPayoutKey | null {
  const adj = ADJUSTMENT.exec(key);
  if (adj) {
    const base = parseBaseKey(adj[1]!);
    return base ? { kind: 'adjustment', base, n: Number(adj[2]) } : null;
  }
  return parseBaseKey(key);
}

function parseBaseKey(key: string): BasePayoutKey | null {
  const parts = key.split(':');
  if (parts[0] === 'activity') {
    return parts.length === 2 && ID.test(parts[1]!) ? { kind: 'activity', activityId: parts[1]! } : null;
  }
  if (parts[0] === 'bonus') {
    const [, year, partnerId, award] = parts;
    if (parts.length !== 4 || !/^\d{4}$/.test(year!) || !ID.test(partnerId!)) return null;
    return (BONUS_AWARDS as readonly string[]).includes(award!)
      ? { kind: 'bonus', year: Number(year), partnerId: partnerId!, award: award as BonusAward }
      : null;
  }
  const [dealId, partnerId, role, suffix] = parts;
  if (parts.length < 3 || parts.length > 4 || !ID.test(dealId!) || !ID.test(partnerId!)) return null;
  if (!(PARTNER_ROLES as readonly string[]).includes(role!)) return null;
  if (parts.length === 3) return { kind: 'commission', dealId: dealId!, partnerId: partnerId!, role: role as PartnerRole };
  return suffix === 'retention' && role === 'pp_referral_partner' ? { kind: 'retention', dealId: dealId!, partnerId: partnerId! } : null;
}

/** The key an adjustment adjusts (the key itself for any other form). */
export function baseKeyOf(key: string): string {
  const adj = ADJUSTMENT.exec(key);
  return adj ? adj[1]! : key;
}

/** The adjustment number n of `<key>:adj:<n>`, or null. */
export function adjustmentNumber(key: string): number | null {
  const adj = ADJUSTMENT.exec(key);
  return adj ? Number(adj[2]) : null;
}

/** The partner a key names, when it names one (activity keys do not: the record's `pp_partner_id` does). */
export function partnerIdOfKey(k: ParsedPayoutKey): string | null {
  const base = k.kind === 'adjustment' ? k.base : k;
  return base.kind === 'activity' ? null : base.partnerId;
}

/** The deal a key names; null for activity and bonus keys (they have no deal). */
export function dealIdOfKey(k: ParsedPayoutKey): string | null {
  const base = k.kind === 'adjustment' ? k.base : k;
  return base.kind === 'commission' || base.kind === 'retention' ? base.dealId : null;
}
