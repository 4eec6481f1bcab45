/**
 * Seeds and tests create deals whose registration the app "already wrote": this seals those values as the app
 * would (src/security/registration-guard.ts), written as the app's integration. Without it the app treats them as
 * typed in by someone else and clears them on the first recompute (docs/SECURITY.md).
 */
import { deriveKey } from '../src/security/keys.js';
import {
  PARTNER_INPUT_PROPERTIES,
  PARTNER_INPUTS_SEAL_PROPERTY,
  REGISTRATION_OWNED_PROPERTIES,
  REGISTRATION_SEAL_PROPERTY,
} from '../src/hubspot/properties.js';
import { partnerInputsSeal } from '../src/security/partner-inputs-guard.js';
import { registrationSeal } from '../src/security/registration-guard.js';
import type { SandboxStore } from './api/store.js';

export function sealDealRegistration(store: SandboxStore, dealId: string, clientSecret: string): void {
  const props = store.getRecord('deals', dealId).properties;
  const values: Record<string, string> = {};
  for (const p of REGISTRATION_OWNED_PROPERTIES) values[p] = props.get(p) ?? '';
  store.asIntegration().updateDeal(dealId, { [REGISTRATION_SEAL_PROPERTY]: registrationSeal(deriveKey(clientSecret, 'crm-seal'), dealId, values) });
}

/**
 * A partner company's inputs as if a partner manager had set them and the app had accepted them: sealed as the app
 * seals them (src/security/partner-inputs-guard.ts), so a later change by anyone else is judged against them.
 */
export function sealPartnerInputs(store: SandboxStore, companyId: string, clientSecret: string): void {
  const props = store.getRecord('companies', companyId).properties;
  if (!PARTNER_INPUT_PROPERTIES.some((p) => (props.get(p) ?? '') !== '')) return;
  const values = Object.fromEntries(PARTNER_INPUT_PROPERTIES.map((p) => [p, props.get(p) ?? '']));
  store.asIntegration().updateObject('companies', companyId, {
    [PARTNER_INPUTS_SEAL_PROPERTY]: partnerInputsSeal(deriveKey(clientSecret, 'crm-seal'), companyId, values),
  });
}
