/**
 * Attack (issue 11, item 1): a rep edits the registration fields directly in the CRM — status approved, their
 * partner as the registered one, a partner manager as the approver, protection until 2099 — hoping for a
 * "protected" deal and a referral line paid to whom they chose. After the recompute that their change starts
 * (webhook) or the reconciliation sweep finds: every field is back to the app's last values (cleared where the
 * app wrote none), the outputs are computed from those, and a timeline note says who changed what.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookIntake } from '../../src/queue/intake.js';
import { recomputeDeal } from '../../src/services/recompute-deal.js';
import { hubSpotEventBatchSchema } from '../../src/webhooks/schemas.js';
import { dealPropertyChange } from '../helpers/hubspot-events.js';
import { DAY, NOW, PORTAL_ID, USERS, startCardHarness, type CardHarness } from '../server/cards/card-harness.js';

let h: CardHarness;
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
beforeEach(async () => {
  h = await startCardHarness();
});
afterEach(async () => {
  await h.close();
});

const FORGED = (partnerId: string) => ({
  pp_registration_status: 'approved',
  pp_registered_partner_id: partnerId,
  pp_registration_decided_by: USERS.manager,
  pp_registration_decided_at: String(NOW - DAY),
  pp_protection_expires_at: '4070908800000', // 2099-01-01
});

/** What HubSpot sends for the rep's edit, through the real intake (it records who made the change). */
async function webhookFor(dealId: string, props: Record<string, string>) {
  const intake = createWebhookIntake({
    redis: h.rt.producerRedis,
    queue: h.rt.queues.sync,
    prefix: h.rt.env.QUEUE_PREFIX,
    filter: { appId: '54321', portalId: PORTAL_ID },
    debounceMs: 0,
    eventDedupeHours: 1,
  });
  const events = Object.entries(props).map(([name, value]) =>
    dealPropertyChange(Number(dealId), name, value, { portalId: Number(PORTAL_ID), sourceId: `userId:${USERS.rep}`, changeSource: 'CRM_UI' }),
  );
  return intake.accept(hubSpotEventBatchSchema.parse(events));
}

describe('a registration typed into the CRM by a rep', () => {
  it('on a deal the app never registered: every field is cleared, nothing is protected, and a note names the rep', async () => {
    const dealId = h.ids.deals.acmeRollout;
    const forged = FORGED(h.ids.partners.beacon);
    h.rep.updateDeal(dealId, forged);
    const accepted = await webhookFor(dealId, forged);
    expect(accepted.accepted).toBe(Object.keys(forged).length);

    await recomputeDeal(h.rt.ctx, dealId);
    const deal = h.deal(dealId);
    for (const name of Object.keys(forged)) expect(deal[name] ?? '', name).toBe('');
    expect(deal.pp_protection_status).toBe('none');
    const note = h.notesOn(dealId).at(-1) ?? '';
    expect(note).toContain('pp_registration_status: &quot;approved&quot; set by HubSpot user 9100003 (CRM_UI); cleared');
    expect(note).toContain('pp_protection_expires_at');

    // A second recompute finds nothing to restore: no second note, no write.
    const notes = h.notesOn(dealId).length;
    const again = await recomputeDeal(h.rt.ctx, dealId);
    expect(again.written).toEqual([]);
    expect(h.notesOn(dealId)).toHaveLength(notes);
  });

  it('over an approved registration (the app’s own): the app’s values come back, and protection follows the decision, not a typed end date', async () => {
    const dealId = h.ids.deals.acmeExpansion;
    const before = h.deal(dealId);
    h.rep.updateDeal(dealId, {
      pp_registered_partner_id: h.ids.partners.beacon,
      pp_protection_expires_at: '4070908800000',
      pp_registration_decided_by: USERS.rep,
    });
    await recomputeDeal(h.rt.ctx, dealId); // the sweep's path: no webhook, so no author is known
    const after = h.deal(dealId);
    expect(after.pp_registered_partner_id).toBe(h.ids.partners.cedar);
    expect(after.pp_registration_decided_by).toBe(USERS.manager);
    expect(Number(after.pp_protection_expires_at) || Date.parse(after.pp_protection_expires_at!)).toBe(
      Number(before.pp_protection_expires_at) || Date.parse(before.pp_protection_expires_at!),
    );
    expect(after.pp_protection_status).toBe('protected');
    expect(h.notesOn(dealId).at(-1)).toContain('found by the reconciliation sweep');
  });

  it('a forged status on a pending registration puts nothing in the card as approved', async () => {
    const dealId = h.ids.deals.globexPlatform;
    h.rep.updateDeal(dealId, { pp_registration_status: 'approved', pp_registration_decided_by: USERS.manager });
    const res = await h.get(`/api/cards/deals/${dealId}`, { userId: USERS.rep });
    expect(res.status).toBe(200);
    expect(res.body.registration.status).toBe('pending');
    expect(res.body.registration.decidedBy).toBeNull();
  });

  it('deleting the seal in the CRM wipes nothing: the app’s copy restores it', async () => {
    const dealId = h.ids.deals.acmeExpansion;
    // The app writes the registration through its own path first (so its copy of the seal exists).
    await h.rt.ctx.crm.updateDeal({ id: dealId, properties: { pp_registration_seal: h.deal(dealId).pp_registration_seal! } });
    h.rep.updateDeal(dealId, { pp_registration_seal: '' });
    await recomputeDeal(h.rt.ctx, dealId);
    const after = h.deal(dealId);
    expect(after.pp_registration_status).toBe('approved');
    expect(after.pp_registered_partner_id).toBe(h.ids.partners.cedar);
    expect(after.pp_registration_seal).toMatch(/^v1\./);
  });
});
