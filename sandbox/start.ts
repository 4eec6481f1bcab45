/**
 * Sandbox mode of `npm start` (no HUBSPOT_ACCESS_TOKEN): a local, stateful HubSpot-shaped portal seeded with
 * demo partners and deals, and the real receiver and workers pointed at it. The portal sends signed webhooks for
 * its changes as HubSpot does; `npm run sandbox -- <scenario>` moves demo deals while you watch.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../src/config/env.js';
import { buildProgramConfig, deepMerge, type LoadedProgramConfig } from '../src/config/program.js';
import type { Logger } from '../src/logger.js';
import { runApp, RedisUnreachableError, type Role, type RunningApp } from '../src/main.js';
import { redisAnswers } from '../src/queue/connections.js';
import { MAINTENANCE_JOBS } from '../src/queue/job-data.js';
import { provisionPortal } from '../src/services/provision.js';
import { startDemoPortal, type DemoPortal } from './demo.js';
import { scenarioRoutes } from './scenarios.js';
import { DEMO_TEAMS } from './seed.js';
import { seedPortalUsers, type DemoPortalUsers } from './portal-users.js';
import { createPortalContext } from '../src/portal/routes.js';
import { issueSignInLink } from '../src/services/portal/sign-in-links.js';
import { recordPortalGrant } from '../src/services/portal/portal-access.js';

export const SANDBOX_STATE_FILE = join(process.cwd(), '.sandbox', 'state.json');

export interface SandboxState {
  receiverUrl: string;
  sandboxUrl: string;
  accessToken: string;
  pid: number;
}

export interface SandboxMode {
  app: RunningApp;
  portal: DemoPortal;
  /** Contact ids of the seeded partner-portal users. */
  portalUsers: DemoPortalUsers;
  close(): Promise<void>;
}

const say = (line = '') => process.stdout.write(`${line}\n`);

export async function startSandboxMode(opts: { env: Env; program: LoadedProgramConfig; logger: Logger; role: Role; quiet?: boolean }): Promise<SandboxMode> {
  const { env } = opts;
  const out = opts.quiet ? () => {} : say;
  if (!(await redisAnswers(env.REDIS_URL))) throw new RedisUnreachableError(env.REDIS_URL);

  out('No HUBSPOT_ACCESS_TOKEN is set: starting the SANDBOX portal (a local, HubSpot-shaped demo account).');
  out('  Set HUBSPOT_ACCESS_TOKEN and HUBSPOT_CLIENT_SECRET to connect a real HubSpot account instead (see README).');
  const portal = await startDemoPortal({ port: Number(process.env.SANDBOX_PORT ?? 0) });
  out(
    `  sandbox API ${portal.url}: ${Object.keys(portal.ids.partners).length} demo partners, ${Object.keys(portal.ids.deals).length} demo deals, HubSpot's 100 calls / 10 s limit`,
  );
  const portalUsers = seedPortalUsers(portal.store, portal.ids);

  // The demo portal's partner managers are its "Partner Managers" team, unless the admin configured some.
  const managers = opts.program.config.partnerManagers;
  const program =
    managers.userIds.length + managers.teamIds.length > 0
      ? opts.program
      : buildProgramConfig(
          deepMerge(opts.program.config, { partnerManagers: { teamIds: [DEMO_TEAMS.partnerManagers.id] } }),
          `${opts.program.source} + sandbox partner managers`,
        );

  const publicBaseUrl = env.PUBLIC_BASE_URL;
  let app: RunningApp | null = null;
  const sandboxEnv: Env = {
    ...env,
    HUBSPOT_ACCESS_TOKEN: portal.accessToken,
    HUBSPOT_CLIENT_SECRET: portal.clientSecret,
    HUBSPOT_API_BASE_URL: portal.url,
    HUBSPOT_PORTAL_ID: String(portal.portalId),
    HUBSPOT_APP_ID: String(portal.appId),
    // A key prefix of its own: a sandbox never mixes its jobs with a real install's on the same Redis.
    QUEUE_PREFIX: `${env.QUEUE_PREFIX}-sandbox`,
  };
  app = await runApp({
    env: sandboxEnv,
    program,
    logger: opts.logger,
    role: opts.role,
    hubspot: { accessToken: portal.accessToken, basePath: portal.url },
    clientSecret: portal.clientSecret,
    routers: () => [scenarioRoutes({ portal, runtime: () => app!.runtime, receiverUrl: () => app!.url!, publicBaseUrl })],
  });
  const receiverUrl = app.url ?? publicBaseUrl;
  // HubSpot calls the public URL; locally that is the receiver itself.
  portal.emitter.setTargetUrl(`${publicBaseUrl}/webhooks/hubspot`);

  const provision = await provisionPortal(app.runtime.hs, { dryRun: true });
  out(
    `  provisioning check: ${provision.conflicts.length === 0 && provision.planned.length === 0 ? `the portal has every property, label and the pp_payout object (${provision.present.length} definitions)` : `${provision.planned.length} to create, ${provision.conflicts.length} conflicts`}`,
  );

  const state: SandboxState = { receiverUrl, sandboxUrl: portal.url, accessToken: portal.accessToken, pid: process.pid };
  mkdirSync(dirname(SANDBOX_STATE_FILE), { recursive: true });
  writeFileSync(SANDBOX_STATE_FILE, JSON.stringify(state, null, 2));

  if (opts.role !== 'receiver') {
    out('  computing every demo partner and deal (a resync), then writing the results back to the portal …');
    await app.runtime.queues.maintenance.add(MAINTENANCE_JOBS.resync, {}, { removeOnComplete: true, removeOnFail: 50 });
  }

  out('');
  out(`Receiver (webhooks, card backend, workflow action): ${receiverUrl}`);
  out(`  queue dashboard  ${receiverUrl}/admin/queues ${env.ADMIN_TOKEN ? '(Bearer ADMIN_TOKEN)' : '(set ADMIN_TOKEN to open it)'}`);
  out(`  metrics          ${receiverUrl}/metrics`);
  out(`  health           ${receiverUrl}/healthz, ${receiverUrl}/readyz`);
  out('Move a demo deal and watch tiers, protection, commissions and payouts change (in another terminal):');
  out('  npm run sandbox -- status      # the rule-6 demo deal ($1M, four partners) as it is now');
  out('  npm run sandbox -- register    # a rep registers the deal for its referral partner');
  out('  npm run sandbox -- approve     # a partner manager approves it from the deal card: 180 days of protection');
  out('  npm run sandbox -- close-won   # the deal is won: its commission lines are frozen into payouts');
  out('  npm run sandbox -- reopen      # it leaves closed-won: the payouts are reversed');
  out('  npm run sandbox -- list        # every demo deal with its commission total');
  if (opts.role !== 'worker') {
    const pc = createPortalContext(app.runtime);
    // The demo's portal users stand for contacts a partner manager invited: the app's grant is recorded.
    for (const id of Object.values(portalUsers)) await recordPortalGrant(pc, id);
    const link = await issueSignInLink(pc, portalUsers.summit, 'command');
    out('');
    out('Partner portal (what a partner sees): sign in as Morgan Hale of Summit Advisory Group with this one-time link');
    out(`  ${link.url}`);
    out(`  (works once, for 30 minutes; another: npm run portal:invite -- ${portalUsers.summit}; mail is kept at ${publicBaseUrl}/portal/outbox)`);
  }
  out('Ctrl-C stops everything.');

  return {
    app,
    portal,
    portalUsers,
    async close() {
      await app!.close();
      await portal.close();
    },
  };
}
