/**
 * Provisioning against the sandbox portal (an unseeded store is an empty portal), through the real HubSpot
 * layer. A few tests put a small Express app in front of the sandbox to make HubSpot refuse or fail one route.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandboxApi, type SandboxApi } from '../../sandbox/api/server.js';
import { createHubSpotClient, type HubSpot } from '../../src/hubspot/client.js';
import { PARTNER_TYPES } from '../../src/engine/types.js';
import { ProvisionError, formatProvisionSummary, provisionPortal } from '../../src/services/provision.js';

const TOKEN = 'provision-test-token';

interface Portal {
  api: SandboxApi;
  url: string;
  hs: HubSpot;
  /** Calls that changed something, per `METHOD route`. */
  writes(): Record<string, number>;
  close(): Promise<void>;
}

const open: Portal[] = [];

async function startPortal(options: { intercept?: (front: Express) => void; maxAttempts?: number } = {}): Promise<Portal> {
  const api = createSandboxApi({ accessToken: TOKEN });
  const front = express();
  options.intercept?.(front);
  front.use(api.app);
  const server: Server = front.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const hs = createHubSpotClient({
    accessToken: TOKEN,
    basePath: url,
    limiter: { acquire: async () => undefined, pauseUntil: async () => undefined },
    retry: { maxAttempts: options.maxAttempts ?? 5, baseDelayMs: 1 },
  });
  const portal: Portal = {
    api,
    url,
    hs,
    writes: () => Object.fromEntries(Object.entries(api.stats.byRoute).filter(([route]) => !route.startsWith('GET '))),
    async close() {
      await api.emitter.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  open.push(portal);
  return portal;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

const definition = (p: { type: string; fieldType: string; groupName: string; options: { value: string }[]; hasUniqueValue: boolean }) => ({
  type: p.type,
  fieldType: p.fieldType,
  groupName: p.groupName,
  options: p.options.map((o) => o.value),
  hasUniqueValue: p.hasUniqueValue,
});

describe('provisionPortal on the sandbox', () => {
  it('the first run on an empty portal creates the 55 definitions of the contract, one call each', async () => {
    const { hs, writes } = await startPortal();

    const result = await provisionPortal(hs);

    expect([result.created.length, result.present, result.conflicts]).toEqual([55, [], []]);
    expect(writes()).toEqual({
      'POST /crm-object-schemas/2026-09/schemas': 2,
      'POST /crm/properties/2026-09/:objectType': 45,
      'POST /crm/properties/2026-09/:objectType/groups': 3,
      'POST /crm/associations/2026-09/:fromType/:toType/labels': 5,
    });
  });

  it('stores each definition as docs/program.md names it: types, field types, options, the unique payout key, labels with inverses', async () => {
    const { api, hs } = await startPortal();

    await provisionPortal(hs);

    const store = api.store;
    expect(store.getGroup('deals', 'pp_partner_program').label).toBe('Partner program');
    expect(definition(store.getProperty('companies', 'pp_partner_type'))).toEqual({
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'pp_partner_program',
      options: [...PARTNER_TYPES],
      hasUniqueValue: false,
    });
    expect(definition(store.getProperty('companies', 'pp_high_performer'))).toEqual({
      type: 'bool',
      fieldType: 'booleancheckbox',
      groupName: 'pp_partner_program',
      options: ['true', 'false'],
      hasUniqueValue: false,
    });
    expect(definition(store.getProperty('deals', 'pp_commission_total'))).toEqual({
      type: 'number',
      fieldType: 'number',
      groupName: 'pp_partner_program',
      options: [],
      hasUniqueValue: false,
    });
    expect(definition(store.getProperty('deals', 'pp_protection_expires_at'))).toMatchObject({ type: 'datetime', fieldType: 'date' });
    expect(definition(store.getProperty('deals', 'pp_commission_breakdown'))).toMatchObject({ type: 'string', fieldType: 'textarea' });
    expect(
      store
        .definitionsBetween('deals', 'companies')
        .filter((d) => d.category === 'USER_DEFINED')
        .map((d) => [d.name, d.label, store.definition(d.inverseTypeId)?.label]),
    ).toEqual([
      ['pp_referral_partner', 'Referral partner', 'Referred deal'],
      ['pp_finder', 'Finder', 'Found deal'],
      ['pp_co_selling_partner', 'Co-selling partner', 'Co-sold deal'],
      ['pp_implementation_partner', 'Implementation partner', 'Implemented deal'],
      ['pp_customer_success_partner', 'Customer success partner', 'Customer success deal'],
    ]);
    const payout = store.getSchema('pp_payout');
    expect(store.listProperties('pp_payout').filter((p) => p.name.startsWith('pp_')).length).toBe(16);
    expect(definition(store.getProperty('pp_payout', 'pp_payout_key'))).toMatchObject({ type: 'string', hasUniqueValue: true });
    expect(payout.requiredProperties).toEqual(['pp_payout_key']);
    expect(store.schemaAssociations(payout.objectTypeId).map((d) => d.toObjectTypeId)).toEqual(['0-3', '0-2']);
  });

  it('a second run changes nothing and says so', async () => {
    const { api, hs, writes } = await startPortal();
    await provisionPortal(hs);
    api.stats.reset();

    const lines: string[] = [];
    const second = await provisionPortal(hs, { log: (line) => lines.push(line) });

    expect([second.created, second.planned, second.conflicts, second.present.length]).toEqual([[], [], [], 55]);
    expect(writes()).toEqual({});
    expect(formatProvisionSummary(second)).toBe('nothing to do: the portal already matches (55 definitions present)\n');
    expect(lines).toContain('plan: 0 to create, 55 already present, 0 in conflict');
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const { api, hs, writes } = await startPortal();

    const lines: string[] = [];
    const result = await provisionPortal(hs, { dryRun: true, log: (line) => lines.push(line) });

    expect([result.created, result.planned.length, result.dryRun]).toEqual([[], 55, true]);
    expect(writes()).toEqual({});
    expect(api.store.listGroups('deals').map((g) => g.name)).not.toContain('pp_partner_program');
    expect(api.store.listSchemas()).toEqual([]);
    expect(lines).toContain('would create company property pp_partner_type');
    expect(formatProvisionSummary(result).split('\n').slice(0, 2)).toEqual([
      'dry run, nothing changed: 55 to create, 0 already present, 0 conflicts',
      '  would create property group pp_partner_program on companies',
    ]);
  });

  it('a pp_partner_type made as a string is reported and left as it was; everything else is created', async () => {
    const { api, hs } = await startPortal();
    api.store.createProperty('companies', {
      name: 'pp_partner_type',
      label: 'Partner type (free text)',
      type: 'string',
      fieldType: 'text',
      groupName: 'companyinformation',
    });

    const lines: string[] = [];
    const result = await provisionPortal(hs, { log: (line) => lines.push(line) });

    expect([result.created.length, result.created.includes('company property pp_partner_type')]).toEqual([54, false]);
    expect(result.conflicts).toEqual([
      'company property pp_partner_type: it is string (text), the app needs enumeration (select) with options consultant, technology, ' +
        'association, medical_advisor, channel, complementary_solution, healthcare_organization; HubSpot does not change the type of a ' +
        'property that holds values, so rename or delete it in HubSpot and run provision again',
    ]);
    expect(lines).toContain(`conflict: ${result.conflicts[0]}`);
    expect(definition(api.store.getProperty('companies', 'pp_partner_type'))).toEqual({
      type: 'string',
      fieldType: 'text',
      groupName: 'companyinformation',
      options: [],
      hasUniqueValue: false,
    });
    expect(api.store.getProperty('companies', 'pp_partner_type').label).toBe('Partner type (free text)');

    const again = await provisionPortal(hs);
    expect([again.created, again.conflicts.length, again.present.length]).toEqual([[], 1, 54]);
  });

  it('a label whose internal name is taken under another display label is refused by HubSpot (409) and explained', async () => {
    const { api, hs } = await startPortal();
    api.store.createLabel('deals', 'companies', { name: 'pp_finder', label: "Finder's fee", inverseLabel: 'Found deal' });

    const result = await provisionPortal(hs);

    expect(result.created.length).toBe(54);
    expect(result.conflicts).toEqual([
      'deal→company label pp_finder ("Finder" / inverse "Found deal"): HubSpot refused (associations.deals.companies.createLabel: ' +
        'HubSpot answered 409 OBJECT_ALREADY_EXISTS: An association label named pp_finder already exists between 0-3 and 0-2.): a label ' +
        'with the internal name pp_finder exists under another display label. The app finds labels by display label, so rename it back ' +
        'to "Finder" in HubSpot',
    ]);
  });

  it('a portal without Enterprise (403 on custom object schemas) gets everything else, and is told why payouts cannot be recorded', async () => {
    const { hs } = await startPortal({
      intercept: (front) =>
        front.all('/crm-object-schemas/2026-09/schemas', (_req, res) => {
          res.status(403).json({
            status: 'error',
            message: "This app hasn't been granted all required scopes to make this call.",
            category: 'MISSING_SCOPES',
            correlationId: 'c0ffee00-0000-4000-8000-000000000403',
          });
        }),
    });

    const result = await provisionPortal(hs);

    expect([result.created.length, result.conflicts.length]).toEqual([53, 2]);
    expect(result.conflicts[0]).toBe(
      "custom object pp_payout: HubSpot refused to list custom object schemas (schemas.getAll: HubSpot answered 403 MISSING_SCOPES: This app hasn't " +
        'been granted all required scopes to make this call.). Custom objects need an Enterprise subscription and a token with ' +
        'crm.schemas.custom.read and crm.schemas.custom.write; until pp_payout exists the app computes commissions but cannot record payouts',
    );
  });

  it('a schema create refused with 403 is a conflict naming Enterprise and crm.schemas.custom.write', async () => {
    const { hs } = await startPortal({
      intercept: (front) =>
        front.post('/crm-object-schemas/2026-09/schemas', (_req, res) => {
          res.status(403).json({ status: 'error', message: 'Custom objects require an Enterprise subscription.', category: 'FORBIDDEN' });
        }),
    });

    const result = await provisionPortal(hs);

    expect(result.created.length).toBe(53);
    expect(result.conflicts.slice(0, 1)).toEqual([
      'custom object pp_payout: HubSpot refused (schemas.create: HubSpot answered 403 FORBIDDEN: Custom objects require an Enterprise ' +
        'subscription.). Custom objects need an Enterprise subscription and a token with crm.schemas.custom.write; until pp_payout exists ' +
        'the app computes commissions but cannot record payouts',
    ]);
    expect(result.conflicts[1]).toMatch(
      /^custom object pp_activity: HubSpot refused .* until pp_activity exists partner activities cannot be recorded or paid$/,
    );
  });

  it('HubSpot failing (5xx past the retries) stops the run with what was created; a new run finishes the job', async () => {
    let failLabels = true;
    const { hs } = await startPortal({
      maxAttempts: 1,
      intercept: (front) =>
        front.post('/crm/associations/2026-09/deals/companies/labels', (_req, res, next) => {
          if (!failLabels) return next();
          res.status(503).json({ status: 'error', message: 'Service unavailable', category: 'SERVICE_UNAVAILABLE' });
        }),
    });

    const err = await provisionPortal(hs).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as ProvisionError).partial.created.length).toBe(48);
    expect((err as ProvisionError).message).toBe(
      'provisioning stopped after 48 of 55 creations: associations.deals.companies.createLabel: HubSpot failed 1 times, last with 503: ' +
        'Service unavailable. What was created is complete: run provision again to finish',
    );

    failLabels = false;
    const resumed = await provisionPortal(hs);
    expect([resumed.created.length, resumed.present.length, resumed.conflicts]).toEqual([7, 48, []]);
  });

  it('a token HubSpot refuses (401) stops before any change, saying which variable to check', async () => {
    const { url, writes } = await startPortal();
    const stranger = createHubSpotClient({
      accessToken: 'not-the-portal-token',
      basePath: url,
      limiter: { acquire: async () => undefined, pauseUntil: async () => undefined },
    });

    const err = await provisionPortal(stranger).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as ProvisionError).message).toMatch(/^HubSpot refused the access token \(.*401 INVALID_AUTHENTICATION.*\): check HUBSPOT_ACCESS_TOKEN$/);
    expect(writes()).toEqual({});
  });
});
