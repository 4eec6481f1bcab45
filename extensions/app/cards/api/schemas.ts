/**
 * zod schemas for what the backend sends, checked at the card's trust boundary. Each is typed against
 * contract.ts, so a field added to the contract without a schema (or with another shape) fails to compile.
 * Unknown keys are dropped rather than refused: the backend may add fields before the cards use them.
 */
import { z } from 'zod';
import type {
  ActivityActionResponse,
  AwardBonusResponse,
  BonusRankingView,
  CardErrorResponse,
  CompanyCardView,
  DealCardView,
  HomeView,
  PartnerPerformanceView,
  PerformanceRow,
  RegistrationActionResponse,
  ResultsView,
  Viewer,
} from './contract.js';

const nullableString = z.string().nullable();

const viewerSchema: z.ZodType<Viewer> = z.object({
  userId: z.string(),
  isPartnerManager: z.boolean(),
  managersHint: z.string(),
});

export const dealCardViewSchema: z.ZodType<DealCardView> = z.object({
  deal: z.object({
    id: z.string(),
    name: z.string(),
    currency: z.string(),
    stageLabel: nullableString,
    isClosedWon: z.boolean(),
  }),
  partners: z.array(
    z.object({
      companyId: z.string(),
      name: z.string(),
      partnerType: nullableString,
      roles: z.array(z.object({ role: z.string(), label: z.string() })),
      tiers: z.object({ referral: nullableString, coMarketing: nullableString, coSelling: nullableString }),
      highPerformer: z.boolean(),
      agreementSigned: z.boolean(),
    }),
  ),
  registration: z
    .object({
      status: z.enum(['pending', 'approved', 'rejected', 'expired', 'disputed']),
      partnerId: z.string(),
      partnerName: z.string(),
      submittedAt: nullableString,
      submittedBy: nullableString,
      decidedAt: nullableString,
      decidedBy: nullableString,
      protectionStatus: z.enum(['none', 'pending', 'protected', 'expiring_soon', 'expired', 'conflict']),
      protectionExpiresAt: nullableString,
      daysLeft: z.number().nullable(),
      reason: nullableString,
      conflict: z.object({ dealId: z.string(), dealName: nullableString, partnerId: z.string(), partnerName: nullableString }).nullable(),
    })
    .nullable(),
  registrationVersion: z.string(),
  commission: z.object({
    currency: z.string(),
    lines: z.array(
      z.object({
        partnerId: z.string(),
        partnerName: z.string(),
        role: z.string(),
        roleLabel: z.string(),
        kind: z.enum(['commission', 'retention']),
        basis: nullableString,
        rate: nullableString,
        flatFee: nullableString,
        amount: z.string(),
        status: z.enum(['payable', 'zero', 'scheduled']),
        reason: z.string(),
      }),
    ),
    total: z.string(),
    retentionScheduled: z.string(),
    partnerTier: nullableString,
  }),
  payouts: z.object({
    status: z.enum(['none', 'scheduled', 'on_hold', 'approved', 'paid', 'reversed']),
    records: z.array(
      z.object({
        key: z.string(),
        partnerName: z.string(),
        roleLabel: z.string(),
        amount: z.string(),
        status: z.enum(['scheduled', 'on_hold', 'approved', 'paid', 'reversed']),
        holdReason: nullableString,
      }),
    ),
  }),
  viewer: viewerSchema,
});

const tierWithReason = z.object({ value: nullableString, reason: z.string() });

const performanceViewSchema: z.ZodType<PartnerPerformanceView> = z.object({
  minimum: z.object({
    status: z.enum(['met', 'on_track', 'at_risk']),
    count: z.number(),
    minimum: z.number(),
    requiredToDate: z.number(),
    remaining: z.number(),
    quarterLabel: z.string(),
    reason: z.string(),
  }),
  lastQuarter: z.object({ value: z.enum(['met', 'missed']).nullable(), label: z.string(), reason: z.string() }),
  satisfaction: z.object({ value: nullableString, required: nullableString, below: z.boolean(), reason: z.string() }),
  leadQuality: z.object({ value: nullableString, reason: z.string() }),
  requirements: z.object({ value: z.enum(['met', 'not_met']), reasons: z.array(z.string()) }),
});

const performanceRowSchema: z.ZodType<PerformanceRow> = z.object({
  companyId: z.string(),
  name: z.string(),
  tier: nullableString,
  detail: z.string(),
  recordUrl: nullableString,
});

export const resultsViewSchema: z.ZodType<ResultsView> = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  currency: z.string(),
  rows: z.array(
    z.object({
      component: z.string(),
      label: z.string(),
      revenue: z.string(),
      deals: z.number(),
      cost: z.string(),
      payouts: z.number(),
      roi: nullableString,
      budget: nullableString,
      budgetUsed: nullableString,
    }),
  ),
  fixedCosts: z.array(z.object({ label: z.string(), amount: z.string(), annual: z.string() })),
  total: z.object({ revenue: z.string(), deals: z.number(), cost: z.string(), roi: nullableString, budget: z.string(), budgetUsed: nullableString }),
  otherCurrencies: z.array(z.object({ currency: z.string(), revenue: z.string(), cost: z.string(), dealNames: z.array(z.string()) })),
  chart: z.array(z.object({ component: z.string(), measure: z.enum(['Revenue', 'Cost']), amount: z.number() })),
  csvUrl: nullableString,
});

export const companyCardViewSchema: z.ZodType<CompanyCardView> = z.object({
  company: z.object({ id: z.string(), name: z.string(), partnerType: nullableString }),
  tiers: z.object({ referral: tierWithReason, coMarketing: tierWithReason, coSelling: tierWithReason }),
  referrals: z.object({ count: z.number(), minimum: z.number().nullable(), quarterLabel: z.string() }),
  highPerformer: z.object({ value: z.boolean(), reason: z.string() }),
  agreements: z.object({ agreementSigned: z.boolean(), baaSigned: z.boolean() }),
  openRegistrations: z.array(
    z.object({
      dealId: z.string(),
      dealName: z.string(),
      status: z.string(),
      protectionStatus: z.string(),
      daysLeft: z.number().nullable(),
    }),
  ),
  payouts: z.array(z.object({ status: z.string(), currency: z.string(), count: z.number(), total: z.string() })),
  activities: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      typeLabel: z.string(),
      name: z.string(),
      date: nullableString,
      status: z.string(),
      amount: nullableString,
      payout: z.object({ amount: z.string(), status: z.string(), holdReason: nullableString }).nullable(),
    }),
  ),
  commitments: z.object({ tier: z.string(), status: z.enum(['met', 'on_track', 'at_risk']), summary: z.string(), year: z.number() }).nullable(),
  otherPayouts: z.array(
    z.object({ key: z.string(), label: z.string(), amount: z.string(), status: z.string(), holdReason: nullableString, explanation: z.string() }),
  ),
  exportUrl: nullableString,
  performance: performanceViewSchema.nullable(),
  viewer: viewerSchema,
});

export const homeViewSchema: z.ZodType<HomeView> = z.object({
  viewer: viewerSchema,
  queue: z.array(
    z.object({
      dealId: z.string(),
      dealName: z.string(),
      partnerId: z.string(),
      partnerName: z.string(),
      status: z.enum(['pending', 'disputed']),
      submittedAt: nullableString,
      conflict: z.object({ dealId: z.string(), partnerId: z.string(), partnerName: nullableString }).nullable(),
      registrationVersion: z.string(),
    }),
  ),
  expiringSoon: z.array(
    z.object({
      dealId: z.string(),
      dealName: z.string(),
      partnerName: z.string(),
      protectionExpiresAt: z.string(),
      daysLeft: z.number(),
    }),
  ),
  payoutsOnHold: z.array(
    z.object({
      key: z.string(),
      dealId: z.string(),
      dealName: z.string(),
      partnerName: z.string(),
      amount: z.string(),
      holdReason: z.string(),
      explanation: z.string(),
    }),
  ),
  activitiesAwaiting: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      typeLabel: z.string(),
      name: z.string(),
      date: nullableString,
      companyId: nullableString,
      companyName: z.string(),
    }),
  ),
  commitmentsAtRisk: z.array(z.object({ companyId: z.string(), companyName: z.string(), summary: z.string() })),
  performance: z.object({
    atRisk: z.array(performanceRowSchema),
    missedLastQuarter: z.array(performanceRowSchema),
    belowSatisfaction: z.array(performanceRowSchema),
  }),
});

export const registrationActionResponseSchema: z.ZodType<RegistrationActionResponse> = z.object({
  ok: z.literal(true),
  message: z.string(),
  registrationVersion: z.string(),
});

export const activityActionResponseSchema: z.ZodType<ActivityActionResponse> = z.object({
  ok: z.literal(true),
  message: z.string(),
  activityId: z.string(),
});

export const bonusRankingViewSchema: z.ZodType<BonusRankingView> = z.object({
  year: z.number(),
  partnerOfTheYear: nullableString,
  rows: z.array(
    z.object({
      partnerId: z.string(),
      partnerName: z.string(),
      revenue: z.string(),
      deals: z.number(),
      otherCurrencies: z.record(z.string(), z.number()),
      awards: z.array(z.object({ award: z.string(), amount: z.string(), status: z.string() })),
    }),
  ),
});

export const awardBonusResponseSchema: z.ZodType<AwardBonusResponse> = z.object({ ok: z.literal(true), message: z.string(), key: z.string() });

export const cardErrorResponseSchema: z.ZodType<CardErrorResponse> = z.object({
  error: z.object({ code: z.string(), message: z.string().min(1) }),
});
