/**
 * Finishing a workflow action that answered BLOCK: POST /automation/v4/actions/callbacks/{callbackId}/complete.
 * `outputFields` carries `hs_execution_state` (SUCCESS or FAIL_CONTINUE) and the action's outputs, as strings.
 * https://developers.hubspot.com/docs/api-reference/legacy/automation/workflow-actions/callbacks/complete-callback
 */
import type { HubSpot } from './client.js';

export type ExecutionState = 'SUCCESS' | 'FAIL_CONTINUE';

export async function completeWorkflowCallback(
  hs: HubSpot,
  callbackId: string,
  outputFields: { hs_execution_state: ExecutionState } & Record<string, string>,
): Promise<void> {
  await hs.call('callbacks.complete', (api) => api.automation.actions.callbacksApi.completeWithHttpInfo(callbackId, { outputFields }));
}
