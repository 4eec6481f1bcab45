/**
 * `npx tsx sandbox/main.ts [port]`: the demo portal on its own, to poke at with curl or point an app at.
 * Prints the base URL, the token and the client secret; Ctrl-C stops it.
 */
import { startDemoPortal } from './demo.js';

const port = Number(process.argv[2] ?? '4010');
const portal = await startDemoPortal({ port, webhookTargetUrl: process.env['SANDBOX_WEBHOOK_URL'] ?? null });
process.stdout.write(
  [
    `sandbox portal ${portal.portalId} listening on ${portal.url}`,
    `  HUBSPOT_ACCESS_TOKEN=${portal.accessToken}`,
    `  HUBSPOT_CLIENT_SECRET=${portal.clientSecret}`,
    `  HUBSPOT_API_BASE_URL=${portal.url}`,
    `  HUBSPOT_PORTAL_ID=${portal.portalId}`,
    `  HUBSPOT_APP_ID=${portal.appId}`,
    `  webhooks → ${portal.emitter.target ?? '(none: set SANDBOX_WEBHOOK_URL)'}`,
    `  ${Object.keys(portal.ids.deals).length} demo deals, ${Object.keys(portal.ids.partners).length} partners`,
    '',
  ].join('\n'),
);
const stop = (): void => {
  void portal.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
