/**
 * Attack (issue 11, item 2): payout records are the app's, except finance's status steps. A rep edits a
 * frozen pp_payout record in the CRM — its key, amount, partner, role — hoping the next recompute pays the line a
 * second time, or pays it to another partner. Before, the record with the edited key was not found and a second
 * $45,000 record appeared. Now the record is read as the app sealed it: no second record, the edits are put back
 * (by record id: an upsert on the edited key would make a new one), and a note on the deal says what was undone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { recomputeDeal } from '../../src/services/recompute-deal.js';
import { createCustomer, createDeal, createPartner, startPayoutsPortal, type PayoutsPortal } from '../services/helpers/payouts-portal.js';

let p: PayoutsPortal;
afterEach(async () => {
  await p?.close();
});

async function frozenLine() {
  p = await startPayoutsPortal({ workers: false });
  const beacon = createPartner(p, { name: 'Beacon Advisors', type: 'consultant', consultants: 20 });
  const other = createPartner(p, { name: 'Shadow Partner', type: 'consultant', consultants: 20 });
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
  expect(p.payouts().map((r) => [r.key, r.amount, r.status])).toEqual([[key, 4_500_000, 'scheduled']]);
  return { deal, beacon, other, key, record: p.payoutRecord(key)! };
}

const edit = (id: string, props: Record<string, string>) => p.user.updateObject('pp_payout', id, props);

describe('a payout record edited in the CRM', () => {
  it.each([
    { label: 'its key', change: () => ({ pp_payout_key: 'forged-key' }) },
    { label: 'its key and amount ($225,000)', change: () => ({ pp_payout_key: 'forged-key', pp_amount: '225000' }) },
    { label: 'its partner', change: (other: string) => ({ pp_partner_id: other }) },
    { label: 'its role', change: () => ({ pp_role: 'pp_finder' }) },
    { label: 'its status, to a step finance never takes (scheduled → reversed)', change: () => ({ pp_status: 'reversed' }) },
  ])('$label: the next recompute makes no second record and puts the app’s values back, with a note', async ({ change }) => {
    const { deal, other, key, record } = await frozenLine();
    edit(record.id, change(other));
    await recomputeDeal(p.rt.ctx, deal);
    expect(p.payouts().map((r) => [r.key, r.partnerId, r.role, r.amount, r.status])).toEqual([
      [key, expect.any(String), 'pp_referral_partner', 4_500_000, 'scheduled'],
    ]);
    expect(p.payouts()[0]!.partnerId).not.toBe(other);
    expect(p.api.store.listRecords('pp_payout')).toHaveLength(1);
    expect(p.notesOn(deal).some((n) => n.includes(`Payout record ${key}`))).toBe(true);
    // Again: nothing left to restore, nothing written, no second note.
    const notes = p.notesOn(deal).length;
    await recomputeDeal(p.rt.ctx, deal);
    expect(p.notesOn(deal)).toHaveLength(notes);
    expect(p.api.store.listRecords('pp_payout')).toHaveLength(1);
  });

  it('a record edited to carry another line’s key is never taken for that line', async () => {
    const { deal, key, record } = await frozenLine();
    edit(record.id, { pp_payout_key: `${key}:retention`, pp_amount: '3000' });
    await recomputeDeal(p.rt.ctx, deal);
    expect(p.payouts().map((r) => [r.key, r.amount])).toEqual([[key, 4_500_000]]);
  });

  it('the step scheduled → approved by a user who is not finance is put back (test/security/payout-finance-steps.test.ts has the finance cases)', async () => {
    const { deal, key, record } = await frozenLine();
    edit(record.id, { pp_status: 'approved' });
    await recomputeDeal(p.rt.ctx, deal);
    expect(p.payouts().map((r) => [r.key, r.status])).toEqual([[key, 'scheduled']]);
    expect(p.notesOn(deal).some((n) => n.includes('pp_status: &quot;approved&quot; set by HubSpot user 71000002'))).toBe(true);
  });
});
