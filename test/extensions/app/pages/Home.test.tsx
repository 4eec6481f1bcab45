import {
  Alert,
  BarChart,
  Button,
  ErrorState,
  Input,
  Link,
  LoadingSpinner,
  Select,
  Table,
  TableFooter,
  TableHeader,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { describe, expect, it, vi } from 'vitest';
import { PageTitle } from '@hubspot/ui-extensions/pages';
import { PartnerManagerHome } from '../../../../extensions/app/pages/Home.js';
import { PartnerProgramPages } from '../../../../extensions/app/pages/Pages.js';
import type { BonusRankingView, HomeView } from '../../../../extensions/app/cards/api/contract.js';
import { BACKEND, REP, homeView, resultsView } from '../../fixtures/card-views.js';
import { fakeBackend } from '../../fixtures/fake-backend.js';
import { tableBodyRows, textContent } from '../../fixtures/render-helpers.js';

const HOME = 'GET /api/cards/home';
const RESULTS = 'GET /api/cards/results';
const BONUSES = 'GET /api/cards/home/bonuses';
/** The calls of the queue (the results and bonus sections load on their own). */
const queueCalls = (calls: { url: string; method: string; body: unknown }[]) =>
  calls.filter((c) => !c.url.includes('/api/cards/results') && !c.url.includes('/api/cards/home/bonuses'));

function renderHome() {
  const renderer = createRenderer('pages');
  renderer.render(<PartnerManagerHome actions={renderer.mocks.actions} />);
  return renderer;
}

const waitingCaseStudy: HomeView['activitiesAwaiting'][number] = {
  id: '7003',
  type: 'case_study',
  typeLabel: 'Case study',
  name: 'Clinic rollout',
  date: '2025-02-10',
  companyId: '9005',
  companyName: 'Dr. Eve Park',
};

function bonusView(overrides: Partial<BonusRankingView> = {}): BonusRankingView {
  return {
    year: 2026,
    partnerOfTheYear: '9003',
    rows: [
      {
        partnerId: '9003',
        partnerName: 'Cedar Advisors',
        revenue: '$2,400,000.00',
        deals: 6,
        otherCurrencies: {},
        awards: [{ award: 'partner_of_the_year', amount: '$25,000.00', status: 'scheduled' }],
      },
      { partnerId: '9001', partnerName: 'Acme Consulting', revenue: '$900,000.00', deals: 3, otherCurrencies: { EUR: 1 }, awards: [] },
    ],
    ...overrides,
  };
}

describe('App pages: the partner-manager page', () => {
  it('is the index route of the pages entry point, with the host actions of the pages extension point', async () => {
    fakeBackend({ [HOME]: [{ body: homeView() }], [RESULTS]: [{ body: resultsView() }] });
    const r = createRenderer('pages');
    r.render(<PartnerProgramPages />);

    await r.waitFor(() => expect(r.findByTestId(Button, 'approve-101')).toBeDefined());
    // The results section loads on its own: let it finish inside this test.
    await r.waitFor(() => expect(r.findByTestId(Table, 'results')).toBeDefined());
    expect(r.find(PageTitle).text).toBe('Partner program');
    expect(r.mocks.useExtensionActions.calls.length).toBeGreaterThan(0);
  });

  it('an unknown page path renders no partner-manager queue (there is one page today)', () => {
    const { calls } = fakeBackend({ [HOME]: [new Promise(() => {})] });
    const r = createRenderer('pages');
    r.mocks.setPageLocation({ path: '/no-such-page', params: {} } as never);
    r.render(<PartnerProgramPages />);

    expect(r.maybeFind(LoadingSpinner)).toBeNull();
    expect(calls).toEqual([]);
  });

  it('shows a spinner while the queue loads, from the home endpoint', async () => {
    const { calls } = fakeBackend({ [HOME]: [new Promise(() => {})] });
    const r = renderHome();

    expect(r.find(LoadingSpinner).props.label).toBe('Loading the partner-manager queue');
    await vi.waitFor(() => expect(calls).toEqual([{ method: 'GET', url: `${BACKEND}/api/cards/home`, timeout: 10_000, body: undefined }]));
  });

  it('lists pending and disputed registrations across the portal, protection expiring within 30 days and payouts on hold', async () => {
    fakeBackend({ [HOME]: [{ body: homeView() }] });
    const r = renderHome();

    await r.waitFor(() => expect(r.findByTestId(Button, 'approve-101')).toBeDefined());
    expect(tableBodyRows(r, 'queue').map((row) => row.slice(0, 5))).toEqual([
      ['Northwind renewal platform', 'Acme Consulting', 'Pending', 'Mar 3, 2025', '—'],
      ['Contoso analytics', 'Cedar Advisors', 'Disputed', 'Mar 5, 2025', 'Delta Partners (deal 150)'],
    ]);
    expect(tableBodyRows(r, 'expiring')).toEqual([['Fabrikam expansion', 'Acme Consulting', 'Mar 20, 2025', '9 days left']]);
    expect(tableBodyRows(r, 'on-hold')).toEqual([
      ['Litware clinics', 'Dr. Eve Park', '$7,500.00', 'medical_advisor payout above the $5,000.00 fair-market-value cap: anti-kickback review'],
    ]);
    // A disputed row is resolved (one partner wins), never approved or rejected on its own.
    expect(r.maybeFindByTestId(Button, 'approve-202')).toBeNull();
    expect(r.find(Select, { name: 'resolve-choice-202' }).props.options).toEqual([
      { label: 'Cedar Advisors', value: '9003' },
      { label: 'Delta Partners', value: '9004' },
    ]);
  });

  it("Approve in place posts the row's own deal and version, then reloads the queue", async () => {
    const { calls } = fakeBackend({
      [HOME]: [{ body: homeView() }, { body: homeView({ queue: homeView().queue.slice(1) }) }],
      'POST /api/cards/deals/101/registration': [{ body: { ok: true, message: 'Registration approved for Acme Consulting.', registrationVersion: 'v2' } }],
    });
    const r = renderHome();
    await r.waitFor(() => expect(r.findByTestId(Button, 'approve-101')).toBeDefined());

    r.findByTestId(Button, 'approve-101').trigger('onClick');

    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'approve-101')).toBeNull());
    expect(queueCalls(calls)[1]).toEqual({
      method: 'POST',
      url: `${BACKEND}/api/cards/deals/101/registration`,
      timeout: 10_000,
      body: { action: 'approve', expectedVersion: 'v1' },
    });
    expect(queueCalls(calls).map((c) => c.method)).toEqual(['GET', 'POST', 'GET']);
    expect(r.mocks.actions.addAlert.calls).toEqual([[{ type: 'success', message: 'Registration approved for Acme Consulting.' }]]);
  });

  it("Reject in place needs a reason and posts it with the row's version", async () => {
    const { calls } = fakeBackend({
      [HOME]: [{ body: homeView() }],
      'POST /api/cards/deals/101/registration': [{ body: { ok: true, message: 'Registration rejected.', registrationVersion: 'v2' } }],
    });
    const r = renderHome();
    await r.waitFor(() => expect(r.findByTestId(Button, 'reject-submit-101')).toBeDefined());
    expect(r.findByTestId(Button, 'reject-submit-101').props.disabled).toBe(true);

    r.find(TextArea, { name: 'reject-reason-101' }).trigger('onInput', 'Duplicate of an existing opportunity' as never);
    r.findByTestId(Button, 'reject-submit-101').trigger('onClick');

    await vi.waitFor(() => expect(queueCalls(calls).map((c) => c.method)).toEqual(['GET', 'POST', 'GET']));
    expect(queueCalls(calls)[1]?.body).toEqual({ action: 'reject', reason: 'Duplicate of an existing opportunity', expectedVersion: 'v1' });
    expect(r.mocks.actions.closeOverlay.calls).toEqual([['pp-home-reject-101']]);
  });

  it('a row that changed meanwhile (409) names the deal, shows the message and offers a refresh', async () => {
    fakeBackend({
      [HOME]: [{ body: homeView() }],
      'POST /api/cards/deals/101/registration': [
        { status: 409, body: { error: { code: 'stale_registration', message: 'Another partner manager decided this registration a moment ago.' } } },
      ],
    });
    const r = renderHome();
    await r.waitFor(() => expect(r.findByTestId(Button, 'approve-101')).toBeDefined());

    r.findByTestId(Button, 'approve-101').trigger('onClick');

    await r.waitFor(() => expect(r.find(Alert).props.title).toBe('Northwind renewal platform changed since this page loaded'));
    expect(r.find(Alert).find(Text).text).toBe('Another partner manager decided this registration a moment ago.');
    expect(r.findByTestId(Button, 'refresh-after-conflict')).toBeDefined();
  });

  it('a user who is not a partner manager sees the lists read-only, with the managers hint', async () => {
    fakeBackend({
      [HOME]: [{ body: homeView({ viewer: REP, activitiesAwaiting: [waitingCaseStudy] }) }],
      [BONUSES]: [{ body: bonusView() }],
      [RESULTS]: [{ body: resultsView() }],
    });
    const r = renderHome();

    await r.waitFor(() => expect(r.findByTestId(Table, 'bonus-ranking')).toBeDefined());
    await r.waitFor(() => expect(r.findByTestId(Table, 'results')).toBeDefined());
    expect(r.find(Alert).props.title).toBe('Read-only');
    expect(r.find(Alert).text).toBe('Only partner managers can approve: Dana Reyes, Partner Ops team.');
    expect(r.findAll(Button)).toEqual([]);
    expect(tableBodyRows(r, 'queue')[0]).toEqual(['Northwind renewal platform', 'Acme Consulting', 'Pending', 'Mar 3, 2025', '—']);
  });

  it('empty lists say so', async () => {
    fakeBackend({
      [HOME]: [
        { body: homeView({ queue: [], expiringSoon: [], payoutsOnHold: [], performance: { atRisk: [], missedLastQuarter: [], belowSatisfaction: [] } }) },
      ],
      [RESULTS]: [{ body: resultsView({ otherCurrencies: [] }) }],
      [BONUSES]: [{ body: { year: 2026, partnerOfTheYear: null, rows: [] } }],
    });
    const r = renderHome();

    await r.waitFor(() =>
      expect(r.findAll(Text).map((t) => t.text)).toEqual([
        'No registration is waiting for a decision.',
        'No activity is waiting for a decision.',
        'No protection expires soon.',
        'No payout is on hold.',
        'No partner is at risk this quarter.',
        'No partner missed last quarter.',
        'No partner is below its satisfaction requirement.',
        "No partner's co-marketing commitments are at risk.",
        'No partner-sourced revenue in 2026 yet.',
        '2026-01-01 to 2026-12-31, USD',
      ]),
    );
  });

  it('an error shows the message, and Retry loads the queue again', async () => {
    fakeBackend({ [HOME]: [{ status: 502, body: '' }, { body: homeView() }] });
    const r = renderHome();

    await r.waitFor(() => expect(r.find(ErrorState).find(Text).text).toBe('The partner-program service is unavailable (HTTP 502). Try again in a moment.'));
    r.findByTestId(Button, 'retry').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'approve-101')).toBeDefined());
  });

  it('lists partners at risk and those that missed last quarter, each linking to its company record', async () => {
    fakeBackend({ [HOME]: [{ body: homeView() }], [RESULTS]: [{ body: resultsView() }] });
    const r = renderHome();
    await r.waitFor(() => expect(r.findByTestId(Link, 'company-9001')).toBeDefined());
    expect(tableBodyRows(r, 'at-risk')).toEqual([
      ['Acme Consulting', 'tier_2', '1 of 3 qualified referrals in 2025-Q1; 2 due by today, 2 more to meet the minimum'],
    ]);
    expect(r.findByTestId(Link, 'company-9001').props.href).toEqual({ url: 'https://app.hubspot.com/contacts/123/record/0-2/9001', external: false });
    expect(tableBodyRows(r, 'missed-last-quarter')).toEqual([['Cedar Advisors', 'tier_1', 'missed the minimum of 4 qualified referrals in 2024-Q4']]);
  });

  it('shows the program results as a table and a bar chart, other currencies apart, and the CSV link', async () => {
    fakeBackend({ [HOME]: [{ body: homeView() }], [RESULTS]: [{ body: resultsView() }] });
    const r = renderHome();
    await r.waitFor(() => expect(r.findByTestId(Table, 'results')).toBeDefined());
    expect(tableBodyRows(r, 'results')).toEqual([
      ['Consultant tier 1', '$1,000,000.00', '$120,000.00', '833%', '$500,000.00', '24%'],
      ['Co-selling', '$1,400,000.00', '$190,000.00', '737%', '—', '—'],
      ['Fixed cost: program management', '—', '$300,000.00', '—', '$300,000.00', '—'],
    ]);
    expect(
      r
        .findByTestId(Table, 'results')
        .find(TableFooter)
        .findAll(TableHeader)
        .map((h) => textContent(h)),
    ).toEqual(['Program total', '$1,600,000.00', '$875,000.00', '183%', '$2,200,000.00', '40%']);
    expect(r.find(BarChart).props.data).toEqual(resultsView().chart);
    expect(r.find(Alert, { title: 'JPY: counted apart, not converted' }).text).toBe('Revenue ¥45,000,000, cost ¥4,500,000: Tokyo rollout');
    expect(r.findByTestId(Link, 'results-csv').props.href).toEqual({ url: resultsView().csvUrl, external: true });
  });

  it('choosing a period asks the backend for it', async () => {
    const { calls } = fakeBackend({ [HOME]: [{ body: homeView() }], [RESULTS]: [{ body: resultsView() }] });
    const r = renderHome();
    await r.waitFor(() => expect(r.findByTestId(Select, 'results-period')).toBeDefined());
    expect(r.findByTestId(Select, 'results-period').props.options.map((o: { label: string }) => o.label)).toEqual([
      '2026',
      '2025',
      '2026 Q1',
      '2026 Q2',
      '2026 Q3',
      '2026 Q4',
    ]);
    r.findByTestId(Select, 'results-period').trigger('onChange', '2026-04-01|2026-06-30' as never);
    await vi.waitFor(() => expect(calls.map((c) => c.url)).toContain(`${BACKEND}/api/cards/results?from=2026-04-01&to=2026-06-30`));
    expect(calls.filter((c) => c.url.includes('/api/cards/results')).map((c) => c.url)).toEqual([
      `${BACKEND}/api/cards/results`,
      `${BACKEND}/api/cards/results?from=2026-04-01&to=2026-06-30`,
    ]);
  });

  it('activities waiting for a decision are listed and approved in place; the page reloads and says what happened', async () => {
    const { calls } = fakeBackend({
      [HOME]: [{ body: homeView({ activitiesAwaiting: [waitingCaseStudy] }) }, { body: homeView() }],
      'POST /api/cards/activities/7003/decision': [
        { body: { ok: true, message: 'Activity approved. Payout $1,000.00 on hold: no BAA signed.', activityId: '7003' } },
      ],
    });
    const r = renderHome();
    await r.waitFor(() => expect(r.findByTestId(Table, 'activity-queue')).toBeDefined());
    expect(tableBodyRows(r, 'activity-queue').map((row) => row.slice(0, 3))).toEqual([['Dr. Eve Park', 'Case study: Clinic rollout', '2025-02-10']]);
    r.findByTestId(Button, 'approve-activity-7003').trigger('onClick');
    await r.waitFor(() =>
      expect(r.mocks.actions.addAlert.calls).toEqual([[{ type: 'success', message: 'Activity approved. Payout $1,000.00 on hold: no BAA signed.' }]]),
    );
    expect(queueCalls(calls).map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual([
      'GET /api/cards/home',
      'POST /api/cards/activities/7003/decision',
      'GET /api/cards/home',
    ]);
  });

  it('rejecting an activity from the home page needs a reason; a refusal shows the backend’s message', async () => {
    const refusal = 'Only partner managers decide on activities.';
    const { calls } = fakeBackend({
      [HOME]: [{ body: homeView({ activitiesAwaiting: [waitingCaseStudy] }) }],
      'POST /api/cards/activities/7003/decision': [{ status: 403, body: { error: { code: 'forbidden', message: refusal } } }],
    });
    const r = renderHome();
    await r.waitFor(() => expect(r.findByTestId(Button, 'reject-activity-submit-7003')).toBeDefined());
    expect(r.findByTestId(Button, 'reject-activity-submit-7003').props.disabled).toBe(true);
    r.find(TextArea, { name: 'activity-reject-reason-7003' }).trigger('onInput', 'Duplicate' as never);
    r.findByTestId(Button, 'reject-activity-submit-7003').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'activity-failure').text).toBe(refusal));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ action: 'reject', reason: 'Duplicate' });
  });

  it('lists the partners whose co-marketing commitments are at risk, with their counts', async () => {
    fakeBackend({
      [HOME]: [
        {
          body: homeView({
            commitmentsAtRisk: [{ companyId: '9001', companyName: 'Acme Consulting', summary: '0 of 2 joint campaigns, 1 of 4 content pieces, 0 of 3 events' }],
          }),
        },
      ],
    });
    const r = renderHome();
    await r.waitFor(() => expect(r.findByTestId(Table, 'commitments-at-risk')).toBeDefined());
    expect(tableBodyRows(r, 'commitments-at-risk')).toEqual([['Acme Consulting', '0 of 2 joint campaigns, 1 of 4 content pieces, 0 of 3 events']]);
  });

  it('ranks partners by partner-sourced revenue with their awards, naming the Partner of the Year', async () => {
    fakeBackend({ [HOME]: [{ body: homeView() }], [BONUSES]: [{ body: bonusView() }] });
    const r = renderHome();
    await r.waitFor(() => expect(r.findByTestId(Table, 'bonus-ranking')).toBeDefined());
    expect(r.findByTestId(Text, 'partner-of-the-year').text).toBe('Partner of the Year 2026: Cedar Advisors.');
    expect(tableBodyRows(r, 'bonus-ranking').map((row) => row.slice(0, 5))).toEqual([
      ['1', 'Cedar Advisors', '$2,400,000.00', '6', 'Partner of the Year $25,000.00 (Scheduled)'],
      ['2', 'Acme Consulting', '$900,000.00 (+ 1 in EUR, not converted)', '3', '—'],
    ]);
  });

  it('Award posts the year, partner, kind and amount; the server’s refusal (who holds Partner of the Year) is shown as worded', async () => {
    const refusal = 'Partner of the Year 2026 is already awarded to Cedar Advisors (9003): one partner a year.';
    const { calls } = fakeBackend({
      [HOME]: [{ body: homeView() }],
      [BONUSES]: [{ body: bonusView() }],
      'POST /api/cards/home/bonuses': [
        { status: 409, body: { error: { code: 'conflict', message: refusal } } },
        { body: { ok: true, message: 'Annual achievement bonus 2026 of $15,000.00 awarded.', key: 'bonus:2026:9001:achievement' } },
      ],
    });
    const r = renderHome();
    await r.waitFor(() => expect(r.findByTestId(Button, 'award-submit-9001')).toBeDefined());
    expect(r.findByTestId(Button, 'award-submit-9001').props.disabled).toBe(true);
    r.find(Select, { name: 'award-kind-9001' }).trigger('onChange', 'partner_of_the_year' as never);
    r.findByTestId(Button, 'award-submit-9001').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'award-failure').text).toBe(refusal));
    expect(r.find(Alert, { title: 'The award to Acme Consulting did not go through' })).toBeDefined();

    r.find(Select, { name: 'award-kind-9001' }).trigger('onChange', 'achievement' as never);
    expect(r.findByTestId(Button, 'award-submit-9001').props.disabled).toBe(true);
    r.find(Input, { name: 'award-amount-9001' }).trigger('onInput', '15000' as never);
    r.find(TextArea, { name: 'award-note-9001' }).trigger('onInput', 'Best new partner' as never);
    r.findByTestId(Button, 'award-submit-9001').trigger('onClick');
    await r.waitFor(() =>
      expect(r.mocks.actions.addAlert.calls).toEqual([[{ type: 'success', message: 'Annual achievement bonus 2026 of $15,000.00 awarded.' }]]),
    );
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { year: 2026, partnerId: '9001', award: 'partner_of_the_year' },
      { year: 2026, partnerId: '9001', award: 'achievement', amount: '15000', note: 'Best new partner' },
    ]);
    // The ranking reloads after an award.
    await r.waitFor(() => expect(calls.filter((c) => c.url.includes('/api/cards/home/bonuses') && c.method === 'GET')).toHaveLength(2));
  });

  it('a user who is not a partner manager sees the ranking without Award; choosing last year asks the backend for it', async () => {
    const { calls } = fakeBackend({ [HOME]: [{ body: homeView({ viewer: REP }) }], [BONUSES]: [{ body: bonusView() }] });
    const r = renderHome();
    await r.waitFor(() => expect(r.findByTestId(Table, 'bonus-ranking')).toBeDefined());
    expect(r.maybeFindByTestId(Button, 'award-open-9001')).toBeNull();
    r.find(Select, { name: 'bonus-year' }).trigger('onChange', '2025' as never);
    await vi.waitFor(() => expect(calls.map((c) => c.url)).toContain(`${BACKEND}/api/cards/home/bonuses?year=2025`));
  });
});
