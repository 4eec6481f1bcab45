/**
 * Attack (issue 11): only finance users take payout status steps (docs/program.md#who-may-change-what). A sales rep,
 * or a workflow, moves a frozen `pp_payout` record from scheduled to approved (then paid) in the CRM, hoping the
 * partner gets paid without finance. Before, any forward step stood. Now the app asks who took it (the
 * `pp_payout` webhook's sourceId; without a webhook, HubSpot's property history of pp_status) and keeps the step
 * only when that person is a configured finance user: anyone else's is put back, with a note on the deal naming
 * them, and a finance user's is accepted and resealed. Never a second record for the line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { recomputeDeal } from '../../src/services/recompute-deal.js';
import { createCustomer, createDeal, createPartner, startPayoutsPortal, type PayoutsPortal } from '../services/helpers/payouts-portal.js';
import { dealPropertyChange } from '../helpers/hubspot-events.js';
import { openSeal } from '../../src/security/app-owned.js';
import { deriveKey } from '../../src/security/keys.js';
import { TEST_SECRET } from '../helpers/hubspot-events.js';

const REP = '71000002';
const FINANCE = '71000009';

let p: PayoutsPortal;
afterEach(async () => {
  await p?.close();
});

async function frozenLine(opts: { workers?: boolean } = {}) {
  p = await startPayoutsPortal({ workers: opts.workers ?? false, program: { finance: { userIds: [FINANCE], teamIds: [] } } });
  const beacon = createPartner(p, { name: 'Beacon Advisors', type: 'consultant', consultants: 20 });
  const deal = createDeal(p, {
    name: 'Acme rollout',
    amount: 300_000,
    stage: 'closedwon',
    closedate: Date.now() - 86_400_000,
    customerId: createCustomer(p, 'Acme Health'),
    partners: [{ id: beacon, roles: ['pp_referral_partner'] }],
  });
  await recomputeDeal(p.rt.ctx, deal);
  const key = `${deal}:${beacon}:pp_referral_partner`;
  expect(p.payouts().map((r) => [r.key, r.status])).toEqual([[key, 'scheduled']]);
  return { deal, key, record: p.payoutRecord(key)! };
}

/** The `pp_payout` webhook HubSpot sends for the change (generic custom-object subscription). */
async function payoutWebhook(recordId: string, value: string, who: { changeSource: string; sourceId?: string }) {
  const objectTypeId = await p.rt.ctx.payouts.objectType();
  const event = {
    ...dealPropertyChange(Number(recordId), 'pp_status', value, { ...who, sourceId: who.sourceId ?? null }),
    subscriptionType: 'object.propertyChange',
    objectTypeId,
  };
  const res = await p.postWebhook([event]);
  expect(res.status).toBe(200);
}

const sealedStatus = (key: string) =>
  openSeal(deriveKey(TEST_SECRET, 'crm-seal'), 'pp_payout', p.payoutRecord(key)!.properties.get('pp_payout_seal'))?.pp_status;

describe('a payout status step in the CRM, with its webhook', () => {
  it('scheduled → approved by a sales rep: put back at once (the webhook’s job), the note names the rep, one record', async () => {
    const { deal, key, record } = await frozenLine({ workers: true });
    p.api.store.actAsUser(REP).updateObject('pp_payout', record.id, { pp_status: 'approved' });
    await payoutWebhook(record.id, 'approved', { changeSource: 'CRM_UI', sourceId: `userId:${REP}` });
    await p.waitForIdle();
    expect(p.payouts().map((r) => [r.key, r.status])).toEqual([[key, 'scheduled']]);
    expect(p.api.store.listRecords('pp_payout')).toHaveLength(1);
    const note = p.notesOn(deal).find((n) => n.includes(`Payout record ${key}`)) ?? '';
    expect(note).toContain(`pp_status: &quot;approved&quot; set by HubSpot user ${REP} (CRM_UI); restored to &quot;scheduled&quot;`);
    expect(p.deal(deal).pp_payout_status).toBe('scheduled');
  });

  it('scheduled → approved → paid by a finance user: both steps stand, resealed; the deal’s summary follows; no note', async () => {
    const { deal, key, record } = await frozenLine({ workers: true });
    const finance = p.api.store.actAsUser(FINANCE);
    finance.updateObject('pp_payout', record.id, { pp_status: 'approved' });
    await payoutWebhook(record.id, 'approved', { changeSource: 'CRM_UI', sourceId: `userId:${FINANCE}` });
    await p.waitForIdle();
    expect([p.payouts()[0]!.status, sealedStatus(key), p.deal(deal).pp_payout_status]).toEqual(['approved', 'approved', 'approved']);
    finance.updateObject('pp_payout', record.id, { pp_status: 'paid' });
    await payoutWebhook(record.id, 'paid', { changeSource: 'CRM_UI', sourceId: `userId:${FINANCE}` });
    await p.waitForIdle();
    expect([p.payouts()[0]!.status, sealedStatus(key), p.deal(deal).pp_payout_status]).toEqual(['paid', 'paid', 'paid']);
    expect(p.notesOn(deal).some((n) => n.includes('Payout record'))).toBe(false);
    expect(p.api.store.listRecords('pp_payout')).toHaveLength(1);
  });

  it('scheduled → paid by a workflow (no person): put back, the note names the workflow', async () => {
    const { deal, key, record } = await frozenLine();
    p.api.store.updateObject('pp_payout', record.id, { pp_status: 'paid' }, { actor: { changeSource: 'WORKFLOWS', sourceId: 'workflow:88' } });
    await payoutWebhook(record.id, 'paid', { changeSource: 'WORKFLOWS', sourceId: 'workflow:88' });
    await p.rt.ctx.payouts.byId!(record.id);
    expect(p.payouts().map((r) => [r.key, r.status])).toEqual([[key, 'scheduled']]);
    expect(p.notesOn(deal).join('\n')).toContain('set by WORKFLOWS workflow:88');
  });
});

describe('a payout status step found without a webhook (the reconciliation sweep): HubSpot’s property history says who', () => {
  it('a rep’s step is put back, and the note names the rep from the history', async () => {
    const { deal, key, record } = await frozenLine();
    p.api.store.actAsUser(REP).updateObject('pp_payout', record.id, { pp_status: 'approved' });
    await recomputeDeal(p.rt.ctx, deal);
    expect(p.payouts().map((r) => [r.key, r.status])).toEqual([[key, 'scheduled']]);
    expect(p.notesOn(deal).join('\n')).toContain(`set by HubSpot user ${REP} (CRM_UI)`);
    // The history was asked for pp_status only, on a batch read.
    const reads = p.requestsTo('POST', /\/batch\/read$/).filter((r) => JSON.stringify(r.body).includes('"propertiesWithHistory":["pp_status"]'));
    expect(reads).toHaveLength(1);
  });

  it('a finance user’s step stands and is resealed: the next recompute reads no history and writes nothing', async () => {
    const { deal, key, record } = await frozenLine();
    p.api.store.actAsUser(FINANCE).updateObject('pp_payout', record.id, { pp_status: 'approved' });
    await recomputeDeal(p.rt.ctx, deal);
    expect([p.payouts()[0]!.status, sealedStatus(key)]).toEqual(['approved', 'approved']);
    const before = p.requests.length;
    const again = await recomputeDeal(p.rt.ctx, deal);
    expect(again.payouts).toEqual({ created: 0, updated: 0 });
    expect(p.requests.slice(before).filter((r) => JSON.stringify(r.body).includes('propertiesWithHistory":["pp_status"'))).toEqual([]);
    expect(p.notesOn(deal).some((n) => n.includes('Payout record'))).toBe(false);
  });
});
