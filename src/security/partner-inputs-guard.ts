/**
 * The partner inputs of a company (`pp_partner_type`, `pp_consultant_count`, …) are changed only by partner
 * managers (docs/program.md#who-may-change-what): they move rates and release payout holds. The app keeps their
 * last accepted values in a seal (`pp_partner_inputs_seal`, src/security/app-owned.ts) written with every
 * acceptance, and in Redis (a deleted or broken CRM seal costs nothing). A read takes the sealed values; the
 * company recompute (src/services/partner-inputs.ts) asks who made each difference and accepts a partner
 * manager's (resealed) or restores anyone else's.
 *
 * A company the app never sealed (created before this guard, or by hand) is adopted as it is at its first
 * recompute: there is no earlier accepted value to go back to.
 */
import { checkOwned, sealOwned, type FieldChange, type OwnedValues } from './app-owned.js';
import type { Properties } from '../hubspot/mappers.js';
import { PARTNER_INPUT_PROPERTIES, PARTNER_INPUTS_SEAL_PROPERTY } from '../hubspot/properties.js';
import { sameValue } from '../hubspot/changed-properties.js';

const NUMBERS: ReadonlySet<string> = new Set([
  'pp_consultant_count',
  'pp_annual_co_marketing_investment',
  'pp_commitment_years',
  'pp_annual_sales_volume_potential',
]);
const same = (p: string, a: string, b: string) => sameValue(a, b, NUMBERS.has(p) ? 'number' : 'text');

export const partnerInputsScope = (companyId: string) => `company:${companyId}:partner-inputs`;

export interface GuardedPartnerInputs {
  /** The company's properties with every partner input as last accepted. */
  trusted: Properties;
  /** The last accepted inputs; null when the app never sealed this company (adopted as it is). */
  sealed: OwnedValues | null;
  /** Inputs that differ from the accepted ones (and the seal itself, when the CRM's was deleted or broken). */
  changes: FieldChange[];
}

/** `backupSeal`: the app's own copy of the last seal, used when the CRM's is missing or broken. */
export function guardPartnerInputs(key: Buffer, companyId: string, props: Properties, backupSeal?: string | null): GuardedPartnerInputs {
  const result = checkOwned({
    key,
    scope: partnerInputsScope(companyId),
    properties: PARTNER_INPUT_PROPERTIES,
    current: props,
    seal: props[PARTNER_INPUTS_SEAL_PROPERTY],
    same,
    backup: { seal: backupSeal, property: PARTNER_INPUTS_SEAL_PROPERTY },
  });
  if (result.seal !== 'valid') return { trusted: props, sealed: null, changes: [] };
  return { trusted: { ...props, ...result.trusted }, sealed: result.trusted, changes: result.changes };
}

/** The seal to write with accepted partner inputs. */
export function partnerInputsSeal(key: Buffer, companyId: string, values: Record<string, string | null | undefined>): string {
  return sealOwned(key, partnerInputsScope(companyId), PARTNER_INPUT_PROPERTIES, values);
}
