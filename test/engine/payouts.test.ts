import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import { applyPayoutDiff, diffPayouts, freezePayouts, holdReason, payoutKey, retentionPayout, summarizePayoutStatus } from '../../src/engine/payouts.js';
import type { PayoutDiffContext } from '../../src/engine/payout-diff.js';
import type {
  CommissionLine,
  CommissionResult,
  DealPartner,
  DealPayoutStatus,
  DealSnapshot,
  PartnerCompany,
  PayoutRecord,
  PayoutStatus,
  Registration,
} from '../../src/engine/types.js';

const { config } = buildProgramConfig(undefined);
const VERSION = 'abc123def456';
/** 2026-03-01T10:00:00Z: the deal is closed-won and frozen. */
const FROZEN = 1_772_359_200_000;
/** 2026-03-05T10:00:00Z: a later recompute. */
const LATER = 1_772_704_800_000;

const company = (over: Partial<PartnerCompany>): PartnerCompany => ({
  id: '101',
  name: 'Acme Consulting',
  partnerType: 'consultant',
  consultantCount: '20',
  annualCoMarketingInvestment: null,
  commitmentYears: null,
  annualSalesVolumePotential: null,
  agreementSigned: true,
  baaSigned: false,
  ...over,
});

const acme = company({});
const beta = company({ id: '202', name: 'Beta Systems', partnerType: 'technology', consultantCount: null });
const partners = (a: PartnerCompany = acme, b: PartnerCompany = beta): DealPartner[] => [
  { company: a, roles: ['pp_referral_partner'] },
  { company: b, roles: ['pp_finder'] },
];

function deal(over: Partial<DealSnapshot> = {}): DealSnapshot {
  return {
    id: 'D1',
    name: 'Hospital rollout',
    amount: '300000',
    firstYearContractValue: null,
    currency: 'USD',
    dealType: 'new',
    referralKind: null,
    dealstage: 'closedwon',
    pipeline: 'default',
    closeDate: FROZEN,
    createDate: FROZEN - 90 * 86_400_000,
    isClosedWon: true,
    isClosedLost: false,
    customerCompanyId: '900',
    registration: null,
    ...over,
  };
}

function line(over: Partial<CommissionLine>): CommissionLine {
  return {
    partnerId: '101',
    partnerName: 'Acme Consulting',
    role: 'pp_referral_partner',
    kind: 'commission',
    rule: 'rule_1_consultant_referral',
    currency: 'USD',
    basis: 30_000_000,
    rateBps: 1500,
    flatFee: null,
    amount: 4_500_000,
    status: 'payable',
    reason: 'tier_2 consultant referral: 15% of B',
    ...over,
  };
}

/** A two-line closed-won deal: Acme refers at 15%, Beta finds at 10%; the retention bonus waits. */
function commission(basis = 30_000_000, referralRate = 1500): CommissionResult {
  const referral = line({ basis, rateBps: referralRate, amount: (basis * referralRate) / 10_000 });
  const finder = line({
    partnerId: '202',
    partnerName: 'Beta Systems',
    role: 'pp_finder',
    rule: 'rule_6_co_selling',
    basis,
    rateBps: 1000,
    amount: basis / 10,
    reason: 'registered co-selling tier: bottom of the Finder range (10–15%)',
  });
  const retention = line({
    kind: 'retention',
    rule: 'rule_7_retention_bonus',
    rateBps: 100,
    amount: basis / 100,
    status: 'scheduled',
    reason: 'client retention bonus',
  });
  const zero = line({
    partnerId: '303',
    role: 'pp_implementation_partner',
    rule: 'rule_6_co_selling',
    amount: 0,
    rateBps: null,
    status: 'zero',
    reason: 'no partner type',
  });
  const lines = [referral, finder, retention, zero];
  return { dealId: 'D1', currency: 'USD', lines, total: referral.amount + finder.amount, breakdown: '', partnerTier: 'tier_2' };
}

/** The same deal after the finder left it. */
function referralOnly(basis: number): CommissionResult {
  const result = commission(basis);
  return { ...result, lines: result.lines.filter((l) => l.role === 'pp_referral_partner' && l.kind === 'commission') };
}

const freeze = (over: { deal?: DealSnapshot; commission?: CommissionResult; partners?: DealPartner[]; now?: number } = {}) =>
  freezePayouts({
    deal: over.deal ?? deal(),
    commission: over.commission ?? commission(),
    partners: over.partners ?? partners(),
    config,
    programVersion: VERSION,
    now: over.now ?? FROZEN,
  });

const ctx = (why: string, now = LATER): PayoutDiffContext => ({ now, why, programVersion: 'fff000fff000' });

const REFERRAL_EXPLANATION =
  'Frozen at closed-won on 2026-03-01 under program abc123def456: 15% of basis $300,000.00 = $45,000.00. tier_2 consultant referral: 15% of B.';
const FINDER_EXPLANATION =
  'Frozen at closed-won on 2026-03-01 under program abc123def456: 10% of basis $300,000.00 = $30,000.00. registered co-selling tier: bottom of the Finder range (10–15%).';

const referralRecord: PayoutRecord = {
  key: 'D1:101:pp_referral_partner',
  dealId: 'D1',
  partnerId: '101',
  role: 'pp_referral_partner',
  kind: 'commission',
  amount: 4_500_000,
  currency: 'USD',
  status: 'scheduled',
  holdReason: null,
  explanation: REFERRAL_EXPLANATION,
  basis: 30_000_000,
  rateBps: 1500,
  flatFee: null,
  frozenAt: FROZEN,
  programVersion: VERSION,
  // docs/program.md#program-results: the partner's tier at the moment of freezing.
  programComponent: 'consultant_tier_2',
};
const finderRecord: PayoutRecord = {
  ...referralRecord,
  key: 'D1:202:pp_finder',
  partnerId: '202',
  role: 'pp_finder',
  programComponent: 'co_selling',
  amount: 3_000_000,
  rateBps: 1000,
  explanation: FINDER_EXPLANATION,
};
const retentionRecord: PayoutRecord = {
  ...referralRecord,
  key: 'D1:101:pp_referral_partner:retention',
  kind: 'retention',
  amount: 300_000,
  rateBps: 100,
  explanation: 'Retention bonus frozen on 2028-03-01 under program abc123def456: 1% of basis $300,000.00 = $3,000.00. client retention bonus.',
};

describe('payoutKey (docs/program.md#payouts: pp_payout_key)', () => {
  it.each([
    { role: 'pp_finder' as const, kind: undefined, expected: 'D1:202:pp_finder' },
    { role: 'pp_referral_partner' as const, kind: 'commission' as const, expected: 'D1:202:pp_referral_partner' },
    { role: 'pp_referral_partner' as const, kind: 'retention' as const, expected: 'D1:202:pp_referral_partner:retention' },
  ])('$role $kind → $expected', ({ role, kind, expected }) => {
    expect(payoutKey('D1', '202', role, kind)).toBe(expected);
  });
});

describe('freezePayouts (docs/program.md#payouts: one record per deal, partner and role at closed-won)', () => {
  it('freezes a two-line closed-won deal into exact records; zero and retention lines are not frozen', () => {
    expect(freeze()).toEqual([referralRecord, finderRecord]);
  });

  it('a flat fee line says so and carries the fee', () => {
    const flat = line({
      rateBps: null,
      flatFee: 250_000,
      amount: 250_000,
      partnerId: '202',
      role: 'pp_referral_partner',
      reason: 'technical_consultation: $2,500 flat',
    });
    const [record] = freeze({ commission: { ...commission(), lines: [flat] } });
    expect(record).toMatchObject({ amount: 250_000, rateBps: null, flatFee: 250_000, status: 'scheduled' });
    expect(record?.explanation).toBe(
      'Frozen at closed-won on 2026-03-01 under program abc123def456: flat fee $2,500.00 (basis $300,000.00). technical_consultation: $2,500 flat.',
    );
  });
});

const disputed: Registration = {
  status: 'disputed',
  partnerId: '101',
  submittedAt: FROZEN,
  submittedBy: '7',
  decidedAt: null,
  decidedBy: null,
  protectionExpiresAt: null,
  reason: 'partner 202 holds it',
  conflict: { dealId: 'D2', partnerId: '202' },
};

describe('holdReason (docs/program.md#payouts: on_hold)', () => {
  it.each([
    { label: 'a partner with a signed agreement is not held', partner: acme, amount: 4_500_000, currency: 'USD', reg: null, expected: null },
    {
      label: 'no signed agreement',
      partner: company({ agreementSigned: false }),
      amount: 4_500_000,
      currency: 'USD',
      reg: null,
      expected: 'no signed partner agreement on file',
    },
    {
      label: 'medical_advisor $6,000 over the $5,000 cap',
      partner: company({ partnerType: 'medical_advisor', baaSigned: true }),
      amount: 600_000,
      currency: 'USD',
      reg: null,
      expected: 'exceeds the $5,000.00 fair-market-value cap; anti-kickback review',
    },
    {
      label: 'medical_advisor at exactly the $5,000 cap is not over it',
      partner: company({ partnerType: 'medical_advisor', baaSigned: true }),
      amount: 500_000,
      currency: 'USD',
      reg: null,
      expected: null,
    },
    {
      label: 'healthcare_organization without a BAA',
      partner: company({ partnerType: 'healthcare_organization', baaSigned: false }),
      amount: 100_000,
      currency: 'USD',
      reg: null,
      expected: 'no business associate agreement (BAA) on file',
    },
    {
      label: 'a consultant needs no BAA and has no cap',
      partner: acme,
      amount: 600_000,
      currency: 'USD',
      reg: null,
      expected: null,
    },
    {
      label: 'several reasons are joined',
      partner: company({ partnerType: 'healthcare_organization', agreementSigned: false }),
      amount: 600_000,
      currency: 'USD',
      reg: null,
      expected:
        'no signed partner agreement on file; exceeds the $5,000.00 fair-market-value cap; anti-kickback review; no business associate agreement (BAA) on file',
    },
    {
      label: 'a healthcare type in a currency with no cap configured is held for review',
      partner: company({ partnerType: 'medical_advisor', baaSigned: true }),
      amount: 100,
      currency: 'JPY',
      reg: null,
      expected: 'no fair-market-value cap configured for JPY; anti-kickback review',
    },
    {
      label: "the disputed registration's partner",
      partner: acme,
      amount: 4_500_000,
      currency: 'USD',
      reg: disputed,
      expected: "the deal's registration is disputed until a partner manager resolves it",
    },
    {
      label: "the disputed registration's conflict partner",
      partner: beta,
      amount: 3_000_000,
      currency: 'USD',
      reg: disputed,
      expected: "the deal's registration is disputed until a partner manager resolves it",
    },
    {
      label: 'a partner outside the dispute',
      partner: company({ id: '303' }),
      amount: 3_000_000,
      currency: 'USD',
      reg: disputed,
      expected: null,
    },
  ])('$label', ({ partner, amount, currency, reg, expected }) => {
    expect(holdReason(partner, amount, currency, reg, config)).toBe(expected);
  });

  it('freezing puts held lines on_hold with the reason', () => {
    const records = freeze({ partners: partners(company({ agreementSigned: false })) });
    expect(records.map((r) => [r.key, r.status, r.holdReason])).toEqual([
      ['D1:101:pp_referral_partner', 'on_hold', 'no signed partner agreement on file'],
      ['D1:202:pp_finder', 'scheduled', null],
    ]);
  });

  it('a hold is released by the recompute after the agreement is signed: on_hold → scheduled in place', () => {
    const held = freeze({ partners: partners(company({ agreementSigned: false })) });
    const diff = diffPayouts(held, freeze({ now: LATER }), ctx('partner agreement signed'));
    expect(diff.create).toEqual([]);
    expect(diff.unchanged).toEqual([finderRecord]);
    expect(diff.update).toEqual([{ ...referralRecord, explanation: `${REFERRAL_EXPLANATION}\n2026-03-05: hold released (partner agreement signed).` }]);
  });
});

describe('retentionPayout (docs/program.md#rule-7-client-retention-bonus: client retention bonus)', () => {
  /** 2028-03-01T10:00:00Z: 24 months after close. */
  const SWEEP = Date.UTC(2028, 2, 1, 10);
  const input = (customerStillCustomer: boolean, frozenBasis: number | null) => ({
    deal: deal(),
    commission: commission(),
    partners: partners(),
    config,
    programVersion: VERSION,
    now: SWEEP,
    customerStillCustomer,
    frozenBasis,
  });

  it('the customer still a customer after 24 months earns 1% of the frozen basis on the :retention key', () => {
    expect(retentionPayout(input(true, 30_000_000))).toEqual({ ...retentionRecord, frozenAt: SWEEP });
  });

  it('pays on the basis frozen at close, not the current one', () => {
    expect(retentionPayout(input(true, 20_000_000))).toMatchObject({ basis: 20_000_000, amount: 200_000 });
  });

  it('a customer who left earns nothing', () => {
    expect(retentionPayout(input(false, 30_000_000))).toBeNull();
  });
});

describe('diffPayouts (docs/program.md#payouts: after close, finance owns approved and paid)', () => {
  it('a repeat freeze and diff creates and updates nothing', () => {
    const first = diffPayouts([], freeze(), ctx('deal closed-won', FROZEN));
    expect(first.create).toEqual([referralRecord, finderRecord]);
    const stored = applyPayoutDiff([], first);
    const again = diffPayouts(stored, freeze({ now: LATER }), ctx('deal closed-won again (webhook retry)'));
    expect(again).toEqual({ create: [], update: [], unchanged: stored });
  });

  it('leaving closed-won reverses every unpaid record and adds :adj:1 of −amount for a paid one', () => {
    const paid = { ...referralRecord, status: 'paid' as const };
    const existing = [paid, finderRecord, retentionRecord];
    const diff = diffPayouts(existing, null, ctx('deal left closed-won'));
    expect(diff.unchanged).toEqual([paid]);
    expect(diff.update).toEqual([
      {
        ...finderRecord,
        status: 'reversed',
        explanation: `${FINDER_EXPLANATION}\n2026-03-05: reversed, $30,000.00 not paid: deal left closed-won.`,
      },
      {
        ...retentionRecord,
        status: 'reversed',
        explanation: `${retentionRecord.explanation}\n2026-03-05: reversed, $3,000.00 not paid: deal left closed-won.`,
      },
    ]);
    expect(diff.create).toEqual([
      {
        key: 'D1:101:pp_referral_partner:adj:1',
        dealId: 'D1',
        partnerId: '101',
        role: 'pp_referral_partner',
        kind: 'adjustment',
        amount: -4_500_000,
        currency: 'USD',
        status: 'scheduled',
        holdReason: null,
        explanation:
          '2026-03-05: adjustment of -$45,000.00 to D1:101:pp_referral_partner, which finance has paid at $45,000.00: now due $0.00, $45,000.00 so far (deal left closed-won).',
        basis: null,
        rateBps: 1500,
        flatFee: null,
        frozenAt: LATER,
        programVersion: 'fff000fff000',
        // An adjustment belongs to its payout's component.
        programComponent: 'consultant_tier_2',
      },
    ]);
    const after = applyPayoutDiff(existing, diff);
    expect(summarizePayoutStatus(after)).toBe('scheduled');
    expect(diffPayouts(after, null, ctx('deleted deal'))).toEqual({ create: [], update: [], unchanged: after });
  });

  it('a basis drop updates unpaid records in place at the frozen rate and adjusts a paid one at its frozen rate', () => {
    const paid = { ...referralRecord, status: 'paid' as const };
    // The referral partner lost its bonus since close: the open rate is 12%, the frozen rate stays 15%.
    const desired = freeze({ commission: commission(25_000_000, 1200), now: LATER });
    const diff = diffPayouts([paid, finderRecord], desired, ctx('basis changed'));
    expect(diff.unchanged).toEqual([paid]);
    expect(diff.update).toEqual([
      {
        ...finderRecord,
        amount: 2_500_000,
        basis: 25_000_000,
        explanation: `${FINDER_EXPLANATION}\n2026-03-05: basis $300,000.00 → $250,000.00; amount $30,000.00 → $25,000.00 at the frozen 10% (basis changed).`,
      },
    ]);
    expect(diff.create).toHaveLength(1);
    expect(diff.create[0]).toMatchObject({
      key: 'D1:101:pp_referral_partner:adj:1',
      kind: 'adjustment',
      amount: -750_000,
      status: 'scheduled',
      basis: 25_000_000,
      rateBps: 1500,
    });
    expect(diff.create[0]?.explanation).toBe(
      '2026-03-05: adjustment of -$7,500.00 to D1:101:pp_referral_partner, which finance has paid at $45,000.00: now due $37,500.00 at the frozen 15%, $45,000.00 so far (basis changed).',
    );
  });

  it('a later change goes into the unpaid adjustment, which is reversed when the basis comes back', () => {
    const paid = { ...referralRecord, status: 'paid' as const };
    const dropped = applyPayoutDiff([paid], diffPayouts([paid], freeze({ commission: referralOnly(25_000_000) }), ctx('basis changed')));
    const lower = diffPayouts(dropped, freeze({ commission: referralOnly(20_000_000) }), ctx('basis changed again'));
    expect(lower.create).toEqual([]);
    expect(lower.update.map((r) => [r.key, r.amount, r.status])).toEqual([['D1:101:pp_referral_partner:adj:1', -1_500_000, 'scheduled']]);
    const restored = diffPayouts(applyPayoutDiff(dropped, lower), freeze({ commission: referralOnly(30_000_000) }), ctx('basis restored'));
    expect(restored.create).toEqual([]);
    expect(restored.update.map((r) => [r.key, r.amount, r.status])).toEqual([['D1:101:pp_referral_partner:adj:1', -1_500_000, 'reversed']]);
  });

  it('a second adjustment follows one finance already paid: :adj:2', () => {
    const paid = { ...referralRecord, status: 'paid' as const };
    const adj1: PayoutRecord = {
      ...referralRecord,
      key: 'D1:101:pp_referral_partner:adj:1',
      kind: 'adjustment',
      amount: -750_000,
      status: 'paid',
      explanation: 'claw-back',
    };
    const diff = diffPayouts([paid, adj1], freeze({ commission: referralOnly(20_000_000) }), ctx('basis changed'));
    expect(diff.create.map((r) => [r.key, r.amount])).toEqual([['D1:101:pp_referral_partner:adj:2', -750_000]]);
    expect(diff.update).toEqual([]);
  });

  it('a partner removed from the deal: its unpaid record is reversed, an approved one is adjusted to zero', () => {
    const approved = { ...finderRecord, status: 'approved' as const };
    const onlyReferral = freeze({ commission: referralOnly(30_000_000) });
    const unpaidCase = diffPayouts([referralRecord, finderRecord], onlyReferral, ctx('partner removed'));
    expect(unpaidCase.update.map((r) => [r.key, r.status, r.amount])).toEqual([['D1:202:pp_finder', 'reversed', 3_000_000]]);
    expect(unpaidCase.update[0]?.explanation).toBe(
      `${FINDER_EXPLANATION}\n2026-03-05: reversed, $30,000.00 not paid: no payable line for this partner and role any more (partner removed).`,
    );
    const approvedCase = diffPayouts([referralRecord, approved], onlyReferral, ctx('partner removed'));
    expect(approvedCase.update).toEqual([]);
    expect(approvedCase.create.map((r) => [r.key, r.amount])).toEqual([['D1:202:pp_finder:adj:1', -3_000_000]]);
  });

  it('retention records are left to their own sweep while the deal stays closed-won', () => {
    const diff = diffPayouts([referralRecord, finderRecord, retentionRecord], freeze(), ctx('basis changed'));
    expect(diff).toEqual({ create: [], update: [], unchanged: [referralRecord, finderRecord, retentionRecord] });
  });

  it('a deal won again after a reversal is frozen afresh on the same keys', () => {
    const reversed = applyPayoutDiff(freeze(), diffPayouts(freeze(), null, ctx('deal reopened')));
    expect(reversed.map((r) => r.status)).toEqual(['reversed', 'reversed']);
    const wonAgain = diffPayouts(
      reversed,
      freeze({ commission: commission(32_000_000), now: LATER + 86_400_000 }),
      ctx('deal closed-won again', LATER + 86_400_000),
    );
    expect(wonAgain.create).toEqual([]);
    expect(wonAgain.update.map((r) => [r.key, r.status, r.amount, r.frozenAt])).toEqual([
      ['D1:101:pp_referral_partner', 'scheduled', 4_800_000, LATER + 86_400_000],
      ['D1:202:pp_finder', 'scheduled', 3_200_000, LATER + 86_400_000],
    ]);
    expect(wonAgain.update[1]?.explanation).toBe(
      `${FINDER_EXPLANATION}\n2026-03-05: reversed, $30,000.00 not paid: deal reopened.\n2026-03-06: frozen afresh (deal closed-won again). ` +
        'Frozen at closed-won on 2026-03-06 under program abc123def456: 10% of basis $320,000.00 = $32,000.00. registered co-selling tier: bottom of the Finder range (10–15%).',
    );
  });
});

describe('diffPayouts properties (docs/program.md: a repeat never pays twice; finance owns approved and paid)', () => {
  const STATUSES: PayoutStatus[] = ['scheduled', 'on_hold', 'approved', 'paid', 'reversed'];
  const ROLES = ['pp_referral_partner', 'pp_finder', 'pp_co_selling_partner'] as const;
  const money = fc.integer({ min: 1, max: 50_000_000 });

  const existingArb = fc.array(
    fc.record({
      role: fc.constantFrom(...ROLES),
      status: fc.constantFrom(...STATUSES),
      basis: money,
      rateBps: fc.option(fc.integer({ min: 100, max: 2500 }), { nil: null }),
      adjustments: fc.array(
        fc.record({ amount: fc.integer({ min: -5_000_000, max: 5_000_000 }).filter((n) => n !== 0), status: fc.constantFrom(...STATUSES) }),
        { maxLength: 3 },
      ),
    }),
    { maxLength: 3 },
  );
  const desiredArb = fc.option(
    fc.array(
      fc.record({
        role: fc.constantFrom(...ROLES),
        basis: money,
        rateBps: fc.option(fc.integer({ min: 100, max: 2500 }), { nil: null }),
        held: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
    { nil: null },
  );

  function record(role: (typeof ROLES)[number], status: PayoutStatus, basis: number, rateBps: number | null): PayoutRecord {
    const amount = rateBps === null ? 250_000 : Math.round((basis * rateBps) / 10_000);
    return {
      ...referralRecord,
      key: `D1:101:${role}`,
      role,
      status,
      basis,
      rateBps,
      flatFee: rateBps === null ? 250_000 : null,
      amount,
      holdReason: status === 'on_hold' ? 'no signed partner agreement on file' : null,
    };
  }

  it('applying a diff then diffing again against the same desired records gives nothing to do', () => {
    fc.assert(
      fc.property(existingArb, desiredArb, (existingSpec, desiredSpec) => {
        const existing: PayoutRecord[] = [];
        for (const e of new Map(existingSpec.map((s) => [s.role, s])).values()) {
          const base = record(e.role, e.status, e.basis, e.rateBps);
          existing.push(base);
          e.adjustments.forEach((a, i) =>
            existing.push({ ...base, key: `${base.key}:adj:${i + 1}`, kind: 'adjustment', amount: a.amount, status: a.status, holdReason: null }),
          );
        }
        const desired =
          desiredSpec === null
            ? null
            : [...new Map(desiredSpec.map((s) => [s.role, s])).values()].map((d) =>
                d.held ? { ...record(d.role, 'on_hold', d.basis, d.rateBps) } : record(d.role, 'scheduled', d.basis, d.rateBps),
              );
        const first = diffPayouts(existing, desired, ctx('recompute'));
        const after = applyPayoutDiff(existing, first);
        const second = diffPayouts(after, desired, ctx('recompute again', LATER + 1));
        expect(second.create).toEqual([]);
        expect(second.update).toEqual([]);
        // Finance's records keep their status and amount.
        for (const r of existing.filter((x) => x.status === 'approved' || x.status === 'paid')) {
          expect(after.find((x) => x.key === r.key)).toEqual(r);
        }
        // Every key is written at most once.
        expect(new Set(after.map((r) => r.key)).size).toBe(after.length);
      }),
      { numRuns: 400 },
    );
  });
});

describe('summarizePayoutStatus (docs/program.md#payouts: pp_payout_status)', () => {
  const r = (status: PayoutStatus): PayoutRecord => ({ ...referralRecord, status });
  it.each<[string, PayoutStatus[], DealPayoutStatus]>([
    ['no records → none', [], 'none'],
    ['all reversed → reversed', ['reversed', 'reversed'], 'reversed'],
    ['on_hold is the least advanced', ['paid', 'on_hold', 'scheduled'], 'on_hold'],
    ['scheduled before approved', ['approved', 'scheduled'], 'scheduled'],
    ['approved before paid', ['paid', 'approved'], 'approved'],
    ['all paid → paid', ['paid', 'paid'], 'paid'],
    ['reversed records are ignored beside live ones', ['reversed', 'paid'], 'paid'],
  ])('%s', (_label, statuses, expected) => {
    expect(summarizePayoutStatus(statuses.map(r))).toBe(expected);
  });
});
