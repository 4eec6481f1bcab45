/**
 * Portals to start from.
 *
 * `seedDemoPortal`: what a new user sees on `npm start` without a HubSpot token. Partners of every type,
 * customers, and one deal per rule of docs/program.md#commission-lines, each named after the rule it shows ("Demo · Rule 1 · …"),
 * plus registrations in every status. Outputs (`pp_referral_tier`, `pp_commission_total` …) are left for
 * the app to compute: the demo is the app computing them.
 *
 * `seedBenchPortal`: the sync benchmark's portal (1,000 deals over 50 partners by default), deterministic,
 * seeded without webhooks.
 */
import { activitySealer } from '../src/security/activity-guard.js';
import { deriveKey } from '../src/security/keys.js';
import { DEFAULT_PROGRAM_CONFIG } from '../src/config/program.js';
import { PARTNER_TYPES, type PartnerRole, type PartnerType } from '../src/engine/types.js';
import { sealDealRegistration, sealPartnerInputs } from './seal.js';
import type { PortalSession, PropertyInput, SandboxStore } from './api/store.js';
import { ensureAppContract, type AppContractIds } from './contract.js';

const DAY = 86_400_000;
const PROTECTION_DAYS = DEFAULT_PROGRAM_CONFIG.registration.protectionDays;

export const DEMO_USERS = {
  partnerManager: { id: '71000001', email: 'pat.morgan@example.com', firstName: 'Pat', lastName: 'Morgan' },
  salesRep: { id: '71000002', email: 'sam.rivera@example.com', firstName: 'Sam', lastName: 'Rivera' },
  admin: { id: '71000003', email: 'alex.kim@example.com', firstName: 'Alex', lastName: 'Kim' },
  /** A partner manager through a secondary team: authorisation must read both team lists. */
  salesLeadAndPartnerManager: { id: '71000004', email: 'jordan.lee@example.com', firstName: 'Jordan', lastName: 'Lee' },
} as const;
export const DEMO_TEAMS = {
  partnerManagers: { id: '5100001', name: 'Partner Managers' },
  sales: { id: '5100002', name: 'Sales' },
} as const;

interface PartnerSpec {
  name: string;
  type: PartnerType;
  consultants?: number;
  coMarketing?: { investment: number; years: number };
  salesVolume?: number;
  agreement: boolean;
  baa?: boolean;
}

const DEMO_PARTNERS = {
  consultantTier1: {
    name: 'Summit Advisory Group',
    type: 'consultant',
    consultants: 60,
    coMarketing: { investment: 300_000, years: 3 },
    salesVolume: 6_000_000,
    agreement: true,
  },
  consultantTier2: {
    name: 'Harbor Lane Consulting',
    type: 'consultant',
    consultants: 25,
    coMarketing: { investment: 120_000, years: 2 },
    salesVolume: 1_500_000,
    agreement: true,
  },
  consultantTier3: {
    name: 'Pine Street Advisors',
    type: 'consultant',
    consultants: 6,
    coMarketing: { investment: 30_000, years: 1 },
    salesVolume: 300_000,
    agreement: true,
  },
  technology: { name: 'Stackline Software', type: 'technology', coMarketing: { investment: 50_000, years: 1 }, salesVolume: 2_000_000, agreement: true },
  association: { name: 'Regional Health Leaders Association', type: 'association', agreement: true },
  medicalAdvisorWithBaa: { name: 'Dr. Elena Ruiz Clinical Advisory', type: 'medical_advisor', agreement: true, baa: true },
  medicalAdvisorWithoutBaa: { name: 'Cardio Insights Advisory', type: 'medical_advisor', agreement: true, baa: false },
  healthcareOrganization: { name: 'Mercy Valley Health System', type: 'healthcare_organization', salesVolume: 5_500_000, agreement: true, baa: true },
  channel: { name: 'Channel Direct Resellers', type: 'channel', salesVolume: 400_000, agreement: true },
  complementarySolution: { name: 'Brightpath Analytics', type: 'complementary_solution', salesVolume: 1_200_000, agreement: true },
  withoutAgreement: { name: 'Newcomer Partners LLC', type: 'channel', salesVolume: 260_000, agreement: false },
} satisfies Record<string, PartnerSpec>;
export type DemoPartnerKey = keyof typeof DEMO_PARTNERS;

const DEMO_CUSTOMERS = {
  acme: 'Acme Manufacturing',
  globex: 'Globex Retail',
  initech: 'Initech Health',
  umbrella: 'Umbrella Clinics',
  stark: 'Stark Logistics',
  wayne: 'Wayne Foods',
  tokyo: 'Tokyo Trading KK',
  hooli: 'Hooli Labs',
  soylent: 'Soylent Nutrition',
  vandelay: 'Vandelay Imports',
  cyberdyne: 'Cyberdyne Systems',
  oscorp: 'Oscorp Medical',
} as const;
export type DemoCustomerKey = keyof typeof DEMO_CUSTOMERS;

export type DemoDealKey =
  | 'rule1Tier1'
  | 'rule1Tier2BelowMinimum'
  | 'rule1Tier3HighPerformer1'
  | 'rule1Tier3HighPerformer2'
  | 'rule1Tier3HighPerformer3'
  | 'rule2Expansion'
  | 'rule3Technology'
  | 'rule4Association'
  | 'rule5MedicalAdvisor'
  | 'rule6CoSelling'
  | 'rule7Retention'
  | 'rule8KindMismatch'
  | 'twoReferralPartners'
  | 'jpyDeal'
  | 'disputedRegistration'
  | 'closedWon';

export interface DemoPortalIds extends AppContractIds {
  users: Record<keyof typeof DEMO_USERS, string>;
  teams: Record<keyof typeof DEMO_TEAMS, string>;
  partners: Record<DemoPartnerKey, string>;
  customers: Record<DemoCustomerKey, string>;
  deals: Record<DemoDealKey, string>;
  /** docs/program.md#program-performance and "Program results": partners in every state, and their deals. */
  performance: { partners: Record<PerformancePartnerKey, string>; deals: string[] };
}

/**
 * Partners of their own (so the rule demos above keep their figures), one per performance state, and closed-won
 * deals this quarter that give every program component revenue and cost once `npm start` freezes them.
 * Whether a partner with too few referrals is at risk or still on track depends on the day of the quarter
 * (docs/program.md: ⌊minimum × elapsed ÷ days⌋): the at-risk demo has none, at risk from the quarter's 23rd day.
 */
const PERFORMANCE_PARTNERS = {
  met: { name: 'Keystone Advisory (minimum met)', type: 'consultant', consultants: 25, agreement: true },
  onTrack: { name: 'Lakeside Consulting (on track)', type: 'consultant', consultants: 5, agreement: true },
  atRisk: { name: 'Ridgeline Partners (at risk)', type: 'consultant', consultants: 55, agreement: true },
  missed: { name: 'Bayview Consulting (missed last quarter)', type: 'consultant', consultants: 15, agreement: true },
  belowSatisfaction: { name: 'Cedar Grove Advisors (below satisfaction)', type: 'consultant', consultants: 70, agreement: true },
  technology: { name: 'Vertex Integrations', type: 'technology', salesVolume: 800_000, agreement: true },
  association: { name: 'State Medical Society', type: 'association', agreement: true },
} satisfies Record<string, PartnerSpec>;
export type PerformancePartnerKey = keyof typeof PERFORMANCE_PARTNERS;

export interface SeedOptions {
  /** The demo's "today", epoch ms. */
  now: number;
  /** Send webhooks for the seeded records (default false: the app starts from a settled portal). */
  emitWebhooks?: boolean;
  /** The app's client secret: the seeded registrations and approved demo activities are sealed with it, as if the app had written them (docs/SECURITY.md, docs/activities.md). */
  clientSecret?: string;
}

type RegistrationSpec =
  | { status: 'pending'; partner: DemoPartnerKey; submittedDaysAgo: number }
  | { status: 'approved' | 'rejected' | 'expired'; partner: DemoPartnerKey; submittedDaysAgo: number; decidedDaysAgo: number; reason?: string }
  | { status: 'disputed'; partner: DemoPartnerKey; submittedDaysAgo: number; conflict: { deal: DemoDealKey; partner: DemoPartnerKey }; reason: string };

interface DealSpec {
  name: string;
  customer: DemoCustomerKey;
  amount: number;
  firstYearContractValue?: number;
  currency?: string;
  dealType?: 'new' | 'expansion';
  referralKind?: string;
  stage?: string;
  pipeline?: string;
  closeDaysFromNow?: number;
  closedate?: number;
  createdate?: number;
  partners: { partner: DemoPartnerKey; roles: PartnerRole[] }[];
  registration?: RegistrationSpec;
}

function registeredDeals(store: SandboxStore, ids: DemoPortalIds): string[] {
  return Object.values(ids.deals as Record<string, string>).filter(
    (id) => (store.getRecord('deals', id).properties.get('pp_registration_status') ?? '') !== '',
  );
}

export function seedDemoPortal(store: SandboxStore, options: SeedOptions): DemoPortalIds {
  const run = (): DemoPortalIds => {
    const ids = seedDemo(store, options.now, options.clientSecret);
    // The demo registrations stand for ones the app wrote: sealed as the app seals them (docs/SECURITY.md),
    // else the app would take them for typed-in values and clear them.
    if (options.clientSecret) for (const dealId of registeredDeals(store, ids)) sealDealRegistration(store, dealId, options.clientSecret);
    // The partners' inputs stand for ones partner managers set and the app accepted: sealed the same way.
    if (options.clientSecret) for (const company of store.listRecords('companies')) sealPartnerInputs(store, company.id, options.clientSecret);
    return ids;
  };
  return options.emitWebhooks ? run() : store.silently(run);
}

function seedDemo(store: SandboxStore, now: number, clientSecret?: string): DemoPortalIds {
  const contract = ensureAppContract(store);
  for (const team of Object.values(DEMO_TEAMS)) store.addTeam(team);
  store.addUser({ ...DEMO_USERS.partnerManager, primaryTeamId: DEMO_TEAMS.partnerManagers.id });
  store.addUser({ ...DEMO_USERS.salesRep, primaryTeamId: DEMO_TEAMS.sales.id });
  store.addUser({ ...DEMO_USERS.admin, superAdmin: true });
  store.addUser({ ...DEMO_USERS.salesLeadAndPartnerManager, primaryTeamId: DEMO_TEAMS.sales.id, secondaryTeamIds: [DEMO_TEAMS.partnerManagers.id] });

  const rep = store.actAsUser(DEMO_USERS.salesRep.id);
  const manager = store.actAsUser(DEMO_USERS.partnerManager.id);
  const quarterStart = utcQuarterStart(now);
  const thisQuarter = (daysAgo: number): number => Math.max(quarterStart, now - daysAgo * DAY);

  const partners = {} as Record<DemoPartnerKey, string>;
  for (const [key, spec] of Object.entries(DEMO_PARTNERS) as [DemoPartnerKey, PartnerSpec][]) {
    partners[key] = manager.createCompany(partnerProperties(spec, `${slug(spec.name)}.example.com`)).id;
  }
  const customers = {} as Record<DemoCustomerKey, string>;
  for (const [key, name] of Object.entries(DEMO_CUSTOMERS) as [DemoCustomerKey, string][]) {
    customers[key] = rep.createCompany({ name, domain: `${slug(name)}.example.com`, lifecyclestage: 'customer' }).id;
  }

  const specs: [DemoDealKey, DealSpec][] = [
    [
      'rule1Tier1',
      {
        name: 'Demo · Rule 1 · tier_1 consultant $600k (12%)',
        customer: 'acme',
        amount: 600_000,
        stage: 'qualifiedtobuy',
        createdate: thisQuarter(20),
        partners: [{ partner: 'consultantTier1', roles: ['pp_referral_partner'] }],
        registration: { status: 'approved', partner: 'consultantTier1', submittedDaysAgo: 12, decidedDaysAgo: 10 },
      },
    ],
    [
      'rule1Tier2BelowMinimum',
      {
        name: 'Demo · Rule 1 · tier_2 consultant $200k, below the $250k minimum (zero, with the reason)',
        customer: 'globex',
        amount: 200_000,
        stage: 'appointmentscheduled',
        createdate: thisQuarter(3),
        partners: [{ partner: 'consultantTier2', roles: ['pp_referral_partner'] }],
        registration: { status: 'pending', partner: 'consultantTier2', submittedDaysAgo: 2 },
      },
    ],
    ...([1, 2, 3] as const).map((n): [DemoDealKey, DealSpec] => [
      `rule1Tier3HighPerformer${n}`,
      {
        name: `Demo · Rule 1 · tier_3 consultant high performer, qualified referral ${n} of 3 (18% + 2)`,
        customer: (['hooli', 'soylent', 'vandelay'] as const)[n - 1]!,
        amount: 100_000 + n * 20_000,
        stage: 'presentationscheduled',
        createdate: thisQuarter(n),
        partners: [{ partner: 'consultantTier3', roles: ['pp_referral_partner'] }],
      },
    ]),
    [
      'rule2Expansion',
      {
        name: 'Demo · Rule 2 · expansion deal on an existing customer, 8% revenue share',
        customer: 'globex',
        amount: 150_000,
        dealType: 'expansion',
        stage: 'decisionmakerboughtin',
        createdate: thisQuarter(15),
        partners: [{ partner: 'consultantTier2', roles: ['pp_referral_partner'] }],
      },
    ],
    [
      'rule3Technology',
      {
        name: 'Demo · Rule 3 · technology software_integration 10% of the first-year contract value',
        customer: 'stark',
        amount: 120_000,
        firstYearContractValue: 90_000,
        referralKind: 'software_integration',
        stage: 'contractsent',
        createdate: now - 210 * DAY,
        partners: [{ partner: 'technology', roles: ['pp_referral_partner'] }],
        registration: {
          status: 'expired',
          partner: 'technology',
          submittedDaysAgo: 205,
          decidedDaysAgo: 200,
          reason: `Protection ended ${PROTECTION_DAYS} days after approval.`,
        },
      },
    ],
    [
      'rule4Association',
      {
        name: 'Demo · Rule 4 · association educational_event, $1,000 flat (protection expires in 20 days)',
        customer: 'oscorp',
        amount: 40_000,
        referralKind: 'educational_event',
        pipeline: '705209413',
        stage: '1034521872',
        createdate: now - 165 * DAY,
        partners: [{ partner: 'association', roles: ['pp_referral_partner'] }],
        registration: { status: 'approved', partner: 'association', submittedDaysAgo: 162, decidedDaysAgo: PROTECTION_DAYS - 20 },
      },
    ],
    [
      'rule5MedicalAdvisor',
      {
        name: 'Demo · Rule 5 · medical_advisor c_level_referral, $5,000 flat (BAA on file)',
        customer: 'umbrella',
        amount: 250_000,
        referralKind: 'c_level_referral',
        stage: 'qualifiedtobuy',
        createdate: thisQuarter(8),
        partners: [{ partner: 'medicalAdvisorWithBaa', roles: ['pp_referral_partner'] }],
      },
    ],
    [
      'rule6CoSelling',
      {
        name: 'Demo · Rule 6 · multi-partner co-selling $1M (finder, sales, implementation, customer success; referral + finder stack)',
        customer: 'initech',
        amount: 1_000_000,
        stage: 'contractsent',
        createdate: thisQuarter(30),
        partners: [
          { partner: 'consultantTier1', roles: ['pp_referral_partner', 'pp_finder'] },
          { partner: 'technology', roles: ['pp_co_selling_partner'] },
          { partner: 'healthcareOrganization', roles: ['pp_implementation_partner'] },
          { partner: 'channel', roles: ['pp_customer_success_partner'] },
        ],
      },
    ],
    [
      'rule7Retention',
      {
        name: 'Demo · Rule 7 · retention bonus, closed-won 24 months ago, customer still a customer (+1%)',
        customer: 'wayne',
        amount: 550_000,
        stage: 'closedwon',
        closedate: addUtcMonths(now, -24) - DAY,
        createdate: addUtcMonths(now, -26),
        partners: [{ partner: 'consultantTier1', roles: ['pp_referral_partner'] }],
      },
    ],
    [
      'rule8KindMismatch',
      {
        name: 'Demo · Rule 8 · referral kind software_integration does not fit an association partner (zero, with the reason)',
        customer: 'cyberdyne',
        amount: 80_000,
        referralKind: 'software_integration',
        stage: 'appointmentscheduled',
        createdate: thisQuarter(5),
        partners: [{ partner: 'association', roles: ['pp_referral_partner'] }],
        registration: {
          status: 'rejected',
          partner: 'association',
          submittedDaysAgo: 6,
          decidedDaysAgo: 4,
          reason: 'The referral kind does not fit an association partner.',
        },
      },
    ],
    [
      'twoReferralPartners',
      {
        name: 'Demo · Two referral partners: only the approved registration is paid',
        customer: 'stark',
        amount: 300_000,
        referralKind: 'software_integration',
        stage: 'presentationscheduled',
        createdate: thisQuarter(10),
        partners: [
          { partner: 'consultantTier2', roles: ['pp_referral_partner'] },
          { partner: 'technology', roles: ['pp_referral_partner'] },
        ],
        registration: { status: 'approved', partner: 'technology', submittedDaysAgo: 9, decidedDaysAgo: 8 },
      },
    ],
    [
      'jpyDeal',
      {
        name: 'Demo · Money · deal in JPY, no JPY configuration (zero lines, never a converted guess)',
        customer: 'tokyo',
        amount: 45_000_000,
        currency: 'JPY',
        stage: 'qualifiedtobuy',
        createdate: thisQuarter(4),
        partners: [{ partner: 'consultantTier1', roles: ['pp_referral_partner'] }],
      },
    ],
    [
      'disputedRegistration',
      {
        name: 'Demo · Registration · disputed: Acme is protected by another partner\u2019s approved registration',
        customer: 'acme',
        amount: 300_000,
        stage: 'appointmentscheduled',
        createdate: thisQuarter(1),
        partners: [{ partner: 'consultantTier2', roles: ['pp_referral_partner'] }],
        registration: {
          status: 'disputed',
          partner: 'consultantTier2',
          submittedDaysAgo: 1,
          conflict: { deal: 'rule1Tier1', partner: 'consultantTier1' },
          reason: `${DEMO_CUSTOMERS.acme} is protected by an approved registration of ${DEMO_PARTNERS.consultantTier1.name}.`,
        },
      },
    ],
    [
      'closedWon',
      {
        name: 'Demo · Payouts · closed-won this week (on hold: no BAA; no partner agreement)',
        customer: 'umbrella',
        amount: 400_000,
        referralKind: 'c_level_referral',
        stage: 'closedwon',
        closedate: now - 2 * DAY,
        createdate: thisQuarter(40),
        partners: [
          { partner: 'medicalAdvisorWithoutBaa', roles: ['pp_referral_partner'] },
          { partner: 'withoutAgreement', roles: ['pp_co_selling_partner'] },
          { partner: 'complementarySolution', roles: ['pp_customer_success_partner'] },
        ],
        registration: { status: 'approved', partner: 'medicalAdvisorWithoutBaa', submittedDaysAgo: 32, decidedDaysAgo: 30 },
      },
    ],
  ];

  const deals = {} as Record<DemoDealKey, string>;
  for (const [key, spec] of specs) {
    const properties: PropertyInput = {
      dealname: spec.name,
      amount: String(spec.amount),
      deal_currency_code: spec.currency ?? 'USD',
      pp_deal_type: spec.dealType ?? 'new',
      pipeline: spec.pipeline ?? 'default',
      dealstage: spec.stage ?? 'appointmentscheduled',
      closedate: String(spec.closedate ?? now + (spec.closeDaysFromNow ?? 45) * DAY),
      ...(spec.createdate === undefined ? {} : { createdate: String(spec.createdate) }),
      ...(spec.firstYearContractValue === undefined ? {} : { pp_first_year_contract_value: String(spec.firstYearContractValue) }),
      ...(spec.referralKind === undefined ? {} : { pp_referral_kind: spec.referralKind }),
      ...(spec.registration ? registrationProperties(spec.registration, now, partners, deals) : {}),
    };
    const deal = rep.createDeal(properties);
    deals[key] = deal.id;
    rep.associateDealCompany(deal.id, customers[spec.customer], { primary: true });
    for (const p of spec.partners) rep.associateDealCompany(deal.id, partners[p.partner], { roles: p.roles });
    if (spec.registration && spec.registration.status !== 'pending') recordDecision(manager, deal.id, spec.registration, now);
  }

  seedActivities(store, contract.activityObjectTypeId, partners.medicalAdvisorWithBaa, now, clientSecret);
  const performance = seedPerformanceDemo(rep, manager, customers, now);

  return {
    ...contract,
    performance,
    users: Object.fromEntries(Object.entries(DEMO_USERS).map(([k, u]) => [k, u.id])) as DemoPortalIds['users'],
    teams: Object.fromEntries(Object.entries(DEMO_TEAMS).map(([k, t]) => [k, t.id])) as DemoPortalIds['teams'],
    partners,
    customers,
    deals,
  };
}

/**
 * The advisory board (docs/activities.md): Dr. Elena Ruiz's conference presentation (approved: $2,500), a case study
 * waiting for a decision, and her $40,000 annual retainer (approved, above the $35,000 retainer cap: its payout is
 * held for anti-kickback review). The app freezes the payouts when it first syncs them (reconciliation sweep).
 */
function seedActivities(store: SandboxStore, objectType: string, advisorId: string, now: number, clientSecret?: string): void {
  const manager = store.actAsUser(DEMO_USERS.partnerManager.id);
  const year = new Date(now).getUTCFullYear();
  const sealer = clientSecret ? activitySealer(deriveKey(clientSecret, 'crm-seal')) : null;
  const typeId = store.definitionsBetween(objectType, 'companies')[0]!.typeId;
  const specs = [
    {
      pp_activity_type: 'conference_presentation',
      pp_activity_name: `HIMSS ${year} keynote: sepsis early warning`,
      pp_activity_date: `${year}-03-12`,
      approve: true,
      amount: null,
    },
    {
      pp_activity_type: 'case_study',
      pp_activity_name: 'Case study: 30% fewer ICU transfers at Mercy General',
      pp_activity_date: `${year}-05-20`,
      approve: false,
      amount: null,
    },
    { pp_activity_type: 'retainer', pp_activity_name: `Advisory board retainer ${year}`, pp_activity_date: `${year}-01-01`, approve: true, amount: 4_000_000 },
  ];
  for (const { approve, amount, ...props } of specs) {
    const record = manager.createObject(objectType, { ...props, pp_activity_status: 'submitted' });
    manager.associate(objectType, record.id, 'companies', advisorId, [{ associationCategory: 'USER_DEFINED', associationTypeId: typeId }]);
    if (!sealer) continue;
    const status = approve ? 'approved' : 'submitted';
    const seal = sealer.seal(record.id, { status, amount, type: props.pp_activity_type, date: props.pp_activity_date, companyId: advisorId });
    store.asIntegration().updateObject(objectType, record.id, {
      pp_activity_status: status,
      pp_activity_amount: amount === null ? '' : String(amount / 100),
      pp_activity_seal: seal,
    });
  }
}

function seedPerformanceDemo(
  rep: PortalSession,
  manager: PortalSession,
  customers: Record<DemoCustomerKey, string>,
  now: number,
): DemoPortalIds['performance'] {
  const quarterStart = utcQuarterStart(now);
  const lastQuarterStart = utcQuarterStart(quarterStart - 1);
  // Created in the previous quarter (its 10th day onwards), or in this one (up to `daysAgo` back).
  const lastQuarter = (n: number): number => lastQuarterStart + (10 + n) * DAY;
  const thisQuarter = (daysAgo: number): number => Math.max(quarterStart, now - daysAgo * DAY);
  const partners = {} as Record<PerformancePartnerKey, string>;
  for (const [key, spec] of Object.entries(PERFORMANCE_PARTNERS) as [PerformancePartnerKey, PartnerSpec][]) {
    // A partner for more than a year: its last quarter is judged.
    partners[key] = manager.createCompany({ ...partnerProperties(spec, `${slug(spec.name)}.example.com`), createdate: String(now - 400 * DAY) }).id;
  }
  const deals: string[] = [];
  const deal = (
    partner: PerformancePartnerKey,
    name: string,
    amount: number,
    createdate: number,
    more: {
      won?: boolean;
      satisfaction?: number;
      quality?: number;
      dealType?: 'expansion';
      referralKind?: string;
      roles?: PartnerRole[];
      coSeller?: PerformancePartnerKey;
    } = {},
  ) => {
    const won = more.won ?? false;
    const created = rep.createDeal({
      dealname: `Demo · Performance · ${name}`,
      amount: String(amount),
      deal_currency_code: 'USD',
      pp_deal_type: more.dealType ?? 'new',
      pipeline: 'default',
      dealstage: won ? 'closedwon' : 'qualifiedtobuy',
      // Won deals close this quarter, so their payouts and revenue fall in the current year's results.
      closedate: String(won ? thisQuarter(1) : now + 45 * DAY),
      createdate: String(createdate),
      ...(more.referralKind ? { pp_referral_kind: more.referralKind } : {}),
      ...(more.satisfaction === undefined ? {} : { pp_client_satisfaction: String(more.satisfaction) }),
      ...(more.quality === undefined ? {} : { pp_lead_quality_score: String(more.quality) }),
    });
    deals.push(created.id);
    rep.associateDealCompany(created.id, customers.hooli, { primary: true });
    rep.associateDealCompany(created.id, partners[partner], { roles: more.roles ?? ['pp_referral_partner'] });
    if (more.coSeller) rep.associateDealCompany(created.id, partners[more.coSeller], { roles: ['pp_co_selling_partner'] });
  };

  // Met: 3 qualifying tier_2 referrals this quarter, 3 last quarter (two won, satisfied).
  for (const n of [1, 2, 3]) deal('met', `Keystone this quarter ${n}`, 300_000, thisQuarter(n * 5), { quality: 8 });
  deal('met', 'Keystone last quarter 1 (won)', 400_000, lastQuarter(1), { won: true, satisfaction: 9, quality: 9 });
  deal('met', 'Keystone last quarter 2 (won)', 350_000, lastQuarter(2), { won: true, satisfaction: 8 });
  deal('met', 'Keystone last quarter 3', 260_000, lastQuarter(3));
  // On track: 1 of tier_3's 2 this quarter; 2 last quarter (one won: tier_3 revenue and cost).
  deal('onTrack', 'Lakeside this quarter', 150_000, thisQuarter(2), { quality: 7 });
  deal('onTrack', 'Lakeside last quarter 1 (won)', 180_000, lastQuarter(4), { won: true, satisfaction: 9.5 });
  deal('onTrack', 'Lakeside last quarter 2', 120_000, lastQuarter(5));
  // At risk: none of tier_1's 4 this quarter; 4 last quarter (one won: tier_1 revenue and cost).
  deal('atRisk', 'Ridgeline last quarter 1 (won)', 800_000, lastQuarter(6), { won: true, satisfaction: 9 });
  for (const n of [2, 3, 4]) deal('atRisk', `Ridgeline last quarter ${n}`, 550_000, lastQuarter(6 + n));
  // Missed: 1 of tier_2's 3 last quarter; an expansion deal won (expansion revenue share), and Vertex co-sold it.
  deal('missed', 'Bayview last quarter', 270_000, lastQuarter(12));
  deal('missed', 'Bayview this quarter', 280_000, thisQuarter(3));
  deal('missed', 'Bayview expansion (won)', 200_000, thisQuarter(4), { won: true, dealType: 'expansion', satisfaction: 8, coSeller: 'technology' });
  // Below satisfaction: tier_1 needs 8.5; its won deals average 7.5.
  for (const n of [1, 2, 3, 4]) deal('belowSatisfaction', `Cedar Grove this quarter ${n}`, 600_000, thisQuarter(n * 3));
  deal('belowSatisfaction', 'Cedar Grove last quarter 1 (won)', 700_000, lastQuarter(20), { won: true, satisfaction: 7 });
  deal('belowSatisfaction', 'Cedar Grove last quarter 2 (won)', 650_000, lastQuarter(21), { won: true, satisfaction: 8 });
  for (const n of [3, 4]) deal('belowSatisfaction', `Cedar Grove last quarter ${n}`, 520_000, lastQuarter(20 + n));
  // Technology and association components.
  deal('technology', 'Vertex joint solution (won)', 250_000, thisQuarter(6), { won: true, referralKind: 'joint_solution' });
  deal('association', 'State Medical Society member referral (won)', 120_000, thisQuarter(7), { won: true, referralKind: 'member_referral' });
  return { partners, deals };
}

function partnerProperties(spec: PartnerSpec, domain: string): PropertyInput {
  return {
    name: spec.name,
    domain,
    lifecyclestage: 'other',
    pp_partner_type: spec.type,
    pp_agreement_signed: String(spec.agreement),
    ...(spec.baa === undefined ? {} : { pp_baa_signed: String(spec.baa) }),
    ...(spec.consultants === undefined ? {} : { pp_consultant_count: String(spec.consultants) }),
    ...(spec.coMarketing === undefined
      ? {}
      : { pp_annual_co_marketing_investment: String(spec.coMarketing.investment), pp_commitment_years: String(spec.coMarketing.years) }),
    ...(spec.salesVolume === undefined ? {} : { pp_annual_sales_volume_potential: String(spec.salesVolume) }),
  };
}

function registrationProperties(
  r: RegistrationSpec,
  now: number,
  partners: Record<DemoPartnerKey, string>,
  deals: Partial<Record<DemoDealKey, string>>,
): PropertyInput {
  const base: PropertyInput = {
    pp_registration_status: r.status,
    pp_registered_partner_id: partners[r.partner],
    pp_registration_submitted_at: String(now - r.submittedDaysAgo * DAY),
    pp_registration_submitted_by: DEMO_USERS.salesRep.id,
  };
  if (r.status === 'pending') return base;
  if (r.status === 'disputed') {
    const other = deals[r.conflict.deal];
    if (other === undefined) throw new Error(`seed order: ${r.conflict.deal} must be created before the deal disputing it`);
    return { ...base, pp_registration_reason: r.reason, pp_registration_conflict: `${other}:${partners[r.conflict.partner]}` };
  }
  const decidedAt = now - r.decidedDaysAgo * DAY;
  return {
    ...base,
    pp_registration_decided_at: String(decidedAt),
    pp_registration_decided_by: DEMO_USERS.partnerManager.id,
    ...(r.status === 'rejected' ? {} : { pp_protection_expires_at: String(decidedAt + PROTECTION_DAYS * DAY) }),
    ...(r.reason === undefined ? {} : { pp_registration_reason: r.reason }),
  };
}

/** docs/program.md#deal-registration: every registration decision is on the deal's timeline, with who decided and why. */
function recordDecision(manager: PortalSession, dealId: string, r: RegistrationSpec, now: number): void {
  const when = r.status === 'disputed' ? now - r.submittedDaysAgo * DAY : 'decidedDaysAgo' in r ? now - r.decidedDaysAgo * DAY : now;
  const why = 'reason' in r && r.reason ? ` ${r.reason}` : '';
  manager.createObject(
    'notes',
    {
      hs_timestamp: String(when),
      hs_note_body: `<p>Deal registration ${r.status} by ${DEMO_USERS.partnerManager.firstName} ${DEMO_USERS.partnerManager.lastName} (partner manager).${why}</p>`,
    },
    [{ to: { id: dealId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 214 }] }],
  );
}

// ── benchmark portal ─────────────────────────────────────────────────────────────────────────────────────

export interface BenchSeedOptions {
  deals?: number;
  partners?: number;
  /** Customer companies; default one per five deals (at least 10). */
  customers?: number;
  /** PRNG seed: the same seed gives the same portal. Default 20_240_601. */
  seed?: number;
  /** Default Date.now(). */
  now?: number;
}

export interface BenchPortalIds extends AppContractIds {
  partners: string[];
  customers: string[];
  deals: string[];
}

const OPEN_STAGES = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent'];
const CO_SELLING_ROLES: PartnerRole[] = ['pp_finder', 'pp_co_selling_partner', 'pp_implementation_partner', 'pp_customer_success_partner'];
const KINDS_BY_TYPE: Partial<Record<PartnerType, string[]>> = {
  technology: ['software_integration', 'joint_solution', 'customer_expansion', 'technical_consultation'],
  association: ['member_referral', 'educational_event', 'research_collaboration', 'vendor_show'],
  medical_advisor: ['c_level_referral'],
};

/** The benchmark's portal: no webhooks while seeding, ids in creation order. */
export function seedBenchPortal(store: SandboxStore, options: BenchSeedOptions = {}): BenchPortalIds {
  return store.silently(() => seedBench(store, options));
}

function seedBench(store: SandboxStore, options: BenchSeedOptions): BenchPortalIds {
  const dealCount = options.deals ?? 1000;
  const partnerCount = options.partners ?? 50;
  const customerCount = options.customers ?? Math.max(10, Math.ceil(dealCount / 5));
  const now = options.now ?? Date.now();
  const random = mulberry32(options.seed ?? 20_240_601);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));

  const contract = ensureAppContract(store);
  const session = store.actAsUser(DEMO_USERS.salesRep.id);

  const partnerTypes: PartnerType[] = [];
  const partners = Array.from({ length: partnerCount }, (_, i) => {
    const type = PARTNER_TYPES[i % PARTNER_TYPES.length]!;
    partnerTypes.push(type);
    const spec: PartnerSpec = {
      name: `Bench Partner ${String(i + 1).padStart(3, '0')} (${type})`,
      type,
      agreement: random() > 0.1,
      baa: random() > 0.5,
      salesVolume: pick([0, 300_000, 1_200_000, 6_000_000]),
      coMarketing: { investment: pick([0, 30_000, 120_000, 300_000]), years: between(0, 4) },
      ...(type === 'consultant' ? { consultants: pick([4, 15, 40, 80]) } : {}),
    };
    return session.createCompany(partnerProperties(spec, `bench-partner-${i + 1}.example.com`)).id;
  });
  const customers = Array.from(
    { length: customerCount },
    (_, i) => session.createCompany({ name: `Bench Customer ${i + 1}`, domain: `bench-customer-${i + 1}.example.com`, lifecyclestage: 'customer' }).id,
  );

  const deals = Array.from({ length: dealCount }, (_, i) => {
    const referral = random() < 0.7 ? between(0, partnerCount - 1) : null;
    const kinds = referral === null ? undefined : KINDS_BY_TYPE[partnerTypes[referral]!];
    const closedWon = random() < 0.05;
    const deal = session.createDeal({
      dealname: `Bench deal ${i + 1}`,
      amount: String(between(50, 1500) * 1000),
      deal_currency_code: 'USD',
      pp_deal_type: random() < 0.1 ? 'expansion' : 'new',
      pipeline: 'default',
      dealstage: closedWon ? 'closedwon' : pick(OPEN_STAGES),
      closedate: String(now + (closedWon ? -between(1, 60) : between(1, 120)) * DAY),
      createdate: String(now - between(0, 80) * DAY),
      ...(kinds ? { pp_referral_kind: pick(kinds) } : {}),
    });
    session.associateDealCompany(deal.id, pick(customers), { primary: true });
    if (referral !== null) session.associateDealCompany(deal.id, partners[referral]!, { roles: ['pp_referral_partner'] });
    for (let n = between(0, 2); n > 0; n--) session.associateDealCompany(deal.id, pick(partners), { roles: [pick(CO_SELLING_ROLES)] });
    return deal.id;
  });

  return { ...contract, partners, customers, deals };
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Start of the calendar quarter containing `ms`, in UTC (the program's default time zone). */
export function utcQuarterStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
}

function addUtcMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime();
}

/** Small deterministic PRNG: a benchmark portal is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
