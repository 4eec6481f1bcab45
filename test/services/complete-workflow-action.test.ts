/**
 * The `complete-workflow-action` job (docs/program.md#payouts: HubSpot gets one answer per execution; a failure
 * retrying cannot fix is answered FAIL_CONTINUE rather than leaving the workflow blocked).
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import { HubSpotClientError, HubSpotServerError } from '../../src/hubspot/errors.js';
import type { HubSpot } from '../../src/hubspot/client.js';
import { workflowActionOutcomeSchema, type WorkflowActionOutcome } from '../../src/hubspot/workflow-action.js';
import { silentLogger } from '../../src/logger.js';
import { completeWorkflowAction } from '../../src/services/complete-workflow-action.js';
import type { SyncContext } from '../../src/services/sync-context.js';
import { createWorkflowActionLedger, type WorkflowActionLedger } from '../../src/stores/workflow-action-ledger.js';
import { deleteKeys, testPrefix, testRedis } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;
let ledger: WorkflowActionLedger<WorkflowActionOutcome>;
let n = 0;
const nextId = () => `cb-${++n}`;

beforeAll(() => {
  redis = testRedis();
  prefix = testPrefix('wfa-complete');
  ledger = createWorkflowActionLedger(redis, prefix, workflowActionOutcomeSchema);
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('the job handler (complete-workflow-action)', () => {
  const program = buildProgramConfig({});

  /** A context whose deal read is scripted (only what the handler touches before the recompute), on this file's ledger. */
  function ctxWith(deal: () => Promise<{ id: string; properties: Record<string, string> } | null>, hs: HubSpot): SyncContext {
    return {
      hs,
      redis,
      prefix,
      crm: { deal },
      portal: { stages: async () => ({ closedWon: new Set(['closedwon']), closedLost: new Set(['closedlost']) }) },
      program,
      clock: () => Date.UTC(2026, 10, 20),
      logger: silentLogger,
    } as unknown as SyncContext;
  }

  /** A HubSpot whose callbacks API records completions; `failures` of them fail first with a 5xx. */
  function fakeHubSpot(failures = 0) {
    const completions: { callbackId: string; outputFields: Record<string, string> }[] = [];
    let left = failures;
    const hs: HubSpot = {
      async request(operation, req) {
        const callbackId = /\/automation\/actions\/callbacks\/2026-09\/([^/]+)\/complete$/.exec(req.path)?.[1];
        if (req.method !== 'POST' || callbackId === undefined) throw new Error(`unexpected ${operation}: ${req.method} ${req.path}`);
        if (left-- > 0) throw new HubSpotServerError('callbacks.complete: HubSpot failed 5 times, last with 502', { operation, hubspotStatus: 502 });
        completions.push({ callbackId: decodeURIComponent(callbackId), outputFields: (req.body as { outputFields: Record<string, string> }).outputFields });
        return { status: 204, headers: {}, data: undefined };
      },
    };
    return { hs, completions };
  }

  const openDeal = async () => ({ id: '101', properties: { dealstage: 'contractsent' } });

  it('a deal that is not closed-won, with the request gone: completed once by callback with FAIL_CONTINUE and the reason (strings)', async () => {
    const id = nextId();
    await ledger.claim(id, 'A');
    await ledger.giveUp(id, 'A');
    const { hs, completions } = fakeHubSpot();
    expect(await completeWorkflowAction(ctxWith(openDeal, hs), { callbackId: id, dealId: '101' })).toEqual({
      callbackId: id,
      dealId: '101',
      state: 'FAIL_CONTINUE',
      answeredBy: 'callback',
    });
    expect(completions).toEqual([
      {
        callbackId: id,
        outputFields: {
          hs_execution_state: 'FAIL_CONTINUE',
          failure_reason: 'Deal 101 is not closed-won (stage contractsent): payouts are frozen only when a deal is closed-won.',
        },
      },
    ]);
    expect(await completeWorkflowAction(ctxWith(openDeal, hs), { callbackId: id, dealId: '101' })).toMatchObject({ answeredBy: 'already-answered' });
    expect(completions).toHaveLength(1);
  });

  it('with the request still waiting, the outcome goes to the request and no callback is made', async () => {
    const id = nextId();
    await ledger.claim(id, 'A');
    const { hs, completions } = fakeHubSpot();
    expect(await completeWorkflowAction(ctxWith(openDeal, hs), { callbackId: id, dealId: '101' })).toMatchObject({
      answeredBy: 'response',
    });
    expect(completions).toEqual([]);
    expect(await ledger.read(id)).toMatchObject({ state: 'done', via: 'sync', token: 'A' });
  });

  it('a failure retrying cannot fix (HubSpot 4xx) is answered FAIL_CONTINUE with its message instead of leaving the workflow blocked', async () => {
    const id = nextId();
    await ledger.claim(id, 'A');
    await ledger.giveUp(id, 'A');
    const { hs, completions } = fakeHubSpot();
    const refused = async () => {
      throw new HubSpotClientError('deals.batchRead: HubSpot answered 403 MISSING_SCOPES: missing crm.objects.deals.read', {
        operation: 'deals.batchRead',
        hubspotStatus: 403,
      });
    };
    await completeWorkflowAction(ctxWith(refused, hs), { callbackId: id, dealId: '101' });
    expect(completions.map((c) => c.outputFields)).toEqual([
      {
        hs_execution_state: 'FAIL_CONTINUE',
        failure_reason: 'Payouts could not be scheduled: deals.batchRead: HubSpot answered 403 MISSING_SCOPES: missing crm.objects.deals.read',
      },
    ]);
  });

  it('a failure worth retrying (HubSpot 5xx) fails the job for BullMQ to retry, and answers nothing yet', async () => {
    const id = nextId();
    await ledger.claim(id, 'A');
    await ledger.giveUp(id, 'A');
    const { hs, completions } = fakeHubSpot();
    const down = async () => {
      throw new HubSpotServerError('deals.batchRead: HubSpot failed 5 times, last with 503', { operation: 'deals.batchRead', hubspotStatus: 503 });
    };
    await expect(completeWorkflowAction(ctxWith(down, hs), { callbackId: id, dealId: '101' })).rejects.toBeInstanceOf(HubSpotServerError);
    expect(completions).toEqual([]);
    expect(await ledger.read(id)).toEqual({ state: 'blocked' });
  });

  it('a callback that failed is sent again by the retry with the same outputs, even if the deal changed meanwhile', async () => {
    const id = nextId();
    await ledger.claim(id, 'A');
    await ledger.giveUp(id, 'A');
    const { hs, completions } = fakeHubSpot(1);
    await expect(completeWorkflowAction(ctxWith(openDeal, hs), { callbackId: id, dealId: '101' })).rejects.toBeInstanceOf(HubSpotServerError);
    const gone = async () => null;
    await completeWorkflowAction(ctxWith(gone, hs), { callbackId: id, dealId: '101' });
    expect(completions.map((c) => c.outputFields.failure_reason)).toEqual([
      'Deal 101 is not closed-won (stage contractsent): payouts are frozen only when a deal is closed-won.',
    ]);
  });
});
