/**
 * Rule 7, the client retention bonus: +1% of the B frozen at close for the referral partner, when the customer
 * company is still a customer 24 months after closed-won; a delayed job per deal and a daily sweep.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import { MAINTENANCE_QUEUE } from '../../src/queue/job-data.js';
import { recomputeDeal } from '../../src/services/recompute-deal.js';
import {
  RETENTION_CHECK_JOB,
  checkRetentionBonus,
  redisRetentionDecisions,
  retentionCheckJobId,
  retentionDueAt,
  retentionSweep,
  scheduleRetentionCheck,
} from '../../src/services/retention-bonus.js';
import { signedHeaders } from '../helpers/hubspot-events.js';
import { deleteKeys, testPrefix, testRedis } from '../helpers/redis.js';
import { PUBLIC_BASE_URL, createCustomer, createDeal, createPartner, startPayoutsPortal, type PayoutsPortal } from './helpers/payouts-portal.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 15, 0, 0);
/** Closed-won 24 months and a day before NOW: due yesterday. */
const CLOSED_DUE = Date.UTC(2024, 10, 19, 15, 0, 0);

describe('when the bonus falls due: closed-won + retention.months calendar months, program time zone', () => {
  it.each([
    { label: '24 months after 2026-03-15 10:00Z is 2028-03-15 10:00Z', at: Date.UTC(2026, 2, 15, 10), months: 24, tz: 'UTC', due: Date.UTC(2028, 2, 15, 10) },
    { label: 'a month after Jan 31 is the last day of February', at: Date.UTC(2026, 0, 31, 9), months: 1, tz: 'UTC', due: Date.UTC(2026, 1, 28, 9) },
    { label: '24 months after Feb 29 is Feb 28', at: Date.UTC(2024, 1, 29, 12), months: 24, tz: 'UTC', due: Date.UTC(2026, 1, 28, 12) },
    {
      label: 'noon in New York stays noon across daylight saving (EDT → EST)',
      at: Date.UTC(2026, 6, 1, 16),
      months: 6,
      tz: 'America/New_York',
      due: Date.UTC(2027, 0, 1, 17),
    },
  ])('$label', ({ at, months, tz, due }) => {
    const config = buildProgramConfig({ timeZone: tz, retention: { months } }).config;
    expect(retentionDueAt(at, config)).toBe(due);
  });
});

describe('the delayed job per deal', () => {
  let redis: Redis;
  let queue: Queue;
  let prefix: string;
  beforeAll(() => {
    redis = testRedis();
    prefix = testPrefix('retention-job');
    queue = new Queue(MAINTENANCE_QUEUE, { connection: redis, prefix });
  });
  afterAll(async () => {
    await queue.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('is scheduled at closed-won + 24 months with a deterministic id: scheduling it again adds nothing', async () => {
    const config = buildProgramConfig({}).config;
    const closedWonAt = Date.UTC(2026, 2, 15, 10);
    const now = Date.UTC(2026, 2, 16, 8);
    const first = await scheduleRetentionCheck(queue, { dealId: '501', closedWonAt }, config, now);
    const again = await scheduleRetentionCheck(queue, { dealId: '501', closedWonAt }, config, now + 3_600_000);

    const dueAt = Date.UTC(2028, 2, 15, 10);
    expect(first).toEqual({ jobId: retentionCheckJobId('501', dueAt), dueAt, delayMs: dueAt - now });
    expect(again.jobId).toBe(first.jobId);
    const delayed = await queue.getDelayed();
    expect(delayed.map((j) => [j.id, j.name, j.data, j.opts.delay])).toEqual([[first.jobId, RETENTION_CHECK_JOB, { dealId: '501', dueAt }, dueAt - now]]);
  });

  it('follows the configured months (12)', async () => {
    const config = buildProgramConfig({ retention: { months: 12 } }).config;
    const scheduled = await scheduleRetentionCheck(queue, { dealId: '502', closedWonAt: Date.UTC(2026, 2, 15, 10) }, config, Date.UTC(2026, 2, 15, 10));
    expect(scheduled.dueAt).toBe(Date.UTC(2027, 2, 15, 10));
  });
});

describe('the check, on the sandbox portal', () => {
  let p: PayoutsPortal;
  afterEach(async () => {
    await p?.close();
  });

  /** Summit (tier_1 consultant, 12%) refers a $600,000 deal for `customer`, closed-won at `closedAt`; frozen then. */
  async function wonDeal(closedAt: number, lifecyclestage = 'customer', agreement = true) {
    const partner = createPartner(p, { name: 'Summit Advisory Group', type: 'consultant', consultants: 60, agreement });
    const customer = createCustomer(p, 'Wayne Foods', lifecyclestage);
    const deal = createDeal(p, {
      name: 'Wayne Foods platform',
      amount: 600_000,
      stage: 'closedwon',
      closedate: closedAt,
      createdate: closedAt - 30 * DAY,
      customerId: customer,
      partners: [{ id: partner, roles: ['pp_referral_partner'] }],
    });
    p.setNow(closedAt + 3_600_000);
    await recomputeDeal(p.rt.ctx, deal);
    p.setNow(NOW);
    return { partner, customer, deal };
  }

  const decisions = () => redisRetentionDecisions(p.rt.workerRedis, p.prefix);

  it('a customer still a customer 24 months on earns one :retention payout of 1% of the B frozen at close; the commission record is untouched', async () => {
    p = await startPayoutsPortal({ workers: false, now: NOW, program: { finance: { userIds: ['71000009'], teamIds: [] } } });
    const { partner, deal } = await wonDeal(CLOSED_DUE);
    // Finance paid the referral line; the deal grew since. The bonus is on the basis frozen at close.
    const referralKey = `${deal}:${partner}:pp_referral_partner`;
    const finance = { changeSource: 'CRM_UI', sourceId: 'userId:71000009' };
    p.api.store.updateObject('pp_payout', referralKey, { pp_status: 'paid' }, { idProperty: 'pp_payout_key', actor: finance });
    p.user.updateDeal(deal, { amount: '700000' });
    const commission = p.payouts();

    const result = await checkRetentionBonus(p.rt.ctx, deal, decisions());
    expect([result.outcome, result.dueAt]).toEqual(['created', Date.UTC(2026, 10, 19, 15)]);
    const retention = p.payouts().find((r) => r.key === `${referralKey}:retention`)!;
    expect([retention.kind, retention.amount, retention.basis, retention.rateBps, retention.status, retention.frozenAt]).toEqual([
      'retention',
      600_000,
      60_000_000,
      100,
      'scheduled',
      NOW,
    ]);
    expect(retention.explanation).toContain('Retention bonus frozen on 2026-11-20');
    expect(p.payouts().filter((r) => r.key !== retention.key)).toEqual(commission);
    // paid + scheduled: the deal's summary moves to the least advanced.
    expect(p.deal(deal).pp_payout_status).toBe('scheduled');

    expect((await checkRetentionBonus(p.rt.ctx, deal, decisions())).outcome).toBe('unchanged');
    expect(p.payouts()).toHaveLength(2);
  });

  it('a churned customer earns nothing, and coming back later does not revive the bonus', async () => {
    p = await startPayoutsPortal({ workers: false, now: NOW });
    const { customer, deal } = await wonDeal(CLOSED_DUE, 'other');
    expect((await checkRetentionBonus(p.rt.ctx, deal, decisions())).outcome).toBe('churned');
    expect(p.payouts().map((r) => r.kind)).toEqual(['commission']);

    p.user.updateCompany(customer, { lifecyclestage: 'customer' });
    p.setNow(NOW + DAY);
    expect((await checkRetentionBonus(p.rt.ctx, deal, decisions())).outcome).toBe('already_decided');
    expect(p.payouts().map((r) => r.kind)).toEqual(['commission']);
  });

  it('before the 24 months are up nothing is decided', async () => {
    p = await startPayoutsPortal({ workers: false, now: NOW });
    const { deal } = await wonDeal(NOW - 700 * DAY);
    expect((await checkRetentionBonus(p.rt.ctx, deal, decisions())).outcome).toBe('not_due');
    expect(p.payouts()).toHaveLength(1);
  });

  it('freezing a closed-won deal schedules its delayed check; run by the maintenance worker when due, it creates the payout', async () => {
    p = await startPayoutsPortal({ now: NOW });
    const { deal } = await wonDeal(CLOSED_DUE);
    // The recompute that froze the deal scheduled the check; scheduling again (a sweep, the workflow action) is a no-op.
    const dueAt = retentionDueAt(CLOSED_DUE, p.rt.program.config);
    const scheduled = await p.rt.queues.maintenance.getJob(retentionCheckJobId(deal, dueAt));
    expect(scheduled?.data).toEqual({ dealId: deal, dueAt });
    await scheduleRetentionCheck(p.rt.queues.maintenance, { dealId: deal, closedWonAt: CLOSED_DUE }, p.rt.program.config, NOW);
    // BullMQ delays run on the real clock; the portal's clock is already past the due date, so run it now.
    await scheduled!.promote();
    await p.waitForIdle();
    expect(p.payouts().map((r) => [r.kind, r.amount])).toEqual([
      ['commission', 7_200_000],
      ['retention', 600_000],
    ]);
  });

  it('the workflow action schedules the deal’s delayed check at closed-won + 24 months', async () => {
    p = await startPayoutsPortal({ now: NOW });
    const closedAt = NOW - 2 * DAY;
    const partner = createPartner(p, { name: 'Summit Advisory Group', type: 'consultant', consultants: 60 });
    const deal = createDeal(p, {
      name: 'Stark logistics',
      amount: 600_000,
      stage: 'closedwon',
      closedate: closedAt,
      customerId: createCustomer(p, 'Stark Logistics'),
      partners: [{ id: partner, roles: ['pp_referral_partner'] }],
    });
    const raw = JSON.stringify({ callbackId: 'ap-retention-1', object: { objectId: Number(deal), objectType: 'DEAL' } });
    const uri = `${PUBLIC_BASE_URL}/hubspot/actions/schedule-payouts`;
    const res = await request(p.app)
      .post('/hubspot/actions/schedule-payouts')
      .set(signedHeaders(uri, raw, Date.now()))
      .send(raw);
    expect(res.body.outputFields.hs_execution_state).toBe('SUCCESS');
    const dueAt = Date.UTC(2028, 10, 18, 15);
    const job = await p.rt.queues.maintenance.getJob(retentionCheckJobId(deal, dueAt));
    expect([job?.name, job?.data, job?.opts.delay]).toEqual([RETENTION_CHECK_JOB, { dealId: deal, dueAt }, dueAt - NOW]);
  });

  it('the daily sweep pays the deals that came due, skips churned customers, and schedules the delayed check of deals won lately', async () => {
    p = await startPayoutsPortal({ workers: false, now: NOW });
    const loyal = await wonDeal(CLOSED_DUE);
    const churned = await wonDeal(CLOSED_DUE - 2 * DAY, 'other');
    const notYet = await wonDeal(NOW - 600 * DAY);
    const recent = await wonDeal(NOW - 2 * DAY);

    const result = await retentionSweep({ ctx: p.rt.ctx, hs: p.rt.hs, redis: p.rt.workerRedis, prefix: p.prefix, queue: p.rt.queues.maintenance });
    expect(result).toEqual({ checked: 2, outcomes: { created: 1, churned: 1 }, heldRechecked: 0, scheduled: 1, failed: 0 });
    expect(
      p
        .payouts()
        .filter((r) => r.kind === 'retention')
        .map((r) => r.dealId),
    ).toEqual([loyal.deal]);
    expect(
      p
        .payouts()
        .filter((r) => r.dealId === churned.deal || r.dealId === notYet.deal)
        .map((r) => r.kind),
    ).toEqual(['commission', 'commission']);
    // Every deal frozen at closed-won already had its delayed check scheduled; the sweep's scheduling of the recent
    // one (the safety net for a lost Redis) found it there and added nothing.
    const delayed = await p.rt.queues.maintenance.getDelayed();
    expect(delayed.map((j) => j.data.dealId).sort()).toEqual([loyal.deal, churned.deal, notYet.deal, recent.deal].sort());

    // The next day's sweep finds nothing new to pay.
    const again = await retentionSweep({ ctx: p.rt.ctx, hs: p.rt.hs, redis: p.rt.workerRedis, prefix: p.prefix });
    expect(again.outcomes).toEqual({ unchanged: 1, already_decided: 1 });
    expect(p.payouts().filter((r) => r.kind === 'retention')).toHaveLength(1);
  });

  it('a retention payout on hold (no agreement) is released by the sweep once the agreement is signed', async () => {
    p = await startPayoutsPortal({ workers: false, now: NOW });
    const { partner, deal } = await wonDeal(CLOSED_DUE, 'customer', false);
    expect((await checkRetentionBonus(p.rt.ctx, deal, decisions())).payout).toMatchObject({
      status: 'on_hold',
      holdReason: 'no signed partner agreement on file',
    });

    p.user.updateCompany(partner, { pp_agreement_signed: 'true' });
    p.setNow(NOW + 30 * DAY);
    const result = await retentionSweep({ ctx: p.rt.ctx, hs: p.rt.hs, redis: p.rt.workerRedis, prefix: p.prefix });
    expect([result.heldRechecked, result.outcomes]).toEqual([1, { updated: 1 }]);
    const retention = p.payouts().find((r) => r.kind === 'retention')!;
    expect([retention.status, retention.holdReason]).toEqual(['scheduled', null]);
    expect(retention.explanation).toContain('2026-12-20: hold released');
  });
});
