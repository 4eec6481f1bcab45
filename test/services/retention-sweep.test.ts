/**
 * Rule 7's daily sweep (docs/program.md#rule-7-client-retention-bonus): pays the deals that came due, skips churned
 * customers, re-checks retention payouts on hold, and schedules the delayed check of deals won lately.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkRetentionBonus } from '../../src/services/check-retention-bonus.js';
import { retentionSweep } from '../../src/services/retention-sweep.js';
import { startPayoutsPortal, type PayoutsPortal } from './helpers/payouts-portal.js';
import { CLOSED_DUE, DAY, NOW, wonDeal } from './helpers/retention.js';

describe('the daily sweep, on the sandbox portal', () => {
  let p: PayoutsPortal;
  afterEach(async () => {
    await p?.close();
  });

  it('the daily sweep pays the deals that came due, skips churned customers, and schedules the delayed check of deals won lately', async () => {
    p = await startPayoutsPortal({ workers: false, now: NOW });
    const loyal = await wonDeal(p, CLOSED_DUE);
    const churned = await wonDeal(p, CLOSED_DUE - 2 * DAY, 'other');
    const notYet = await wonDeal(p, NOW - 600 * DAY);
    const recent = await wonDeal(p, NOW - 2 * DAY);

    const result = await retentionSweep(p.rt.ctx);
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
    const again = await retentionSweep(p.rt.ctx);
    expect(again.outcomes).toEqual({ unchanged: 1, already_decided: 1 });
    expect(p.payouts().filter((r) => r.kind === 'retention')).toHaveLength(1);
  });

  it('a retention payout on hold (no agreement) is released by the sweep once the agreement is signed', async () => {
    p = await startPayoutsPortal({ workers: false, now: NOW });
    const { partner, deal } = await wonDeal(p, CLOSED_DUE, 'customer', false);
    expect((await checkRetentionBonus(p.rt.ctx, deal)).payout).toMatchObject({
      status: 'on_hold',
      holdReason: 'no signed partner agreement on file',
    });

    p.user.updateCompany(partner, { pp_agreement_signed: 'true' });
    p.setNow(NOW + 30 * DAY);
    const result = await retentionSweep(p.rt.ctx);
    expect([result.heldRechecked, result.outcomes]).toEqual([1, { updated: 1 }]);
    const retention = p.payouts().find((r) => r.kind === 'retention')!;
    expect([retention.status, retention.holdReason]).toEqual(['scheduled', null]);
    expect(retention.explanation).toContain('2026-12-20: hold released');
  });
});
