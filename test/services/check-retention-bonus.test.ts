/**
 * Rule 7, the client retention bonus (docs/program.md#rule-7-client-retention-bonus): +1% of the B frozen at close
 * for the referral partner, when the customer company is still a customer 24 months after closed-won.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { MAINTENANCE_JOBS } from '../../src/queue/job-data.js';
import { retentionCheckJobId } from '../../src/queue/queues.js';
import { retentionDueAt } from '../../src/engine/retention.js';
import { checkRetentionBonus } from '../../src/services/check-retention-bonus.js';
import { scheduleRetentionCheck } from '../../src/services/schedule-retention-check.js';
import { signedHeaders } from '../helpers/hubspot-events.js';
import { PUBLIC_BASE_URL, createCustomer, createDeal, createPartner, startPayoutsPortal, type PayoutsPortal } from './helpers/payouts-portal.js';
import { CLOSED_DUE, DAY, NOW, wonDeal } from './helpers/retention.js';

describe('the check, on the sandbox portal', () => {
  let p: PayoutsPortal;
  afterEach(async () => {
    await p?.close();
  });

  it('a customer still a customer 24 months on earns one :retention payout of 1% of the B frozen at close; the commission record is untouched', async () => {
    p = await startPayoutsPortal({ workers: false, now: NOW, program: { finance: { userIds: ['71000009'], teamIds: [] } } });
    const { partner, deal } = await wonDeal(p, CLOSED_DUE);
    // Finance paid the referral line; the deal grew since. The bonus is on the basis frozen at close.
    const referralKey = `${deal}:${partner}:pp_referral_partner`;
    const finance = { changeSource: 'CRM_UI', sourceId: 'userId:71000009' };
    p.api.store.updateObject('pp_payout', referralKey, { pp_status: 'paid' }, { idProperty: 'pp_payout_key', actor: finance });
    p.user.updateDeal(deal, { amount: '700000' });
    const commission = p.payouts();

    const result = await checkRetentionBonus(p.rt.ctx, deal);
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

    expect((await checkRetentionBonus(p.rt.ctx, deal)).outcome).toBe('unchanged');
    expect(p.payouts()).toHaveLength(2);
  });

  it('a churned customer earns nothing, and coming back later does not revive the bonus', async () => {
    p = await startPayoutsPortal({ workers: false, now: NOW });
    const { customer, deal } = await wonDeal(p, CLOSED_DUE, 'other');
    expect((await checkRetentionBonus(p.rt.ctx, deal)).outcome).toBe('churned');
    expect(p.payouts().map((r) => r.kind)).toEqual(['commission']);

    p.user.updateCompany(customer, { lifecyclestage: 'customer' });
    p.setNow(NOW + DAY);
    expect((await checkRetentionBonus(p.rt.ctx, deal)).outcome).toBe('already_decided');
    expect(p.payouts().map((r) => r.kind)).toEqual(['commission']);
  });

  it('before the 24 months are up nothing is decided', async () => {
    p = await startPayoutsPortal({ workers: false, now: NOW });
    const { deal } = await wonDeal(p, NOW - 700 * DAY);
    expect((await checkRetentionBonus(p.rt.ctx, deal)).outcome).toBe('not_due');
    expect(p.payouts()).toHaveLength(1);
  });

  it('freezing a closed-won deal schedules its delayed check; run by the maintenance worker when due, it creates the payout', async () => {
    p = await startPayoutsPortal({ now: NOW });
    const { deal } = await wonDeal(p, CLOSED_DUE);
    // The recompute that froze the deal scheduled the check; scheduling again (a sweep, the workflow action) is a no-op.
    const dueAt = retentionDueAt(CLOSED_DUE, p.rt.program.config);
    const scheduled = await p.rt.queues.maintenance.getJob(retentionCheckJobId(deal, dueAt));
    expect(scheduled?.data).toEqual({ dealId: deal, dueAt });
    await scheduleRetentionCheck(p.rt.ctx, { dealId: deal, closedWonAt: CLOSED_DUE });
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
    expect([job?.name, job?.data, job?.opts.delay]).toEqual([MAINTENANCE_JOBS.retentionCheck, { dealId: deal, dueAt }, dueAt - NOW]);
  });
});
