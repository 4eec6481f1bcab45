/**
 * Where payout records live: the `pp_payout` custom object in HubSpot (docs/program.md#payouts).
 * Every write is an upsert on the unique `pp_payout_key`, so a retried job or a repeated trigger writes the
 * same record again and never a second one.
 */
import type { PayoutRecord } from '../engine/types.js';

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
