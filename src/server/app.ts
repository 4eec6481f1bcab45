/**
 * The HTTP app: HubSpot webhooks, the card backend, the workflow action, health and operations routes.
 * Built from its dependencies so tests start the real app with a fake clock, a test queue and a test secret.
 */
import express, { type Router } from 'express';
import type { Logger } from '../logger.js';
import type { WebhookIntake } from '../queue/intake.js';
import { errorHandler } from './middleware/errors.js';
import type { SignatureSettings } from './middleware/verify-hubspot.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.js';
import { webhookRoutes } from './routes/webhooks.js';

export interface AppDeps {
  logger: Logger;
  signature: SignatureSettings;
  webhookMaxBodyBytes: number;
  /** The route only hands batches over: the pump and its settling are the process's, not the route's. */
  intake: Pick<WebhookIntake, 'accept'>;
  readiness: ReadinessCheck;
  /** Further routers (card backend, workflow action, admin, metrics), mounted in order. */
  routers?: Router[];
  onWebhookAccepted?: Parameters<typeof webhookRoutes>[0]['onAccepted'];
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Behind a proxy the client address is in X-Forwarded-For; signatures never depend on it.
  app.set('trust proxy', true);
  app.use(healthRoutes(deps.readiness));
  app.use(
    webhookRoutes({
      signature: deps.signature,
      maxBodyBytes: deps.webhookMaxBodyBytes,
      intake: deps.intake,
      logger: deps.logger,
      onAccepted: deps.onWebhookAccepted,
    }),
  );
  for (const router of deps.routers ?? []) app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such route.' } });
  });
  app.use(errorHandler(deps.logger));
  return app;
}
