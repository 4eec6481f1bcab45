/**
 * PayoutStore over the `pp_payout` custom object. The object type id differs per portal and is resolved once
 * (object-types.ts).
 *
 * Reads: the keys the caller can name by batch read (consistent), plus a search by deal for the rest; a record
 * read by key wins over its search hit (search lags writes). Writes: batch upsert on `pp_payout_key`, then every
 * saved record is (re)associated with its deal and partner company: a job that died between the upsert and the
 * association finds `created: false` on its retry and must still link the record (repeating a link is harmless).
 *
 * Like the deal and company loaders, concurrent jobs' requests coalesce: the payouts of many closed-won deals are
 * found with one search, read with one batch read and written with one upsert.
 */
import type { PayoutRecord } from '../engine/types.js';
import type { HubSpot } from './client.js';
import { payoutProperties, toPayoutRecord } from './mappers.js';
import { batchReadRecords, batchUpdateRecords } from './crm-records.js';
import { PAYOUT_READ_PROPERTIES } from './properties.js';
import type { ChangeAuthor, FieldChange } from '../security/app-owned.js';
import { personOf, readLatestAuthors } from './property-history.js';
import { guardPayout, sealedPayoutProperties } from '../security/payout-guard.js';
import { associatePayouts, readPayoutsByKeys, resolvePayoutObjectType, searchPayouts, upsertPayouts } from './payouts.js';
import { coalescingLoader, createDispatchGate, type DispatchGate } from './dispatch-gate.js';

/**
 * Where payout records live: the `pp_payout` custom object in HubSpot (docs/program.md#payouts).
 * Every write is an upsert on the unique `pp_payout_key`, so a retried job or a repeated trigger writes the
 * same record again and never a second one.
 */
export interface PayoutStore {
  /**
   * Every record of the deal. Keys the caller can name are read by key (consistent); search finds the rest
   * (adjustments, partners removed since), and a key read wins over a search hit, since search lags writes.
   */
  forDeal(dealId: string, candidateKeys: string[]): Promise<PayoutRecord[]>;
  /** Upsert; every saved record is associated with its deal and partner company. */
  save(records: PayoutRecord[]): Promise<void>;
  /** The portal's objectTypeId of `pp_payout`, resolved once per process (cards and the export search it too). */
  objectType(): Promise<string>;
  /**
   * One record by its HubSpot id, as the app sealed it: what someone else changed is put back on the way (the
   * `pp_payout` webhook's job). Null when it is not a payout record, is gone, or carries a broken seal.
   */
  byId?(recordId: string): Promise<PayoutRecord | null>;
}

/** Values in one search `IN` filter; HubSpot caps filter values, and 50 deals' payouts fit a page or two. */
const DEALS_PER_SEARCH = 50;

export interface PayoutStoreOptions {
  gate?: DispatchGate;
  /** Seal key (keys.ts `crm-seal`): records are read as sealed and written with a seal (payout-guard.ts). */
  sealKey?: Buffer;
  /** A record someone else edited was put back: the caller notes it on the deal's timeline, naming `authors`. */
  onRestored?: (record: PayoutRecord, changes: FieldChange[], authors: ChangeAuthor[]) => Promise<void>;
  /**
   * Finance's status steps (docs/program.md#who-may-change-what): who took a step comes from the webhook (what
   * the intake recorded for `payout:<recordId>`), else from HubSpot's property history of pp_status; the step
   * stands only when that person is a finance user. Absent: no one is finance, every step is restored.
   */
  statusSteps?: {
    reported(recordId: string): Promise<ChangeAuthor[]>;
    isFinance(userId: string): Promise<boolean>;
  };
}

export function createHubSpotPayoutStore(hs: HubSpot, opts: PayoutStoreOptions = {}): PayoutStore {
  // Resolved once per client (object-types.ts).
  const type = () => resolvePayoutObjectType(hs);
  const gate = opts.gate ?? createDispatchGate();
  /** Who changed a record's status: the webhook's word if it came, else HubSpot's property history. */
  const statusAuthor = async (recordId: string, reported: ChangeAuthor[]): Promise<ChangeAuthor | undefined> => {
    const fromWebhook = [...reported].reverse().find((a) => a.property === 'pp_status');
    if (fromWebhook) return fromWebhook;
    const history = await readLatestAuthors(hs, await type(), [recordId], ['pp_status']);
    return history.get(recordId)?.get('pp_status');
  };
  /**
   * A read record as the app knows it. A finance user's status step is accepted and resealed; anything else
   * someone changed is put back at once, by record id (an upsert on its edited key would create a second
   * record), then reported; without a seal key records are read as they are.
   */
  const repairs = new Map<string, Promise<PayoutRecord | null>>();
  const trusted = (raw: { id: string; properties: Record<string, string | null | undefined> }): Promise<PayoutRecord | null> => {
    // The search and the key read of one recompute find the same edited record at once: one repair, one note.
    const id = `${raw.id}\u0000${JSON.stringify(raw.properties, Object.keys(raw.properties).sort())}`;
    let pending = repairs.get(id);
    if (!pending) {
      pending = repair(raw).finally(() => repairs.delete(id));
      repairs.set(id, pending);
    }
    return pending;
  };
  const repair = async (raw: { id: string; properties: Record<string, string | null | undefined> }): Promise<PayoutRecord | null> => {
    if (!opts.sealKey) return toPayoutRecord(raw.properties);
    const g = guardPayout(opts.sealKey, raw.properties);
    if (!g) return null;
    if (g.changes.length === 0) return g.record;
    let record = g.record;
    let changes = g.changes;
    const reported = (await opts.statusSteps?.reported(raw.id)) ?? [];
    const authors = [...reported];
    if (g.step) {
      const author = await statusAuthor(raw.id, reported);
      if (author && !reported.includes(author)) authors.push(author);
      const person = personOf(author);
      if (person !== null && opts.statusSteps && (await opts.statusSteps.isFinance(person))) {
        record = { ...record, status: g.step.to };
        changes = changes.filter((c) => c.property !== 'pp_status');
      }
    }
    await batchUpdateRecords(hs, {
      objectType: await type(),
      label: 'payouts',
      inputs: [{ id: raw.id, properties: sealedPayoutProperties(opts.sealKey, record) }],
    });
    if (changes.length > 0) await opts.onRestored?.(record, changes, authors);
    return record;
  };

  const byDeal = coalescingLoader<string, PayoutRecord[]>(
    gate,
    async (dealIds) => {
      const t = await type();
      const found = new Map<string, PayoutRecord[]>(dealIds.map((id) => [id, []]));
      for await (const page of searchPayouts(hs, t, { dealIds: [...dealIds] })) {
        for (const r of page) {
          const rec = await trusted(r);
          if (rec) found.get(rec.dealId)?.push(rec);
        }
      }
      return dealIds.map((id) => found.get(id)!);
    },
    // Only the deal's own recompute waits on its payouts: a tail batch, which the burst's later deals join.
    { maxBatchSize: DEALS_PER_SEARCH, shareWhileOpen: true, kind: 'tail' },
  );

  const byKey = coalescingLoader<string, PayoutRecord | null>(
    gate,
    async (keys) => {
      const read = await readPayoutsByKeys(hs, await type(), [...keys]);
      const records = new Map<string, PayoutRecord>();
      for (const r of read.values()) {
        const rec = await trusted(r);
        if (rec) records.set(rec.key, rec);
      }
      return keys.map((k) => records.get(k) ?? null);
    },
    { maxBatchSize: 100, shareWhileOpen: true, kind: 'tail' },
  );

  const saver = coalescingLoader<PayoutRecord, void, string>(
    gate,
    async (records) => {
      const t = await type();
      const results = await upsertPayouts(
        hs,
        t,
        records.map((r) => ({ key: r.key, properties: opts.sealKey ? sealedPayoutProperties(opts.sealKey, r) : payoutProperties(r) })),
      );
      const byKeyRec = new Map(records.map((r) => [r.key, r]));
      await associatePayouts(
        hs,
        t,
        results.map((res) => ({ payoutId: res.id, dealId: byKeyRec.get(res.key)!.dealId, partnerId: byKeyRec.get(res.key)!.partnerId })),
      );
      return records.map(() => undefined);
    },
    { maxBatchSize: 100, cacheKeyFn: (r) => r.key },
  );

  return {
    objectType: type,
    async byId(recordId) {
      const found = await batchReadRecords(hs, { objectType: await type(), label: 'payouts', ids: [recordId], properties: PAYOUT_READ_PROPERTIES });
      const raw = found.get(recordId);
      return raw ? trusted(raw) : null;
    },
    async forDeal(dealId, candidateKeys) {
      const [searched, read] = await Promise.all([byDeal.load(dealId), Promise.all(candidateKeys.map((k) => byKey.load(k)))]);
      const records = new Map(searched.filter((r) => r.dealId === dealId).map((r) => [r.key, r]));
      for (const r of read) if (r) records.set(r.key, r);
      return [...records.values()];
    },
    async save(records) {
      await Promise.all(records.map((r) => saver.load(r)));
    },
  };
}
