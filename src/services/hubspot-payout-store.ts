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
import type { HubSpot } from '../hubspot/client.js';
import { payoutProperties, toPayoutRecord } from '../hubspot/mappers.js';
import { associatePayouts, readPayoutsByKeys, resolvePayoutObjectType, searchPayouts, upsertPayouts } from '../hubspot/payouts.js';
import { coalescingLoader, createDispatchGate, type DispatchGate } from './dispatch-gate.js';
import type { PayoutStore } from './payout-store.js';

/** Values in one search `IN` filter; HubSpot caps filter values, and 50 deals' payouts fit a page or two. */
const DEALS_PER_SEARCH = 50;

export function createHubSpotPayoutStore(hs: HubSpot, opts: { gate?: DispatchGate } = {}): PayoutStore {
  let objectType: Promise<string> | null = null;
  const type = () => {
    objectType ??= resolvePayoutObjectType(hs).catch((err) => {
      objectType = null;
      throw err;
    });
    return objectType;
  };
  const gate = opts.gate ?? createDispatchGate();

  const byDeal = coalescingLoader<string, PayoutRecord[]>(
    gate,
    async (dealIds) => {
      const t = await type();
      const found = new Map<string, PayoutRecord[]>(dealIds.map((id) => [id, []]));
      for await (const page of searchPayouts(hs, t, { dealIds: [...dealIds] })) {
        for (const r of page) {
          const rec = toPayoutRecord(r.properties);
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
        const rec = toPayoutRecord(r.properties);
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
        records.map((r) => ({ key: r.key, properties: payoutProperties(r) })),
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
