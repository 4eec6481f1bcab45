/**
 * The workflow action's answer, as HubSpot's automation actions API defines it (docs/hubspot.md#workflow-actions):
 * `hs_execution_state` and the action's output fields, in the two forms HubSpot takes them. The synchronous HTTP
 * answer carries numbers as numbers (the output field types say so), or `BLOCK` to have the execution wait for a
 * callback; the callback completion (`POST hubspotPaths.callbackComplete(callbackId)`, 204) carries every field as
 * a string. Shapes and sources: docs/hubspot-api.md.
 * https://developers.hubspot.com/docs/api-reference/automation-actions-v4-v4/guide
 */
import { z } from 'zod';
import { hubspotPaths } from './api-paths.js';
import type { HubSpot } from './client.js';

/** What the action reports back to the workflow. */
export type WorkflowActionOutcome =
  { state: 'SUCCESS'; payoutsCount: number; payoutsTotal: string; onHoldCount: number } | { state: 'FAIL_CONTINUE'; reason: string };

/** An outcome read back from storage (Redis is a trust boundary too). */
export const workflowActionOutcomeSchema: z.ZodType<WorkflowActionOutcome> = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('SUCCESS'),
    payoutsCount: z.number().int().nonnegative(),
    payoutsTotal: z.string(),
    onHoldCount: z.number().int().nonnegative(),
  }),
  z.object({ state: z.literal('FAIL_CONTINUE'), reason: z.string() }),
]);

export type ExecutionState = WorkflowActionOutcome['state'];

/** The synchronous HTTP answer's `outputFields`. */
export type ResponseOutputFields = Record<string, string | number>;

/** The synchronous HTTP answer: numbers as numbers, as the action's output field types declare them. */
export function responseOutputFields(outcome: WorkflowActionOutcome): ResponseOutputFields {
  if (outcome.state === 'FAIL_CONTINUE') return { hs_execution_state: 'FAIL_CONTINUE', failure_reason: outcome.reason };
  return {
    hs_execution_state: 'SUCCESS',
    payouts_count: outcome.payoutsCount,
    payouts_total: outcome.payoutsTotal,
    on_hold_count: outcome.onHoldCount,
  };
}

/** The answer that makes the execution wait: the outcome comes later, through the callback. */
export const BLOCK_OUTPUT_FIELDS = { hs_execution_state: 'BLOCK' } as const;

/** The callback completion: the callbacks API takes every output field as a string. */
export function callbackOutputFields(outcome: WorkflowActionOutcome): { hs_execution_state: ExecutionState } & Record<string, string> {
  const fields = responseOutputFields(outcome);
  const strings = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return { ...strings, hs_execution_state: outcome.state };
}

/** Finishing an execution that was answered `BLOCK`. */
export async function completeWorkflowCallback(hs: HubSpot, callbackId: string, outcome: WorkflowActionOutcome): Promise<void> {
  // `typedOutputs` is required by the dated API's schema (and sent empty in its reference examples); the
  // action's outputs are all strings, so they go in `outputFields` as before.
  await hs.request('callbacks.complete', {
    method: 'POST',
    path: hubspotPaths.callbackComplete(callbackId),
    body: { outputFields: callbackOutputFields(outcome), typedOutputs: {} },
  });
}
