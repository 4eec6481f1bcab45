/**
 * Issue 11, item 7: card reads are cached briefly, so many users opening the same record do not each spend the
 * HubSpot budget that webhook processing needs (docs/SECURITY.md, "How much they may ask"). Before, every load
 * of a card re-read the deal, its companies, stages and payouts from HubSpot. Now N loads of one card within
 * CARD_CACHE_TTL_MS cost the CRM calls of one; an action from the card refreshes its record at once, so the user
 * sees their change; the viewer's own fields (decision buttons, the export link) stay per user. The managers' home
 * page is cached the same way.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { USERS, startCardHarness, type CardHarness } from '../server/cards/card-harness.js';

let h: CardHarness;
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
afterEach(async () => {
  await h?.close();
});

/** CRM reads and writes the sandbox portal has answered so far (the users API, for the role check, is not card data). */
const crmCalls = () =>
  Object.entries(h.api.stats.byRoute)
    .filter(([route]) => route.includes('/crm/'))
    .reduce((sum, [, n]) => sum + n, 0);

const VIEWERS = [USERS.manager, USERS.rep, USERS.teamManager];

describe('card reads are cached briefly', () => {
  it('10 loads of one deal card by 3 users within the TTL cost the CRM calls of one; each sees their own viewer fields', async () => {
    h = await startCardHarness();
    const dealId = h.ids.deals.globexPlatform;
    const before = crmCalls();
    const first = await h.get(`/api/cards/deals/${dealId}`, { userId: USERS.rep });
    expect(first.status).toBe(200);
    const one = crmCalls() - before;
    expect(one).toBeGreaterThan(0);

    const loads = await Promise.all(Array.from({ length: 9 }, (_, i) => h.get(`/api/cards/deals/${dealId}`, { userId: VIEWERS[i % 3]! })));
    expect(loads.map((r) => r.status)).toEqual(Array(9).fill(200));
    expect(crmCalls() - before).toBe(one);
    expect(loads.map((r) => [r.body.viewer.userId, r.body.viewer.isPartnerManager]).slice(0, 3)).toEqual([
      [USERS.manager, true],
      [USERS.rep, false],
      [USERS.teamManager, true],
    ]);
    expect(loads.every((r) => JSON.stringify(r.body.commission) === JSON.stringify(first.body.commission))).toBe(true);
  });

  it('after an action from the card (approve), the next load is fresh: the registration shows approved', async () => {
    h = await startCardHarness();
    const dealId = h.ids.deals.globexPlatform;
    const shown = await h.get(`/api/cards/deals/${dealId}`);
    expect(shown.body.registration.status).toBe('pending');
    const approved = await h.post(`/api/cards/deals/${dealId}/registration`, { action: 'approve', expectedVersion: shown.body.registrationVersion });
    expect(approved.status).toBe(200);
    const after = await h.get(`/api/cards/deals/${dealId}`);
    expect(after.body.registration.status).toBe('approved');
  });

  it('the company card too: one build for many users; the export link is made per user, never shared', async () => {
    h = await startCardHarness({ env: { ADMIN_TOKEN: 'admin-token-for-tests-0123456789abcdef' } });
    const companyId = h.ids.partners.beacon;
    const before = crmCalls();
    const manager = await h.get(`/api/cards/companies/${companyId}`, { userId: USERS.manager });
    const one = crmCalls() - before;
    const rep = await h.get(`/api/cards/companies/${companyId}`, { userId: USERS.rep });
    const teamManager = await h.get(`/api/cards/companies/${companyId}`, { userId: USERS.teamManager });
    expect(crmCalls() - before).toBe(one);
    expect(manager.body.exportUrl).toContain(`by=${USERS.manager}`);
    expect(rep.body.exportUrl).toBeNull();
    expect(teamManager.body.exportUrl).toContain(`by=${USERS.teamManager}`);
  });

  it('the home page too: one build of its lists for many managers, each with their own viewer; a decision refreshes it', async () => {
    h = await startCardHarness();
    const before = crmCalls();
    const first = await h.get('/api/cards/home', { userId: USERS.manager });
    expect(first.status).toBe(200);
    const one = crmCalls() - before;
    expect(one).toBeGreaterThan(0);
    const loads = await Promise.all(VIEWERS.map((userId) => h.get('/api/cards/home', { userId })));
    expect(crmCalls() - before).toBe(one);
    expect(loads.map((r) => r.body.viewer.userId)).toEqual(VIEWERS);

    const dealId = h.ids.deals.globexPlatform;
    const queued = (body: { queue: { dealId: string }[] }) => body.queue.some((q) => q.dealId === dealId);
    expect(queued(first.body)).toBe(true);
    const card = await h.get(`/api/cards/deals/${dealId}`);
    const approved = await h.post(`/api/cards/deals/${dealId}/registration`, { action: 'approve', expectedVersion: card.body.registrationVersion });
    expect(approved.status).toBe(200);
    expect(queued((await h.get('/api/cards/home', { userId: USERS.manager })).body)).toBe(false);
  });

  it('CARD_CACHE_TTL_MS=0 turns the cache off: every load reads HubSpot again', async () => {
    h = await startCardHarness({ env: { CARD_CACHE_TTL_MS: '0' } });
    const dealId = h.ids.deals.acmeRollout;
    await h.get(`/api/cards/deals/${dealId}`); // the process's own one-time reads (stages, labels) are done
    const before = crmCalls();
    await h.get(`/api/cards/deals/${dealId}`);
    const one = crmCalls() - before;
    await h.get(`/api/cards/deals/${dealId}`);
    expect([one > 0, crmCalls() - before]).toEqual([true, 2 * one]);
  });
});
