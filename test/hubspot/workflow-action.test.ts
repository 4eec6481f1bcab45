/**
 * The workflow action's answer (docs/hubspot.md#workflow-actions): numbers as numbers in the HTTP response, every
 * output field as a string in the callback completion, and the completion posted to the dated callbacks path.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BLOCK_OUTPUT_FIELDS,
  callbackOutputFields,
  completeWorkflowCallback,
  responseOutputFields,
  type WorkflowActionOutcome,
} from '../../src/hubspot/workflow-action.js';
import { BASE, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

const SUCCESS: WorkflowActionOutcome = { state: 'SUCCESS', payoutsCount: 2, payoutsTotal: '105000.00 USD', onHoldCount: 1 };
const REASON = 'Deal 9001 is not closed-won (stage contractsent)';
const FAILED: WorkflowActionOutcome = { state: 'FAIL_CONTINUE', reason: REASON };

describe('the answer fields', () => {
  it.each([
    {
      label: 'SUCCESS answers the counts as numbers in the response and as strings in the callback',
      outcome: SUCCESS,
      response: { hs_execution_state: 'SUCCESS', payouts_count: 2, payouts_total: '105000.00 USD', on_hold_count: 1 },
      callback: { hs_execution_state: 'SUCCESS', payouts_count: '2', payouts_total: '105000.00 USD', on_hold_count: '1' },
    },
    {
      label: 'FAIL_CONTINUE answers the reason as failure_reason in both',
      outcome: FAILED,
      response: { hs_execution_state: 'FAIL_CONTINUE', failure_reason: REASON },
      callback: { hs_execution_state: 'FAIL_CONTINUE', failure_reason: REASON },
    },
  ])('$label', ({ outcome, response, callback }) => {
    expect(responseOutputFields(outcome)).toEqual(response);
    expect(callbackOutputFields(outcome)).toEqual(callback);
  });

  it('BLOCK carries the execution state alone', () => {
    expect(BLOCK_OUTPUT_FIELDS).toEqual({ hs_execution_state: 'BLOCK' });
  });
});

describe('workflow action callbacks', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('completing a blocked payout action posts its output fields, as strings, to the callback', async () => {
    const { hs } = testHubSpot();
    const scope = nock(BASE)
      .post('/automation/actions/callbacks/2026-09/ap-102670506-56776413549-7-0/complete', {
        outputFields: { hs_execution_state: 'SUCCESS', payouts_count: '2', payouts_total: '105000.00 USD', on_hold_count: '1' },
        typedOutputs: {},
      })
      .reply(204);

    await completeWorkflowCallback(hs, 'ap-102670506-56776413549-7-0', SUCCESS);

    expect(scope.isDone()).toBe(true);
  });
});
