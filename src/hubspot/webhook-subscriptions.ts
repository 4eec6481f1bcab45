/**
 * Webhook subscriptions for the records the app guards beyond deals and companies (docs/hubspot.md#webhooks):
 * every `pp_payout` property (a generic `object.propertyChange` subscription on the custom object, named
 * `p_<name>` as project files name a custom object), so an edit is restored within seconds instead of at the
 * deal's next recompute; and a contact's `pp_portal_access`, which only the app grants.
 */
import { CONTACT_WEBHOOK_PROPERTIES, PAYOUT_OBJECT, PAYOUT_WEBHOOK_PROPERTIES } from './properties.js';

export const guardedRecordSubscriptions = {
  crmObjects: PAYOUT_WEBHOOK_PROPERTIES.map((propertyName) => ({
    subscriptionType: 'object.propertyChange',
    objectType: `p_${PAYOUT_OBJECT.name}`,
    propertyName,
    active: true,
  })),
  legacyCrmObjects: CONTACT_WEBHOOK_PROPERTIES.map((propertyName) => ({ subscriptionType: 'contact.propertyChange', propertyName, active: true })),
} as const;
