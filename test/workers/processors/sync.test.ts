import { DelayedError, type Job } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { PARTNER_FOLLOW_UP } from '../../../src/services/recompute-deal.js';
import type { SyncContext } from '../../../src/services/sync-context.js';
import { syncProcessor } from '../../../workers/processors/sync.js';

/** A context whose deal reads wait until released; a company read finds nothing (the recompute ends at once). */
function harness() {
  let release: () => void = () => {};
  const dealRead = new Promise<null>((resolve) => {
    release = () => resolve(null);
  });
  const company = vi.fn(async () => null);
  const ctx = {
    crm: { deal: () => dealRead, company },
    payouts: { forDeal: async () => [], save: async () => {} },
    // A deleted deal leaves the partners it referred: none here.
    stats: { quarter: () => ({ label: '2026-Q4' }), swapReferrers: async () => [], forgetReferral: async () => {} },
    program: { config: { sync: { debounceMs: 1000 } }, version: 'test' },
    logger: silentLogger,
    clock: () => 0,
  } as unknown as SyncContext;
  const process = syncProcessor({ ctx, partnerFollowUp: { delayMs: 1000, maxMs: 60_000 } }, () => undefined);
  return { process, company, release };
}

function job(name: string, data: Record<string, string>, timestamp = Date.now()) {
  const moveToDelayed = vi.fn(async () => {});
  return { job: { id: '1', name, data, timestamp, attemptsMade: 0, moveToDelayed } as unknown as Job, moveToDelayed };
}

describe('partners after their deals (a burst recomputes each partner once)', () => {
  it('a partner recompute its deals asked for waits while a deal recompute runs, due on the next beat of the delay, before reading anything', async () => {
    const h = harness();
    const deal = h.process(job('recompute-deal', { dealId: '1', reason: 'webhook' }).job, 'token');
    const follow = job('recompute-company', { companyId: '9', reason: PARTNER_FOLLOW_UP });
    await expect(h.process(follow.job, 'token')).rejects.toBeInstanceOf(DelayedError);
    const [dueAt, token] = follow.moveToDelayed.mock.calls[0] as unknown as [number, string];
    expect(dueAt % 1000).toBe(0);
    expect(token).toBe('token');
    expect(h.company).not.toHaveBeenCalled();
    h.release();
    await deal;
  });

  it('with no deal recompute running or recently ended, it runs', async () => {
    const h = harness();
    const follow = job('recompute-company', { companyId: '9', reason: PARTNER_FOLLOW_UP });
    await expect(h.process(follow.job, 'token')).resolves.toMatchObject({ companyId: '9', status: 'missing' });
    expect(follow.moveToDelayed).not.toHaveBeenCalled();
  });

  it('a partner recompute for a change of the partner itself (webhook) never waits: its deals follow it', async () => {
    const h = harness();
    const deal = h.process(job('recompute-deal', { dealId: '1', reason: 'webhook' }).job, 'token');
    const own = job('recompute-company', { companyId: '9', reason: 'webhook' });
    await expect(h.process(own.job, 'token')).resolves.toMatchObject({ status: 'missing' });
    expect(own.moveToDelayed).not.toHaveBeenCalled();
    h.release();
    await deal;
  });

  it('it waits at most maxMs after it was first asked for, however busy the deals are', async () => {
    const h = harness();
    const deal = h.process(job('recompute-deal', { dealId: '1', reason: 'webhook' }).job, 'token');
    const old = job('recompute-company', { companyId: '9', reason: PARTNER_FOLLOW_UP }, Date.now() - 61_000);
    await expect(h.process(old.job, 'token')).resolves.toMatchObject({ status: 'missing' });
    expect(old.moveToDelayed).not.toHaveBeenCalled();
    h.release();
    await deal;
  });
});
