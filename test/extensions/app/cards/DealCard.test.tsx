import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  LoadingSpinner,
  Select,
  StatusTag,
  Table,
  TableCell,
  Tag,
  Text,
  TextArea,
  hubspot,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { DealCard } from '../../../../extensions/app/cards/DealCard.js';
import { BACKEND, MANAGER, REP, approvedView, dealView, withRegistration } from '../../fixtures/card-views.js';
import { deferred, fakeBackend } from '../../fixtures/fake-backend.js';
import { tableBodyRows, textContent } from '../../fixtures/render-helpers.js';

const DEAL = 'GET /api/cards/deals/101';
const REGISTRATION = 'POST /api/cards/deals/101/registration';

/** Whether the n-th hubspot.fetch call has answered (the card then reads its body on the next ticks). */
async function fetchSettled(n: number): Promise<boolean> {
  const result = vi.mocked(hubspot.fetch).mock.results[n];
  if (result === undefined) return false;
  await result.value;
  return true;
}

function renderDealCard(dealId = '101') {
  const renderer = createRenderer('crm.record.tab');
  renderer.render(<DealCard dealId={dealId} actions={renderer.mocks.actions} />);
  return renderer;
}

const texts = (r: ReturnType<typeof renderDealCard>) => r.findAll(Text).map((t) => t.text);
const buttonTestIds = (r: ReturnType<typeof renderDealCard>) => r.findAll(Button).map((b) => b.props.testId);
const bodyRows = tableBodyRows;

describe('DealCard: who sees which registration action', () => {
  it.each([
    { label: 'no registration yet: anyone may register the deal', registration: null, viewer: REP, buttons: ['register-submit-open', 'register-submit'] },
    { label: 'pending, partner manager: approve or reject', registration: 'pending', viewer: MANAGER, buttons: ['approve', 'reject-open', 'reject-submit'] },
    { label: 'pending, anyone else: nothing to click', registration: 'pending', viewer: REP, buttons: [] },
    { label: 'disputed, partner manager: resolve', registration: 'disputed', viewer: MANAGER, buttons: ['resolve-submit-open', 'resolve-submit'] },
    { label: 'disputed, anyone else: nothing to click', registration: 'disputed', viewer: REP, buttons: [] },
    { label: 'approved: nothing to decide or register', registration: 'approved', viewer: MANAGER, buttons: [] },
    { label: 'rejected: the deal may be registered again', registration: 'rejected', viewer: REP, buttons: ['register-submit-open', 'register-submit'] },
    { label: 'expired: the deal may be registered again', registration: 'expired', viewer: MANAGER, buttons: ['register-submit-open', 'register-submit'] },
  ] as const)('$label', async ({ registration, viewer, buttons }) => {
    const view = registration === null ? dealView({ registration: null, viewer }) : withRegistration({ status: registration }, { viewer });
    fakeBackend({ [DEAL]: [{ body: view }] });
    const r = renderDealCard();

    await r.waitFor(() => expect(r.findByTestId(Table, 'commission-lines')).toBeDefined());
    expect(buttonTestIds(r)).toEqual(buttons);
  });
});

describe('DealCard states', () => {
  it('shows a spinner while the deal loads, and asks the backend with a 10 s timeout', async () => {
    const { calls } = fakeBackend({ [DEAL]: [new Promise(() => {})] });
    const r = renderDealCard();

    expect(r.find(LoadingSpinner).props.label).toBe('Loading the partner program for this deal');
    // The renderer's waitFor re-checks on renders only; the request starts in an effect without one.
    await vi.waitFor(() => expect(calls).toEqual([{ method: 'GET', url: `${BACKEND}/api/cards/deals/101`, timeout: 10_000, body: undefined }]));
    expect(r.find(LoadingSpinner).props.label).toBe('Loading the partner program for this deal');
  });

  it('a deal with no partners explains how to add one with a partner association label', async () => {
    fakeBackend({ [DEAL]: [{ body: dealView({ partners: [], registration: null }) }] });
    const r = renderDealCard();

    await r.waitFor(() => expect(r.find(EmptyState).props.title).toBe('No partners on this deal yet'));
    expect(r.find(EmptyState).find(Text).text).toBe(
      'To add a partner, associate the partner\'s company with this deal and give the association a partner label: "Referral partner", "Finder", "Co-selling partner", "Implementation partner", "Customer success partner". The commission preview and registration appear here once a partner is on the deal.',
    );
    expect(r.maybeFind(Button)).toBeNull();
  });

  it('shows partners with role labels, partner type and tier tags, and flags a missing agreement', async () => {
    fakeBackend({ [DEAL]: [{ body: dealView() }] });
    const r = renderDealCard();

    await r.waitFor(() => expect(r.findByTestId(Table, 'partners')).toBeDefined());
    expect(bodyRows(r, 'partners')).toEqual([
      ['Acme Consulting', 'Referral partner', 'Consultant', 'Referral: Tier 2Co-marketing: Gold'],
      ['Bolt IntegrationsNo signed agreement', 'Implementation partner', 'Technology', 'Co-selling: Preferred'],
    ]);
    expect(r.find(Tag, { variant: 'warning' }).text).toBe('No signed agreement');
  });

  it('a protected registration shows who registered, who approved, and the days left', async () => {
    fakeBackend({ [DEAL]: [{ body: approvedView(150, 'protected') }] });
    const r = renderDealCard();

    await r.waitFor(() => expect(r.findByTestId(Tag, 'protection').text).toBe('Protected · 150 days left'));
    expect(r.findByTestId(Tag, 'protection').props.variant).toBe('success');
    expect(r.findByTestId(StatusTag, 'registration-status').text).toBe('Approved');
    expect(texts(r)).toEqual(expect.arrayContaining(['Acme Consulting', 'Mar 3, 2025 by Sam Lee', 'Mar 4, 2025 by Dana Reyes', 'Aug 31, 2025']));
  });

  it('protection in its last 30 days stands out as a warning tag with the days left', async () => {
    fakeBackend({ [DEAL]: [{ body: approvedView(12, 'expiring_soon') }] });
    const r = renderDealCard();

    await r.waitFor(() => expect(r.findByTestId(Tag, 'protection').text).toBe('Expiring soon · 12 days left'));
    expect(r.findByTestId(Tag, 'protection').props.variant).toBe('warning');
  });

  it('a disputed registration names both partners and offers partner managers Resolve dispute with both', async () => {
    fakeBackend({
      [DEAL]: [
        {
          body: withRegistration({
            status: 'disputed',
            protectionStatus: 'conflict',
            conflict: { dealId: '150', dealName: 'Northwind pilot', partnerId: '9004', partnerName: 'Delta Partners' },
          }),
        },
      ],
    });
    const r = renderDealCard();

    await r.waitFor(() => expect(r.find(Alert).props.title).toBe('Disputed registration'));
    expect(r.find(Alert).text).toBe(
      'Acme Consulting registered this deal, but Delta Partners holds an approved registration for the same customer (Northwind pilot). A partner manager decides which partner keeps protection.',
    );
    expect(r.findByTestId(Tag, 'protection')).toMatchObject({ text: 'In conflict', props: { variant: 'error' } });
    expect(r.find(Select, { name: 'pp-resolve-dispute-choice' }).props.options).toEqual([
      { label: 'Acme Consulting', value: '9001' },
      { label: 'Delta Partners', value: '9004' },
    ]);
    expect(r.maybeFindByTestId(Button, 'approve')).toBeNull();
  });

  it('a user who is not a partner manager sees the same data read-only, with the managers hint', async () => {
    fakeBackend({ [DEAL]: [{ body: dealView({ viewer: REP }) }] });
    const r = renderDealCard();

    await r.waitFor(() => expect(r.findByTestId(Text, 'managers-hint').text).toBe('Only partner managers can approve: Dana Reyes, Partner Ops team.'));
    expect(r.findByTestId(StatusTag, 'registration-status').text).toBe('Pending');
    expect(r.findAll(Button)).toEqual([]);
  });

  it('an error shows the backend message in an ErrorState, and Retry fetches again', async () => {
    const { calls } = fakeBackend({
      [DEAL]: [
        { status: 503, body: { error: { code: 'hubspot_unavailable', message: 'HubSpot did not answer in time. Try again in a minute.' } } },
        { body: dealView() },
      ],
    });
    const r = renderDealCard();

    await r.waitFor(() => expect(r.find(ErrorState).props.title).toBe('The partner program could not be loaded'));
    expect(r.find(ErrorState).find(Text).text).toBe('HubSpot did not answer in time. Try again in a minute.');

    r.findByTestId(Button, 'retry').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'registration-status').text).toBe('Pending'));
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([`GET ${BACKEND}/api/cards/deals/101`, `GET ${BACKEND}/api/cards/deals/101`]);
  });

  it('a response that breaks the contract is an error, not a half-rendered card', async () => {
    fakeBackend({ [DEAL]: [{ body: { ...dealView(), registrationVersion: 7 } }] });
    const r = renderDealCard();

    await r.waitFor(() =>
      expect(r.find(ErrorState).find(Text).text).toBe(
        'The partner-program service sent a response this card cannot read (at registrationVersion). Refresh the page; if it persists, the card and the service are out of step.',
      ),
    );
  });

  it('a slow answer for the previous record never replaces the record now shown', async () => {
    const slow = deferred<{ body: unknown }>();
    fakeBackend({
      [DEAL]: [slow.promise],
      'GET /api/cards/deals/202': [{ body: dealView({ deal: { ...dealView().deal, id: '202', name: 'Second deal' }, viewer: REP }) }],
    });
    const r = createRenderer('crm.record.tab');
    function SwitchingRecord() {
      const [dealId, setDealId] = useState('101');
      return (
        <>
          <Button testId="switch" onClick={() => setDealId('202')}>
            Next record
          </Button>
          <DealCard dealId={dealId} actions={r.mocks.actions} />
        </>
      );
    }
    r.render(<SwitchingRecord />);
    r.findByTestId(Button, 'switch').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'managers-hint').text).toBe('Only partner managers can approve: Dana Reyes, Partner Ops team.'));

    slow.resolve({ body: dealView() });
    await vi.waitFor(async () => expect(await fetchSettled(0)).toBe(true));
    await new Promise((settle) => setTimeout(settle, 0));
    expect(r.maybeFindByTestId(Button, 'approve')).toBeNull();
    expect(r.findByTestId(Text, 'managers-hint').text).toBe('Only partner managers can approve: Dana Reyes, Partner Ops team.');
  });
});

describe('DealCard commission preview and payouts', () => {
  it('lists each line with basis, rate or fee, amount, status and reason, then the total and the retention bonus apart', async () => {
    fakeBackend({ [DEAL]: [{ body: dealView() }] });
    const r = renderDealCard();

    await r.waitFor(() => expect(r.findByTestId(Table, 'commission-lines')).toBeDefined());
    expect(bodyRows(r, 'commission-lines')).toEqual([
      ['Acme Consulting', 'Referral partner', '$480,000.00', '15.00%', '$72,000.00', 'Payable', 'tier_2 consultant referral: 15% of $480,000.00'],
      ['Bolt Integrations', 'Implementation partner', '$480,000.00', '—', '$0.00', 'Zero', 'no partner agreement on file'],
    ]);
    expect(textContent(r.findByTestId(TableCell, 'commission-total'))).toBe('$72,000.00');
    expect(r.findByTestId(Text, 'retention-scheduled').text).toBe('Scheduled: $4,800.00, not counted in the total until it is paid out.');
    expect(bodyRows(r, 'retention-lines')).toEqual([
      [
        'Acme Consulting',
        'Referral partner',
        '$480,000.00',
        '1.00%',
        '$4,800.00',
        'Scheduled',
        'retention bonus, due 24 months after close if still a customer',
      ],
    ]);
    expect(texts(r)).toEqual(expect.arrayContaining(['Partner tier: Tier 2', 'Total (USD)']));
  });

  it.each([
    { label: 'a percentage line shows its rate', line: { rate: '15.00%', flatFee: null }, cell: '15.00%' },
    { label: 'a flat-fee line shows its fee', line: { rate: null, flatFee: '$2,500.00' }, cell: '$2,500.00 flat' },
    { label: 'a line with neither shows a dash', line: { rate: null, flatFee: null }, cell: '—' },
  ])('$label', async ({ line, cell }) => {
    const base = dealView();
    const first = base.commission.lines[0];
    if (first === undefined) throw new Error('fixture has lines');
    fakeBackend({ [DEAL]: [{ body: { ...base, commission: { ...base.commission, lines: [{ ...first, ...line }] } } }] });
    const r = renderDealCard();

    await r.waitFor(() => expect(r.findByTestId(Table, 'commission-lines')).toBeDefined());
    expect(bodyRows(r, 'commission-lines')[0]?.[3]).toBe(cell);
  });

  it('once closed-won, shows the payout status and each record with its hold reason', async () => {
    fakeBackend({
      [DEAL]: [
        {
          body: dealView({
            deal: { ...dealView().deal, isClosedWon: true, stageLabel: 'Closed won' },
            payouts: {
              status: 'on_hold',
              records: [
                {
                  key: '101:9001:pp_referral_partner',
                  partnerName: 'Acme Consulting',
                  roleLabel: 'Referral partner',
                  amount: '$72,000.00',
                  status: 'scheduled',
                  holdReason: null,
                },
                {
                  key: '101:9002:pp_implementation_partner',
                  partnerName: 'Bolt Integrations',
                  roleLabel: 'Implementation partner',
                  amount: '$36,000.00',
                  status: 'on_hold',
                  holdReason: 'no partner agreement on file',
                },
              ],
            },
          }),
        },
      ],
    });
    const r = renderDealCard();

    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'payout-status').text).toBe('On hold'));
    expect(r.findByTestId(StatusTag, 'payout-status').props.variant).toBe('warning');
    expect(bodyRows(r, 'payout-records')).toEqual([
      ['Acme Consulting', 'Referral partner', '$72,000.00', 'Scheduled', '—'],
      ['Bolt Integrations', 'Implementation partner', '$36,000.00', 'On hold', 'no partner agreement on file'],
    ]);
  });
});

describe('DealCard registration actions', () => {
  it('Approve posts the approve action with the loaded version, then shows the refetched registration', async () => {
    const { calls } = fakeBackend({
      [DEAL]: [{ body: dealView() }, { body: approvedView(180, 'protected') }],
      [REGISTRATION]: [{ body: { ok: true, message: 'Registration approved: Acme Consulting is protected until Aug 31, 2025.', registrationVersion: 'v2' } }],
    });
    const r = renderDealCard();
    await r.waitFor(() => expect(r.findByTestId(Button, 'approve')).toBeDefined());

    r.findByTestId(Button, 'approve').trigger('onClick');

    await r.waitFor(() => expect(r.findByTestId(Tag, 'protection').text).toBe('Protected · 180 days left'));
    expect(calls[1]).toEqual({
      method: 'POST',
      url: `${BACKEND}/api/cards/deals/101/registration`,
      timeout: 10_000,
      body: { action: 'approve', expectedVersion: 'v1' },
    });
    expect(calls.map((c) => c.method)).toEqual(['GET', 'POST', 'GET']);
    expect(r.mocks.actions.addAlert.calls).toEqual([[{ type: 'success', message: 'Registration approved: Acme Consulting is protected until Aug 31, 2025.' }]]);
    expect(r.maybeFindByTestId(Button, 'approve')).toBeNull();
  });

  it('Reject stays disabled until a reason is typed, then posts the trimmed reason', async () => {
    const { calls } = fakeBackend({
      [DEAL]: [
        { body: dealView() },
        { body: withRegistration({ status: 'rejected', protectionStatus: 'none', reason: 'Customer already in our pipeline' }, { registrationVersion: 'v2' }) },
      ],
      [REGISTRATION]: [{ body: { ok: true, message: 'Registration rejected.', registrationVersion: 'v2' } }],
    });
    const r = renderDealCard();
    await r.waitFor(() => expect(r.findByTestId(Button, 'reject-submit')).toBeDefined());
    expect(r.findByTestId(Button, 'reject-submit').props.disabled).toBe(true);

    r.find(TextArea, { name: 'reject-reason' }).trigger('onInput', '   ' as never);
    expect(r.findByTestId(Button, 'reject-submit').props.disabled).toBe(true);
    r.find(TextArea, { name: 'reject-reason' }).trigger('onInput', '  Customer already in our pipeline ' as never);
    expect(r.findByTestId(Button, 'reject-submit').props.disabled).toBe(false);

    r.findByTestId(Button, 'reject-submit').trigger('onClick');

    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'registration-status').text).toBe('Rejected'));
    expect(calls[1]?.body).toEqual({ action: 'reject', reason: 'Customer already in our pipeline', expectedVersion: 'v1' });
    expect(r.mocks.actions.closeOverlay.calls).toEqual([['pp-reject-registration']]);
    expect(texts(r)).toEqual(expect.arrayContaining(['Customer already in our pipeline']));
  });

  it('a 409 shows the backend message and a Refresh that refetches the card', async () => {
    const { calls } = fakeBackend({
      [DEAL]: [{ body: dealView() }, { body: approvedView(180, 'protected') }],
      [REGISTRATION]: [{ status: 409, body: { error: { code: 'stale_registration', message: 'Dana Reyes approved this registration a moment ago.' } } }],
    });
    const r = renderDealCard();
    await r.waitFor(() => expect(r.findByTestId(Button, 'approve')).toBeDefined());

    r.findByTestId(Button, 'approve').trigger('onClick');

    await r.waitFor(() => expect(r.find(Alert).props.title).toBe('This registration changed since the card loaded'));
    expect(r.find(Alert).find(Text).text).toBe('Dana Reyes approved this registration a moment ago.');
    expect(r.mocks.actions.addAlert.calls).toEqual([]);

    r.findByTestId(Button, 'refresh-after-conflict').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Tag, 'protection').text).toBe('Protected · 180 days left'));
    expect(r.maybeFind(Alert)).toBeNull();
    expect(calls.map((c) => c.method)).toEqual(['GET', 'POST', 'GET']);
  });

  it('Register deal is open to any user when the deal has no registration, and posts the picked partner', async () => {
    const { calls } = fakeBackend({
      [DEAL]: [{ body: dealView({ registration: null, viewer: REP }) }, { body: dealView({ viewer: REP, registrationVersion: 'v2' }) }],
      [REGISTRATION]: [{ body: { ok: true, message: 'Registration submitted for Bolt Integrations.', registrationVersion: 'v2' } }],
    });
    const r = renderDealCard();
    await r.waitFor(() => expect(r.findByTestId(Button, 'register-submit')).toBeDefined());
    expect(r.findByTestId(Button, 'register-submit').props.disabled).toBe(true);

    r.find(Select, { name: 'pp-register-deal-choice' }).trigger('onChange', '9002' as never);
    r.findByTestId(Button, 'register-submit').trigger('onClick');

    await r.waitFor(() => expect(r.findByTestId(Text, 'managers-hint')).toBeDefined());
    expect(calls[1]?.body).toEqual({ action: 'register', partnerId: '9002', expectedVersion: 'v1' });
    expect(buttonTestIds(r)).toEqual([]);
  });

  it('Resolve dispute posts the picked winner', async () => {
    const disputed = withRegistration({
      status: 'disputed',
      protectionStatus: 'conflict',
      conflict: { dealId: '150', dealName: null, partnerId: '9004', partnerName: null },
    });
    const { calls } = fakeBackend({
      [DEAL]: [{ body: disputed }, { body: approvedView(180, 'protected') }],
      [REGISTRATION]: [{ body: { ok: true, message: 'Dispute resolved in favour of Company 9004.', registrationVersion: 'v2' } }],
    });
    const r = renderDealCard();
    await r.waitFor(() => expect(r.findByTestId(Button, 'resolve-submit')).toBeDefined());

    r.find(Select, { name: 'pp-resolve-dispute-choice' }).trigger('onChange', '9004' as never);
    r.findByTestId(Button, 'resolve-submit').trigger('onClick');

    await r.waitFor(() => expect(r.findByTestId(Tag, 'protection').text).toBe('Protected · 180 days left'));
    expect(calls[1]?.body).toEqual({ action: 'resolve', winnerPartnerId: '9004', expectedVersion: 'v1' });
    expect(r.mocks.actions.closeOverlay.calls).toEqual([['pp-resolve-dispute']]);
  });

  it('a refused action that is not a conflict shows its message without refetching', async () => {
    const { calls } = fakeBackend({
      [DEAL]: [{ body: dealView() }],
      [REGISTRATION]: [
        { status: 403, body: { error: { code: 'not_a_partner_manager', message: 'Only partner managers can approve: Dana Reyes, Partner Ops team.' } } },
      ],
    });
    const r = renderDealCard();
    await r.waitFor(() => expect(r.findByTestId(Button, 'approve')).toBeDefined());

    r.findByTestId(Button, 'approve').trigger('onClick');

    await r.waitFor(() => expect(r.find(Alert).props.title).toBe('The action did not go through'));
    expect(r.find(Alert).find(Text).text).toBe('Only partner managers can approve: Dana Reyes, Partner Ops team.');
    expect(calls.map((c) => c.method)).toEqual(['GET', 'POST']);
    expect(vi.isMockFunction(hubspot.fetch)).toBe(true);
  });
});
