import { Button, ErrorState, Link, List, LoadingSpinner, StatusTag, Tag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { describe, expect, it, vi } from 'vitest';
import { CompanyCard } from '../../../../extensions/app/cards/CompanyCard.js';
import { BACKEND, companyView } from '../../fixtures/card-views.js';
import { fakeBackend } from '../../fixtures/fake-backend.js';
import { tableBodyRows, textContent } from '../../fixtures/render-helpers.js';

const COMPANY = 'GET /api/cards/companies/9001';

function renderCompanyCard() {
  const renderer = createRenderer('crm.record.tab');
  renderer.render(<CompanyCard companyId="9001" actions={renderer.mocks.actions} />);
  return renderer;
}

describe('CompanyCard', () => {
  it('shows a spinner while the company loads, asking the backend for this company', async () => {
    const { calls } = fakeBackend({ [COMPANY]: [new Promise(() => {})] });
    const r = renderCompanyCard();

    expect(r.find(LoadingSpinner).props.label).toBe('Loading the partner program for this company');
    await vi.waitFor(() => expect(calls).toEqual([{ method: 'GET', url: `${BACKEND}/api/cards/companies/9001`, timeout: 10_000, body: undefined }]));
  });

  it('shows the three tiers with their reasons, referrals against the minimum, high-performer status and agreements', async () => {
    fakeBackend({ [COMPANY]: [{ body: companyView() }] });
    const r = renderCompanyCard();

    await r.waitFor(() => expect(r.findByTestId(Tag, 'partner-type').text).toBe('Consultant'));
    expect(tableBodyRows(r, 'tiers')).toEqual([
      ['Referral', 'Tier 2', '24 consultants (10–49 → tier_2)'],
      ['Co-marketing', 'Gold', '$120,000 a year for 2 years (gold: $100K+ and 2+ years)'],
      ['Co-selling', 'None', 'no annual sales volume potential set'],
    ]);
    expect(r.findByTestId(Text, 'referrals').text).toBe('4 qualified referrals in Q1 2025 (quarterly minimum 3)');
    expect(r.findByTestId(Tag, 'high-performer')).toMatchObject({ text: 'High performer', props: { variant: 'success' } });
    expect(r.findByTestId(Tag, 'agreement')).toMatchObject({ text: 'Signed', props: { variant: 'success' } });
    expect(r.findByTestId(Tag, 'baa').text).toBe('Not signed');
  });

  it('lists open registrations with protection days left, and payouts by status', async () => {
    fakeBackend({ [COMPANY]: [{ body: companyView() }] });
    const r = renderCompanyCard();

    await r.waitFor(() => expect(r.findByTestId(Tag, 'partner-type')).toBeDefined());
    expect(tableBodyRows(r, 'open-registrations')).toEqual([['Northwind renewal platform', 'Approved', 'Expiring soon · 12 days left']]);
    expect(tableBodyRows(r, 'payouts-by-status')).toEqual([
      ['Scheduled', '2', '$76,800.00 USD'],
      ['Paid', '5', '$210,000.00 USD'],
    ]);
  });

  it('a partner without a signed agreement is flagged: its payouts are held', async () => {
    fakeBackend({ [COMPANY]: [{ body: companyView({ agreements: { agreementSigned: false, baaSigned: false } }) }] });
    const r = renderCompanyCard();

    await r.waitFor(() => expect(r.findByTestId(Tag, 'agreement')).toMatchObject({ text: 'Not signed: payouts are held', props: { variant: 'warning' } }));
  });

  it('a partner with no referral tier has no quarterly minimum, and says so', async () => {
    fakeBackend({
      [COMPANY]: [
        { body: companyView({ referrals: { count: 1, minimum: null, quarterLabel: 'Q2 2025' }, highPerformer: { value: false, reason: 'no referral tier' } }) },
      ],
    });
    const r = renderCompanyCard();

    await r.waitFor(() => expect(r.findByTestId(Text, 'referrals').text).toBe('1 qualified referral in Q2 2025 (no quarterly minimum applies)'));
    expect(r.findByTestId(Tag, 'high-performer').text).toBe('Not a high performer');
  });

  it.each([
    {
      label: 'links to the CSV export when the backend gives an export URL',
      exportUrl: 'https://partner-program.example.com/admin/payouts.csv?partner=9001&token=t0k',
      linked: true,
    },
    { label: 'shows no export link when the export is not configured', exportUrl: null, linked: false },
  ])('$label', async ({ exportUrl, linked }) => {
    fakeBackend({ [COMPANY]: [{ body: companyView({ exportUrl }) }] });
    const r = renderCompanyCard();

    await r.waitFor(() => expect(r.findByTestId(Tag, 'partner-type')).toBeDefined());
    const link = r.maybeFindByTestId(Link, 'export-csv');
    if (linked) {
      expect(link?.props.href).toEqual({ url: exportUrl, external: true });
      expect(link?.text).toBe("Download this partner's payouts (CSV)");
    } else {
      expect(link).toBeNull();
    }
  });

  it('an error shows the message, and Retry loads the company again', async () => {
    const { calls } = fakeBackend({
      [COMPANY]: [
        { status: 404, body: { error: { code: 'not_a_partner', message: 'This company is not a partner: set its partner type to join a program.' } } },
        { body: companyView() },
      ],
    });
    const r = renderCompanyCard();

    await r.waitFor(() => expect(r.find(ErrorState).find(Text).text).toBe('This company is not a partner: set its partner type to join a program.'));
    r.find(Button).trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Tag, 'partner-type').text).toBe('Consultant'));
    // The company twice; the portal-invite section then asks for the contacts on its own.
    expect(calls.filter((c) => new URL(c.url).pathname === '/api/cards/companies/9001')).toHaveLength(2);
  });

  it("shows the partner's standing: minimum with the count and what is needed, last quarter, satisfaction and quality, with reasons", async () => {
    fakeBackend({ [COMPANY]: [{ body: companyView() }] });
    const r = renderCompanyCard();

    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'minimum-status').text).toBe('At risk'));
    expect(r.findByTestId(StatusTag, 'minimum-status').props.variant).toBe('danger');
    expect(r.findByTestId(Text, 'minimum-text').text).toBe('1 of 3 qualified referrals in 2025-Q1: 2 due by today, 2 more needed to meet the minimum');
    expect(r.findByTestId(StatusTag, 'last-quarter').text).toBe('Missed');
    expect(textContent(r.findByTestId(Text, 'satisfaction'))).toBe('7.9 (no requirement for this tier)');
    expect(r.findByTestId(Text, 'lead-quality').text).toBe('No score yet');
    expect(r.findByTestId(StatusTag, 'requirements')).toMatchObject({ text: 'Not met', props: { variant: 'warning' } });
    expect(
      r
        .findByTestId(List, 'requirement-reasons')
        .findAll(Text)
        .map((t) => t.text),
    ).toEqual(['missed the quarterly minimum in 2024-Q4']);
  });

  it('a partner without a referral tier is told the standing does not apply', async () => {
    fakeBackend({ [COMPANY]: [{ body: companyView({ performance: null }) }] });
    const r = renderCompanyCard();
    await r.waitFor(() => expect(r.findByTestId(Text, 'performance-none').text).toBe('Applies to referral partners with a tier.'));
    expect(r.maybeFindByTestId(StatusTag, 'minimum-status')).toBeNull();
  });
});
