/**
 * The partner portal, served by the app under /portal (docs/portal.md). Server-rendered pages; a session in
 * Redis (express-session + connect-redis) bound to ONE contact and ONE partner company; double-submit CSRF
 * tokens tied to the session (csrf-csrf) on every form; sign-in requests rate-limited in Redis
 * (express-rate-limit + rate-limit-redis) so every process shares one count.
 *
 * Authorization: every page reads the partner id from the session, never from the request; a deal, payout or
 * period of another partner answers 404 (nothing says it exists). Access is read again from HubSpot at least
 * every `accessRecheckMs` (5 min): a contact whose access was unset, or whose association changed, is out.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import { RedisStore } from 'connect-redis';
import { doubleCsrf } from 'csrf-csrf';
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import session from 'express-session';
import { RedisStore as RateLimitRedisStore, type RedisReply } from 'rate-limit-redis';
import { isLocalDevelopment } from '../config/env.js';
import { formatDay } from '../engine/protection.js';
import { AppError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { createRedisDecisionLock } from '../stores/decision-lock.js';
import { createPartnerManagers } from '../services/partner-managers.js';
import { readUserTeams } from '../hubspot/users.js';
import { buildPortalHome, listPayouts, listReferrals, referralDetail } from '../services/portal/partner-view.js';
import { activityDeps } from '../services/activities.js';
import { listPartnerActivities, portalActivityTypes, submitPartnerActivity, validateActivity, type ActivityForm } from '../services/portal/activities.js';
import { checkPortalAccess, type PortalUser } from '../services/portal/portal-access.js';
import { DEFAULT_PORTAL_SETTINGS, type PortalContext, type PortalSettings } from '../services/portal/portal-context.js';
import { requestSignInLink } from '../services/portal/invite.js';
import { createShortCache } from '../services/portal/short-cache.js';
import { consumeSignInLink, peekSignInLink } from '../services/portal/sign-in-links.js';
import { buildStatementCsv, parsePeriod } from '../services/portal/statement.js';
import { allowedReferralKinds, submitReferral, validateReferral, type ReferralForm } from '../services/portal/submit-referral.js';
import {
  confirmSignInPage,
  homePage,
  messagePage,
  newActivityPage,
  newReferralPage,
  outboxPage,
  payoutsPage,
  referralPage,
  referralsPage,
  signInPage,
  type PageContext,
} from './views.js';

declare module 'express-session' {
  interface SessionData {
    contactId: string;
    partnerId: string;
    /** Program clock (epoch ms) of the last access check against HubSpot. */
    checkedAt: number;
    name: string;
    partnerName: string;
    partnerType: string;
    email: string | null;
    /** Set on pages shown before sign-in so the session (and its CSRF binding) persists. */
    visitor: boolean;
  }
}

export interface PortalRouteOptions {
  /** Overrides of the defaults (tests shorten nothing; they move the clock). */
  settings?: Partial<PortalSettings>;
  /** Sign-in requests per client address per window. @defaultValue 20 per 15 minutes */
  signInLimit?: { limit: number; windowMs: number };
  /** Build the context with this (tests); default from the runtime. */
  context?: PortalContext;
}

const CSS = readFileSync(fileURLToPath(new URL('./assets/portal.css', import.meta.url)), 'utf8');

export function createPortalContext(rt: Runtime, settings: Partial<PortalSettings> = {}): PortalContext {
  const portal = rt.program.config.partnerPortal;
  return {
    ctx: rt.interactive.ctx,
    hs: rt.interactive.hs,
    redis: rt.producerRedis,
    prefix: `${rt.env.QUEUE_PREFIX}:portal`,
    managers: createPartnerManagers({
      userIds: rt.program.config.partnerManagers.userIds,
      teamIds: rt.program.config.partnerManagers.teamIds,
      readTeams: async (userId) => (await readUserTeams(rt.interactive.hs, userId))?.teamIds ?? null,
      clock: rt.clock,
      logger: rt.logger,
    }),
    lock: createRedisDecisionLock(rt.producerRedis, rt.env.QUEUE_PREFIX),
    mailer: rt.mailer,
    publicBaseUrl: rt.env.PUBLIC_BASE_URL,
    settings: {
      ...DEFAULT_PORTAL_SETTINGS,
      pipeline: portal.pipeline,
      dealStage: portal.dealStage,
      ...settings,
    },
    cache: createShortCache({ ttlMs: 15_000, clock: rt.clock }),
    logger: rt.logger.child({ component: 'portal' }),
    activities: activityDeps(rt, undefined, rt.interactive),
  };
}

/** The session secret: PORTAL_SESSION_SECRET, else derived from the app's client secret (never the same bytes). */
function sessionSecret(rt: Runtime): string {
  if (rt.env.PORTAL_SESSION_SECRET) return rt.env.PORTAL_SESSION_SECRET;
  const base = rt.env.HUBSPOT_CLIENT_SECRET;
  if (!base) throw new Error('the partner portal needs PORTAL_SESSION_SECRET or HUBSPOT_CLIENT_SECRET to sign its cookies');
  return createHmac('sha256', base).update('partner-portal-session').digest('hex');
}

export function portalRoutes(rt: Runtime, opts: PortalRouteOptions = {}): Router {
  const pc = opts.context ?? createPortalContext(rt, opts.settings);
  const secure = !isLocalDevelopment(rt.env.PUBLIC_BASE_URL);
  const secret = sessionSecret(rt);
  const router = Router();
  const outbox = pc.mailer.mode === 'outbox';

  router.get('/portal/assets/portal.css', (_req, res) => {
    res.type('text/css').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(CSS);
  });

  router.use(
    '/portal',
    (_req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Frame-Options', 'DENY');
      res.setHeader('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
      res.setHeader('Referrer-Policy', 'no-referrer');
      next();
    },
    cookieParser(),
    express.urlencoded({ extended: false, limit: '32kb' }),
    session({
      name: secure ? '__Host-pp-portal' : 'pp-portal',
      secret,
      store: new RedisStore({ client: rt.producerRedis, prefix: `${pc.prefix}:session:`, ttl: Math.ceil(pc.settings.sessionIdleMs / 1000) }),
      resave: false,
      saveUninitialized: false,
      // Every request moves the idle deadline: the session ends after 12 hours without one.
      rolling: true,
      cookie: { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: pc.settings.sessionIdleMs },
    }),
  );

  const { generateCsrfToken, doubleCsrfProtection } = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => req.sessionID,
    cookieName: secure ? '__Host-pp-csrf' : 'pp-csrf',
    cookieOptions: { httpOnly: true, secure, sameSite: 'lax', path: '/' },
    getCsrfTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf,
  });
  /** A form page: persist the session (so the CSRF token stays bound to it) and hand out a token. */
  const csrfFor = (req: Request, res: Response): string => {
    if (!req.session.contactId) req.session.visitor = true;
    return generateCsrfToken(req, res);
  };

  const limit = opts.signInLimit ?? { limit: 20, windowMs: 15 * 60_000 };
  const signInLimiter = rateLimit({
    windowMs: limit.windowMs,
    limit: limit.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // The app trusts X-Forwarded-For (it runs behind a proxy, app.ts): the proxy in front must overwrite that
    // header, or a client could pick its own address. Said in docs/portal.md; the library's warning is off.
    validate: { trustProxy: false },
    store: new RateLimitRedisStore({
      prefix: `${pc.prefix}:rl:`,
      // The worker connection queues commands until Redis is ready (the producer one fails fast by design).
      sendCommand: (command: string, ...args: string[]) => rt.workerRedis.call(command, ...args) as Promise<RedisReply>,
    }),
    handler: (_req, res) => {
      res.status(429).send(messagePage({ title: 'Too many attempts', heading: 'Too many sign-in attempts', message: 'Wait a few minutes, then try again.' }));
    },
  });

  const page = (req: Request, extra: Partial<PageContext> = {}): PageContext => ({
    title: '',
    user: req.session.contactId ? { name: req.session.name ?? '', partnerName: req.session.partnerName ?? '' } : undefined,
    outbox,
    ...extra,
  });

  /** The signed-in user, with access re-read from HubSpot when the last check is older than the limit. */
  const requireUser: RequestHandler = (req, res, next) => {
    void (async () => {
      const s = req.session;
      if (!s.contactId || !s.partnerId) {
        res.redirect(303, '/portal/sign-in');
        return;
      }
      const now = pc.ctx.clock();
      if (now - (s.checkedAt ?? 0) >= pc.settings.accessRecheckMs) {
        const access = await checkPortalAccess(pc, s.contactId);
        if (!access.ok || access.partnerId !== s.partnerId) {
          const message = access.ok ? 'Your portal access changed: sign in again.' : access.message;
          pc.logger.info({ contactId: s.contactId, reason: access.ok ? 'partner changed' : access.reason }, 'portal session ended: access re-check failed');
          await new Promise<void>((resolve) => s.destroy(() => resolve()));
          res.status(403).send(messagePage({ title: 'Signed out', heading: 'You are signed out', message, outbox }));
          return;
        }
        s.checkedAt = now;
      }
      res.locals['portalUser'] = {
        contactId: s.contactId,
        partnerId: s.partnerId,
        partnerName: s.partnerName ?? '',
        partnerType: s.partnerType ?? '',
        email: s.email ?? null,
        name: s.name ?? '',
      } satisfies PortalUser;
      next();
    })().catch(next);
  };
  const userOf = (res: Response): PortalUser => res.locals['portalUser'] as PortalUser;
  const wrap =
    (fn: (req: Request, res: Response) => Promise<void>): RequestHandler =>
    (req, res, next) =>
      void fn(req, res).catch(next);

  // Sign-in -----------------------------------------------------------------------------------------------
  router.get('/portal/sign-in', (req, res) => {
    if (req.session.contactId) return res.redirect(303, '/portal');
    res.send(signInPage(page(req, { csrf: csrfFor(req, res), title: 'Sign in' })));
  });

  router.post(
    '/portal/sign-in',
    signInLimiter,
    doubleCsrfProtection,
    wrap(async (req, res) => {
      const email = String((req.body as Record<string, unknown>).email ?? '').trim();
      const message = 'If that address belongs to a partner portal user, a sign-in link is on its way. It works once, for 30 minutes.';
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        res.status(400).send(signInPage({ ...page(req, { csrf: csrfFor(req, res) }), problem: 'Enter an email address, e.g. name@example.com.' }));
        return;
      }
      // The same answer, as fast, whether or not the address is known: the work goes on after the answer.
      void requestSignInLink(pc, email).catch((err: unknown) => pc.logger.warn({ err: (err as Error).message }, 'portal sign-in link request failed'));
      res.send(signInPage({ ...page(req, { csrf: csrfFor(req, res) }), message }));
    }),
  );

  const linkProblem = (reason: 'expired' | 'used' | 'unknown'): string =>
    reason === 'expired'
      ? 'This sign-in link has expired (links work for 30 minutes). Ask for a new one.'
      : reason === 'used'
        ? 'This sign-in link was already used (each link works once). Ask for a new one.'
        : 'This sign-in link is not valid. Ask for a new one.';

  router.get(
    '/portal/auth/:token',
    signInLimiter,
    wrap(async (req, res) => {
      const token = String(req.params['token']);
      const link = await peekSignInLink(pc, token);
      if (!link.ok) {
        res.status(410).send(signInPage({ ...page(req, { csrf: csrfFor(req, res) }), problem: linkProblem(link.reason) }));
        return;
      }
      // A confirmation step: mail scanners that open links must not use them up.
      res.send(confirmSignInPage({ ...page(req, { csrf: csrfFor(req, res) }), token }));
    }),
  );

  router.post(
    '/portal/auth/:token',
    signInLimiter,
    doubleCsrfProtection,
    wrap(async (req, res) => {
      const link = await consumeSignInLink(pc, String(req.params['token']));
      if (!link.ok) {
        res.status(410).send(signInPage({ ...page(req, { csrf: csrfFor(req, res) }), problem: linkProblem(link.reason) }));
        return;
      }
      const access = await checkPortalAccess(pc, link.contactId);
      if (!access.ok) {
        res.status(403).send(signInPage({ ...page(req, { csrf: csrfFor(req, res) }), problem: access.message }));
        return;
      }
      // A new session id at sign-in (no fixation), bound to this contact and this partner company.
      await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
      Object.assign(req.session, {
        contactId: access.contactId,
        partnerId: access.partnerId,
        checkedAt: pc.ctx.clock(),
        name: access.name,
        partnerName: access.partnerName,
        partnerType: access.partnerType,
        email: access.email,
      });
      pc.logger.info({ contactId: access.contactId, partnerId: access.partnerId }, 'portal sign-in');
      res.redirect(303, '/portal');
    }),
  );

  router.post('/portal/sign-out', doubleCsrfProtection, (req, res, next) => {
    req.session.destroy((err) => (err ? next(err) : res.redirect(303, '/portal/sign-in')));
  });

  // Pages ---------------------------------------------------------------------------------------------------
  router.get(
    '/portal',
    requireUser,
    wrap(async (req, res) => {
      const partnerId = userOf(res).partnerId;
      const [home, activities] = await Promise.all([buildPortalHome(pc, partnerId), listPartnerActivities(pc, partnerId)]);
      if (!home) throw new AppError('Your partner company was not found in HubSpot.', { status: 404 });
      res.send(homePage(page(req, { csrf: csrfFor(req, res), flash: takeFlash(req) }), home, { activities, canSubmit: pc.activities != null }));
    }),
  );

  router.get(
    '/portal/referrals',
    requireUser,
    wrap(async (req, res) => {
      res.send(referralsPage(page(req, { csrf: csrfFor(req, res), flash: takeFlash(req) }), await listReferrals(pc, userOf(res).partnerId)));
    }),
  );

  const blankForm = (currency: string): ReferralForm => ({
    customerName: '',
    customerDomain: '',
    contactName: '',
    contactEmail: '',
    firstYearValue: '',
    currency,
    closeDate: '',
    referralKind: '',
    note: '',
    submissionToken: randomBytes(18).toString('base64url'),
  });
  const formPage = (req: Request, res: Response, form: ReferralForm, errors = {}, problem?: string) =>
    newReferralPage({
      ...page(req, { csrf: csrfFor(req, res) }),
      form,
      errors,
      problem,
      kinds: allowedReferralKinds(pc, userOf(res).partnerType),
      currencies: Object.keys(pc.ctx.program.config.currencies),
    });

  router.get('/portal/referrals/new', requireUser, (req, res) => {
    res.send(formPage(req, res, blankForm(pc.ctx.program.config.portalCurrency)));
  });

  router.post(
    '/portal/referrals',
    requireUser,
    doubleCsrfProtection,
    wrap(async (req, res) => {
      const body = req.body as Record<string, unknown>;
      const form = Object.fromEntries(
        (
          [
            'customerName',
            'customerDomain',
            'contactName',
            'contactEmail',
            'firstYearValue',
            'currency',
            'closeDate',
            'referralKind',
            'note',
            'submissionToken',
          ] as const
        ).map((k) => [k, typeof body[k] === 'string' ? (body[k] as string) : '']),
      ) as unknown as ReferralForm;
      const user = userOf(res);
      const valid = validateReferral(pc, user, form);
      if (!valid.ok) {
        res.status(400).send(formPage(req, res, form, valid.errors));
        return;
      }
      try {
        const result = await submitReferral(pc, user, valid.value);
        req.session.flash = result.repeated ? result.message : submittedMessage(result.registrationStatus);
        res.redirect(303, `/portal/referrals/${result.dealId}`);
      } catch (err) {
        if (err instanceof AppError && err.status < 500) {
          res.status(err.status).send(formPage(req, res, form, {}, err.message));
          return;
        }
        throw err;
      }
    }),
  );

  // Activities: conference presentations and case studies, for the session's company only -----------------
  /** A message page for a signed-in partner (its sign-out form needs the CSRF token). */
  const sendMessage = (req: Request, res: Response, status: number, text: { title: string; heading: string; message: string }) => {
    res.status(status).send(messagePage({ ...page(req, { csrf: csrfFor(req, res) }), ...text }));
  };
  const activityFormPage = (req: Request, res: Response, form: ActivityForm, errors = {}, problem?: string) =>
    newActivityPage({ ...page(req, { csrf: csrfFor(req, res) }), form, errors, problem, types: portalActivityTypes() });
  const blankActivity = (): ActivityForm => ({ type: '', name: '', date: '', submissionToken: randomBytes(18).toString('base64url') });

  router.get('/portal/activities/new', requireUser, (req, res) => {
    if (!pc.activities) {
      sendMessage(req, res, 404, {
        title: 'Not available',
        heading: 'Activities are not available',
        message: 'Activities cannot be submitted here right now; ask your partner manager to record yours.',
      });
      return;
    }
    res.send(activityFormPage(req, res, blankActivity()));
  });

  router.post(
    '/portal/activities',
    requireUser,
    doubleCsrfProtection,
    wrap(async (req, res) => {
      const body = req.body as Record<string, unknown>;
      // Only these fields are read: a company or contact in the form is ignored, the session names both.
      const form = Object.fromEntries(
        (['type', 'name', 'date', 'submissionToken'] as const).map((k) => [k, typeof body[k] === 'string' ? (body[k] as string) : '']),
      ) as unknown as ActivityForm;
      const valid = validateActivity(form, formatDay(pc.ctx.clock(), pc.ctx.program.config.timeZone));
      if (!valid.ok) {
        res.status(400).send(activityFormPage(req, res, form, valid.errors));
        return;
      }
      try {
        const result = await submitPartnerActivity(pc, userOf(res), valid.value);
        req.session.flash = result.repeated
          ? 'This activity was already submitted: it is recorded once.'
          : 'Thank you: your activity is submitted and waits for a partner manager’s approval.';
        res.redirect(303, '/portal#activities');
      } catch (err) {
        if (err instanceof AppError && err.status < 500) {
          res.status(err.status).send(activityFormPage(req, res, form, {}, err.message));
          return;
        }
        throw err;
      }
    }),
  );

  router.get(
    '/portal/referrals/:dealId',
    requireUser,
    wrap(async (req, res) => {
      const dealId = String(req.params['dealId']);
      const view = /^\d+$/.test(dealId) ? await referralDetail(pc, userOf(res).partnerId, dealId) : null;
      if (!view) {
        sendMessage(req, res, 404, { title: 'Not found', heading: 'Referral not found', message: 'There is no referral of yours with that number.' });
        return;
      }
      res.send(referralPage(page(req, { csrf: csrfFor(req, res), flash: takeFlash(req) }), view));
    }),
  );

  router.get(
    '/portal/payouts',
    requireUser,
    wrap(async (req, res) => {
      const tz = pc.ctx.program.config.timeZone;
      const now = pc.ctx.clock();
      const quarter = pc.ctx.stats.quarter(now);
      res.send(
        payoutsPage(
          { ...page(req, { csrf: csrfFor(req, res) }), from: formatDay(quarter.start, tz), to: formatDay(quarter.end - 1, tz) },
          await listPayouts(pc, userOf(res).partnerId),
        ),
      );
    }),
  );

  router.get(
    '/portal/payouts/statement.csv',
    requireUser,
    wrap(async (req, res) => {
      const period = parsePeriod(pc, req.query['from'], req.query['to']);
      const { csv } = await buildStatementCsv(pc, userOf(res).partnerId, period);
      res.type('text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="payout-statement-${period.from}-to-${period.to}.csv"`);
      res.send(csv);
    }),
  );

  if (outbox) {
    router.get(
      '/portal/outbox',
      wrap(async (req, res) => {
        res.send(outboxPage(page(req, { csrf: req.session.contactId ? csrfFor(req, res) : undefined }), await pc.mailer.outbox()));
      }),
    );
  }

  router.use('/portal', portalErrors(pc, page));
  return router;
}

declare module 'express-session' {
  interface SessionData {
    flash: string;
  }
}

function takeFlash(req: Request): string | undefined {
  const flash = req.session.flash;
  if (flash !== undefined) delete req.session.flash;
  return flash;
}

function submittedMessage(status: string): string {
  switch (status) {
    case 'pending':
      return 'Thank you: your referral is registered and waits for a partner manager’s decision. We email you when it is decided.';
    case 'disputed':
      return 'Your referral is registered, but another partner already holds a protected registration for this customer: a partner manager will resolve it.';
    case 'rejected':
      return 'Your referral was created, but its registration does not qualify (see the reason below).';
    default:
      return 'Your referral was submitted.';
  }
}

/** Errors as pages (the API's JSON error handler is for machines). CSRF failures say what to do. */
function portalErrors(pc: PortalContext, page: (req: Request, extra?: Partial<PageContext>) => PageContext) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { code?: string; status?: number };
    if (e?.code === 'EBADCSRFTOKEN' || (e?.status === 403 && (err as Error).message?.includes('csrf'))) {
      res
        .status(403)
        .send(messagePage({ ...page(req), title: 'Form expired', heading: 'The form expired', message: 'Reload the page and send the form again.' }));
      return;
    }
    if (err instanceof AppError && err.status < 500) {
      res.status(err.status).send(messagePage({ ...page(req), title: 'Problem', heading: 'That did not work', message: err.message }));
      return;
    }
    pc.logger.error({ err, path: req.path }, 'portal error');
    res
      .status(500)
      .send(
        messagePage({ ...page(req), title: 'Error', heading: 'Something went wrong', message: 'Something went wrong on our side; try again in a moment.' }),
      );
  };
}
