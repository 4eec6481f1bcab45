/**
 * Every environment variable the product reads, in one zod schema, parsed once at start-up.
 * A bad value stops the process with a message naming the variable. Nothing else reads process.env.
 */
import { z } from 'zod';
import { ConfigError } from './errors.js';

const intFromString = (def: number, min = 0) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min))
    .optional()
    .transform((v) => v ?? def);

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));

const url = (def: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === '' ? def : v))
    .pipe(z.url());

const optionalUrl = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v))
  .pipe(z.url().optional());

export const envSchema = z
  .object({
    HUBSPOT_ACCESS_TOKEN: optionalString.describe('Static-auth app access token (Bearer). Unset: `npm start` runs the local sandbox portal instead.'),
    HUBSPOT_CLIENT_SECRET: optionalString.describe(
      "The app's client secret, used to verify X-HubSpot-Signature(-v3) on webhooks, card requests and workflow actions. Required with HUBSPOT_ACCESS_TOKEN.",
    ),
    HUBSPOT_APP_ID: optionalString.describe("The app's id: webhook events of other apps are ignored, and the app's own writes are recognised by it."),
    HUBSPOT_PORTAL_ID: optionalString.describe('The HubSpot account (portal) id: events of other portals are ignored.'),
    HUBSPOT_API_BASE_URL: url('https://api.hubapi.com').describe('HubSpot API base URL (the sandbox sets its own).'),
    REDIS_URL: url('redis://127.0.0.1:6379').describe('Redis for BullMQ, the rate limiter and caches; a db number in the URL is honoured.'),
    PORT: intFromString(3000, 0).describe('HTTP port of the receiver (webhooks, card backend, workflow action); 0 picks a free one.'),
    PUBLIC_BASE_URL: optionalUrl.describe(
      'The public https origin HubSpot calls (e.g. https://pp.example.com); signatures are checked against it. Default http://localhost:PORT.',
    ),
    HUBSPOT_RATE_LIMIT_MAX: intFromString(100, 1).describe('HubSpot burst limit: requests per interval (100 Free/Starter, 190 Pro/Enterprise).'),
    HUBSPOT_RATE_LIMIT_INTERVAL_MS: intFromString(10_000, 100).describe('HubSpot burst interval in ms.'),
    HUBSPOT_RATE_LIMIT_HEADROOM_PERCENT: intFromString(10, 0).describe('Share of the limit left unused for other apps and manual calls (10 → 90 of 100).'),
    PARTNER_PROGRAM_CONFIG: optionalString.describe('Path of a JSON or YAML file overriding program defaults.'),
    ADMIN_TOKEN: optionalString
      .pipe(z.string().min(32, 'at least 32 characters (a shorter token can be guessed; e.g. `openssl rand -hex 32`)').optional())
      .describe(
        'Bearer token (32+ characters) for /admin/queues, /metrics and the payouts CSV export. Unset: those routes answer 404 (the export to every caller, card links included).',
      ),
    QUEUE_PREFIX: z
      .string()
      .trim()
      .min(1)
      .optional()
      .transform((v) => v ?? 'pp')
      .describe('Redis key prefix of the queues.'),
    WORKER_CONCURRENCY: intFromString(1000, 1).describe(
      'Recompute jobs a worker process runs at once. They mostly wait on HubSpot; many at once is what lets a burst fill batches of 100 (bench: 1000 → 0.02 calls per event, 100 → 0.06).',
    ),
    WEBHOOK_MAX_BODY_BYTES: intFromString(1_048_576, 1024).describe('Largest webhook body accepted (413 above).'),
    SIGNATURE_TOLERANCE_MS: intFromString(300_000, 1000)
      .pipe(z.number().max(600_000, 'at most 600000 (10 minutes): a longer window lets a captured request be replayed for longer'))
      .describe('Oldest X-HubSpot-Request-Timestamp accepted, ms (HubSpot: 5 minutes; at most 10 minutes).'),
    SMTP_URL: optionalString.describe(
      'SMTP server for partner-portal mail (sign-in links, notifications), e.g. smtps://user:pass@smtp.example.com:465. Unset: mail is kept in a local outbox at /portal/outbox in local development and the sandbox, and not sent elsewhere.',
    ),
    MAIL_FROM: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v === undefined || v === '' ? 'Partner Program <partners@example.com>' : v))
      .describe('Sender of partner-portal mail.'),
    PORTAL_SESSION_SECRET: optionalString.describe(
      'Signs partner-portal session and CSRF cookies (32+ random characters). Unset: derived from HUBSPOT_CLIENT_SECRET.',
    ),
    CARD_CACHE_TTL_MS: intFromString(5_000, 0)
      .pipe(z.number().max(60_000, 'at most 60000 (1 minute): a card older than that no longer shows what the CRM says'))
      .describe(
        "How long a deal or company card read (or the managers' home page) is reused, ms: many users opening the same record within it cost the HubSpot calls of one. An action from a card refreshes what it changes at once. 0: no cache.",
      ),
    PORTAL_HUBSPOT_SHARE_PERCENT: intFromString(30, 1).describe(
      "Most of the app's HubSpot budget the partner portal's reads and writes may use (30 → 27 of 90 calls per 10 s); the rest stays reserved for sync.",
    ),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .optional()
      .transform((v) => v ?? 'info')
      .describe('pino log level.'),
    LOG_FORMAT: z
      .enum(['auto', 'json', 'pretty'])
      .optional()
      .transform((v) => v ?? 'auto')
      .describe(
        'Log lines: `json` (one object per line, for collectors), `pretty` (coloured, for people; pino-pretty), or `auto`: pretty when stdout is a terminal outside tests, JSON otherwise.',
      ),
  })
  .superRefine((e, ctx) => {
    if (e.PORTAL_HUBSPOT_SHARE_PERCENT > 100) {
      ctx.addIssue({ code: 'custom', path: ['PORTAL_HUBSPOT_SHARE_PERCENT'], message: 'a share of the budget is at most 100 (percent)' });
    }
    if (e.PORTAL_SESSION_SECRET !== undefined && e.PORTAL_SESSION_SECRET.length < 32) {
      ctx.addIssue({ code: 'custom', path: ['PORTAL_SESSION_SECRET'], message: 'use at least 32 random characters' });
    }
    if (e.HUBSPOT_ACCESS_TOKEN && !e.HUBSPOT_CLIENT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['HUBSPOT_CLIENT_SECRET'],
        message: 'required when HUBSPOT_ACCESS_TOKEN is set (every inbound HubSpot request is verified with it)',
      });
    }
  });

export type Env = z.infer<typeof envSchema> & { PUBLIC_BASE_URL: string };

/** Local development: the app is served over plain http on this machine (cookies then cannot be Secure). */
export function isLocalDevelopment(publicBaseUrl: string): boolean {
  const url = new URL(publicBaseUrl);
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n  ${problems.join('\n  ')}`, problems);
  }
  const env = result.data;
  return { ...env, PUBLIC_BASE_URL: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '') };
}
