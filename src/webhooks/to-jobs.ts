/**
 * Which recompute a HubSpot event asks for, or why it asks for none. Pure: the receiver calls it per event.
 *
 * A webhook's value is only a hint: the worker re-reads the record, so every relevant event maps to "recompute
 * this deal" or "recompute this company", never to a delta. A deletion is a recompute too: the worker finds the
 * deal gone and treats it as leaving closed-won (docs/program.md#after-close-changes-reversals-and-adjustments: a deleted deal counts as leaving closed-won).
 */
import {
  COMPANY_APP_GUARDED_PROPERTIES,
  PAYOUT_OBJECT,
  PAYOUT_PROPERTIES,
  DEAL_APP_OWNED_PROPERTIES,
  COMPANY_OUTPUT_PROPERTIES,
  COMPANY_TRIGGER_PROPERTIES,
  DEAL_OUTPUT_PROPERTIES,
  DEAL_TRIGGER_PROPERTIES,
} from '../hubspot/properties.js';
import type { HubSpotEvent } from './schemas.js';

export type RecomputeTarget =
  | { kind: 'deal'; id: string }
  | { kind: 'company'; id: string }
  | { kind: 'activity'; id: string }
  /** A `pp_payout` record someone changed: read it (which restores it) and recompute its deal. */
  | { kind: 'payout'; id: string }
  /** A contact whose `pp_portal_access` someone set: checked against who set it. */
  | { kind: 'contact'; id: string };

export type EventDecision = { action: 'recompute'; targets: RecomputeTarget[] } | { action: 'ignore'; reason: string };

export interface EventFilter {
  /** Events of another app are not ours (one receiver may front several apps). */
  appId?: string | undefined;
  /** Events of another portal are not ours. */
  portalId?: string | undefined;
  /** The portal's `pp_activity` objectTypeId (`2-…`) when known; unknown, every custom-object event goes to the activity sync, which ignores ids that are not activities. */
  activityObjectTypeId?: string | undefined;
  /** The portal's `pp_payout` objectTypeId when known; unknown, a `2-…` event naming a payout property is a payout's. */
  payoutObjectTypeId?: string | undefined;
}

const DEAL_TRIGGERS = new Set(DEAL_TRIGGER_PROPERTIES);
const DEAL_APP_OWNED = new Set(DEAL_APP_OWNED_PROPERTIES);
const COMPANY_GUARDED = new Set(COMPANY_APP_GUARDED_PROPERTIES);
const PAYOUT_FIELDS = new Set(PAYOUT_PROPERTIES.map((p) => p.name));

/**
 * A change of a guarded property made by someone else (not this app), with the record the restore reads who
 * made it under (`deal:<id>`, `company:<id>`, `payout:<id>`, `contact:<id>`): the intake remembers the author
 * for the restore's timeline note and for the finance / partner-manager checks. Null for anything else.
 */
export function foreignChangeKey(event: HubSpotEvent, filter: EventFilter): string | null {
  const { object, action } = parseSubscription(event);
  if (action !== 'propertyChange' || !event.objectId || isOwnWrite(event, filter.appId)) return null;
  const name = event.propertyName ?? '';
  if (object === 'deal' && DEAL_APP_OWNED.has(name)) return `deal:${event.objectId}`;
  if (object === 'company' && COMPANY_GUARDED.has(name)) return `company:${event.objectId}`;
  if (object === 'contact' && name === PORTAL_ACCESS_PROPERTY) return `contact:${event.objectId}`;
  if (isPayoutEvent(object, event, filter)) return `payout:${event.objectId}`;
  return null;
}

/** A change of an app-owned deal property made by someone else (not this app): to be restored and noted. */
export function isForeignOwnedChange(event: HubSpotEvent, filter: EventFilter): boolean {
  return foreignChangeKey(event, filter)?.startsWith('deal:') ?? false;
}

const PORTAL_ACCESS_PROPERTY = 'pp_portal_access';

/**
 * A `pp_payout` event: the object named as the hsmeta subscription names it, the portal's objectTypeId when
 * known, or (a `2-…` id not known here) a property only payout records have.
 */
function isPayoutEvent(object: string, event: HubSpotEvent, filter: EventFilter): boolean {
  if (object === `p_${PAYOUT_OBJECT.name}` || object === PAYOUT_OBJECT.name) return true;
  if (filter.payoutObjectTypeId) return object === filter.payoutObjectTypeId;
  return /^2-\d+$/.test(object) && PAYOUT_FIELDS.has(event.propertyName ?? '');
}
const COMPANY_TRIGGERS = new Set(COMPANY_TRIGGER_PROPERTIES);
const OBJECT_TYPE_IDS: Record<string, 'deal' | 'company' | 'contact'> = { '0-3': 'deal', '0-2': 'company', '0-1': 'contact' };

/**
 * `deal.propertyChange` or generic `object.propertyChange` with objectTypeId 0-3 → ['deal', 'propertyChange'].
 * Remembered per subscription type: a delivery is up to 100 events of a few types, each asked about more than once.
 */
const subscriptions = new Map<string, { object: string; action: string }>();
function parseSubscription(event: HubSpotEvent): { object: string; action: string } {
  const key = event.objectTypeId === undefined ? event.subscriptionType : `${event.subscriptionType} ${event.objectTypeId}`;
  let parsed = subscriptions.get(key);
  if (!parsed) {
    const [object = '', action = ''] = event.subscriptionType.split('.');
    parsed = object === 'object' && event.objectTypeId ? { object: OBJECT_TYPE_IDS[event.objectTypeId] ?? event.objectTypeId, action } : { object, action };
    // Types come from signed deliveries, but the memory stays bounded whatever is sent.
    if (subscriptions.size >= 256) subscriptions.clear();
    subscriptions.set(key, parsed);
  }
  return parsed;
}

/**
 * HubSpot marks writes made through an app as changeSource INTEGRATION with the app in sourceId; the exact
 * sourceId format is not documented (docs/hubspot.md#webhooks), so both "123" and "app:123" style values match.
 */
export function isOwnWrite(event: HubSpotEvent, appId: string | undefined): boolean {
  if (!appId || event.changeSource !== 'INTEGRATION' || !event.sourceId) return false;
  const source = event.sourceId;
  return source === appId || source.split(':').pop() === appId;
}

export function decideEvent(event: HubSpotEvent, filter: EventFilter): EventDecision {
  if (filter.portalId && event.portalId !== filter.portalId) return { action: 'ignore', reason: `portal ${event.portalId} is not this app's portal` };
  if (filter.appId && event.appId && event.appId !== filter.appId) return { action: 'ignore', reason: `event of app ${event.appId}` };
  const { object, action } = parseSubscription(event);
  const objectId = event.objectId;

  if (object === 'deal') {
    if (!objectId) return { action: 'ignore', reason: 'deal event without objectId' };
    switch (action) {
      case 'creation':
      case 'deletion':
      case 'restore':
      case 'associationChange':
        return { action: 'recompute', targets: [{ kind: 'deal', id: objectId }] };
      case 'merge': {
        const ids = new Set([objectId, event.primaryObjectId, event.newObjectId, ...(event.mergedObjectIds ?? [])]);
        return { action: 'recompute', targets: [...ids].filter((x): x is string => !!x).map((id) => ({ kind: 'deal' as const, id })) };
      }
      case 'propertyChange':
        // App-owned values changed by someone else: the recompute restores them (before the loop guard below).
        if (isForeignOwnedChange(event, filter)) return { action: 'recompute', targets: [{ kind: 'deal', id: objectId }] };
        return propertyDecision(event, { kind: 'deal', id: objectId }, DEAL_TRIGGERS, DEAL_OUTPUT_PROPERTIES, filter);
      default:
        return { action: 'ignore', reason: `deal.${action} is not handled` };
    }
  }
  if (object === 'company') {
    if (!objectId) return { action: 'ignore', reason: 'company event without objectId' };
    if (action === 'propertyChange') {
      // A partner input (or its seal) changed by someone else: the recompute accepts a partner manager's change
      // and restores anyone else's (docs/program.md#who-may-change-what).
      if (foreignChangeKey(event, filter)) return { action: 'recompute', targets: [{ kind: 'company', id: objectId }] };
      return propertyDecision(event, { kind: 'company', id: objectId }, COMPANY_TRIGGERS, COMPANY_OUTPUT_PROPERTIES, filter);
    }
    if (action === 'associationChange' && event.associationType === 'COMPANY_TO_DEAL' && event.toObjectId) {
      return { action: 'recompute', targets: [{ kind: 'deal', id: event.toObjectId }] };
    }
    // A deleted partner leaves its deals' associations behind to be re-read by the nightly refresh.
    return { action: 'ignore', reason: `company.${action} does not change a deal by itself` };
  }
  if (object === 'contact') {
    // pp_portal_access set by someone else: checked (and restored unless the app set it); unsetting is honoured.
    if (!objectId || action !== 'propertyChange') return { action: 'ignore', reason: `contact.${action} is not handled` };
    if (!foreignChangeKey(event, filter))
      return { action: 'ignore', reason: `${event.propertyName ?? 'a property'} of a contact is not guarded, or was written by this app` };
    return { action: 'recompute', targets: [{ kind: 'contact', id: objectId }] };
  }
  if (isPayoutEvent(object, event, filter)) {
    if (!objectId) return { action: 'ignore', reason: 'payout event without objectId' };
    if (event.subscriptionType.endsWith('.propertyChange') && isOwnWrite(event, filter.appId)) {
      return { action: 'ignore', reason: `${event.propertyName ?? 'a property'} was written by this app` };
    }
    return { action: 'recompute', targets: [{ kind: 'payout', id: objectId }] };
  }
  if (/^2-\d+$/.test(object) || object === 'p_pp_activity' || object === 'pp_activity') return activityDecision(event, object, filter);
  return { action: 'ignore', reason: `${event.subscriptionType} is not a subscription of this app` };
}

/**
 * `pp_activity` events (custom-object subscriptions): any change may matter (a status someone set, a frozen field
 * edited, a deletion), so every one syncs the activity except the app's own writes; the sync is idempotent.
 */
function activityDecision(event: HubSpotEvent, object: string, filter: EventFilter): EventDecision {
  if (filter.activityObjectTypeId && /^2-/.test(object) && object !== filter.activityObjectTypeId) {
    return { action: 'ignore', reason: `${object} is not the pp_activity object` };
  }
  if (!event.objectId) return { action: 'ignore', reason: 'activity event without objectId' };
  if (event.subscriptionType.endsWith('.propertyChange') && isOwnWrite(event, filter.appId)) {
    return { action: 'ignore', reason: `${event.propertyName ?? 'a property'} was written by this app` };
  }
  return { action: 'recompute', targets: [{ kind: 'activity', id: event.objectId }] };
}

function propertyDecision(event: HubSpotEvent, target: RecomputeTarget, triggers: Set<string>, outputs: Set<string>, filter: EventFilter): EventDecision {
  const name = event.propertyName ?? '';
  // The loop guard: what the app writes never starts a recompute (docs/program.md#how-outputs-are-written: the webhooks of its own writes are ignored).
  if (outputs.has(name)) return { action: 'ignore', reason: `${name} is an output of this app` };
  if (isOwnWrite(event, filter.appId)) return { action: 'ignore', reason: `${name} was written by this app` };
  if (!triggers.has(name)) return { action: 'ignore', reason: `${name} is not an input of the program` };
  return { action: 'recompute', targets: [target] };
}
