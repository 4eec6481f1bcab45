/**
 * POST /hubspot/actions/schedule-payouts (docs/program.md#payouts: the workflow action is idempotent per callbackId,
 * verifies v3 when present else v2, and answers FAIL_CONTINUE with the reason on a deal that is not closed-won).
 */
import type { Queue } from 'bullmq';
import express from 'express';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { errorHandler } from '../../../src/server/middleware/errors.js';
import { workflowActionRoutes } from '../../../src/server/routes/workflow-actions.js';
import { workflowActionOutcomeSchema, type WorkflowActionOutcome } from '../../../src/hubspot/workflow-action.js';
import { workflowActionJobId } from '../../../src/queue/queues.js';
import { createWorkflowActionLedger } from '../../../src/stores/workflow-action-ledger.js';
import { signHubSpotRequest } from '../../../src/server/verify-hubspot-request.js';
import { TEST_SECRET } from '../../helpers/hubspot-events.js';
import { deleteKeys, testPrefix, testRedis } from '../../helpers/redis.js';
import { PUBLIC_BASE_URL, createCustomer, createDeal, createPartner, startPayoutsPortal, type PayoutsPortal } from '../../services/helpers/payouts-portal.js';

const PATH = '/hubspot/actions/schedule-payouts';
const URI = `${PUBLIC_BASE_URL}${PATH}`;

function executionBody(callbackId: string, dealId: string | number, objectType = 'DEAL'): string {
  return JSON.stringify({
    callbackId,
    origin: { portalId: 62515, actionDefinitionId: 10860211, actionDefinitionVersion: 1 },
    context: { source: 'WORKFLOWS', workflowId: 192814114 },
    object: { objectId: Number(dealId), objectType, properties: {} },
    inputFields: {},
  });
}

function v3(raw: string, opts: { secret?: string; timestamp?: number } = {}) {
  return {
    'content-type': 'application/json',
    ...signHubSpotRequest({ method: 'POST', uri: URI, rawBody: raw, secret: opts.secret ?? TEST_SECRET, timestamp: opts.timestamp ?? Date.now() }),
  };
}

function v2(raw: string, secret = TEST_SECRET) {
  return {
    'content-type': 'application/json',
    ...signHubSpotRequest({ method: 'POST', uri: URI, rawBody: raw, secret, timestamp: Date.now(), version: 'v2' }),
  };
}

describe('with the sandbox portal and real workers', () => {
  let p: PayoutsPortal;
  afterEach(async () => {
    await p?.close();
  });

  /** $300,000: Beacon refers at 15% (agreement signed); Newcomer co-sells at 20% and has no agreement (held). */
  function closedWonDeal(stage = 'closedwon') {
    const beacon = createPartner(p, { name: 'Beacon Advisors', type: 'consultant', consultants: 20 });
    const newcomer = createPartner(p, { name: 'Newcomer Partners LLC', type: 'channel', agreement: false });
    return createDeal(p, {
      name: 'Acme rollout',
      amount: 300_000,
      stage,
      closedate: Date.now() - 86_400_000,
      customerId: createCustomer(p, 'Acme Health'),
      partners: [
        { id: beacon, roles: ['pp_referral_partner'] },
        { id: newcomer, roles: ['pp_co_selling_partner'] },
      ],
    });
  }

  const post = (raw: string, headers: Record<string, string>) => request(p.app).post(PATH).set(headers).send(raw);

  it('a v3-signed call on a closed-won deal answers SUCCESS in the response with payouts_count, payouts_total and on_hold_count', async () => {
    p = await startPayoutsPortal();
    const deal = closedWonDeal();
    const raw = executionBody('ap-1-1-1-0', deal);
    const res = await post(raw, v3(raw));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      outputFields: { hs_execution_state: 'SUCCESS', payouts_count: 2, payouts_total: '105000.00 USD', on_hold_count: 1 },
    });
    expect(p.payouts().map((r) => [r.role, r.amount, r.status])).toEqual([
      ['pp_referral_partner', 4_500_000, 'scheduled'],
      ['pp_co_selling_partner', 6_000_000, 'on_hold'],
    ]);
    expect(p.api.store.callbackCompletions).toEqual([]);
  });

  it('a v2-signed call (custom actions are documented as v2) is accepted', async () => {
    p = await startPayoutsPortal();
    const deal = closedWonDeal();
    const raw = executionBody('ap-1-1-2-0', deal);
    const res = await post(raw, v2(raw));
    expect([res.status, res.body.outputFields.hs_execution_state]).toEqual([200, 'SUCCESS']);
  });

  it.each([
    { label: 'a v3 signature made with another secret', headers: (raw: string) => v3(raw, { secret: 'not-the-secret' }) },
    { label: 'a v3 signature older than five minutes', headers: (raw: string) => v3(raw, { timestamp: Date.now() - 6 * 60_000 }) },
    { label: 'a v2 signature made with another secret', headers: (raw: string) => v2(raw, 'not-the-secret') },
    {
      label: 'a v1 signature (never accepted for actions)',
      headers: (raw: string) => ({
        'content-type': 'application/json',
        ...signHubSpotRequest({ method: 'POST', uri: URI, rawBody: raw, secret: TEST_SECRET, timestamp: 0, version: 'v1' }),
      }),
    },
    { label: 'no signature at all', headers: () => ({ 'content-type': 'application/json' }) },
  ])('a forged call is refused with 401 and starts nothing: $label', async ({ headers }) => {
    p = await startPayoutsPortal({ workers: false });
    const deal = closedWonDeal();
    const raw = executionBody('ap-forged-0', deal);
    const res = await post(raw, headers(raw));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('signature');
    expect(await p.rt.queues.sync.getJob(workflowActionJobId('ap-forged-0'))).toBeUndefined();
    expect((await createWorkflowActionLedger(p.rt.producerRedis, p.prefix, workflowActionOutcomeSchema).read('ap-forged-0')).state).toBe('absent');
  });

  it.each([
    { label: 'not JSON', raw: '{"callbackId":' },
    { label: 'no callbackId', raw: JSON.stringify({ object: { objectId: 5, objectType: 'DEAL' } }) },
    { label: 'a contact, not a deal', raw: executionBody('ap-400-1', 5, 'CONTACT') },
    { label: 'no object id', raw: JSON.stringify({ callbackId: 'ap-400-2', object: { objectType: 'DEAL' } }) },
  ])('a body that is not a deal execution is refused with 400 (HubSpot does not retry it): $label', async ({ raw }) => {
    p = await startPayoutsPortal({ workers: false });
    const res = await post(raw, v3(raw));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('payload');
    expect(await p.rt.queues.sync.getJobCounts('waiting', 'delayed')).toMatchObject({ waiting: 0, delayed: 0 });
  });

  it('a deal that is not closed-won answers FAIL_CONTINUE with the reason, and freezes nothing', async () => {
    p = await startPayoutsPortal();
    const deal = closedWonDeal('contractsent');
    const raw = executionBody('ap-1-1-3-0', deal);
    const res = await post(raw, v3(raw));
    expect(res.body).toEqual({
      outputFields: {
        hs_execution_state: 'FAIL_CONTINUE',
        failure_reason: `Deal ${deal} is not closed-won (stage contractsent): payouts are frozen only when a deal is closed-won.`,
      },
    });
    expect(p.payouts()).toEqual([]);
  });

  it('a deal that no longer exists answers FAIL_CONTINUE saying so', async () => {
    p = await startPayoutsPortal();
    const raw = executionBody('ap-1-1-4-0', 987654321);
    const res = await post(raw, v3(raw));
    expect(res.body.outputFields).toEqual({
      hs_execution_state: 'FAIL_CONTINUE',
      failure_reason: 'Deal 987654321 does not exist (it may have been deleted): no payouts scheduled.',
    });
  });

  it('when the work outlasts the wait: BLOCK now, then exactly one callback with the outputs; a repeat returns the stored outputs and completes nothing again', async () => {
    p = await startPayoutsPortal({ workers: false, actionWaitMs: 100 });
    const deal = closedWonDeal();
    const raw = executionBody('ap-slow-1', deal);

    const first = await post(raw, v3(raw));
    expect(first.body).toEqual({ outputFields: { hs_execution_state: 'BLOCK' } });
    // HubSpot retries before the job ran: still BLOCK, still one job.
    const retried = await post(raw, v3(raw));
    expect(retried.body).toEqual({ outputFields: { hs_execution_state: 'BLOCK' } });
    expect(await p.rt.queues.sync.getJobCounts('waiting')).toMatchObject({ waiting: 1 });

    await p.startWorkers();
    await p.waitForIdle();
    expect(p.api.store.callbackCompletions.map((c) => [c.callbackId, c.outputFields])).toEqual([
      ['ap-slow-1', { hs_execution_state: 'SUCCESS', payouts_count: '2', payouts_total: '105000.00 USD', on_hold_count: '1' }],
    ]);

    const repeat = await post(raw, v3(raw));
    await p.waitForIdle();
    expect(repeat.body).toEqual({
      outputFields: { hs_execution_state: 'SUCCESS', payouts_count: 2, payouts_total: '105000.00 USD', on_hold_count: 1 },
    });
    expect(p.api.store.callbackCompletions).toHaveLength(1);
    const actionJobs = (await p.rt.queues.sync.getJobs(['waiting', 'active', 'completed', 'failed'])).filter((j) => j.name === 'complete-workflow-action');
    expect(actionJobs.map((j) => j.id)).toEqual([workflowActionJobId('ap-slow-1')]);
  });

  it('two deliveries of one callbackId at once: both answer BLOCK and the execution is completed once, by callback', async () => {
    p = await startPayoutsPortal({ workers: false, actionWaitMs: 300 });
    const deal = closedWonDeal();
    const raw = executionBody('ap-twice-1', deal);
    const [a, b] = await Promise.all([post(raw, v3(raw)), post(raw, v3(raw))]);
    expect([a.body.outputFields, b.body.outputFields]).toEqual([{ hs_execution_state: 'BLOCK' }, { hs_execution_state: 'BLOCK' }]);
    await p.startWorkers();
    await p.waitForIdle();
    expect(p.api.store.callbackCompletions.map((c) => c.callbackId)).toEqual(['ap-twice-1']);
  });

  it('the action on a deal without partners succeeds with no payouts, totalled in the deal currency', async () => {
    p = await startPayoutsPortal();
    const deal = createDeal(p, {
      name: 'Direct deal',
      amount: 50_000,
      stage: 'closedwon',
      currency: 'EUR',
      customerId: createCustomer(p, 'Initech'),
      partners: [],
    });
    const raw = executionBody('ap-1-1-5-0', deal);
    const res = await post(raw, v3(raw));
    expect(res.body.outputFields).toEqual({ hs_execution_state: 'SUCCESS', payouts_count: 0, payouts_total: '0.00 EUR', on_hold_count: 0 });
  });
});

describe('one answer per execution, whatever the timing (sync response XOR callback)', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(() => {
    redis = testRedis();
    prefix = testPrefix('wfa-race');
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  const OUTCOME: WorkflowActionOutcome = { state: 'SUCCESS', payoutsCount: 1, payoutsTotal: '10.00 USD', onHoldCount: 0 };

  /** A queue whose "job" finishes through the real ledger after `delayMs`, and records a callback when it owes one. */
  function racingQueue(delayMs: () => number, callbacks: string[], jobs: Promise<void>[]) {
    const ledger = createWorkflowActionLedger(redis, prefix, workflowActionOutcomeSchema);
    return {
      async add(_name: string, data: { callbackId: string }) {
        jobs.push(
          new Promise<void>((resolve) => setTimeout(resolve, delayMs())).then(async () => {
            if ((await ledger.finish(data.callbackId, OUTCOME)) === 'callback') callbacks.push(data.callbackId);
          }),
        );
      },
    } as unknown as Queue;
  }

  function appWith(queue: Queue, waitMs: number, pollMs: number) {
    const app = express();
    app.use(
      workflowActionRoutes({
        signature: { clientSecret: TEST_SECRET, publicBaseUrl: PUBLIC_BASE_URL, toleranceMs: 300_000, clock: Date.now },
        redis,
        queue,
        prefix,
        logger: silentLogger,
        waitMs,
        pollMs,
      }),
    );
    app.use(errorHandler(silentLogger));
    return app;
  }

  it('60 executions whose job ends just before, at or just after the wait: each gets exactly one answer', async () => {
    const answers: { sync: boolean; callback: boolean }[] = [];
    for (let i = 0; i < 60; i++) {
      const callbacks: string[] = [];
      const jobs: Promise<void>[] = [];
      // The job ends within ±15 ms of the 30 ms wait, polled every 5 ms: both sides of the race, and ties
      // (plus one job that is instant and one that is far too slow, so both outcomes surely occur).
      const delay = i === 0 ? 0 : i === 1 ? 150 : 15 + (i % 31);
      const app = appWith(
        racingQueue(() => delay, callbacks, jobs),
        30,
        5,
      );
      const raw = executionBody(`race-${i}`, 101);
      const res = await request(app).post(PATH).set(v3(raw)).send(raw);
      await Promise.all(jobs);
      const sync = res.body.outputFields.hs_execution_state === 'SUCCESS';
      expect(res.body.outputFields.hs_execution_state === 'BLOCK' || sync).toBe(true);
      answers.push({ sync, callback: callbacks.length === 1 });
      expect(Number(sync) + callbacks.length).toBe(1);
    }
    // Both outcomes really happened, so the race was run from both sides.
    expect(answers.some((a) => a.sync)).toBe(true);
    expect(answers.some((a) => a.callback)).toBe(true);
  });

  it('Redis refusing the job answers 503 and forgets the claim, so HubSpot’s retry starts afresh', async () => {
    const queue = { add: async () => Promise.reject(new Error('READONLY You can’t write against a read only replica.')) } as unknown as Queue;
    const raw = executionBody('no-queue-1', 101);
    const res = await request(appWith(queue, 30, 5))
      .post(PATH)
      .set(v3(raw))
      .send(raw);
    expect([res.status, res.body.error.code]).toEqual([503, 'queue_unavailable']);
    expect((await createWorkflowActionLedger(redis, prefix, workflowActionOutcomeSchema).read('no-queue-1')).state).toBe('absent');
  });
});
