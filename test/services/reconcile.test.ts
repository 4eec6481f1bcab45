/**
 * The reconcile sweep (docs/program.md#choices-on-sync): every few minutes, the deals HubSpot says were modified
 * since the last sweep are recomputed, so a webhook that never arrived is made good. The watermark is kept in
 * Redis; each sweep looks a little behind it because search lags writes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { reconcileModified } from '../../src/services/reconcile.js';
import { createCustomer, createDeal, createPartner, startPayoutsPortal, type PayoutsPortal } from './helpers/payouts-portal.js';

describe('reconcileModified, on the sandbox portal', () => {
  let p: PayoutsPortal;
  afterEach(async () => {
    await p?.close();
  });

  it('the first sweep recomputes the deals modified in the last two intervals; the next starts two minutes before its watermark', async () => {
    // The app's clock runs five minutes ahead of the portal's, so the portal's writes are all before the watermark.
    const now = Date.now() + 5 * 60_000;
    p = await startPayoutsPortal({ workers: false, now });
    const partner = createPartner(p, { name: 'Beacon Advisors', type: 'consultant', consultants: 20 });
    const customer = createCustomer(p, 'Acme Health');
    const deals = ['Acme rollout', 'Acme expansion'].map((name) =>
      createDeal(p, { name, amount: 100_000, stage: 'contractsent', customerId: customer, partners: [{ id: partner, roles: ['pp_referral_partner'] }] }),
    );

    const first = await reconcileModified(p.rt.ctx);
    const interval = p.rt.program.config.schedules.reconcileEveryMinutes * 60_000;
    expect([first.since, first.watermark, first.deals, first.activities]).toEqual([now - 2 * interval, now, 2, 0]);
    const queued = (await p.rt.queues.sync.getJobs(['delayed', 'waiting'])).filter((j) => j.name === 'recompute-deal').map((j) => j.data.dealId as string);
    expect(queued.sort()).toEqual([...deals].sort());

    p.setNow(now + 60 * 60_000);
    const next = await reconcileModified(p.rt.ctx);
    expect([next.since, next.deals]).toEqual([now - 2 * 60_000, 0]);
  });
});
