/**
 * The API versions the sandbox serves: the ones the app calls (src/hubspot/api-paths.ts), and nothing older.
 * A numbered version (`/crm/v3/…`) answers 404 saying it is a legacy path, so a test that still calls one
 * fails loudly instead of passing against an API HubSpot is retiring.
 */
import { HUBSPOT_API_VERSION, USERS_API_VERSION } from '../../src/hubspot/api-paths.js';

export const V = HUBSPOT_API_VERSION;
export const USERS_V = USERS_API_VERSION;

/** `/crm/v3/…`, `/automation/v4/…`, `/settings/v3/…`, `/crm-object-schemas/v3/…`: HubSpot's numbered versions. */
export const LEGACY_PATH = /\/v[1-4](\/|$)/;
