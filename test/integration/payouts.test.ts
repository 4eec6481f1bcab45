/**
 * Payouts end to end (docs/program.md#payouts): signed webhook or workflow action → queue → worker → engine →
 * `pp_payout` upserts and associations in the sandbox portal, then the deal's `pp_payout_status`.
 */
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { sealDealRegistration } from '../../sandbox/seal.js';
import { TEST_SECRET, companyPropertyChange, dealPropertyChange, signedHeaders } from '../helpers/hubspot-events.js';
import {
  ADMIN_TOKEN,
  PUBLIC_BASE_URL,
  createCustomer,
  createDeal,
  createPartner,
  startPayoutsPortal,
  type PartnerInput,
  type PayoutsPortal,
} from '../services/helpers/payouts-portal.js';

const NOW = Date.UTC(2026, 10, 20, 15, 0, 0);
const DAY = 86_400_000;
const ACTION_URI = `${PUBLIC_BASE_URL}/hubspot/actions/schedule-payouts`;

let p: PayoutsPortal;
afterEach(async () => {
  await p?.close();
});

/** Beacon (tier_2 consultant, referral 15%) and Stackline (technology, finder 10%) on a $300,000 deal. */
function twoPartnerDeal(stage = 'closedwon') {
  const beacon = createPartner(p, { name: 'Beacon Advisors', type: 'consultant', consultants: 20 });
  const stackline = createPartner(p, { name: 'Stackline Software', type: 'technology' });
  const customer = createCustomer(p, 'Acme Health');
  const deal = createDeal(p, {
    name: 'Acme rollout',
    amount: 300_000,
    stage,
    closedate: NOW - DAY,
    createdate: NOW - 10 * DAY,
    customerId: customer,
    partners: [
      { id: beacon, roles: ['pp_referral_partner'] },
      { id: stackline, roles: ['pp_finder'] },
    ],
  });
  return { beacon, stackline, customer, deal };
}

async function closedWon(dealId: string) {
  const res = await p.postWebhook([dealPropertyChange(Number(dealId), 'dealstage', 'closedwon')]);
  expect(res.status).toBe(200);
  await p.waitForIdle();
}

function postAction(callbackId: string, dealId: string) {
  const raw = JSON.stringify({
    callbackId,
    origin: { portalId: 62515, actionDefinitionId: 10860211, actionDefinitionVersion: 1 },
    context: { source: 'WORKFLOWS', workflowId: 192814114 },
    object: { objectId: Number(dealId), objectType: 'DEAL', properties: {} },
    inputFields: {},
  });
  return request(p.app)
    .post('/hubspot/actions/schedule-payouts')
    .set(signedHeaders(ACTION_URI, raw, Date.now()))
    .send(raw);
}

describe('closed-won freezes payouts (webhook and workflow action, one result)', () => {
  it('the closed-won webhook sends the exact batch upsert (keys, major units, frozen rate) and associates each payout with its deal and partner', async () => {
    p = await startPayoutsPortal({ now: NOW });
    const { beacon, stackline, deal } = twoPartnerDeal();
    await closedWon(deal);

    const type = p.contract.payoutObjectTypeId;
    const version = p.rt.program.version;
    const upserts = p.requestsTo('POST', new RegExp(`^/crm/objects/2026-09/${type}/batch/upsert$`));
    expect(upserts.map((r) => r.body)).toEqual([
      {
        inputs: [
          {
            id: `${deal}:${beacon}:pp_referral_partner`,
            idProperty: 'pp_payout_key',
            properties: {
              pp_payout_key: `${deal}:${beacon}:pp_referral_partner`,
              pp_deal_id: deal,
              pp_partner_id: beacon,
              pp_role: 'pp_referral_partner',
              pp_amount: '45000.00',
              pp_currency: 'USD',
              pp_status: 'scheduled',
              pp_hold_reason: '',
              pp_explanation: expect.stringContaining(`Frozen at closed-won on 2026-11-20 under program ${version}: 15% of basis $300,000.00 = $45,000.00.`),
              pp_basis: '300000.00',
              pp_rate_bps: '1500',
              pp_flat_fee: '',
              pp_frozen_at: '2026-11-20T15:00:00.000Z',
              pp_program_version: version,
              // The app's seal over the values above (docs/SECURITY.md): an edit of the record is restored.
              pp_payout_seal: expect.stringMatching(/^v1\./),
              // docs/program.md#program-results: the tier_2 consultant's line, recorded at the freeze.
              pp_program_component: 'consultant_tier_2',
            },
          },
          {
            id: `${deal}:${stackline}:pp_finder`,
            idProperty: 'pp_payout_key',
            properties: {
              pp_payout_key: `${deal}:${stackline}:pp_finder`,
              pp_deal_id: deal,
              pp_partner_id: stackline,
              pp_role: 'pp_finder',
              pp_amount: '30000.00',
              pp_currency: 'USD',
              pp_status: 'scheduled',
              pp_hold_reason: '',
              pp_explanation: expect.stringContaining('10% of basis $300,000.00 = $30,000.00.'),
              pp_basis: '300000.00',
              pp_rate_bps: '1000',
              pp_flat_fee: '',
              pp_frozen_at: '2026-11-20T15:00:00.000Z',
              pp_program_version: version,
              // The app's seal over the values above (docs/SECURITY.md): an edit of the record is restored.
              pp_payout_seal: expect.stringMatching(/^v1\./),
              pp_program_component: 'co_selling',
            },
          },
        ],
      },
    ]);

    const ids = [`${deal}:${beacon}:pp_referral_partner`, `${deal}:${stackline}:pp_finder`].map((k) => p.payoutRecord(k)!.id);
    const toDeals = p.requestsTo('POST', new RegExp(`^/crm/associations/2026-09/${type}/deals/batch/associate/default$`));
    const toCompanies = p.requestsTo('POST', new RegExp(`^/crm/associations/2026-09/${type}/companies/batch/associate/default$`));
    expect(toDeals.map((r) => r.body)).toEqual([{ inputs: ids.map((id) => ({ from: { id }, to: { id: deal } })) }]);
    expect(toCompanies.map((r) => r.body)).toEqual([
      {
        inputs: [
          { from: { id: ids[0] }, to: { id: beacon } },
          { from: { id: ids[1] }, to: { id: stackline } },
        ],
      },
    ]);
    expect(p.api.store.associationsOf(type, ids[0]!, 'deals').map((a) => a.toObjectId)).toEqual([deal]);
    expect(p.api.store.associationsOf(type, ids[1]!, 'companies').map((a) => a.toObjectId)).toEqual([stackline]);
    expect(p.deal(deal)).toMatchObject({ pp_payout_status: 'scheduled', pp_commission_total: '75000' });
  });

  it('the same closed-won again, then the workflow action on the same deal: no new record, no upsert, the action reports the same payouts', async () => {
    p = await startPayoutsPortal({ now: NOW });
    const { deal } = twoPartnerDeal();
    await closedWon(deal);
    const before = p.payouts();
    const upsertsBefore = p.requestsTo('POST', /\/batch\/upsert$/).length;

    await closedWon(deal);
    const action = await postAction('ap-62515-1-1-0', deal);

    expect(action.status).toBe(200);
    expect(action.body).toEqual({
      outputFields: { hs_execution_state: 'SUCCESS', payouts_count: 2, payouts_total: '75000.00 USD', on_hold_count: 0 },
    });
    expect(p.payouts()).toEqual(before);
    expect(p.requestsTo('POST', /\/batch\/upsert$/).length).toBe(upsertsBefore);
  });

  it('the workflow action first, then the webhook: the action froze them and the webhook finds nothing to do', async () => {
    p = await startPayoutsPortal({ now: NOW });
    const { deal } = twoPartnerDeal();
    const action = await postAction('ap-62515-2-1-0', deal);
    expect(action.body.outputFields).toEqual({ hs_execution_state: 'SUCCESS', payouts_count: 2, payouts_total: '75000.00 USD', on_hold_count: 0 });
    const after = p.payouts();
    await closedWon(deal);
    expect(p.payouts()).toEqual(after);
    expect(after.map((r) => [r.amount, r.status])).toEqual([
      [4_500_000, 'scheduled'],
      [3_000_000, 'scheduled'],
    ]);
  });

  it('leaving closed-won reverses every unpaid payout, saying when and why; won again, they are frozen afresh on the same keys', async () => {
    p = await startPayoutsPortal({ now: NOW });
    const { deal } = twoPartnerDeal();
    await closedWon(deal);

    p.setNow(NOW + 2 * DAY);
    p.user.updateDeal(deal, { dealstage: 'contractsent' });
    await p.postWebhook([dealPropertyChange(Number(deal), 'dealstage', 'contractsent')]);
    await p.waitForIdle();
    const reversed = p.payouts();
    expect(reversed.map((r) => r.status)).toEqual(['reversed', 'reversed']);
    expect(reversed[0]!.explanation).toContain('2026-11-22: reversed, $45,000.00 not paid: the deal left closed-won (stage contractsent).');
    expect(p.deal(deal).pp_payout_status).toBe('reversed');

    p.setNow(NOW + 3 * DAY);
    p.user.updateDeal(deal, { dealstage: 'closedwon' });
    await closedWon(deal);
    const again = p.payouts();
    expect(again.map((r) => [r.key, r.status, r.amount])).toEqual(reversed.map((r) => [r.key, 'scheduled', r.amount]));
    expect(again[0]!.explanation).toContain('2026-11-23: frozen afresh');
    expect(p.deal(deal).pp_payout_status).toBe('scheduled');
  });

  it('a basis drop after close updates the unpaid payout in place at its frozen rate', async () => {
    p = await startPayoutsPortal({ now: NOW });
    const { deal, beacon } = twoPartnerDeal();
    await closedWon(deal);
    p.user.updateDeal(deal, { amount: '280000' });
    await p.postWebhook([dealPropertyChange(Number(deal), 'amount', '280000')]);
    await p.waitForIdle();
    const referral = p.payouts().find((r) => r.key === `${deal}:${beacon}:pp_referral_partner`)!;
    expect([referral.amount, referral.basis, referral.rateBps, referral.status]).toEqual([4_200_000, 28_000_000, 1500, 'scheduled']);
    expect(referral.explanation).toContain('basis $300,000.00 → $280,000.00; amount $45,000.00 → $42,000.00');
  });
});

describe('holds (docs/program.md: agreement, FMV cap and BAA for healthcare partner types, disputed registration)', () => {
  const cases: {
    label: string;
    partner: PartnerInput;
    role: string;
    amount: number;
    referralKind?: string;
    registration?: 'disputed';
    expected: { status: string; holdReason: string | null; amount: number };
  }[] = [
    {
      label: 'a partner without a signed agreement is held',
      partner: { name: 'Newcomer Partners LLC', type: 'channel', agreement: false },
      role: 'pp_co_selling_partner',
      amount: 100_000,
      expected: { status: 'on_hold', holdReason: 'no signed partner agreement on file', amount: 2_000_000 },
    },
    {
      label: 'a healthcare organization over the $5,000.00 fair-market-value cap is held for anti-kickback review',
      partner: { name: 'Mercy Valley Health System', type: 'healthcare_organization', baa: true },
      role: 'pp_implementation_partner',
      amount: 200_000,
      expected: { status: 'on_hold', holdReason: 'exceeds the $5,000.00 fair-market-value cap; anti-kickback review', amount: 1_000_000 },
    },
    {
      label: 'a medical advisor without a BAA is held',
      partner: { name: 'Cardio Insights Advisory', type: 'medical_advisor', baa: false },
      role: 'pp_referral_partner',
      referralKind: 'c_level_referral',
      amount: 250_000,
      expected: { status: 'on_hold', holdReason: 'no business associate agreement (BAA) on file', amount: 500_000 },
    },
    {
      label: 'a medical advisor with a BAA at exactly the cap ($5,000 flat) is scheduled',
      partner: { name: 'Dr. Elena Ruiz Clinical Advisory', type: 'medical_advisor', baa: true },
      role: 'pp_referral_partner',
      referralKind: 'c_level_referral',
      amount: 250_000,
      expected: { status: 'scheduled', holdReason: null, amount: 500_000 },
    },
    {
      label: "a partner in the deal's disputed registration is held until a partner manager resolves it",
      partner: { name: 'Harbor Lane Consulting', type: 'consultant', consultants: 25 },
      role: 'pp_referral_partner',
      amount: 300_000,
      registration: 'disputed',
      expected: { status: 'on_hold', holdReason: "the deal's registration is disputed until a partner manager resolves it", amount: 4_500_000 },
    },
  ];

  it.each(cases)('$label', async ({ partner, role, amount, referralKind, registration, expected }) => {
    p = await startPayoutsPortal({ now: NOW });
    const partnerId = createPartner(p, partner);
    const deal = createDeal(p, {
      name: 'Held deal',
      amount,
      stage: 'closedwon',
      closedate: NOW - DAY,
      createdate: NOW - 10 * DAY,
      customerId: createCustomer(p, 'Umbrella Clinics'),
      partners: [{ id: partnerId, roles: [role] }],
      ...(referralKind ? { referralKind } : {}),
      ...(registration
        ? {
            extra: {
              pp_registration_status: 'disputed',
              pp_registered_partner_id: partnerId,
              pp_registration_submitted_at: new Date(NOW - 5 * DAY).toISOString(),
              pp_registration_conflict: `999:888`,
            },
          }
        : {}),
    });
    // The disputed registration stands for one the app wrote: sealed as the app seals it.
    if (registration) sealDealRegistration(p.api.store, deal, TEST_SECRET);
    await closedWon(deal);
    const [payout] = p.payouts();
    expect([payout?.status, payout?.holdReason, payout?.amount]).toEqual([expected.status, expected.holdReason, expected.amount]);
    expect(p.deal(deal).pp_payout_status).toBe(expected.status);
  });

  it('a hold is released when the agreement is signed: the company webhook recomputes the held deal, and the payout is scheduled', async () => {
    p = await startPayoutsPortal({ now: NOW });
    const partner = createPartner(p, { name: 'Newcomer Partners LLC', type: 'channel', agreement: false });
    const deal = createDeal(p, {
      name: 'Held until signed',
      amount: 100_000,
      stage: 'closedwon',
      closedate: NOW - DAY,
      customerId: createCustomer(p, 'Globex Retail'),
      partners: [{ id: partner, roles: ['pp_co_selling_partner'] }],
    });
    await closedWon(deal);
    expect(p.payouts().map((r) => r.status)).toEqual(['on_hold']);

    p.setNow(NOW + 5 * DAY);
    p.user.updateCompany(partner, { pp_agreement_signed: 'true' });
    await p.postWebhook([companyPropertyChange(Number(partner), 'pp_agreement_signed', 'true')]);
    await p.waitForIdle();

    const [payout] = p.payouts();
    expect([payout?.status, payout?.holdReason, payout?.amount]).toEqual(['scheduled', null, 2_000_000]);
    expect(payout?.explanation).toContain('2026-11-25: hold released');
    expect(p.deal(deal).pp_payout_status).toBe('scheduled');
  });
});

describe('the payouts CSV through the receiver', () => {
  it('the admin token downloads the period: the held rows of the deal just won, amounts in major units, the partner name quoted', async () => {
    p = await startPayoutsPortal({ now: NOW });
    const partner = createPartner(p, { name: 'Newcomer Partners, "NP" LLC', type: 'channel', agreement: false });
    const deal = createDeal(p, {
      name: 'Globex expansion',
      amount: 100_000,
      stage: 'closedwon',
      closedate: Date.UTC(2026, 10, 19, 12),
      customerId: createCustomer(p, 'Globex Retail'),
      partners: [{ id: partner, roles: ['pp_co_selling_partner', 'pp_finder'] }],
    });
    await closedWon(deal);
    const res = await request(p.app).get('/api/payouts/export.csv?from=2026-11-01&to=2026-11-30').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.text).toBe(
      'Payout key,Deal ID,Deal name,Partner ID,Partner name,Role,Amount,Currency,Status,Hold reason,Close date,Frozen at\r\n' +
        `${deal}:${partner}:pp_co_selling_partner,${deal},Globex expansion,${partner},"Newcomer Partners, ""NP"" LLC",Co-selling partner,20000.00,USD,on_hold,no signed partner agreement on file,2026-11-19,2026-11-20T15:00:00.000Z\r\n` +
        `${deal}:${partner}:pp_finder,${deal},Globex expansion,${partner},"Newcomer Partners, ""NP"" LLC",Finder,10000.00,USD,on_hold,no signed partner agreement on file,2026-11-19,2026-11-20T15:00:00.000Z\r\n`,
    );
  });
});
