/**
 * The workflow action's ledger (docs/program.md#payouts: idempotent per callbackId; HubSpot gets one answer per
 * execution, in the HTTP response or through the callback, never both and never twice).
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowActionOutcomeSchema, type WorkflowActionOutcome } from '../../src/hubspot/workflow-action.js';
import { createWorkflowActionLedger, type WorkflowActionLedger } from '../../src/stores/workflow-action-ledger.js';
import { deleteKeys, testPrefix, testRedis } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;
let ledger: WorkflowActionLedger<WorkflowActionOutcome>;
let n = 0;
const nextId = () => `cb-${++n}`;

beforeAll(() => {
  redis = testRedis();
  prefix = testPrefix('wfa-ledger');
  ledger = createWorkflowActionLedger(redis, prefix, workflowActionOutcomeSchema);
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

const FIRST: WorkflowActionOutcome = { state: 'SUCCESS', payoutsCount: 2, payoutsTotal: '75000.00 USD', onHoldCount: 0 };
const SECOND: WorkflowActionOutcome = { state: 'SUCCESS', payoutsCount: 3, payoutsTotal: '80000.00 USD', onHoldCount: 1 };

type Step =
  | { op: 'claim'; token: string; expect: 'claimed' | 'repeat' }
  | { op: 'giveUp'; token: string }
  | { op: 'finish'; outcome: WorkflowActionOutcome; expect: 'sync' | 'callback' | 'done' }
  | { op: 'calledBack' };

describe('the ledger: every order of "request waits / gives up / repeats" and "job finishes" ends in one answer', () => {
  it.each<{ label: string; steps: Step[]; final: unknown }>([
    {
      label: 'the job finishes while the request waits: the request answers with the outcome, no callback is owed',
      steps: [
        { op: 'claim', token: 'A', expect: 'claimed' },
        { op: 'finish', outcome: FIRST, expect: 'sync' },
      ],
      final: { state: 'done', outcome: FIRST, via: 'sync', token: 'A' },
    },
    {
      label: 'the request gives up first: it answers BLOCK and the job owes the callback',
      steps: [
        { op: 'claim', token: 'A', expect: 'claimed' },
        { op: 'giveUp', token: 'A' },
        { op: 'finish', outcome: FIRST, expect: 'callback' },
      ],
      final: { state: 'callback', outcome: FIRST },
    },
    {
      label: 'the job wins by a hair: a give-up that comes after it changes nothing, the request still answers',
      steps: [
        { op: 'claim', token: 'A', expect: 'claimed' },
        { op: 'finish', outcome: FIRST, expect: 'sync' },
        { op: 'giveUp', token: 'A' },
      ],
      final: { state: 'done', outcome: FIRST, via: 'sync', token: 'A' },
    },
    {
      label: 'a repeat while the first request waits turns the execution into a callback (both requests answer BLOCK)',
      steps: [
        { op: 'claim', token: 'A', expect: 'claimed' },
        { op: 'claim', token: 'B', expect: 'repeat' },
        { op: 'finish', outcome: FIRST, expect: 'callback' },
      ],
      final: { state: 'callback', outcome: FIRST },
    },
    {
      label: 'a job retried after a failed callback sends the outcome first decided, not a new one',
      steps: [
        { op: 'claim', token: 'A', expect: 'claimed' },
        { op: 'giveUp', token: 'A' },
        { op: 'finish', outcome: FIRST, expect: 'callback' },
        { op: 'finish', outcome: SECOND, expect: 'callback' },
      ],
      final: { state: 'callback', outcome: FIRST },
    },
    {
      label: 'a job retried after its callback went out finds it answered and completes nothing again',
      steps: [
        { op: 'claim', token: 'A', expect: 'claimed' },
        { op: 'giveUp', token: 'A' },
        { op: 'finish', outcome: FIRST, expect: 'callback' },
        { op: 'calledBack' },
        { op: 'finish', outcome: SECOND, expect: 'done' },
        { op: 'claim', token: 'C', expect: 'repeat' },
      ],
      final: { state: 'done', outcome: FIRST, via: 'callback', token: null },
    },
    {
      label: 'a repeat after the answer was given reads the stored outcome and starts nothing',
      steps: [
        { op: 'claim', token: 'A', expect: 'claimed' },
        { op: 'finish', outcome: FIRST, expect: 'sync' },
        { op: 'claim', token: 'B', expect: 'repeat' },
      ],
      final: { state: 'done', outcome: FIRST, via: 'sync', token: 'A' },
    },
    {
      label: 'a job whose entry is gone (expired) owes the callback',
      steps: [{ op: 'finish', outcome: FIRST, expect: 'callback' }],
      final: { state: 'callback', outcome: FIRST },
    },
  ])('$label', async ({ steps, final }) => {
    const id = nextId();
    for (const step of steps) {
      switch (step.op) {
        case 'claim':
          expect(await ledger.claim(id, step.token)).toBe(step.expect);
          break;
        case 'giveUp':
          await ledger.giveUp(id, step.token);
          break;
        case 'finish':
          expect(await ledger.finish(id, step.outcome)).toBe(step.expect);
          break;
        case 'calledBack':
          await ledger.markCalledBack(id);
          break;
      }
    }
    expect(await ledger.read(id)).toEqual(final);
  });

  it('an entry lives for days (HubSpot retries an action for about three), then Redis forgets it', async () => {
    const id = nextId();
    await ledger.claim(id, 'A');
    const ttl = await redis.pttl(`${prefix}:workflow-action:${id}`);
    expect(ttl).toBeGreaterThan(7 * 86_400_000);
    expect(ttl).toBeLessThanOrEqual(8 * 86_400_000);
  });

  it('a garbled entry reads as blocked, so the job still completes by callback rather than never', async () => {
    const id = nextId();
    await redis.hset(`${prefix}:workflow-action:${id}`, 'state', 'done', 'outcome', '{not json');
    expect(await ledger.read(id)).toEqual({ state: 'blocked' });
  });
});
