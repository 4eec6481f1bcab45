import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { completeWorkflowCallback } from '../../src/hubspot/callbacks.js';
import { BASE, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

describe('workflow action callbacks', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('completing a blocked payout action posts its output fields to the callback', async () => {
    const { hs } = testHubSpot();
    const scope = nock(BASE)
      .post('/automation/actions/callbacks/2026-09/ap-102670506-56776413549-7-0/complete', {
        outputFields: { hs_execution_state: 'FAIL_CONTINUE', reason: 'deal 9001 is not closed-won' },
        typedOutputs: {},
      })
      .reply(204);

    await completeWorkflowCallback(hs, 'ap-102670506-56776413549-7-0', {
      hs_execution_state: 'FAIL_CONTINUE',
      reason: 'deal 9001 is not closed-won',
    });

    expect(scope.isDone()).toBe(true);
  });
});
