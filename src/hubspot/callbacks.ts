/**
 * Finishing a workflow action that answered BLOCK: `POST hubspotPaths.callbackComplete(callbackId)` (answers
 * 204). `outputFields` carries `hs_execution_state` (SUCCESS or FAIL_CONTINUE) and the action's outputs, as
 * strings. Shapes and sources: docs/hubspot-api.md.
 */
import { hubspotPaths } from './api-paths.js';
import type { HubSpot } from './client.js';

export type ExecutionState = 'SUCCESS' | 'FAIL_CONTINUE';

export async function completeWorkflowCallback(
  hs: HubSpot,
  callbackId: string,
  outputFields: { hs_execution_state: ExecutionState } & Record<string, string>,
): Promise<void> {
  // `typedOutputs` is required by the dated API's schema (and sent empty in its reference examples); the
  // action's outputs are all strings, so they go in `outputFields` as before.
  await hs.request('callbacks.complete', {
    method: 'POST',
    path: hubspotPaths.callbackComplete(callbackId),
    body: { outputFields, typedOutputs: {} },
  });
}
