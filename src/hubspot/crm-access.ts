/**
 * Request coalescing for the workers. Recompute jobs run one deal at a time, many at once; these loaders gather
 * what concurrent jobs ask for into batch calls of up to 100 distinct inputs (DataLoader, sent by the dispatch
 * gate's schedule: full batches, see dispatch-gate.ts), so a burst over 1,000 deals costs tens of HubSpot calls,
 * not thousands. Nothing is cached across batches: every job reads fresh data.
 */
import { readCompanies, updateCompanies } from './companies.js';
import type { HubSpot } from './client.js';
import { readCompanyDeals, readDealCompanies } from './associations.js';
import { readDeals, updateDeals } from './deals.js';
import type { Logger } from 'pino';
import { HubSpotBatchError, HubSpotRecordRefusedError } from './errors.js';
import type { AssociatedCompany, Properties } from './mappers.js';
import { coalescingLoader, createDispatchGate, type DispatchGate } from './dispatch-gate.js';
import { COMPANY_READ_PROPERTIES, DEAL_READ_PROPERTIES } from './properties.js';
import type { FieldChange, OwnedValues, SealBackup } from '../security/app-owned.js';
import { REGISTRATION_SEAL_PROPERTY } from './properties.js';
import { guardRegistration, registrationScope } from '../security/registration-guard.js';
import { guardPartnerInputs, partnerInputsScope } from '../security/partner-inputs-guard.js';
import { PARTNER_INPUTS_SEAL_PROPERTY } from './properties.js';

export interface CrmRecordLite {
  id: string;
  /** For a deal: the registration fields are the app's last values (registration-guard.ts), never a foreign edit. */
  properties: Properties;
  /** A deal's properties as the CRM holds them (compare against these before writing). */
  raw?: Properties;
  /** A deal's app-owned values that someone else changed (found → restored). */
  foreign?: FieldChange[];
  /**
   * A deal's app-owned registration values as last sealed by the app; a company's partner inputs as last
   * accepted (absent when the app never sealed them: adopted as they are).
   */
  sealed?: OwnedValues;
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
  /** The seal key (keys.ts `crm-seal`): deal reads then return the app's own registration values. */
  sealKey?: Buffer;
  /** The app's copy of each seal it writes (used when the CRM's seal was deleted or broken). */
  sealBackup?: SealBackup;
  /** Shared by every loader of the process (and the payout store), so batches grow while HubSpot is busy. */
  gate?: DispatchGate;
  /** Where a record HubSpot refused (a portal validation rule) is named with the rule's message. */
  logger?: Logger;
}

const MAX_BATCH = 100;

export function createCrmAccess(hs: HubSpot, opts: CrmAccessOptions = {}): CrmAccess {
  const gate = opts.gate ?? createDispatchGate();
  const common = { maxBatchSize: MAX_BATCH } as const;
  const reads = { ...common, shareWhileOpen: true } as const;

  const records = (read: typeof readDeals, properties: string[]) =>
    coalescingLoader<string, CrmRecordLite | null>(
      gate,
      async (ids) => {
        const found = await read(hs, [...ids], properties);
        return ids.map((id) => {
          const r = found.get(id);
          return r ? { id, properties: r.properties } : null;
        });
      },
      reads,
    );

  const dealRecords = records(readDeals, DEAL_READ_PROPERTIES);
  const guard = async (r: CrmRecordLite | null): Promise<CrmRecordLite | null> => {
    if (!r || !opts.sealKey) return r;
    let g = guardRegistration(opts.sealKey, r.id, r.properties);
    // The backup is read only when the CRM's values do not match its seal (rare: a foreign change).
    if (g.changes.length > 0 && opts.sealBackup) g = guardRegistration(opts.sealKey, r.id, r.properties, await opts.sealBackup.get(registrationScope(r.id)));
    return { id: r.id, properties: g.trusted, raw: r.properties, foreign: g.changes, sealed: g.sealed };
  };
  const deals = {
    load: async (id: string) => guard(await dealRecords.load(id)),
    loadMany: async (ids: string[]) => Promise.all((await dealRecords.loadMany(ids)).map(guard)),
  };
  const companyRecords = records(readCompanies, COMPANY_READ_PROPERTIES);
  /** A company's partner inputs are the last accepted ones (partner-inputs-guard.ts); `foreign` lists the differences. */
  const guardCompany = async (r: CrmRecordLite | null): Promise<CrmRecordLite | null> => {
    if (!r || !opts.sealKey) return r;
    let g = guardPartnerInputs(opts.sealKey, r.id, r.properties);
    // The backup is read only for a foreign change, or a partner whose CRM seal is gone (not for every customer).
    const unsealedPartner = g.sealed === null && !!(r.properties.pp_partner_type || r.properties[PARTNER_INPUTS_SEAL_PROPERTY]);
    if ((g.changes.length > 0 || unsealedPartner) && opts.sealBackup) {
      const backup = await opts.sealBackup.get(partnerInputsScope(r.id));
      if (backup) g = guardPartnerInputs(opts.sealKey, r.id, r.properties, backup);
    }
    return { id: r.id, properties: g.trusted, raw: r.properties, foreign: g.changes, ...(g.sealed ? { sealed: g.sealed } : {}) };
  };
  const companies = {
    load: async (id: string) => guardCompany(await companyRecords.load(id)),
    loadMany: async (ids: string[]) => Promise.all((await companyRecords.loadMany(ids)).map(guardCompany)),
  };

  const dealCompanies = coalescingLoader<string, AssociatedCompany[]>(
    gate,
    async (ids) => {
      const found = await readDealCompanies(hs, [...ids]);
      return ids.map((id) => found.get(id) ?? []);
    },
    reads,
  );

  const companyDeals = coalescingLoader<string, string[]>(
    gate,
    async (ids) => {
      const found = await readCompanyDeals(hs, [...ids]);
      return ids.map((id) => found.get(id) ?? []);
    },
    reads,
  );

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
    coalescingLoader<PropertyUpdate, void, PropertyUpdate>(
      gate,
      async (updates) => {
        const merged = new Map<string, Record<string, string>>();
        for (const u of updates) merged.set(u.id, { ...(merged.get(u.id) ?? {}), ...u.properties });
        try {
          await update(
            hs,
            [...merged].map(([id, properties]) => ({ id, properties })),
          );
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
    deals: (ids) => deals.loadMany(ids),
    company: (id) => companies.load(id),
    companies: (ids) => companies.loadMany(ids),
    dealCompanies: (id) => dealCompanies.load(id),
    dealCompaniesMany: (ids) => dealCompanies.loadMany(ids),
    companyDeals: (id) => companyDeals.load(id),
    updateDeal: async (u) => {
      await dealWriter.load(u);
      const seal = u.properties[REGISTRATION_SEAL_PROPERTY];
      if (seal && opts.sealBackup) await opts.sealBackup.set(registrationScope(u.id), seal);
    },
    updateCompany: async (u) => {
      await companyWriter.load(u);
      const seal = u.properties[PARTNER_INPUTS_SEAL_PROPERTY];
      if (seal && opts.sealBackup) await opts.sealBackup.set(partnerInputsScope(u.id), seal);
    },
  };
}
