/**
 * PayoutStore over the `pp_payout` custom object. The object type id differs per portal and is resolved once.
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
import { batchUpdateRecords } from './crm-records.js';
import type { FieldChange } from '../security/app-owned.js';
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
}

/** Values in one search `IN` filter; HubSpot caps filter values, and 50 deals' payouts fit a page or two. */
const DEALS_PER_SEARCH = 50;

export interface PayoutStoreOptions {
  gate?: DispatchGate;
  /** Seal key (keys.ts `crm-seal`): records are read as sealed and written with a seal (payout-guard.ts). */
  sealKey?: Buffer;
  /** A record someone else edited was put back: the caller notes it on the deal's timeline. */
  onRestored?: (record: PayoutRecord, changes: FieldChange[]) => Promise<void>;
}

export function createHubSpotPayoutStore(hs: HubSpot, opts: PayoutStoreOptions = {}): PayoutStore {
  let objectType: Promise<string> | null = null;
  const type = () => {
    objectType ??= resolvePayoutObjectType(hs).catch((err) => {
      objectType = null;
      throw err;
    });
    return objectType;
  };
  const gate = opts.gate ?? createDispatchGate();
  /**
   * A read record as the app knows it. An edited one is put back at once, by record id (an upsert on its
   * edited key would create a second record), then reported; without a seal key records are read as they are.
   */
  const trusted = async (raw: { id: string; properties: Record<string, string | null | undefined> }): Promise<PayoutRecord | null> => {
    if (!opts.sealKey) return toPayoutRecord(raw.properties);
    const g = guardPayout(opts.sealKey, raw.properties);
    if (!g) return null;
    if (g.changes.length > 0) {
      await batchUpdateRecords(hs, {
        objectType: await type(),
        label: 'payouts',
        inputs: [{ id: raw.id, properties: sealedPayoutProperties(opts.sealKey, g.record) }],
      });
      await opts.onRestored?.(g.record, g.changes);
    }
    return g.record;
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
    { maxBatchSize: DEALS_PER_SEARCH, shareWhileOpen: true },
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
    { maxBatchSize: 100, shareWhileOpen: true },
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
