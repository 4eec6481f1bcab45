/**
 * The card backend (extensions/app/cards/api/contract.ts): the deal card, registration actions, the company
 * card and the partner managers' home page. Every request is a HubSpot-signed `hubspot.fetch` call: the raw
 * body and full URI are verified (401 when forged or stale), then the user and portal are read from the signed
 * query (403 for another portal), then the body is parsed and validated. Errors answer
 * `{ error: { code, message } }` through the app's error middleware; cards show `message` as it is.
 *
 *   GET  /api/cards/deals/:dealId               → DealCardView
 *   POST /api/cards/deals/:dealId/registration  → RegistrationActionResponse
 *   GET  /api/cards/companies/:companyId        → CompanyCardView
 *   GET  /api/cards/home                        → HomeView
 *   GET  /api/cards/results?from&to             → ResultsView (program results; default the current year)
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type {
  CompanyCardView,
  DealCardView,
  HomeView,
  RegistrationActionRequest,
  RegistrationActionResponse,
  ResultsView,
} from '../../../extensions/app/cards/api/contract.js';
import { loadProgramResults, parseResultsPeriod } from '../../services/program-results.js';
import { resultsView } from '../../services/cards/results-view.js';
import { createResultsLink } from '../routes/results-export.js';
import { PayloadError } from '../../errors.js';
import { readUserTeams } from '../../hubspot/users.js';
import type { Runtime } from '../../runtime.js';
import { buildCompanyCardView } from '../../services/cards/company-card.js';
import type { CardContext } from '../../services/cards/card-context.js';
import { buildDealCardView } from '../../services/cards/deal-card.js';
import { buildHomeView } from '../../services/cards/home-view.js';
import { buildViewer } from '../../services/cards/viewer.js';
import { decideRegistration } from '../../services/decide-registration.js';
import { createRedisDecisionLock, type DecisionLock } from '../../services/decision-lock.js';
import { createPartnerManagers, type PartnerManagers } from '../../services/partner-managers.js';
import { rawBody } from '../middleware/raw-body.js';
import { verifyHubSpot, type SignatureSettings } from '../middleware/verify-hubspot.js';
import { cardIdentity, identityOf, requireUser } from './request-identity.js';

export interface CardRouteDeps {
  /** How card requests are verified. @defaultValue HUBSPOT_CLIENT_SECRET, PUBLIC_BASE_URL, SIGNATURE_TOLERANCE_MS, the runtime clock */
  signature?: SignatureSettings;
  /** @defaultValue program config `partnerManagers`, teams read with the users API, cached 5 minutes */
  managers?: PartnerManagers;
  /** @defaultValue a Redis lock on the runtime's producer connection */
  lock?: DecisionLock;
  /** Largest request body accepted (a registration action is a few hundred bytes). @defaultValue 16384 */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

const hubspotId = z.string().regex(/^\d+$/, 'a numeric HubSpot id');
const expectedVersion = z.string().min(1, 'expectedVersion is required (the registrationVersion the card showed)');

/** RegistrationActionRequest, validated; unknown keys (an identity in the body, say) are dropped. */
export const registrationActionSchema: z.ZodType<RegistrationActionRequest> = z.discriminatedUnion('action', [
  z.object({ action: z.literal('register'), partnerId: hubspotId, expectedVersion }),
  z.object({ action: z.literal('approve'), expectedVersion }),
  z.object({
    action: z.literal('reject'),
    reason: z.string().trim().min(1, 'a rejection needs a reason').max(2_000, 'keep the reason under 2,000 characters'),
    expectedVersion,
  }),
  z.object({ action: z.literal('resolve'), winnerPartnerId: hubspotId, expectedVersion }),
]);

export function cardRoutes(rt: Runtime, deps: CardRouteDeps = {}): Router {
  const signature = deps.signature ?? signatureFromEnv(rt);
  const managers =
    deps.managers ??
    createPartnerManagers({
      userIds: rt.program.config.partnerManagers.userIds,
      teamIds: rt.program.config.partnerManagers.teamIds,
      readTeams: async (userId) => (await readUserTeams(rt.hs, userId))?.teamIds ?? null,
      clock: rt.clock,
      logger: rt.logger,
    });
  const lock = deps.lock ?? createRedisDecisionLock(rt.producerRedis, rt.env.QUEUE_PREFIX);
  const cc: CardContext = {
    ctx: rt.ctx,
    hs: rt.hs,
    managers,
    payoutObjectType: () => rt.ctx.payouts.objectType(),
    // The export route is off without ADMIN_TOKEN, so there is nothing to link to then.
    exportLink: rt.env.ADMIN_TOKEN ? { publicBaseUrl: signature.publicBaseUrl, secret: signature.clientSecret } : null,
  };

  const router = Router();
  router.use(
    '/api/cards',
    ...rawBody(deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    verifyHubSpot(signature),
    cardIdentity({ portalId: rt.env.HUBSPOT_PORTAL_ID }),
    noStore,
  );

  router.get('/api/cards/deals/:dealId', async (req, res) => {
    const dealId = recordId(req.params['dealId'], 'deal');
    const viewer = await buildViewer(managers, identityOf(res).userId);
    const view: DealCardView = await buildDealCardView(cc, dealId, viewer);
    res.json(view);
  });

  router.post('/api/cards/deals/:dealId/registration', async (req, res) => {
    const dealId = recordId(req.params['dealId'], 'deal');
    const userId = requireUser(identityOf(res));
    const action = parseAction(req.rawBody ?? Buffer.alloc(0));
    const decision = await decideRegistration({ ctx: rt.ctx, hs: rt.hs, managers, lock }, { dealId, userId, action });
    const body: RegistrationActionResponse = { ok: true, message: decision.message, registrationVersion: decision.registrationVersion };
    res.json(body);
  });

  router.get('/api/cards/companies/:companyId', async (req, res) => {
    const view: CompanyCardView = await buildCompanyCardView(cc, recordId(req.params['companyId'], 'company'));
    res.json(view);
  });

  router.get('/api/cards/home', async (_req, res) => {
    const identity = identityOf(res);
    const view: HomeView = await buildHomeView(cc, await buildViewer(managers, identity.userId), identity.portalId ?? rt.env.HUBSPOT_PORTAL_ID ?? null);
    res.json(view);
  });

  router.get('/api/cards/results', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const period = parseResultsPeriod({ from: q.from, to: q.to }, rt.clock(), rt.program.config.timeZone);
    const { results } = await loadProgramResults({ ctx: rt.ctx, hs: rt.hs, payoutObjectType: cc.payoutObjectType }, period);
    const csvUrl = cc.exportLink ? createResultsLink({ ...cc.exportLink, period, now: rt.clock() }) : null;
    const view: ResultsView = resultsView(results, csvUrl);
    res.json(view);
  });

  return router;
}

function signatureFromEnv(rt: Runtime): SignatureSettings {
  const clientSecret = rt.env.HUBSPOT_CLIENT_SECRET;
  if (!clientSecret) {
    throw new Error('the card backend needs HUBSPOT_CLIENT_SECRET (or deps.signature) to verify HubSpot-signed card requests');
  }
  return { clientSecret, publicBaseUrl: rt.env.PUBLIC_BASE_URL, toleranceMs: rt.env.SIGNATURE_TOLERANCE_MS, clock: rt.clock };
}

/** Answers depend on who asks and change with every decision: no cache may keep them. */
const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

function recordId(raw: string | undefined, what: string): string {
  if (raw === undefined || !/^\d+$/.test(raw)) throw new PayloadError(`"${raw ?? ''}" is not a HubSpot ${what} id.`);
  return raw;
}

/** Verify (done), then parse, then validate. */
function parseAction(raw: Buffer): RegistrationActionRequest {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new PayloadError('The registration request is not JSON.');
  }
  const parsed = registrationActionSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
  if (parsed.error.issues.some((i) => i.path[0] === 'reason')) {
    throw new PayloadError("A rejection needs a reason: it is recorded on the deal's timeline.", issues);
  }
  throw new PayloadError(`The registration request is not valid (${issues.join('; ')}).`, issues);
}
