/**
 * `npm run portal:invite -- <contactId>`: prints a one-time sign-in link to the partner portal for a contact
 * that has portal access (a contact of exactly one partner company with `pp_portal_access` = true; access is
 * granted by a partner manager's "Invite to portal" on the company card, not by this command).
 * With no HUBSPOT_ACCESS_TOKEN it talks to the running sandbox (`npm start`).
 * Exit 0: the link is printed; 1: the contact has no access (why is printed); 2: bad arguments or no portal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnv } from '../src/config/env.js';
import { loadProgramConfig } from '../src/config/program.js';
import { createLogger } from '../src/logger.js';
import { createPortalContext } from '../src/portal/routes.js';
import { createRuntime } from '../src/runtime.js';
import { commandLink } from '../src/services/portal/invite.js';

async function main(): Promise<number> {
  const contactId = process.argv[2];
  if (!contactId || !/^\d+$/.test(contactId)) {
    process.stderr.write('usage: npm run portal:invite -- <contactId>\n');
    return 2;
  }
  let env = loadEnv();
  if (!env.HUBSPOT_ACCESS_TOKEN) {
    let state: { sandboxUrl: string; accessToken: string; receiverUrl: string };
    try {
      state = JSON.parse(readFileSync(join(process.cwd(), '.sandbox', 'state.json'), 'utf8')) as typeof state;
    } catch {
      process.stderr.write('No HUBSPOT_ACCESS_TOKEN and no running sandbox (start one with `npm start`).\n');
      return 2;
    }
    env = {
      ...env,
      HUBSPOT_ACCESS_TOKEN: state.accessToken,
      HUBSPOT_API_BASE_URL: state.sandboxUrl,
      QUEUE_PREFIX: `${env.QUEUE_PREFIX}-sandbox`,
      // The link points where the running sandbox serves the portal (its PORT may differ from this shell's).
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ? env.PUBLIC_BASE_URL : state.receiverUrl,
    };
  }
  const program = loadProgramConfig(env.PARTNER_PROGRAM_CONFIG);
  const logger = createLogger('silent', { role: 'portal-invite' });
  const rt = createRuntime({ env, program, logger, hubspot: { accessToken: env.HUBSPOT_ACCESS_TOKEN!, basePath: env.HUBSPOT_API_BASE_URL } });
  try {
    const { access, link } = await commandLink(createPortalContext(rt), contactId);
    if (!access.ok || link === null) {
      process.stderr.write(`Contact ${contactId} cannot sign in: ${access.ok ? 'unknown reason' : access.message}\n`);
      return 1;
    }
    process.stdout.write(`${link.url}\n`);
    process.stderr.write(`Sign-in link for ${access.name} (${access.partnerName}); works once, until ${new Date(link.expiresAt).toISOString()}.\n`);
    return 0;
  } finally {
    await rt.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`portal:invite failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
