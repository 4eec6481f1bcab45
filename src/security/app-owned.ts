/**
 * App-owned CRM values: detect a change the app did not make, know what to put back, say so on the timeline.
 * One module for every kind of record the app owns fields on (deal registrations, payout records, and for other
 * features activity records and portal access): each caller names its fields, a scope and where to write.
 *
 * How the app knows its own last values without trusting the CRM: a **seal**. Whenever the app writes owned
 * fields it also writes, in an owned property beside them, `v1.<payload>.<mac>`: the payload is the values
 * themselves (base64url JSON), the mac an HMAC-SHA256 over scope + payload with a key derived from the client
 * secret for this purpose only (src/security/keys.ts, purpose `crm-seal`). The scope names the record
 * (`deal:123:registration`), so a seal copied onto another record does not open there. Anyone can read a seal;
 * nobody without the client secret can make one. A missing or broken seal means the app wrote nothing there:
 * the owned fields are then empty as far as the app is concerned.
 *
 * API (docs/SECURITY.md "The restore module"):
 * - `sealValues(key, scope, values)` → the seal to write with the values;
 * - `openSeal(key, scope, seal)` → the values, or null when absent, forged, or for another record;
 * - `sealOwned(key, scope, properties, values)` → the same, for every owned field ("" where none is given);
 * - `checkOwned({...})` → the trusted values (sealed ones, or the backup copy's, or empty), the changes found,
 *   the seal's state;
 * - `restoreNoteText({...})` → the timeline note: who changed what, and what it was put back to;
 * - `createForeignChangeLog(redis, prefix)` → remembers who HubSpot said made each change (from webhooks), so
 *   the note can name them; a change found by a sweep without a webhook is reported as "outside the app".
 */
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { safeEqual } from '../safe-equal.js';

export type OwnedValues = Record<string, string>;

/** How a field's values compare (HubSpot normalises numbers and datetimes it stores). */
export type SameValue = (property: string, found: string, expected: string) => boolean;

export interface FieldChange {
  property: string;
  /** What the CRM holds now. */
  found: string;
  /** What the app last wrote ("" when it wrote nothing). */
  restored: string;
}

export interface OwnedCheck {
  /** The app's last values for every owned field ("" where it wrote none). */
  trusted: OwnedValues;
  /** Owned fields whose CRM value is not the app's. */
  changes: FieldChange[];
  seal: 'valid' | 'missing' | 'invalid';
}

const VERSION = 'v1';

function mac(key: Buffer, scope: string, payload: string): string {
  return createHmac('sha256', key).update(`${scope}\n${payload}`).digest('base64url');
}

export function sealValues(key: Buffer, scope: string, values: OwnedValues): string {
  const sorted = Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const payload = Buffer.from(JSON.stringify(sorted), 'utf8').toString('base64url');
  return `${VERSION}.${payload}.${mac(key, scope, payload)}`;
}

export function openSeal(key: Buffer, scope: string, seal: string | null | undefined): OwnedValues | null {
  if (!seal) return null;
  const [version, payload, sig, ...rest] = seal.trim().split('.');
  if (version !== VERSION || !payload || !sig || rest.length > 0) return null;
  if (!safeEqual(mac(key, scope, payload), sig)) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof values !== 'object' || values === null || Array.isArray(values)) return null;
    const out: OwnedValues = {};
    for (const [k, v] of Object.entries(values)) if (typeof v === 'string') out[k] = v;
    return out;
  } catch {
    return null;
  }
}

export function checkOwned(opts: {
  key: Buffer;
  scope: string;
  properties: readonly string[];
  current: Record<string, string | null | undefined>;
  seal: string | null | undefined;
  same?: SameValue;
  /**
   * The app's own copy of its last seal (`SealBackup`), tried when the CRM's seal does not open: its values are
   * then the trusted ones, and the CRM's seal property (`property`) is listed as changed, so it is written back.
   */
  backup?: { seal: string | null | undefined; property: string };
}): OwnedCheck {
  let opened = openSeal(opts.key, opts.scope, opts.seal);
  const backup = !opened && opts.backup?.seal && opts.backup.seal !== opts.seal ? openSeal(opts.key, opts.scope, opts.backup.seal) : null;
  opened ??= backup;
  const same = opts.same ?? ((_p, a, b) => a === b);
  const trusted: OwnedValues = {};
  const changes: FieldChange[] = [];
  for (const property of opts.properties) {
    const expected = opened?.[property] ?? '';
    const found = opts.current[property] ?? '';
    trusted[property] = expected;
    if (!same(property, found, expected)) changes.push({ property, found, restored: expected });
  }
  if (backup) changes.push({ property: opts.backup!.property, found: opts.seal ?? '', restored: opts.backup!.seal! });
  return { trusted, changes, seal: opened ? 'valid' : opts.seal ? 'invalid' : 'missing' };
}

/** The seal of every owned field: the values given, "" for the others (the app wrote nothing there). */
export function sealOwned(key: Buffer, scope: string, properties: readonly string[], values: Record<string, string | null | undefined>): string {
  const all: OwnedValues = {};
  for (const p of properties) all[p] = values[p] ?? '';
  return sealValues(key, scope, all);
}

/** Who made a change, as HubSpot reported it on the webhook event. */
export interface ChangeAuthor {
  property: string;
  value: string;
  changeSource: string | null;
  sourceId: string | null;
  occurredAt: number;
}

export function describeAuthor(a: Pick<ChangeAuthor, 'changeSource' | 'sourceId'> | undefined): string {
  if (!a) return 'someone outside the app (found by the reconciliation sweep; HubSpot did not say who)';
  const user = a.sourceId?.match(/^userId:(\d+)$/)?.[1];
  if (user) return `HubSpot user ${user} (${a.changeSource ?? 'CRM'})`;
  return `${a.changeSource ?? 'an unknown source'}${a.sourceId ? ` ${a.sourceId}` : ''}`;
}

/** The timeline note for a restore: one line per field, found → restored, and who changed it. */
export function restoreNoteText(opts: {
  what: string;
  changes: readonly FieldChange[];
  authors: readonly ChangeAuthor[];
  /** Who may change them, when not the app alone (e.g. "changed only by partner managers"). */
  rule?: string;
  /** How an empty restored value reads. @defaultValue "cleared (the app never set it)" */
  emptyAs?: string;
}): string {
  const lines = opts.changes.map((c) => {
    const author = [...opts.authors].reverse().find((a) => a.property === c.property);
    const restored = c.restored === '' ? (opts.emptyAs ?? 'cleared (the app never set it)') : `restored to "${c.restored}"`;
    return `- ${c.property}: "${c.found}" set by ${describeAuthor(author)}; ${restored}.`;
  });
  const rule = opts.rule ?? 'written only by the partner-program app';
  return `${opts.what} are ${rule}; a change made elsewhere is not trusted and was undone:\n${lines.join('\n')}`;
}

export interface ForeignChangeLog {
  /** Remember a change HubSpot reported on an owned field of a record (kept 3 days, 50 per record). */
  record(objectKey: string, author: ChangeAuthor): Promise<void>;
  /** The remembered changes of a record, oldest first, and forget them. */
  take(objectKey: string): Promise<ChangeAuthor[]>;
}

export function createForeignChangeLog(redis: Redis, prefix: string): ForeignChangeLog {
  const key = (objectKey: string) => `${prefix}:foreign-change:${objectKey}`;
  return {
    async record(objectKey, author) {
      await redis
        .multi()
        .rpush(key(objectKey), JSON.stringify(author))
        .ltrim(key(objectKey), -50, -1)
        .pexpire(key(objectKey), 3 * 86_400_000)
        .exec();
    },
    async take(objectKey) {
      const [[, items]] = ((await redis.multi().lrange(key(objectKey), 0, -1).del(key(objectKey)).exec()) ?? [[null, []]]) as [[unknown, string[]]];
      return (items ?? []).flatMap((s) => {
        try {
          return [JSON.parse(s) as ChangeAuthor];
        } catch {
          return [];
        }
      });
    },
  };
}

/**
 * The last seal the app wrote per record, kept in Redis as well: a seal someone deleted or broke in the CRM
 * then costs nothing (the values come back from this copy), instead of wiping the app-owned values with it.
 * Without this copy (Redis lost) a broken seal means "the app wrote nothing": the values are cleared.
 */
export interface SealBackup {
  get(scope: string): Promise<string | null>;
  set(scope: string, seal: string): Promise<void>;
}

export function createSealBackup(redis: Redis, prefix: string): SealBackup {
  const key = (scope: string) => `${prefix}:seal:${scope}`;
  return {
    get: (scope) => redis.get(key(scope)),
    set: async (scope, seal) => {
      await redis.set(key(scope), seal);
    },
  };
}
