/**
 * POST /webhooks/hubspot — verify, parse, enqueue, answer. No HubSpot call happens here.
 * 401 forged or stale, 400 not an array of events, 413 too large: in each case nothing is enqueued.
 * 200 only once Redis holds the work; 503 when it does not, so HubSpot delivers again.
 */
import { Router } from 'express';
import type { Logger } from '../../logger.js';
import type { WebhookIntake } from '../../queue/intake.js';
import { hubSpotEventBatchSchema } from '../../webhooks/schemas.js';
import { rawBody } from '../middleware/raw-body.js';
import { parseJsonBody } from '../parse-json-body.js';
import { verifyHubSpot, type SignatureSettings } from '../middleware/verify-hubspot.js';

export interface WebhookRouteDeps {
  signature: SignatureSettings;
  maxBodyBytes: number;
  /** The route only hands batches over: the pump and its settling are the process's, not the route's. */
  intake: Pick<WebhookIntake, 'accept'>;
  logger: Logger;
  onAccepted?: (result: Awaited<ReturnType<WebhookIntake['accept']>>) => void;
}

export function webhookRoutes(deps: WebhookRouteDeps): Router {
  const router = Router();
  router.post('/webhooks/hubspot', ...rawBody(deps.maxBodyBytes), verifyHubSpot(deps.signature), async (req, res) => {
    const events = parseJsonBody(req.rawBody, hubSpotEventBatchSchema, { invalid: () => 'the body is not an array of HubSpot events' });
    const result = await deps.intake.accept(events);
    deps.logger.debug({ ...result }, 'webhook batch accepted');
    deps.onAccepted?.(result);
    // Written directly rather than with res.json(): no ETag (HubSpot never revalidates an answer) and no charset
    // parsing, work the acknowledgement of every delivery would pay for nothing.
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(result));
  });
  return router;
}
