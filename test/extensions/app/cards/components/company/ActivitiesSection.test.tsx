/**
 * The company card's activities (docs/activities.md#flow): the commitments line, the partner's activities with
 * status, amount and payout hold, "Record activity", and a partner manager's Approve / Reject. HubSpot's fetch is
 * faked at the card's edge; the backend's own rules are tested in test/server/cards/activity-routes.test.ts.
 */
import { Alert, Button, DateInput, Input, Select, StatusTag, Table, TableHeader, Text, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { describe, expect, it } from 'vitest';
import { CompanyCard } from '../../../../../../extensions/app/cards/CompanyCard.js';
import { ACTIVITY_TYPE_OPTIONS } from '../../../../../../extensions/app/cards/activity-types.js';
import { payoutText } from '../../../../../../extensions/app/cards/components/company/ActivitiesSection.js';
import type { CompanyCardView } from '../../../../../../extensions/app/cards/api/contract.js';
import { ACTIVITY_TYPE_LABELS } from '../../../../../../src/engine/activities.js';
import { MANAGER, REP, companyView } from '../../../../fixtures/card-views.js';
import { fakeBackend } from '../../../../fixtures/fake-backend.js';
import { tableBodyRows } from '../../../../fixtures/render-helpers.js';

const COMPANY = 'GET /api/cards/companies/9001';
const CONTACTS = 'GET /api/cards/companies/9001/portal-contacts';

const retainer: CompanyCardView['activities'][number] = {
  id: '7002',
  type: 'retainer',
  typeLabel: 'Annual retainer',
  name: 'Advisory board 2025',
  date: '2025-01-01',
  status: 'approved',
  amount: '$40,000.00',
  payout: { amount: '$40,000.00', status: 'on_hold', holdReason: 'retainer above the $35,000.00 fair-market-value cap: anti-kickback review' },
};
const submitted: CompanyCardView['activities'][number] = {
  id: '7003',
  type: 'case_study',
  typeLabel: 'Case study',
  name: 'Clinic rollout',
  date: '2025-02-10',
  status: 'submitted',
  amount: null,
  payout: null,
};
const submittedRetainer: CompanyCardView['activities'][number] = { ...retainer, id: '7004', status: 'submitted', amount: null, payout: null };

function renderCard(view: CompanyCardView, extra: Record<string, { status?: number; body: unknown }[]> = {}) {
  const backend = fakeBackend({ [COMPANY]: [{ body: view }], [CONTACTS]: [{ body: { contacts: [] } }], ...extra });
  const r = createRenderer('crm.record.tab');
  r.render(<CompanyCard companyId="9001" actions={r.mocks.actions} />);
  return { r, ...backend };
}

describe('the company card’s activities', () => {
  it('shows the commitments this year against the tier’s minimums, with their status', async () => {
    const { r } = renderCard(
      companyView({ commitments: { tier: 'gold', status: 'at_risk', summary: '2 of 4 joint campaigns, 5 of 8 content pieces, 3 of 6 events', year: 2025 } }),
    );
    await r.waitFor(() => expect(r.findByTestId(Text, 'commitments')).toBeDefined());
    expect(r.findByTestId(Text, 'commitments').text).toBe('Commitments 2025 (Gold): 2 of 4 joint campaigns, 5 of 8 content pieces, 3 of 6 events');
    expect(r.findByTestId(StatusTag, 'commitment-status')).toMatchObject({ text: 'At risk', props: { variant: 'danger' } });
  });

  it('a partner without a co-marketing tier is told no commitments apply', async () => {
    const { r } = renderCard(companyView({ commitments: null }));
    await r.waitFor(() => expect(r.findByTestId(Text, 'commitments').text).toBe('No co-marketing tier: no co-marketing commitments apply.'));
  });

  it('lists each activity with its status, amount and payout, a held payout saying why', async () => {
    const { r } = renderCard(companyView({ activities: [submitted, retainer] }));
    await r.waitFor(() => expect(r.findByTestId(Table, 'activities')).toBeDefined());
    expect(tableBodyRows(r, 'activities').map((row) => row.slice(0, 5))).toEqual([
      ['Case study: Clinic rollout', '2025-02-10', 'Submitted', '—', '—'],
      [
        'Annual retainer: Advisory board 2025',
        '2025-01-01',
        'Approved',
        '$40,000.00',
        '$40,000.00 · On hold: retainer above the $35,000.00 fair-market-value cap: anti-kickback review',
      ],
    ]);
  });

  it('someone who is not a partner manager sees no Decision column and no Approve, but may record', async () => {
    const { r } = renderCard(companyView({ activities: [submitted], viewer: REP }));
    await r.waitFor(() => expect(r.findByTestId(Table, 'activities')).toBeDefined());
    expect(r.findAll(TableHeader).map((h) => h.text)).not.toContain('Decision');
    expect(r.maybeFindByTestId(Button, 'approve-activity-7003')).toBeNull();
    expect(r.findByTestId(Button, 'record-activity-open')).toBeDefined();
  });

  it('a partner manager approves a case study in place; the card shows the backend’s message and reloads', async () => {
    const { r, calls } = renderCard(companyView({ activities: [submitted], viewer: MANAGER }), {
      'POST /api/cards/activities/7003/decision': [{ body: { ok: true, message: 'Activity approved. Payout $1,000.00 scheduled.', activityId: '7003' } }],
    });
    await r.waitFor(() => expect(r.findByTestId(Button, 'approve-activity-7003')).toBeDefined());
    r.findByTestId(Button, 'approve-activity-7003').trigger('onClick');
    await r.waitFor(() => expect(r.mocks.actions.addAlert.calls).toEqual([[{ type: 'success', message: 'Activity approved. Payout $1,000.00 scheduled.' }]]));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ action: 'approve' });
    await r.waitFor(() => expect(calls.filter((c) => c.url.endsWith('/api/cards/companies/9001'))).toHaveLength(2));
  });

  it('a retainer is approved with its annual amount; a refusal (outside the range) is shown as the backend words it', async () => {
    const refusal = 'The retainer of $60,000.00 is outside the configured range $25,000.00–$50,000.00.';
    const { r, calls } = renderCard(companyView({ activities: [submittedRetainer] }), {
      'POST /api/cards/activities/7004/decision': [{ status: 400, body: { error: { code: 'invalid_payload', message: refusal } } }],
    });
    await r.waitFor(() => expect(r.findByTestId(Button, 'approve-activity-submit-7004')).toBeDefined());
    expect(r.findByTestId(Button, 'approve-activity-submit-7004').props.disabled).toBe(true);
    r.find(Input, { name: 'activity-amount-7004' }).trigger('onInput', ' 60000 ' as never);
    r.findByTestId(Button, 'approve-activity-submit-7004').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'activity-failure').text).toBe(refusal));
    expect(r.find(Alert).props.title).toBe('The decision on Advisory board 2025 did not go through');
    expect(r.mocks.actions.closeOverlay.calls).toEqual([['pp-approve-activity-7004']]);
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ action: 'approve', amount: '60000' });
  });

  it('a rejection needs a reason, which is sent trimmed', async () => {
    const { r, calls } = renderCard(companyView({ activities: [submitted] }), {
      'POST /api/cards/activities/7003/decision': [{ body: { ok: true, message: 'Activity rejected.', activityId: '7003' } }],
    });
    await r.waitFor(() => expect(r.findByTestId(Button, 'reject-activity-submit-7003')).toBeDefined());
    r.find(TextArea, { name: 'activity-reject-reason-7003' }).trigger('onInput', '   ' as never);
    expect(r.findByTestId(Button, 'reject-activity-submit-7003').props.disabled).toBe(true);
    r.find(TextArea, { name: 'activity-reject-reason-7003' }).trigger('onInput', ' Not a peer-reviewed case study ' as never);
    r.findByTestId(Button, 'reject-activity-submit-7003').trigger('onClick');
    await r.waitFor(() => expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ action: 'reject', reason: 'Not a peer-reviewed case study' }));
  });

  it('Record activity sends type, name, date, a retainer’s proposed amount and the note to this company', async () => {
    const { r, calls } = renderCard(companyView(), {
      'POST /api/cards/companies/9001/activities': [
        { body: { ok: true, message: 'Activity recorded: a partner manager approves or rejects it.', activityId: '7010' } },
      ],
    });
    await r.waitFor(() => expect(r.findByTestId(Button, 'record-activity-submit')).toBeDefined());
    expect(r.findByTestId(Button, 'record-activity-submit').props.disabled).toBe(true);
    expect(r.maybeFind(Input, { name: 'activity-amount' })).toBeNull();
    r.find(Select, { name: 'activity-type' }).trigger('onChange', 'retainer' as never);
    r.find(Input, { name: 'activity-name' }).trigger('onInput', 'Advisory board 2025' as never);
    r.find(DateInput, { name: 'activity-date' }).trigger('onChange', { year: 2025, month: 0, date: 1 } as never);
    r.find(Input, { name: 'activity-amount' }).trigger('onInput', '$40,000' as never);
    r.find(TextArea, { name: 'activity-note' }).trigger('onInput', 'Board seat' as never);
    r.findByTestId(Button, 'record-activity-submit').trigger('onClick');
    await r.waitFor(() => expect(r.mocks.actions.addAlert.calls.length).toBe(1));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      type: 'retainer',
      name: 'Advisory board 2025',
      date: '2025-01-01',
      amount: '$40,000',
      note: 'Board seat',
    });
  });

  it('offers the six activity types with the labels the backend uses', () => {
    expect(Object.fromEntries(ACTIVITY_TYPE_OPTIONS.map((o) => [o.value, o.label]))).toEqual(ACTIVITY_TYPE_LABELS);
  });

  it.each([
    { payout: null, text: '—' },
    { payout: { amount: '$2,500.00', status: 'scheduled', holdReason: null }, text: '$2,500.00 · Scheduled' },
  ])('payout $text', ({ payout, text }) => {
    expect(payoutText(payout)).toBe(text);
  });
});
