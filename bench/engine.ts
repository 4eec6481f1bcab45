/**
 * `npm run bench`: the pure engine's throughput, with no HubSpot, Redis or network in the way. Prints figures;
 * asserts nothing (tests assert behaviour, benchmarks measure).
 *
 * The input is a generated, deterministic set of deals that covers every rule of docs/program.md#commission-lines: consultant referrals
 * in each tier (above and below the minimum, high performers), expansion deals, technology, association and
 * medical-advisor referral kinds, all four co-selling roles stacked on one deal, the retention bonus line,
 * kinds that do not fit the partner, unknown partner types, two referral partners with one approved
 * registration, rejected and disputed registrations, a currency with no configuration and a deal without a
 * basis. The line count per rule is printed, so the coverage can be seen.
 *
 * Measured: computeCommission per deal; partnerStanding per partner; and the payout path at closed-won:
 * freezePayouts + diffPayouts on a first close (everything created), on a repeat (nothing to do), and the
 * diff when the deal is reopened (everything reversed).
 *
 * Options (env): BENCH_DEALS (2000) deals in the set, BENCH_MS (1000) measuring time per benchmark.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { buildProgramConfig } from '../src/config/program.js';
import { computeCommission } from '../src/engine/commission.js';
import { diffPayouts, freezePayouts } from '../src/engine/payouts.js';
import { partnerStanding } from '../src/engine/tiers.js';
import {
  CO_SELLING_ROLES,
  type CommissionResult,
  type DealPartner,
  type DealSnapshot,
  type PartnerCompany,
  type PartnerQuarterStats,
  type PayoutRecord,
  type Registration,
  type RuleId,
} from '../src/engine/types.js';

const num = (name: string, def: number): number => Number(process.env[name] ?? def);
const DEALS = num('BENCH_DEALS', 2000);
const MEASURE_MS = num('BENCH_MS', 1000);

const { config, version } = buildProgramConfig(undefined);
/** 2026-05-20T12:00:00Z: a fixed "now", so every run computes the same thing. */
const NOW = Date.UTC(2026, 4, 20, 12);
const DAY = 86_400_000;

const log = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** mulberry32: a small seeded PRNG, so the set is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function partner(id: number, over: Partial<PartnerCompany>): PartnerCompany {
  return {
    id: String(id),
    name: `Bench Partner ${id}`,
    partnerType: 'consultant',
    consultantCount: null,
    annualCoMarketingInvestment: null,
    commitmentYears: null,
    annualSalesVolumePotential: null,
    agreementSigned: true,
    baaSigned: true,
    lifecycleStage: 'other',
    ...over,
  };
}

/** Every kind of partner the rules distinguish, in several sizes. */
const PARTNERS: PartnerCompany[] = [
  partner(9001, { consultantCount: '60', annualSalesVolumePotential: '6000000', annualCoMarketingInvestment: '300000', commitmentYears: '3' }),
  partner(9002, { consultantCount: '25', annualSalesVolumePotential: '1500000', annualCoMarketingInvestment: '120000', commitmentYears: '2' }),
  partner(9003, { consultantCount: '6', annualSalesVolumePotential: '300000', annualCoMarketingInvestment: '30000', commitmentYears: '1' }),
  partner(9004, { consultantCount: '0' }),
  partner(9005, { partnerType: 'technology', annualSalesVolumePotential: '2000000' }),
  partner(9006, { partnerType: 'association' }),
  partner(9007, { partnerType: 'medical_advisor', baaSigned: true }),
  partner(9008, { partnerType: 'medical_advisor', baaSigned: false }),
  partner(9009, { partnerType: 'healthcare_organization', annualSalesVolumePotential: '5500000' }),
  partner(9010, { partnerType: 'channel', annualSalesVolumePotential: '400000' }),
  partner(9011, { partnerType: 'complementary_solution', annualSalesVolumePotential: '1200000' }),
  partner(9012, { partnerType: 'channel', annualSalesVolumePotential: '260000', agreementSigned: false }),
  partner(9013, { partnerType: 'reseller_we_do_not_know' }),
];
const byId = new Map(PARTNERS.map((p) => [p.id, p]));
const p = (id: number): PartnerCompany => byId.get(String(id))!;

/** Qualified referrals this quarter: 9003 (tier_3, minimum 2) is a high performer at 3. */
const STATS: Record<string, PartnerQuarterStats> = Object.fromEntries(
  PARTNERS.map((c, i) => [c.id, { partnerId: c.id, qualifiedReferrals: c.id === '9003' ? 3 : i % 4 }]),
);

function registration(status: Registration['status'], partnerId: string, conflictPartnerId?: string): Registration {
  const decided = status === 'pending' || status === 'disputed' ? null : NOW - 10 * DAY;
  return {
    status,
    partnerId,
    submittedAt: NOW - 12 * DAY,
    submittedBy: '71000002',
    decidedAt: decided,
    decidedBy: decided === null ? null : '71000001',
    protectionExpiresAt: status === 'approved' ? NOW + 170 * DAY : null,
    reason: status === 'rejected' ? 'Not qualified.' : null,
    conflict: conflictPartnerId ? { dealId: '1', partnerId: conflictPartnerId } : null,
  };
}

interface Shape {
  amount: number | null;
  firstYear?: number;
  currency?: string;
  dealType?: 'new' | 'expansion';
  kind?: string;
  partners: [number, DealPartner['roles']][];
  registration?: (dealPartners: DealPartner[]) => Registration;
}

/** One shape per rule or edge of docs/program.md; amounts vary around each shape's figure. */
const SHAPES: Shape[] = [
  { amount: 600_000, partners: [[9001, ['pp_referral_partner']]] },
  { amount: 300_000, partners: [[9002, ['pp_referral_partner']]] },
  { amount: 200_000, partners: [[9002, ['pp_referral_partner']]] },
  { amount: 140_000, partners: [[9003, ['pp_referral_partner']]] },
  { amount: 50_000, partners: [[9004, ['pp_referral_partner']]] },
  { amount: 150_000, dealType: 'expansion', partners: [[9002, ['pp_referral_partner']]] },
  { amount: 120_000, firstYear: 90_000, kind: 'software_integration', partners: [[9005, ['pp_referral_partner']]] },
  { amount: 200_000, kind: 'joint_solution', partners: [[9005, ['pp_referral_partner']]] },
  { amount: 200_000, kind: 'technical_consultation', partners: [[9005, ['pp_referral_partner']]] },
  { amount: 80_000, kind: 'member_referral', partners: [[9006, ['pp_referral_partner']]] },
  { amount: 40_000, kind: 'educational_event', partners: [[9006, ['pp_referral_partner']]] },
  { amount: 250_000, kind: 'c_level_referral', partners: [[9007, ['pp_referral_partner']]] },
  {
    amount: 400_000,
    kind: 'c_level_referral',
    partners: [
      [9008, ['pp_referral_partner']],
      [9012, ['pp_co_selling_partner']],
    ],
  },
  {
    amount: 1_000_000,
    partners: [
      [9001, ['pp_referral_partner', 'pp_finder']],
      [9005, ['pp_co_selling_partner']],
      [9009, ['pp_implementation_partner']],
      [9010, ['pp_customer_success_partner']],
    ],
  },
  { amount: 500_000, partners: [[9011, [...CO_SELLING_ROLES]]] },
  { amount: 80_000, kind: 'software_integration', partners: [[9006, ['pp_referral_partner']]] },
  { amount: 90_000, partners: [[9013, ['pp_referral_partner']]] },
  {
    amount: 300_000,
    kind: 'software_integration',
    partners: [
      [9002, ['pp_referral_partner']],
      [9005, ['pp_referral_partner']],
    ],
    registration: () => registration('approved', '9005'),
  },
  { amount: 700_000, partners: [[9001, ['pp_referral_partner']]], registration: () => registration('rejected', '9001') },
  {
    amount: 300_000,
    partners: [
      [9002, ['pp_referral_partner']],
      [9010, ['pp_finder']],
    ],
    registration: () => registration('disputed', '9002', '9001'),
  },
  { amount: 45_000_000, currency: 'JPY', partners: [[9001, ['pp_referral_partner']]] },
  {
    amount: null,
    partners: [
      [9001, ['pp_referral_partner']],
      [9011, ['pp_finder']],
    ],
  },
];

interface BenchDeal {
  deal: DealSnapshot;
  partners: DealPartner[];
}

function generateDeals(count: number): BenchDeal[] {
  const random = prng(20_260_520);
  return Array.from({ length: count }, (_, i) => {
    const shape = SHAPES[i % SHAPES.length]!;
    // ±20% around the shape's figure, whole dollars, so the rounding path sees many different bases.
    const scale = (v: number) => Math.round(v * (0.8 + 0.4 * random()));
    const partners = shape.partners.map(([id, roles]) => ({ company: p(id), roles: [...roles] }));
    const closedWon = i % 3 === 0;
    const deal: DealSnapshot = {
      id: String(100_000 + i),
      name: `Bench deal ${i}`,
      amount: shape.amount === null ? null : String(scale(shape.amount)),
      firstYearContractValue: shape.firstYear === undefined ? null : String(scale(shape.firstYear)),
      currency: shape.currency ?? 'USD',
      dealType: shape.dealType ?? 'new',
      referralKind: shape.kind ?? null,
      dealstage: closedWon ? 'closedwon' : 'contractsent',
      pipeline: 'default',
      closeDate: closedWon ? NOW - DAY : NOW + 30 * DAY,
      createDate: NOW - 20 * DAY,
      isClosedWon: closedWon,
      isClosedLost: false,
      customerCompanyId: String(500 + (i % 40)),
      registration: shape.registration?.(partners) ?? null,
    };
    return { deal, partners };
  });
}

let sink = 0;

interface Row {
  name: string;
  ops: number;
  ms: number;
}

/** Runs `op` over the inputs, round and round, for MEASURE_MS after a short warm-up (so the JIT has settled). */
function measure<T>(name: string, inputs: T[], op: (input: T) => number): Row {
  const warmUntil = performance.now() + Math.min(300, MEASURE_MS / 3);
  for (let i = 0; performance.now() < warmUntil; i++) sink += op(inputs[i % inputs.length]!);
  let ops = 0;
  const started = performance.now();
  const until = started + MEASURE_MS;
  while (performance.now() < until) {
    // Check the clock once per pass over the inputs, not per op: reading it costs as much as a small op.
    for (const input of inputs) sink += op(input);
    ops += inputs.length;
  }
  return { name, ops, ms: performance.now() - started };
}

function main(): void {
  const deals = generateDeals(DEALS);
  const commissions = deals.map((d) => computeCommission({ deal: d.deal, partners: d.partners, stats: STATS, config }));
  const closed = deals.map((d, i) => ({ ...d, commission: commissions[i]!, deal: { ...d.deal, isClosedWon: true, dealstage: 'closedwon' } }));
  const freeze = (c: (typeof closed)[number]): PayoutRecord[] =>
    freezePayouts({ deal: c.deal, commission: c.commission, partners: c.partners, config, programVersion: version, now: NOW });
  const frozen = closed.map((c) => ({ ...c, existing: freeze(c) }));
  const ctx = { now: NOW + DAY, why: 'bench', programVersion: version };

  const byRule = new Map<RuleId, number>();
  for (const c of commissions) for (const line of c.lines) byRule.set(line.rule, (byRule.get(line.rule) ?? 0) + 1);
  const lines = commissions.reduce((n, c: CommissionResult) => n + c.lines.length, 0);
  const payouts = frozen.reduce((n, f) => n + f.existing.length, 0);

  const cpu = cpus();
  log(`node ${process.version} on ${process.platform}/${process.arch}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`);
  log(`${deals.length} deals (${SHAPES.length} shapes), ${lines} commission lines, ${payouts} payouts when all are won; ${MEASURE_MS} ms per benchmark`);
  log(
    `lines by rule: ${[...byRule]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([rule, n]) => `${rule} ${n}`)
      .join(', ')}`,
  );
  log('');

  const rows = [
    measure('computeCommission (one deal)', deals, (d) => computeCommission({ deal: d.deal, partners: d.partners, stats: STATS, config }).total),
    measure('partnerStanding (one partner)', PARTNERS, (c) => partnerStanding(c, STATS[c.id]!.qualifiedReferrals, config).referralsThisQuarter),
    measure('freeze + diff, first close (all created)', closed, (c) => diffPayouts([], freeze(c), ctx).create.length),
    measure('freeze + diff, repeat (nothing to do)', frozen, (f) => diffPayouts(f.existing, freeze(f), ctx).unchanged.length),
    measure('diff, reopened (all reversed)', frozen, (f) => diffPayouts(f.existing, null, ctx).update.length),
  ];

  const width = Math.max(...rows.map((r) => r.name.length));
  log(`${'benchmark'.padEnd(width)}  ${'ops/s'.padStart(12)}  ${'µs/op'.padStart(9)}`);
  for (const r of rows) {
    const perSecond = (r.ops / r.ms) * 1000;
    const micros = (r.ms * 1000) / r.ops;
    log(`${r.name.padEnd(width)}  ${Math.round(perSecond).toLocaleString('en-US').padStart(12)}  ${micros.toFixed(2).padStart(9)}`);
  }
  // Printed so the work cannot be optimised away as unused.
  log(`\n(checksum ${sink})`);
}

main();
