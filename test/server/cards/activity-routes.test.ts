/**
 * The card backend's activity routes as the cards use them (docs/activities.md#flow): "Record activity" on the
 * company card, the company card's list of the partner's activities with their payout and hold, the home page's
 * queue of activities waiting for a decision, and a partner manager's decision from either.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { companyCardViewSchema, homeViewSchema } from '../../../extensions/app/cards/api/schemas.js';
import { ensureAppContract } from '../../../sandbox/contract.js';
import { USERS, startCardHarness, type CardHarness } from './card-harness.js';

let h: CardHarness;
let advisor: string;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
beforeEach(async () => {
  h = await startCardHarness();
  advisor = h.rep.createCompany({ name: 'Dr. Rivera Advisory', pp_partner_type: 'medical_advisor', pp_agreement_signed: 'true', pp_baa_signed: 'true' }).id;
});
afterEach(async () => {
  await h.close();
});

const companyCard = async (companyId: string, userId: string = USERS.manager) => {
  const res = await h.get(`/api/cards/companies/${companyId}`, { userId });
  expect(res.status).toBe(200);
  return companyCardViewSchema.parse(res.body);
};
const home = async () => {
  const res = await h.get('/api/cards/home');
  expect(res.status).toBe(200);
  return homeViewSchema.parse(res.body);
};
const recordRetainer = async (amount: string | null = '$40,000') => {
  const res = await h.post(`/api/cards/companies/${advisor}/activities`, {
    type: 'retainer',
    name: 'Advisory board 2026',
    date: '2026-01-01',
    amount,
    note: 'Board seat',
  });
  expect(res.status).toBe(200);
  return res.body.activityId as string;
};
const companyNotes = (companyId: string) =>
  h.store
    .associationsOf('companies', companyId, 'notes')
    .map((a) => h.store.getRecord('notes', a.toObjectId).properties.get('hs_note_body') ?? '')
    .join('\n');

describe('recording from the company card', () => {
  it('a retainer is recorded as submitted; its proposed amount and the note go on the timeline, the amount waits for the decision', async () => {
    const id = await recordRetainer();
    const view = await companyCard(advisor);
    expect(view.activities).toEqual([
      { id, type: 'retainer', typeLabel: 'Annual retainer', name: 'Advisory board 2026', date: '2026-01-01', status: 'submitted', amount: null, payout: null },
    ]);
    expect(companyNotes(advisor)).toContain('Proposed annual amount: $40,000.00. Note: Board seat');
  });

  it.each([
    {
      label: 'a proposed retainer amount outside $25,000–$50,000 is refused naming the range',
      type: 'retainer',
      amount: '$60,000',
      message: /\$25,000\.00.*\$50,000\.00/,
    },
    { label: 'an amount on a type that pays its configured fee is refused', type: 'case_study', amount: '1000', message: /Only retainers carry an amount/ },
  ])('$label', async ({ type, amount, message }) => {
    const res = await h.post(`/api/cards/companies/${advisor}/activities`, { type, name: 'X', date: '2026-01-01', amount });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect((await companyCard(advisor)).activities).toEqual([]);
  });
});

describe('deciding, from the home page or the company card', () => {
  it('the home page lists what waits for a decision; approving a $40,000 retainer shows its payout held by the $35,000 cap on the card', async () => {
    const id = await recordRetainer();
    expect((await home()).activitiesAwaiting).toEqual([
      {
        id,
        type: 'retainer',
        typeLabel: 'Annual retainer',
        name: 'Advisory board 2026',
        date: '2026-01-01',
        companyId: advisor,
        companyName: 'Dr. Rivera Advisory',
      },
    ]);
    const res = await h.post(`/api/cards/activities/${id}/decision`, { action: 'approve', amount: '40000' });
    expect(res.status).toBe(200);
    expect((await home()).activitiesAwaiting).toEqual([]);
    const [row] = (await companyCard(advisor)).activities;
    expect(row).toMatchObject({ status: 'approved', amount: '$40,000.00', payout: { amount: '$40,000.00', status: 'on_hold' } });
    expect(row?.payout?.holdReason).toMatch(/anti-kickback/);
  });

  it('a rejection needs a reason, which goes on the partner’s timeline', async () => {
    const id = await recordRetainer(null);
    const empty = await h.post(`/api/cards/activities/${id}/decision`, { action: 'reject', reason: ' ' });
    expect(empty.status).toBe(400);
    const res = await h.post(`/api/cards/activities/${id}/decision`, { action: 'reject', reason: 'Not a board role this year' });
    expect(res.status).toBe(200);
    expect((await companyCard(advisor)).activities[0]).toMatchObject({ status: 'rejected', payout: null });
    expect(companyNotes(advisor)).toContain('Reason: Not a board role this year');
  });

  it('the card says who may decide; someone who is not a partner manager is refused and the activity still waits', async () => {
    const id = await recordRetainer(null);
    expect((await companyCard(advisor, USERS.rep)).viewer.isPartnerManager).toBe(false);
    expect((await companyCard(advisor)).viewer.isPartnerManager).toBe(true);
    const res = await h.post(`/api/cards/activities/${id}/decision`, { action: 'approve', amount: '30000' }, { userId: USERS.rep });
    expect(res.status).toBe(403);
    expect((await home()).activitiesAwaiting.map((a) => a.id)).toEqual([id]);
  });

  it('only the app’s own (sealed) status puts an activity in the queue: a rejected one set back to submitted in the CRM is not listed', async () => {
    const id = await recordRetainer(null);
    expect((await h.post(`/api/cards/activities/${id}/decision`, { action: 'reject', reason: 'Duplicate' })).status).toBe(200);
    const type = ensureAppContract(h.store).activityObjectTypeId;
    h.rep.updateObject(type, id, { pp_activity_status: 'submitted' });
    expect((await home()).activitiesAwaiting).toEqual([]);
    expect((await companyCard(advisor)).activities[0]?.status).toBe('rejected');
  });
});
