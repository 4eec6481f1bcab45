/**
 * POST /hubspot/actions/schedule-payouts — the "Schedule partner payouts" workflow action.
 *
 * Verify (v3 when HubSpot sends it, else v2: custom actions are documented as v2-signed), parse, validate,
 * enqueue, then wait a few seconds for the job: its outputs when it finishes in time, else
 * `hs_execution_state: BLOCK`, and the worker completes the execution through the callbacks API. The ledger in
 * `services/schedule-payouts.ts` makes that "either, never both", and makes a repeat of a callbackId (HubSpot
 * retries for days) answer from what is stored instead of starting the work again.
 * https://developers.hubspot.com/docs/api-reference/automation-actions-v4-v4/guide
 *
 * 400 not an execution request for a deal (HubSpot does not retry a 4xx); 401 forged or stale; 503 when Redis
 * cannot take or track the work, so HubSpot tries again later.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { QueueUnavailableError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import {
  BLOCK_OUTPUT_FIELDS,
  createWorkflowActionLedger,
  enqueueWorkflowAction,
  responseOutputFields,
  type LedgerEntry,
} from '../../services/schedule-payouts.js';
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

const executionRequestSchema = z.looseObject({
  callbackId: z.string().min(1).max(512),
  object: z.looseObject({
    objectId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String),
    objectType: z.string().refine((t) => t.toUpperCase() === 'DEAL' || t === '0-3', 'the action runs on deals (objectType DEAL) only'),
  }),
});

type OutputFields = Record<string, string | number>;

export function workflowActionRoutes(deps: WorkflowActionRouteDeps): Router {
  const router = Router();
  const ledger = createWorkflowActionLedger(deps.redis, deps.prefix);
  const waitMs = deps.waitMs ?? 3_000;
  const pollMs = deps.pollMs ?? 50;

  /** Redis trouble while the answer is undecided: 503 makes HubSpot ask again, and the repeat finds the ledger. */
  const tracked = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw new QueueUnavailableError(`the workflow action could not be ${what}; HubSpot will retry`, err);
    }
  };

  const answerFrom = (entry: LedgerEntry, token: string | null): OutputFields | null =>
    entry.state === 'done' && (token === null || (entry.via === 'sync' && entry.token === token)) ? responseOutputFields(entry.outcome) : null;

  async function waitForOutcome(callbackId: string, token: string): Promise<OutputFields> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      await sleep(Math.max(0, Math.min(pollMs, deadline - Date.now())));
      const entry = await tracked('tracked', () => ledger.read(callbackId));
      const answer = answerFrom(entry, token);
      if (answer) return answer;
      // A repeat of this callbackId arrived meanwhile and turned it into a callback: both answers are BLOCK.
      if (entry.state !== 'waiting' || entry.token !== token) return BLOCK_OUTPUT_FIELDS;
      if (Date.now() >= deadline) {
        await tracked('tracked', () => ledger.giveUp(callbackId, token));
        // The job may have won the race between the last look and giving up: then its outcome is ours to give.
        return answerFrom(await tracked('tracked', () => ledger.read(callbackId)), token) ?? BLOCK_OUTPUT_FIELDS;
      }
    }
  }

  router.post(SCHEDULE_PAYOUTS_PATH, ...rawBody(deps.maxBodyBytes ?? 65_536), verifyHubSpot(deps.signature, { allowV2: true }), async (req, res) => {
    const execution = parseJsonBody(req.rawBody, executionRequestSchema, {
      invalid: (issues) => `not a workflow action execution for a deal: ${issues.join('; ')}`,
    });
    const callbackId = execution.callbackId;
    const dealId = execution.object.objectId;
    const log = deps.logger.child({ callbackId, dealId });

    const token = randomUUID();
    const claim = await tracked('accepted', () => ledger.claim(callbackId, token));
    let outputFields: OutputFields;
    if (claim === 'repeat') {
      const entry = await tracked('tracked', () => ledger.read(callbackId));
      outputFields = answerFrom(entry, null) ?? BLOCK_OUTPUT_FIELDS;
      // A request that died between its claim and its enqueue left no job: the job id makes this a no-op otherwise.
      if (entry.state === 'blocked') await tracked('enqueued', () => enqueueWorkflowAction(deps.queue, { callbackId, dealId }));
      log.info({ answer: outputFields.hs_execution_state }, 'workflow action repeated');
    } else {
      try {
        await enqueueWorkflowAction(deps.queue, { callbackId, dealId });
      } catch (err) {
        await ledger.release(callbackId, token).catch(() => undefined);
        throw new QueueUnavailableError('the workflow action could not be enqueued; HubSpot will retry', err);
      }
      outputFields = await waitForOutcome(callbackId, token);
      log.info({ answer: outputFields.hs_execution_state }, 'workflow action answered');
    }
    res.status(200).json({ outputFields });
  });
  return router;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
