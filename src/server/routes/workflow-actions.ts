/**
 * POST /hubspot/actions/schedule-payouts — the "Schedule partner payouts" workflow action: verify, parse, answer.
 *
 * Verify (v3 when HubSpot sends it, else v2: custom actions are documented as v2-signed), parse the execution,
 * and hand it to `answerWorkflowAction`, which answers with the job's outputs or `BLOCK`, once per callbackId.
 * https://developers.hubspot.com/docs/api-reference/automation-actions-v4-v4/guide
 *
 * 400 not an execution request for a deal (HubSpot does not retry a 4xx); 401 forged or stale; 503 when Redis
 * cannot take or track the work, so HubSpot tries again later.
 */
import type { Queue } from 'bullmq';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { answerWorkflowAction, type WorkflowActionDesk } from '../../services/answer-workflow-action.js';
import { rawBody } from '../middleware/raw-body.js';
import { parseJsonBody } from '../parse-json-body.js';
import { verifyHubSpot, type SignatureSettings } from '../middleware/verify-hubspot.js';

export const SCHEDULE_PAYOUTS_PATH = '/hubspot/actions/schedule-payouts';

export interface WorkflowActionRouteDeps {
  signature: SignatureSettings;
  /** The fail-fast producer connection: the ledger lives here. */
  redis: Redis;
  /** The sync queue (the `complete-workflow-action` job). */
  queue: Queue;
  prefix: string;
  logger: Logger;
  /**
   * How long the request waits for the job before answering BLOCK. HubSpot's own timeout for an action is not
   * documented; workflow webhooks get 30 s, so a few seconds is safe. @defaultValue 3000
   */
  waitMs?: number;
  /** How often the waiting request looks at the ledger. @defaultValue 50 */
  pollMs?: number;
  /** @defaultValue 65536 (an execution request is a few hundred bytes) */
  maxBodyBytes?: number;
}

/** The execution request HubSpot posts (docs/hubspot.md#workflow-actions); only the callbackId and the deal matter. */
const executionRequestSchema = z.looseObject({
  callbackId: z.string().min(1).max(512),
  object: z.looseObject({
    objectId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String),
    objectType: z.string().refine((t) => t.toUpperCase() === 'DEAL' || t === '0-3', 'the action runs on deals (objectType DEAL) only'),
  }),
});

export function workflowActionRoutes(deps: WorkflowActionRouteDeps): Router {
  const router = Router();
  const desk: WorkflowActionDesk = { redis: deps.redis, prefix: deps.prefix, queue: deps.queue, waitMs: deps.waitMs ?? 3_000, pollMs: deps.pollMs ?? 50 };
  router.post(SCHEDULE_PAYOUTS_PATH, ...rawBody(deps.maxBodyBytes ?? 65_536), verifyHubSpot(deps.signature, { allowV2: true }), async (req, res) => {
    const execution = parseJsonBody(req.rawBody, executionRequestSchema, {
      invalid: (issues) => `not a workflow action execution for a deal: ${issues.join('; ')}`,
    });
    const callbackId = execution.callbackId;
    const dealId = execution.object.objectId;
    const answer = await answerWorkflowAction(desk, { callbackId, dealId });
    deps.logger.info(
      { callbackId, dealId, answer: answer.outputFields.hs_execution_state },
      answer.repeated ? 'workflow action repeated' : 'workflow action answered',
    );
    res.status(200).json({ outputFields: answer.outputFields });
  });
  return router;
}
