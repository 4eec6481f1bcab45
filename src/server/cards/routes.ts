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
 *   POST /api/cards/companies/:companyId/activities → ActivityActionResponse ("Record activity")
 *   POST /api/cards/activities/:activityId/decision → ActivityActionResponse (partner managers)
 *   GET  /api/cards/home/bonuses?year=          → BonusRankingView
 *   POST /api/cards/home/bonuses                → AwardBonusResponse (partner managers)
 *   GET  /api/cards/results?from&to             → ResultsView (program results; default the current year)
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type {
  ActivityActionResponse,
  ActivityDecisionRequest,
  AwardBonusRequest,
  RecordActivityRequest,
  AwardBonusResponse,
  BonusRankingView,
  CompanyCardView,
  DealCardView,
  HomeView,
  RegistrationActionRequest,
  RegistrationActionResponse,
  ResultsView,
  Viewer,
} from '../../../extensions/app/cards/api/contract.js';
import { loadProgramResults, parseResultsPeriod } from '../../services/program-results.js';
import { resultsView } from '../../services/cards/results-view.js';
import { createResultsLink } from '../routes/results-export.js';
import { PayloadError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';
import { buildCompanyCardView, companyCardExportUrl } from '../../services/cards/company-card.js';
import { createCardCache, type CardCache } from '../../stores/card-cache.js';
import type { CardContext } from '../../services/cards/card-context.js';
import { buildDealCardView } from '../../services/cards/deal-card.js';
import { buildHomeView } from '../../services/cards/home-view.js';
import { buildViewer } from '../../services/cards/viewer.js';
import { decideRegistration } from '../../services/decide-registration.js';
import { activityDeps, decideActivity, recordActivity, type ActivityDeps } from '../../services/activities.js';
import { awardBonus, bonusRanking } from '../../services/bonuses.js';
import { createRedisDecisionLock, type DecisionLock } from '../../stores/decision-lock.js';
import type { PartnerManagers } from '../../services/partner-managers.js';
import { programRoles } from '../../services/program-roles.js';
import { rawBody } from '../middleware/raw-body.js';
import { parseJsonBody } from '../parse-json-body.js';
import { verifyHubSpot, type SignatureSettings } from '../middleware/verify-hubspot.js';
import { cardIdentity, identityOf, requireUser } from './request-identity.js';
import { userBudget } from './user-budget.js';

export interface CardRouteDeps {
  /** How card requests are verified. @defaultValue HUBSPOT_CLIENT_SECRET, PUBLIC_BASE_URL, SIGNATURE_TOLERANCE_MS, the runtime clock */
  signature?: SignatureSettings;
  /** @defaultValue program config `partnerManagers`, teams read with the users API, cached 5 minutes */
  managers?: PartnerManagers;
  /** @defaultValue a Redis lock on the runtime's producer connection */
  lock?: DecisionLock;
  /** Card requests per user and window (user-budget.ts). @defaultValue 30 per 10 s */
  budget?: { max?: number; windowMs?: number };
  /** Largest request body accepted (a registration action is a few hundred bytes). @defaultValue 16384 */
  maxBodyBytes?: number;
  /** Card reads reused for a few seconds across users (card-cache.ts). @defaultValue CARD_CACHE_TTL_MS, in Redis */
  cache?: CardCache;
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
  const roles = programRoles(rt);
  const managers = deps.managers ?? roles.managers;
  // Like roles.mayExport, but with the managers this router was given (tests inject them).
  const mayExport = async (userId: string | null) =>
    userId !== null && ((await managers.check(userId)).isManager || (await roles.finance.check(userId)).isManager);
  const lock = deps.lock ?? createRedisDecisionLock(rt.producerRedis, rt.env.QUEUE_PREFIX);
  const activities = activityDeps(rt, managers);
  const bonusLock = createRedisDecisionLock(rt.producerRedis, rt.env.QUEUE_PREFIX, undefined, 'bonus');
  // The deal and company cards are the same for every viewer but for the viewer's own fields (added per request):
  // many users opening one record within the TTL cost the HubSpot calls of one; every action refreshes its record.
  const cache = deps.cache ?? createCardCache({ redis: rt.producerRedis, prefix: rt.env.QUEUE_PREFIX, ttlMs: rt.env.CARD_CACHE_TTL_MS });
  const NO_VIEWER: Viewer = { userId: '', isPartnerManager: false, managersHint: '' };
  const cc: CardContext = {
    activities,
    ctx: rt.cards.ctx,
    hs: rt.hs,
    managers,
    payoutObjectType: () => rt.cards.ctx.payouts.objectType(),
    // The export route is off without ADMIN_TOKEN, so there is nothing to link to then.
    exportLink: rt.env.ADMIN_TOKEN ? { publicBaseUrl: signature.publicBaseUrl, secret: signature.clientSecret } : null,
  };

  /** A registration action changes the deal's card, its partners' (their open registrations) and the home page's queues. */
  const invalidateRegistration = async (dealId: string, action: RegistrationActionRequest) => {
    await cache.invalidate('deal', dealId);
    await cache.invalidateKind('home');
    const partnerId = action.action === 'register' ? action.partnerId : action.action === 'resolve' ? action.winnerPartnerId : null;
    if (partnerId !== null) await cache.invalidate('company', partnerId);
    else await cache.invalidateKind('company');
  };

  const router = Router();
  router.use(
    '/api/cards',
    ...rawBody(deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    verifyHubSpot(signature),
    cardIdentity({ portalId: rt.env.HUBSPOT_PORTAL_ID }),
    userBudget({ redis: rt.producerRedis, prefix: rt.env.QUEUE_PREFIX, clock: rt.clock, ...deps.budget }),
    noStore,
  );

  router.get('/api/cards/deals/:dealId', async (req, res) => {
    const dealId = recordId(req.params['dealId'], 'deal');
    const viewer = await buildViewer(managers, identityOf(res).userId);
    const shared = await cache.get('deal', dealId, () => buildDealCardView(cc, dealId, NO_VIEWER));
    const view: DealCardView = { ...shared, viewer };
    res.json(view);
  });

  router.post('/api/cards/deals/:dealId/registration', async (req, res) => {
    const dealId = recordId(req.params['dealId'], 'deal');
    const userId = requireUser(identityOf(res));
    const action = parseAction(req.rawBody ?? Buffer.alloc(0));
    const decision = await decideRegistration({ ctx: rt.cards.ctx, managers, lock }, { dealId, userId, action }).finally(() =>
      invalidateRegistration(dealId, action),
    );
    const body: RegistrationActionResponse = { ok: true, message: decision.message, registrationVersion: decision.registrationVersion };
    res.json(body);
  });

  router.get('/api/cards/companies/:companyId', async (req, res) => {
    const userId = identityOf(res).userId;
    // The download link is offered to finance users and partner managers only (docs/program.md#payouts).
    const exportFor = (await mayExport(userId)) ? userId : null;
    const companyId = recordId(req.params['companyId'], 'company');
    const viewer = await buildViewer(managers, userId);
    const shared = await cache.get('company', companyId, () => buildCompanyCardView(cc, companyId, NO_VIEWER, null));
    const view: CompanyCardView = { ...shared, viewer, exportUrl: exportFor === null ? null : companyCardExportUrl(cc, companyId, exportFor) };
    res.json(view);
  });

  router.post('/api/cards/companies/:companyId/activities', async (req, res) => {
    const companyId = recordId(req.params['companyId'], 'company');
    const userId = requireUser(identityOf(res));
    const body = parseJson(req.rawBody ?? Buffer.alloc(0), recordActivitySchema, 'activity');
    const { activityId } = await recordActivity(requireActivities(activities), {
      companyId,
      type: body.type,
      name: body.name,
      date: body.date,
      proposedAmount: body.amount ?? null,
      note: body.note ?? '',
      recordedBy: `user ${userId}`,
    }).finally(() => Promise.all([cache.invalidate('company', companyId), cache.invalidateKind('home')]));
    const answer: ActivityActionResponse = { ok: true, message: 'Activity recorded: a partner manager approves or rejects it.', activityId };
    res.json(answer);
  });

  router.post('/api/cards/activities/:activityId/decision', async (req, res) => {
    const activityId = recordId(req.params['activityId'], 'activity');
    const userId = requireUser(identityOf(res));
    const decision = parseJson(req.rawBody ?? Buffer.alloc(0), activityDecisionSchema, 'activity decision');
    // The activity's company is not named here: every company card is read afresh after a decision.
    const result = await decideActivity(requireActivities(activities), { activityId, userId, decision }).finally(() =>
      Promise.all([cache.invalidateKind('company'), cache.invalidateKind('home')]),
    );
    const answer: ActivityActionResponse = { ok: true, message: result.message, activityId };
    res.json(answer);
  });

  router.get('/api/cards/home/bonuses', async (req, res) => {
    const raw = typeof req.query['year'] === 'string' ? req.query['year'] : '';
    const year = raw === '' ? new Date(rt.clock()).getUTCFullYear() : Number(raw);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new PayloadError(`"${raw}" is not a year.`);
    const ranking = await bonusRanking({ ctx: rt.cards.ctx, hs: rt.hs }, year);
    const view: BonusRankingView = {
      year,
      partnerOfTheYear: ranking.partnerOfTheYear,
      rows: ranking.rows.map((r) => ({
        partnerId: r.partnerId,
        partnerName: r.partnerName,
        revenue: r.revenueText,
        deals: r.deals,
        otherCurrencies: r.otherCurrencies,
        awards: r.awards,
      })),
    };
    res.json(view);
  });

  router.post('/api/cards/home/bonuses', async (req, res) => {
    const userId = requireUser(identityOf(res));
    const body = parseJson(req.rawBody ?? Buffer.alloc(0), awardBonusSchema, 'award');
    await cache.invalidate('company', body.partnerId);
    const result = await awardBonus(
      { ctx: rt.cards.ctx, hs: rt.hs, managers, lock: bonusLock, redis: rt.producerRedis, prefix: rt.env.QUEUE_PREFIX },
      { year: body.year, partnerId: body.partnerId, award: body.award, amount: body.amount ?? null, note: body.note ?? '', userId },
    );
    const answer: AwardBonusResponse = { ok: true, message: result.message, key: result.key };
    res.json(answer);
  });

  router.get('/api/cards/home', async (_req, res) => {
    const identity = identityOf(res);
    const portalId = identity.portalId ?? rt.env.HUBSPOT_PORTAL_ID ?? null;
    // Its lists are the same for every manager of the portal (a HubSpot search each): built once per TTL, the
    // viewer added per request; a decision from a card or from this page refreshes them.
    const viewer = await buildViewer(managers, identity.userId);
    const shared = await cache.get('home', portalId ?? 'portal', () => buildHomeView(cc, NO_VIEWER, portalId));
    const view: HomeView = { ...shared, viewer };
    res.json(view);
  });

  router.get('/api/cards/results', async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const period = parseResultsPeriod({ from: q.from, to: q.to }, rt.clock(), rt.program.config.timeZone);
    const { results } = await loadProgramResults(rt.cards.ctx, period);
    // The CSV link is offered to those who may download it (finance, partner managers), and names them.
    const { userId } = identityOf(res);
    const csvUrl =
      cc.exportLink && userId !== null && (await mayExport(userId)) ? createResultsLink({ ...cc.exportLink, period, by: userId, now: rt.clock() }) : null;
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

const recordActivitySchema: z.ZodType<RecordActivityRequest> = z.object({
  type: z.string().min(1),
  name: z.string().trim().min(1, 'an activity needs a name').max(500),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
  amount: z.string().max(40).nullable().optional(),
  note: z.string().max(2_000).optional(),
});
const activityDecisionSchema: z.ZodType<ActivityDecisionRequest> = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve'), amount: z.string().max(40).nullable().optional(), reason: z.string().max(2_000).optional() }),
  z.object({ action: z.literal('reject'), reason: z.string().trim().min(1, 'a rejection needs a reason').max(2_000) }),
]);
const awardBonusSchema: z.ZodType<AwardBonusRequest> = z.object({
  year: z.number().int().min(2000).max(2100),
  partnerId: hubspotId,
  award: z.enum(['achievement', 'partner_of_the_year']),
  amount: z.string().max(40).nullable().optional(),
  note: z.string().max(2_000).optional(),
});

/** A card action's body: the shared verify-then-parse helper, with the action named in its messages. */
function parseJson<S extends z.ZodType>(raw: Buffer, schema: S, what: string): z.output<S> {
  return parseJsonBody(raw, schema, {
    notJson: `The ${what} request is not JSON.`,
    invalid: (issues) => `The ${what} request is not valid (${issues.join('; ')}).`,
  });
}

function requireActivities(deps: ActivityDeps | null): ActivityDeps {
  if (!deps) throw new PayloadError('Activities need HUBSPOT_CLIENT_SECRET on the server (it signs the activity seals).');
  return deps;
}

/** Verify (done), then parse, then validate. */
function parseAction(raw: Buffer): RegistrationActionRequest {
  return parseJsonBody(raw, registrationActionSchema, {
    notJson: 'The registration request is not JSON.',
    invalid: (issues, error) =>
      error.issues.some((i) => i.path[0] === 'reason')
        ? "A rejection needs a reason: it is recorded on the deal's timeline."
        : `The registration request is not valid (${issues.join('; ')}).`,
  });
}
