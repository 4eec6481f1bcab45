/**
 * Scenarios a user runs against the running sandbox (`npm run sandbox -- register|approve|close-won|reopen`):
 * each moves a demo deal the way a person in HubSpot would, then waits for the app to settle and reports what
 * changed. Registration decisions go through the real card backend, signed exactly as HubSpot signs a card's
 * hubspot.fetch request; stage changes are made "in the CRM" by the demo sales rep, so HubSpot-style signed
 * webhooks reach the receiver.
 *
 * Mounted on the app's HTTP server in sandbox mode only, behind the sandbox's access token.
 */
import { Router, type Request, type RequestHandler } from 'express';
import { waitUntilIdle } from '../src/queue/idle.js';
import type { Runtime } from '../src/runtime.js';
import { signHubSpotRequest } from '../src/server/verify-hubspot-request.js';
import type { DemoPortal } from './demo.js';
import { DEMO_USERS } from './seed.js';

export const SCENARIOS = ['register', 'approve', 'reject', 'close-won', 'reopen', 'status'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface ScenarioResult {
  scenario: Scenario;
  dealId: string;
  dealName: string;
  message: string;
  deal: Record<string, string | null>;
  payouts: Record<string, string | null>[];
}

const OUTPUTS = [
  'dealstage',
  'pp_registration_status',
  'pp_protection_status',
  'pp_protection_expires_at',
  'pp_commission_total',
  'pp_partner_tier',
  'pp_payout_status',
  'pp_commission_breakdown',
];

export interface ScenarioDeps {
  portal: DemoPortal;
  runtime: () => Runtime;
  /** The receiver's own URL (card requests go there) and the public base HubSpot would have signed. */
  receiverUrl: () => string;
  publicBaseUrl: string;
}

function bearer(token: string): RequestHandler {
  return (req, res, next) => {
    if (req.headers.authorization === `Bearer ${token}`) next();
    else res.status(401).json({ error: { code: 'unauthorized', message: 'use the sandbox access token' } });
  };
}

export function scenarioRoutes(deps: ScenarioDeps): Router {
  const router = Router();
  router.post('/sandbox/scenarios/:name', bearer(deps.portal.accessToken), async (req, res) => {
    const name = req.params.name as Scenario;
    if (!SCENARIOS.includes(name)) {
      res.status(404).json({ error: { code: 'not_found', message: `unknown scenario; try one of ${SCENARIOS.join(', ')}` } });
      return;
    }
    try {
      res.json(await runScenario(deps, name, dealIdOf(req, deps)));
    } catch (err) {
      res.status(400).json({ error: { code: 'scenario_failed', message: (err as Error).message } });
    }
  });
  return router;
}

/** The story the README tells uses one deal: rule 6, a $1M deal with a referral partner and three co-sellers. */
function dealIdOf(req: Request, deps: ScenarioDeps): string {
  const body = (req.body ?? {}) as { dealId?: unknown };
  const q = typeof req.query.deal === 'string' ? req.query.deal : typeof body.dealId === 'string' ? body.dealId : undefined;
  return q ?? deps.portal.ids.deals.rule6CoSelling;
}

async function cardRequest(deps: ScenarioDeps, userId: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const query = `portalId=${deps.portal.portalId}&userId=${userId}&userEmail=${encodeURIComponent('demo@example.com')}&appId=${deps.portal.appId}`;
  const pathWithQuery = `${path}?${query}`;
  const raw = body === undefined ? '' : JSON.stringify(body);
  const headers = {
    'content-type': 'application/json',
    ...signHubSpotRequest({ method, uri: `${deps.publicBaseUrl}${pathWithQuery}`, rawBody: raw, secret: deps.portal.clientSecret, timestamp: Date.now() }),
  };
  const res = await fetch(`${deps.receiverUrl()}${pathWithQuery}`, { method, headers, ...(method === 'POST' ? { body: raw } : {}) });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const error = json.error as { message?: string } | undefined;
    throw new Error(`${method} ${path} answered ${res.status}: ${error?.message ?? JSON.stringify(json)}`);
  }
  return json;
}

/** Webhooks delivered and every recompute they caused done. */
function settle(deps: ScenarioDeps): Promise<void> {
  return waitUntilIdle({ queues: [deps.runtime().queues.sync], beforeEachLook: () => deps.portal.emitter.flush(), pollMs: 150 });
}

export async function runScenario(deps: ScenarioDeps, name: Scenario, dealId: string): Promise<ScenarioResult> {
  const { portal } = deps;
  const deal = portal.store.findRecord('deals', dealId);
  if (!deal) throw new Error(`no deal ${dealId} in the sandbox portal`);
  const rep = DEMO_USERS.salesRep.id;
  const manager = DEMO_USERS.partnerManager.id;
  let message: string;

  switch (name) {
    case 'register': {
      const view = (await cardRequest(deps, rep, 'GET', `/api/cards/deals/${dealId}`)) as {
        partners: { companyId: string; roles: { role: string }[] }[];
        registrationVersion: string;
      };
      const partner = view.partners.find((p) => p.roles.some((r) => r.role === 'pp_referral_partner')) ?? view.partners[0];
      if (!partner) throw new Error('the deal has no partner to register');
      const out = await cardRequest(deps, rep, 'POST', `/api/cards/deals/${dealId}/registration`, {
        action: 'register',
        partnerId: partner.companyId,
        expectedVersion: view.registrationVersion,
      });
      message = String(out.message ?? 'registered');
      break;
    }
    case 'approve':
    case 'reject': {
      const view = (await cardRequest(deps, manager, 'GET', `/api/cards/deals/${dealId}`)) as { registrationVersion: string };
      const body =
        name === 'approve'
          ? { action: 'approve', expectedVersion: view.registrationVersion }
          : { action: 'reject', reason: 'Rejected from the sandbox scenario.', expectedVersion: view.registrationVersion };
      const out = await cardRequest(deps, manager, 'POST', `/api/cards/deals/${dealId}/registration`, body);
      message = String(out.message ?? name);
      break;
    }
    case 'close-won':
      portal.store.actAsUser(rep).updateDeal(dealId, { dealstage: 'closedwon', closedate: String(Date.now()) });
      message = 'the rep moved the deal to Closed Won in the CRM';
      break;
    case 'reopen':
      portal.store.actAsUser(rep).updateDeal(dealId, { dealstage: 'contractsent' });
      message = 'the rep moved the deal back to Contract Sent';
      break;
    case 'status':
      message = 'current state';
      break;
  }

  await settle(deps);
  const after = portal.store.getRecord('deals', dealId);
  const payouts = portal.store
    .listRecords(portal.ids.payoutObjectTypeId)
    .filter((p) => p.properties.get('pp_deal_id') === dealId)
    .map((p) => pick(p.properties, ['pp_payout_key', 'pp_amount', 'pp_currency', 'pp_status', 'pp_hold_reason']));
  return {
    scenario: name,
    dealId,
    dealName: after.properties.get('dealname') ?? dealId,
    message,
    deal: pick(after.properties, OUTPUTS),
    payouts,
  };
}

function pick(props: Map<string, string>, names: string[]): Record<string, string | null> {
  return Object.fromEntries(names.map((n) => [n, props.get(n) ?? null]));
}
