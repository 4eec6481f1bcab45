/**
 * Webhooks from the sandbox to a local receiver, checked the way the app's receiver checks them: v3
 * signature over the raw body and the target URL, then the events' shapes (docs/hubspot.md#webhooks).
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandboxApi, type RunningSandboxApi } from '../../sandbox/api/server.js';
import { defaultSubscriptions, type WebhookEvent } from '../../sandbox/api/webhook-emitter.js';
import { ensureAppContract, type AppContractIds } from '../../sandbox/contract.js';
import { verifyHubSpotSignature } from '../../src/server/verify-hubspot-request.js';
import { hubspotPaths as P } from '../../src/hubspot/api-paths.js';
import { sandboxHttp, type SandboxHttp } from '../helpers/sandbox-http.js';

const TOKEN = 'webhook-token';
const SECRET = 'webhook-client-secret';
const APP_ID = 3131;
const PORTAL_ID = 8080;

interface Receiver {
  url: string;
  /** Events of requests whose signature verified, in arrival order. */
  events: WebhookEvent[];
  batchSizes: number[];
  signatureFailures: number;
  /** Status answered to the next requests, then 204. */
  answers: number[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const app = express();
  const receiver = { events: [], batchSizes: [], signatureFailures: 0, answers: [] } as unknown as Receiver;
  app.post('/hubspot/webhooks', express.raw({ type: 'application/json' }), (req, res) => {
    const rawBody = req.body as Buffer;
    try {
      verifyHubSpotSignature(
        {
          method: 'POST',
          uri: receiver.url,
          rawBody,
          timestamp: req.header('x-hubspot-request-timestamp'),
          signature: req.header('x-hubspot-signature-v3'),
        },
        { secret: SECRET, now: Date.now() },
      );
    } catch {
      receiver.signatureFailures++;
      res.status(401).end();
      return;
    }
    const answer = receiver.answers.shift() ?? 204;
    if (answer < 300) {
      const events = JSON.parse(rawBody.toString('utf8')) as WebhookEvent[];
      receiver.events.push(...events);
      receiver.batchSizes.push(events.length);
    }
    res.status(answer).end();
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hubspot/webhooks`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

let api: RunningSandboxApi;
let receiver: Receiver;
let hs: SandboxHttp;
let contract: AppContractIds;

beforeEach(async () => {
  receiver = await startReceiver();
  api = await startSandboxApi({
    accessToken: TOKEN,
    appId: APP_ID,
    portalId: PORTAL_ID,
    clientSecret: SECRET,
    webhook: { targetUrl: receiver.url, batchDelayMs: 5, retryBaseMs: 5 },
  });
  contract = api.store.silently(() => ensureAppContract(api.store));
  hs = sandboxHttp(api.url, TOKEN);
});

afterEach(async () => {
  await api.close();
  await receiver.close();
});

const summary = (events: WebhookEvent[]) =>
  events.map((e) => [e.subscriptionType, e.propertyName ?? null, e.propertyValue ?? null, e.changeSource, e.sourceId ?? null]);

describe('webhooks', () => {
  it('an API write arrives signed (v3 verifies over the target URL) with changeSource INTEGRATION and the app id as sourceId', async () => {
    const deal = api.store.silently(() => api.store.createObject('deals', { dealname: 'Hooked', amount: '100' }));
    await hs.ok('PATCH', `${P.objects('deals')}/${deal.id}`, { properties: { amount: '250', dealname: 'Renamed' } });
    await api.emitter.flush();

    expect(receiver.signatureFailures).toBe(0);
    expect(receiver.events).toEqual([
      {
        eventId: expect.any(Number),
        subscriptionId: expect.any(Number),
        portalId: PORTAL_ID,
        appId: APP_ID,
        occurredAt: expect.any(Number),
        subscriptionType: 'deal.propertyChange',
        attemptNumber: 0,
        objectId: Number(deal.id),
        propertyName: 'amount',
        propertyValue: '250',
        changeSource: 'INTEGRATION',
        sourceId: String(APP_ID),
      },
    ]);
  });

  it('a change made as a user in the CRM carries changeSource CRM_UI and sourceId userId:<id>', async () => {
    const company = api.store.silently(() => api.store.createObject('companies', { name: 'Partner', pp_consultant_count: '8' }));
    api.store.actAsUser(555).updateCompany(company.id, { pp_consultant_count: '12' });
    await api.emitter.flush();
    expect(summary(receiver.events)).toEqual([['company.propertyChange', 'pp_consultant_count', '12', 'CRM_UI', 'userId:555']]);
  });

  it('only values that really change are sent: 45000.00 over 45000 sends nothing', async () => {
    const deal = api.store.silently(() => api.store.createObject('deals', { amount: '45000', closedate: '2026-05-01T00:00:00Z' }));
    await hs.ok('PATCH', `${P.objects('deals')}/${deal.id}`, { properties: { amount: '45000.00', closedate: String(Date.UTC(2026, 4, 1)) } });
    await hs.ok('PATCH', `${P.objects('deals')}/${deal.id}`, { properties: { amount: '45001' } });
    await api.emitter.flush();
    expect(summary(receiver.events)).toEqual([['deal.propertyChange', 'amount', '45001', 'INTEGRATION', String(APP_ID)]]);
  });

  it('a created deal sends deal.creation, then a propertyChange for each subscribed property it was created with', async () => {
    const created: { id: string } = await hs.ok('POST', P.objects('deals'), {
      properties: { dealname: 'New', amount: '10', closedate: '2026-06-01T00:00:00Z' },
      associations: [],
    });
    await api.emitter.flush();
    expect(receiver.events[0]).toMatchObject({ subscriptionType: 'deal.creation', objectId: Number(created.id), changeFlag: 'NEW' });
    expect(summary(receiver.events.slice(1)).map(([, name, value]) => [name, value])).toEqual([
      ['amount', '10'],
      ['closedate', String(Date.UTC(2026, 5, 1))],
      ['pipeline', 'default'],
      ['dealstage', 'appointmentscheduled'],
    ]);
  });

  it('outputs the app writes (pp_commission_total) are not subscribed, so they never echo back', async () => {
    const deal = api.store.silently(() => api.store.createObject('deals', { amount: '10' }));
    await hs.ok('PATCH', `${P.objects('deals')}/${deal.id}`, { properties: { pp_commission_total: '1.20', pp_partner_tier: 'tier_1' } });
    await api.emitter.flush();
    expect(receiver.events).toEqual([]);
  });

  it('a deal\u2013company association sends deal.associationChange DEAL_TO_COMPANY; adding a label to it later sends nothing', async () => {
    const { deal, company } = api.store.silently(() => ({
      deal: api.store.createObject('deals', { dealname: 'D' }).id,
      company: api.store.createObject('companies', { name: 'C' }).id,
    }));
    await hs.ok('PUT', P.associateRecords('deals', deal, 'companies', company), [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 341 }]);
    await api.emitter.flush();
    const afterAdd = receiver.events.length;
    await hs.ok('PUT', P.associateRecords('deals', deal, 'companies', company), [
      { associationCategory: 'USER_DEFINED', associationTypeId: contract.labelTypeIds.pp_finder },
    ]);
    await api.emitter.flush();
    expect(receiver.events.length).toBe(afterAdd);
    expect(receiver.events).toEqual([
      expect.objectContaining({
        subscriptionType: 'deal.associationChange',
        associationType: 'DEAL_TO_COMPANY',
        fromObjectId: Number(deal),
        toObjectId: Number(company),
        associationRemoved: false,
        isPrimaryAssociation: false,
        changeSource: 'INTEGRATION',
      }),
    ]);
  });

  it('removing the association sends associationRemoved: true, with isPrimaryAssociation for a primary company', async () => {
    const { deal, company } = api.store.silently(() => {
      const d = api.store.createObject('deals', { dealname: 'D' }).id;
      const c = api.store.createObject('companies', { name: 'C' }).id;
      api.store.asIntegration().associateDealCompany(d, c, { primary: true });
      return { deal: d, company: c };
    });
    api.store.actAsUser(7).removeDealCompany(deal, company);
    await api.emitter.flush();
    expect(receiver.events.map((e) => [e.associationRemoved, e.isPrimaryAssociation, e.changeSource])).toEqual([[true, true, 'CRM_UI']]);
  });

  it('events are batched at most 100 per POST, each eventId once and increasing within a batch', async () => {
    const ids = api.store.silently(() => Array.from({ length: 150 }, (_, i) => api.store.createObject('deals', { amount: String(i) }).id));
    const rep = api.store.actAsUser(1);
    for (const id of ids) rep.updateDeal(id, { amount: '999999' });
    await api.emitter.flush();
    const eventIds = receiver.events.map((e) => e.eventId);
    expect([...receiver.batchSizes].sort((a, b) => b - a)).toEqual([100, 50]);
    expect(new Set(eventIds).size).toBe(150);
  });

  it('a 500 is retried with a fresh signature and attemptNumber 1; a 400 is not retried', async () => {
    const deal = api.store.silently(() => api.store.createObject('deals', { amount: '1' }));
    receiver.answers.push(500);
    api.store.actAsUser(1).updateDeal(deal.id, { amount: '2' });
    await api.emitter.flush();
    receiver.answers.push(400);
    api.store.actAsUser(1).updateDeal(deal.id, { amount: '3' });
    await api.emitter.flush();

    expect(receiver.events.map((e) => [e.propertyValue, e.attemptNumber])).toEqual([['2', 1]]);
    expect(api.emitter.deliveries.map((d) => [d.delivered, d.attempts.map((a) => a.status)])).toEqual([
      [true, [500, 204]],
      [false, [400]],
    ]);
  });

  it('paused in drop mode, a webhook is lost for good (the reconciliation case); hold mode delivers on resume', async () => {
    const deal = api.store.silently(() => api.store.createObject('deals', { amount: '1' }));
    api.emitter.pause('drop');
    api.store.actAsUser(1).updateDeal(deal.id, { amount: '2' });
    api.emitter.resume();
    api.emitter.pause('hold');
    api.store.actAsUser(1).updateDeal(deal.id, { amount: '3' });
    await api.emitter.flush();
    const whilePaused = receiver.events.length;
    api.emitter.resume();
    await api.emitter.flush();
    expect([whilePaused, api.emitter.droppedEvents, receiver.events.map((e) => e.propertyValue)]).toEqual([0, 1, ['3']]);
  });

  it('the default subscriptions are exactly the ones the app declares in its webhooks hsmeta', () => {
    const hsmeta = JSON.parse(readFileSync(new URL('../../extensions/app/webhooks/webhooks-hsmeta.json', import.meta.url), 'utf8')) as {
      config: { subscriptions: { legacyCrmObjects: { subscriptionType: string; propertyName?: string; active: boolean }[] } };
    };
    const declared = hsmeta.config.subscriptions.legacyCrmObjects
      .filter((s) => s.active)
      .map((s) => `${s.subscriptionType}${s.propertyName ? `:${s.propertyName}` : ''}`);
    const ours = defaultSubscriptions().map((s) => `${s.subscriptionType}${s.propertyName ? `:${s.propertyName}` : ''}`);
    expect([...ours].sort()).toEqual([...declared].sort());
  });
});
