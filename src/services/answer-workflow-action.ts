/**
 * The HTTP answer to a workflow action execution (docs/program.md#payouts; docs/hubspot.md#workflow-actions):
 * claim the callbackId in the ledger, enqueue the `complete-workflow-action` job, then wait a little for it. The
 * job's outputs when it finished in time, else `BLOCK` (the job then completes the execution through the
 * callbacks API). The ledger (src/stores/workflow-action-ledger.ts) makes that "either, never both", and makes a
 * repeat of a callbackId (HubSpot retries for days) answer from what is stored instead of starting the work again.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueUnavailableError } from '../errors.js';
import {
  BLOCK_OUTPUT_FIELDS,
  responseOutputFields,
  workflowActionOutcomeSchema,
  type ResponseOutputFields,
  type WorkflowActionOutcome,
} from '../hubspot/workflow-action.js';
import type { CompleteWorkflowActionData } from '../queue/job-data.js';
import { enqueueWorkflowAction } from '../queue/queues.js';
import { createWorkflowActionLedger, type LedgerEntry } from '../stores/workflow-action-ledger.js';

export interface WorkflowActionDesk {
  /** The fail-fast producer connection: the ledger lives here. */
  redis: Redis;
  prefix: string;
  /** The sync queue (the `complete-workflow-action` job). */
  queue: Queue;
  /** How long the request waits for the job before answering BLOCK. */
  waitMs: number;
  /** How often the waiting request looks at the ledger. */
  pollMs: number;
}

export interface WorkflowActionAnswer {
  outputFields: ResponseOutputFields;
  /** A repeat of a callbackId already known: answered from the ledger, no new work. */
  repeated: boolean;
}

/** Redis trouble while the answer is undecided throws QueueUnavailableError (503): HubSpot asks again, and the repeat finds the ledger. */
export async function answerWorkflowAction(desk: WorkflowActionDesk, execution: CompleteWorkflowActionData): Promise<WorkflowActionAnswer> {
  const ledger = createWorkflowActionLedger(desk.redis, desk.prefix, workflowActionOutcomeSchema);
  const { callbackId } = execution;
  const token = randomUUID();
  const claim = await tracked('accepted', () => ledger.claim(callbackId, token));
  if (claim === 'repeat') {
    const entry = await tracked('tracked', () => ledger.read(callbackId));
    // A request that died between its claim and its enqueue left no job: the job id makes this a no-op otherwise.
    if (entry.state === 'blocked') await tracked('enqueued', () => enqueueWorkflowAction(desk.queue, execution));
    return { outputFields: answerFrom(entry, null) ?? BLOCK_OUTPUT_FIELDS, repeated: true };
  }
  try {
    await enqueueWorkflowAction(desk.queue, execution);
  } catch (err) {
    await ledger.release(callbackId, token).catch(() => undefined);
    throw new QueueUnavailableError('the workflow action could not be enqueued; HubSpot will retry', err);
  }

  const deadline = Date.now() + desk.waitMs;
  for (;;) {
    await sleep(Math.max(0, Math.min(desk.pollMs, deadline - Date.now())));
    const entry = await tracked('tracked', () => ledger.read(callbackId));
    const answer = answerFrom(entry, token);
    if (answer) return { outputFields: answer, repeated: false };
    // A repeat of this callbackId arrived meanwhile and turned it into a callback: both answers are BLOCK.
    if (entry.state !== 'waiting' || entry.token !== token) return { outputFields: BLOCK_OUTPUT_FIELDS, repeated: false };
    if (Date.now() >= deadline) {
      await tracked('tracked', () => ledger.giveUp(callbackId, token));
      // The job may have won the race between the last look and giving up: then its outcome is ours to give.
      const last = answerFrom(await tracked('tracked', () => ledger.read(callbackId)), token);
      return { outputFields: last ?? BLOCK_OUTPUT_FIELDS, repeated: false };
    }
  }
}

/** The outcome is this request's to give when the job handed it over while it waited (or, for a repeat, when it is done). */
function answerFrom(entry: LedgerEntry<WorkflowActionOutcome>, token: string | null): ResponseOutputFields | null {
  return entry.state === 'done' && (token === null || (entry.via === 'sync' && entry.token === token)) ? responseOutputFields(entry.outcome) : null;
}

async function tracked<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new QueueUnavailableError(`the workflow action could not be ${what}; HubSpot will retry`, err);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
