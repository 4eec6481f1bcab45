/**
 * POST /webhooks/hubspot — verify, parse, enqueue, answer. No HubSpot call happens here.
 * 401 forged or stale, 400 not an array of events, 413 too large: in each case nothing is enqueued.
 * 200 only once Redis holds the work; 503 when it does not, so HubSpot delivers again.
 */
import { Router } from 'express';
import { PayloadError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { WebhookIntake } from '../../queue/intake.js';
import { hubSpotEventBatchSchema } from '../../webhooks/schemas.js';
import { rawBody } from '../middleware/raw-body.js';
import { verifyHubSpot, type SignatureSettings } from '../middleware/verify-hubspot.js';

export interface WebhookRouteDeps {
  signature: SignatureSettings;
  maxBodyBytes: number;
  intake: WebhookIntake;
  logger: Logger;
  onAccepted?: (result: Awaited<ReturnType<WebhookIntake['accept']>>) => void;
}

export function webhookRoutes(deps: WebhookRouteDeps): Router {
  const router = Router();
  router.post('/webhooks/hubspot', ...rawBody(deps.maxBodyBytes), verifyHubSpot(deps.signature), async (req, res) => {
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody!.toString('utf8'));
    } catch {
      throw new PayloadError('the body is not JSON');
    }
    const parsed = hubSpotEventBatchSchema.safeParse(json);
    if (!parsed.success) {
      throw new PayloadError(
        'the body is not an array of HubSpot events',
        parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
      );
    }
    const result = await deps.intake.accept(parsed.data);
    deps.logger.debug({ ...result }, 'webhook batch accepted');
    deps.onAccepted?.(result);
    res.status(200).json(result);
  });
  return router;
}
