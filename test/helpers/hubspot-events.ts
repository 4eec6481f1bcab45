/** HubSpot webhook events as HubSpot sends them (docs/hubspot.md#webhooks), and signed deliveries of them. */
import { signHubSpotRequest } from '../../src/server/verify-hubspot-request.js';

export const TEST_PORTAL_ID = 62515;
export const TEST_APP_ID = 54321;
export const TEST_SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';

let nextEventId = 1000;

export function dealPropertyChange(dealId: number, propertyName: string, propertyValue: string, extra: Record<string, unknown> = {}) {
  return {
    eventId: nextEventId++,
    subscriptionId: 12345,
    portalId: TEST_PORTAL_ID,
    appId: TEST_APP_ID,
    occurredAt: 1_764_000_000_000,
    subscriptionType: 'deal.propertyChange',
    attemptNumber: 0,
    objectId: dealId,
    propertyName,
    propertyValue,
    changeSource: 'CRM_UI',
    sourceId: 'userId:45678',
    ...extra,
  };
}

export function companyPropertyChange(companyId: number, propertyName: string, propertyValue: string, extra: Record<string, unknown> = {}) {
  return { ...dealPropertyChange(companyId, propertyName, propertyValue, extra), subscriptionType: 'company.propertyChange' };
}

export function dealAssociationChange(dealId: number, companyId: number, extra: Record<string, unknown> = {}) {
  return {
    eventId: nextEventId++,
    subscriptionId: 12346,
    portalId: TEST_PORTAL_ID,
    appId: TEST_APP_ID,
    occurredAt: 1_764_000_000_000,
    subscriptionType: 'deal.associationChange',
    attemptNumber: 0,
    objectId: dealId,
    associationType: 'DEAL_TO_COMPANY',
    fromObjectId: dealId,
    toObjectId: companyId,
    associationRemoved: false,
    isPrimaryAssociation: false,
    changeSource: 'CRM_UI',
    ...extra,
  };
}

export function signedHeaders(uri: string, body: string, now: number, secret = TEST_SECRET): Record<string, string> {
  return {
    'content-type': 'application/json',
    ...signHubSpotRequest({ method: 'POST', uri, rawBody: body, secret, timestamp: now }),
  };
}
