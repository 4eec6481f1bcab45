/**
 * `npm run provision [-- --dry-run]`: creates the app's CRM contract in the HubSpot portal of
 * HUBSPOT_ACCESS_TOKEN (src/services/provision.ts). Progress goes to stderr, the summary to stdout.
 * Exit status: 0 the portal matches, 1 conflicts (or HubSpot failed), 2 nothing to provision (no token, bad
 * arguments or environment). The sandbox needs no run: `npm start` provisions it itself.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { envSchema } from '../src/config/env.js';
import { createHubSpotClient } from '../src/hubspot/client.js';
import { createRedisRateLimiter, withHeadroom, type RateLimiter } from '../src/hubspot/rate-limit.js';
import { createRedis, redisAnswers } from '../src/queue/connections.js';
import { formatProvisionSummary, provisionPortal } from '../src/services/provision.js';

export const USAGE = `usage: npm run provision [-- --dry-run]
  Creates the pp_partner_program property group, the pp_ deal and company properties, the five deal→company
  association labels and the pp_payout custom object in the portal of HUBSPOT_ACCESS_TOKEN. What exists is left
  alone; a definition that differs is reported as a conflict (exit status 1).
  --dry-run  print the plan, change nothing
`;

/**
 * Only what provisioning uses, with the app's own definitions and defaults (src/config/env.ts); unlike
 * `loadEnv`, no HUBSPOT_CLIENT_SECRET is required: provisioning verifies no inbound request.
 */
const provisionEnvSchema = z.object({
  HUBSPOT_ACCESS_TOKEN: envSchema.shape.HUBSPOT_ACCESS_TOKEN,
  HUBSPOT_API_BASE_URL: envSchema.shape.HUBSPOT_API_BASE_URL,
  HUBSPOT_PORTAL_ID: envSchema.shape.HUBSPOT_PORTAL_ID,
  REDIS_URL: envSchema.shape.REDIS_URL,
  QUEUE_PREFIX: envSchema.shape.QUEUE_PREFIX,
  HUBSPOT_RATE_LIMIT_MAX: envSchema.shape.HUBSPOT_RATE_LIMIT_MAX,
  HUBSPOT_RATE_LIMIT_INTERVAL_MS: envSchema.shape.HUBSPOT_RATE_LIMIT_INTERVAL_MS,
  HUBSPOT_RATE_LIMIT_HEADROOM_PERCENT: envSchema.shape.HUBSPOT_RATE_LIMIT_HEADROOM_PERCENT,
});
type ProvisionEnv = z.infer<typeof provisionEnvSchema>;

export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** At most `max` calls per `intervalMs` from this process: the fallback when Redis does not answer. */
export function inProcessLimiter(max: number, intervalMs: number, now: () => number = Date.now): RateLimiter {
  const admitted: number[] = [];
  let pausedUntil = 0;
  return {
    async acquire() {
      for (;;) {
        const t = now();
        while (admitted.length > 0 && admitted[0]! <= t - intervalMs) admitted.shift();
        const wait = Math.max(pausedUntil - t, admitted.length < max ? 0 : admitted[0]! + intervalMs - t);
        if (wait <= 0) {
          admitted.push(t);
          return;
        }
        await sleep(wait);
      }
    },
    async pauseUntil(epochMs) {
      pausedUntil = Math.max(pausedUntil, epochMs);
    },
  };
}

/**
 * The app's shared Redis limiter, under the key a running app uses for this portal, so provisioning next to a
 * live sync spends the same budget; without Redis, a limiter of the same size in this process.
 */
async function portalLimiter(env: ProvisionEnv, io: CommandOutput): Promise<{ limiter: RateLimiter; close(): void }> {
  const max = withHeadroom(env.HUBSPOT_RATE_LIMIT_MAX, env.HUBSPOT_RATE_LIMIT_HEADROOM_PERCENT);
  if (!(await redisAnswers(env.REDIS_URL))) {
    io.err(`Redis at ${env.REDIS_URL} does not answer: pacing HubSpot calls in this process only (${max} per ${env.HUBSPOT_RATE_LIMIT_INTERVAL_MS} ms)\n`);
    return { limiter: inProcessLimiter(max, env.HUBSPOT_RATE_LIMIT_INTERVAL_MS), close: () => undefined };
  }
  const redis = createRedis(env.REDIS_URL, 'worker');
  redis.on('error', () => undefined);
  const limiter = createRedisRateLimiter({
    redis,
    key: `${env.QUEUE_PREFIX}:ratelimit:${env.HUBSPOT_PORTAL_ID ?? 'portal'}`,
    max,
    intervalMs: env.HUBSPOT_RATE_LIMIT_INTERVAL_MS,
  });
  return { limiter, close: () => redis.disconnect() };
}

/** The whole command, with its inputs passed in; resolves to the exit status. */
export async function runProvisionCommand(argv: readonly string[], source: Record<string, string | undefined>, io: CommandOutput): Promise<number> {
  const unknown = argv.filter((a) => a !== '--dry-run' && a !== '--help' && a !== '-h');
  if (argv.includes('--help') || argv.includes('-h') || unknown.length > 0) {
    if (unknown.length > 0) io.err(`unknown argument${unknown.length > 1 ? 's' : ''}: ${unknown.join(' ')}\n`);
    io.err(USAGE);
    return unknown.length > 0 ? 2 : 0;
  }
  const dryRun = argv.includes('--dry-run');

  const parsed = provisionEnvSchema.safeParse(source);
  if (!parsed.success) {
    io.err(`invalid environment:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}\n`);
    return 2;
  }
  const env = parsed.data;
  if (env.HUBSPOT_ACCESS_TOKEN === undefined) {
    io.err(
      'HUBSPOT_ACCESS_TOKEN is not set: refusing to provision, there is no HubSpot portal to provision.\n' +
        '  Set it to the access token of the app installed in the portal (scopes: README, HubSpot setup).\n' +
        '  Without a token, `npm start` runs the local sandbox portal, which is provisioned at start-up.\n',
    );
    return 2;
  }

  const { limiter, close } = await portalLimiter(env, io);
  try {
    const hs = createHubSpotClient({ accessToken: env.HUBSPOT_ACCESS_TOKEN, basePath: env.HUBSPOT_API_BASE_URL, limiter });
    io.err(`provisioning ${env.HUBSPOT_API_BASE_URL}${env.HUBSPOT_PORTAL_ID ? ` (portal ${env.HUBSPOT_PORTAL_ID})` : ''}${dryRun ? ', dry run' : ''}\n`);
    const result = await provisionPortal(hs, { dryRun, log: (line) => io.err(`${line}\n`) });
    io.out(formatProvisionSummary(result));
    return result.conflicts.length > 0 ? 1 : 0;
  } catch (err) {
    io.err(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runProvisionCommand(process.argv.slice(2), process.env, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
