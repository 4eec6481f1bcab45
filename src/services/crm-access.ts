/**
 * Request coalescing for the workers. Recompute jobs run one deal at a time, many at once; these loaders gather
 * what concurrent jobs ask for within a short window into one batch call of up to 100 inputs (DataLoader), so
 * a burst over 1,000 deals costs tens of HubSpot calls, not thousands. Nothing is cached across windows: every
 * job reads fresh data.
 */
import DataLoader from 'dataloader';
import { readCompanies, updateCompanies } from '../hubspot/companies.js';
import type { HubSpot } from '../hubspot/client.js';
import { readCompanyDeals, readDealCompanies } from '../hubspot/associations.js';
import { readDeals, updateDeals } from '../hubspot/deals.js';
import type { Logger } from 'pino';
import { HubSpotBatchError, HubSpotRecordRefusedError } from '../hubspot/errors.js';
import type { AssociatedCompany, Properties } from '../hubspot/mappers.js';
import { createDispatchGate, type DispatchGate } from './dispatch-gate.js';
import { COMPANY_READ_PROPERTIES, DEAL_READ_PROPERTIES } from '../hubspot/properties.js';

export interface CrmRecordLite {
  id: string;
  properties: Properties;
}

export interface PropertyUpdate {
  id: string;
  properties: Record<string, string>;
}

export interface CrmAccess {
  deal(id: string): Promise<CrmRecordLite | null>;
  deals(ids: string[]): Promise<(CrmRecordLite | null)[]>;
  company(id: string): Promise<CrmRecordLite | null>;
  companies(ids: string[]): Promise<(CrmRecordLite | null)[]>;
  dealCompanies(dealId: string): Promise<AssociatedCompany[]>;
  dealCompaniesMany(dealIds: string[]): Promise<AssociatedCompany[][]>;
  companyDeals(companyId: string): Promise<string[]>;
  updateDeal(update: PropertyUpdate): Promise<void>;
  updateCompany(update: PropertyUpdate): Promise<void>;
}

export interface CrmAccessOptions {
  /** Shared by every loader of the process (and the payout store), so batches grow while HubSpot is busy. */
  gate?: DispatchGate;
  /** Where a record HubSpot refused (a portal validation rule) is named with the rule's message. */
  logger?: Logger;
}

const MAX_BATCH = 100;

function throwIfError<T>(values: (T | Error)[]): T[] {
  for (const v of values) if (v instanceof Error) throw v;
  return values as T[];
}

export function createCrmAccess(hs: HubSpot, opts: CrmAccessOptions = {}): CrmAccess {
  const gate = opts.gate ?? createDispatchGate();
  const common = { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: gate.schedule } as const;

  const records = (read: typeof readDeals, properties: string[]) =>
    new DataLoader<string, CrmRecordLite | null>(async (ids) => {
      const found = await gate.run(() => read(hs, [...ids], properties));
      return ids.map((id) => {
        const r = found.get(id);
        return r ? { id, properties: r.properties } : null;
      });
    }, common);

  const deals = records(readDeals, DEAL_READ_PROPERTIES);
  const companies = records(readCompanies, COMPANY_READ_PROPERTIES);

  const dealCompanies = new DataLoader<string, AssociatedCompany[]>(async (ids) => {
    const found = await gate.run(() => readDealCompanies(hs, [...ids]));
    return ids.map((id) => found.get(id) ?? []);
  }, common);

  const companyDeals = new DataLoader<string, string[]>(async (ids) => {
    const found = await gate.run(() => readCompanyDeals(hs, [...ids]));
    return ids.map((id) => found.get(id) ?? []);
  }, common);

  // Writes coalesce too: one batch update per window. Two updates of the same record in one window are merged
  // (later properties win) so the batch never names a record twice.
  /** The error one update's job fails with: this record's own refusal when HubSpot gave one. */
  const refusalFor = (objectType: string, id: string, err: HubSpotBatchError): Error => {
    const own = err.failures.filter((f) => f.id === id);
    if (own.length === 0) return err;
    const refusal = new HubSpotRecordRefusedError(objectType, id, own[0]!.category, own.map((f) => f.message).join('; '));
    opts.logger?.warn(
      { objectType, recordId: id, category: refusal.category, rule: refusal.reason, operation: err.operation },
      'HubSpot refused the write of this record (validation rule or invalid value); the rest of the batch was written',
    );
    return refusal;
  };

  const writer = (objectType: string, update: typeof updateDeals) =>
    new DataLoader<PropertyUpdate, void, PropertyUpdate>(
      async (updates) => {
        const merged = new Map<string, Record<string, string>>();
        for (const u of updates) merged.set(u.id, { ...(merged.get(u.id) ?? {}), ...u.properties });
        try {
          await gate.run(() => update(hs, [...merged].map(([id, properties]) => ({ id, properties }))));
          return updates.map(() => undefined);
        } catch (err) {
          // A 207 fails only the inputs HubSpot refused; the jobs whose records were written succeed.
          if (!(err instanceof HubSpotBatchError)) throw err;
          const failed = new Set([...err.failedIds, ...err.failures.flatMap((f) => (f.id === null ? [] : [f.id]))]);
          const errors = new Map([...failed].map((id) => [id, refusalFor(objectType, id, err)]));
          return updates.map((u) => errors.get(u.id));
        }
      },
      { ...common, cacheKeyFn: (u) => u },
    );
  const dealWriter = writer('deal', updateDeals);
  const companyWriter = writer('company', updateCompanies);

  return {
    deal: (id) => deals.load(id),
    deals: async (ids) => throwIfError(await deals.loadMany(ids)),
    company: (id) => companies.load(id),
    companies: async (ids) => throwIfError(await companies.loadMany(ids)),
    dealCompanies: (id) => dealCompanies.load(id),
    dealCompaniesMany: async (ids) => throwIfError(await dealCompanies.loadMany(ids)),
    companyDeals: (id) => companyDeals.load(id),
    updateDeal: (u) => dealWriter.load(u),
    updateCompany: (u) => companyWriter.load(u),
  };
}
