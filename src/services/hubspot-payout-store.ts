/**
 * PayoutStore over the `pp_payout` custom object. The object type id differs per portal and is resolved once.
 * Reads: the keys the caller can name by batch read (consistent), plus a search by deal for the rest; a record
 * read by key wins over its search hit. Writes: one batch upsert on `pp_payout_key`; every saved record is
 * associated with its deal and partner company (repeating an association is harmless).
 */
import type { PayoutRecord } from '../engine/types.js';
import type { HubSpot } from '../hubspot/client.js';
import { payoutProperties, toPayoutRecord } from '../hubspot/mappers.js';
import { associatePayouts, readPayoutsByKeys, resolvePayoutObjectType, searchPayouts, upsertPayouts } from '../hubspot/payouts.js';
import type { PayoutStore } from './payout-store.js';

export function createHubSpotPayoutStore(hs: HubSpot): PayoutStore & { objectType(): Promise<string> } {
  let objectType: Promise<string> | null = null;
  const type = () => {
    objectType ??= resolvePayoutObjectType(hs).catch((err) => {
      objectType = null;
      throw err;
    });
    return objectType;
  };

  return {
    objectType: type,
    async forDeal(dealId, candidateKeys) {
      const t = await type();
      const byKey = new Map<string, PayoutRecord>();
      for await (const page of searchPayouts(hs, t, { dealIds: [dealId] })) {
        for (const r of page) {
          const rec = toPayoutRecord(r.properties);
          if (rec && rec.dealId === dealId) byKey.set(rec.key, rec);
        }
      }
      if (candidateKeys.length > 0) {
        const read = await readPayoutsByKeys(hs, t, candidateKeys);
        for (const r of read.values()) {
          const rec = toPayoutRecord(r.properties);
          if (rec) byKey.set(rec.key, rec);
        }
      }
      return [...byKey.values()];
    },
    async save(records) {
      if (records.length === 0) return;
      const t = await type();
      const results = await upsertPayouts(
        hs,
        t,
        records.map((r) => ({ key: r.key, properties: payoutProperties(r) })),
      );
      // Every saved record is (re)associated, not only the created ones: a job that died between the upsert
      // and the association finds `created: false` on its retry and must still link the record.
      const byKey = new Map(records.map((r) => [r.key, r]));
      const links = results.map((res) => ({ payoutId: res.id, dealId: byKey.get(res.key)!.dealId, partnerId: byKey.get(res.key)!.partnerId }));
      await associatePayouts(hs, t, links);
    },
  };
}
