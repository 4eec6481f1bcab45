/**
 * Seeds and tests create deals whose registration the app "already wrote": this seals those values as the app
 * would (src/security/registration-guard.ts), written as the app's integration. Without it the app treats them as
 * typed in by someone else and clears them on the first recompute (docs/SECURITY.md).
 */
import { deriveKey } from '../src/security/keys.js';
import { REGISTRATION_OWNED_PROPERTIES, REGISTRATION_SEAL_PROPERTY } from '../src/hubspot/properties.js';
import { registrationSeal } from '../src/security/registration-guard.js';
import type { SandboxStore } from './api/store.js';

export function sealDealRegistration(store: SandboxStore, dealId: string, clientSecret: string): void {
  const props = store.getRecord('deals', dealId).properties;
  const values: Record<string, string> = {};
  for (const p of REGISTRATION_OWNED_PROPERTIES) values[p] = props.get(p) ?? '';
  store.asIntegration().updateDeal(dealId, { [REGISTRATION_SEAL_PROPERTY]: registrationSeal(deriveKey(clientSecret, 'crm-seal'), dealId, values) });
}
