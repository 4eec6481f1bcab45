/**
 * The contract between the cards (deal card, company card, app home page) and the card backend
 * (src/server/cards). The backend imports these TYPES only (`import type`), so this file holds no runtime code
 * and imports nothing: it is bundled into the cards and compiled with the server alike.
 *
 * Transport: every request goes to `${BACKEND_ORIGIN}/api/cards/...` through `hubspot.fetch`. HubSpot signs it
 * (X-HubSpot-Signature-v3) and the backend takes the portal and the user from the signed request, never from
 * the body: the card sends no identity.
 *
 *   GET  /api/cards/deals/{dealId}               → 200 DealCardView
 *   POST /api/cards/deals/{dealId}/registration  body RegistrationActionRequest → 200 RegistrationActionResponse
 *   GET  /api/cards/companies/{companyId}        → 200 CompanyCardView
 *   GET  /api/cards/home                         → 200 HomeView
 *   GET  /api/cards/results?from=&to=            → 200 ResultsView (program results; default the current year)
 *   POST /api/cards/companies/{companyId}/activities body RecordActivityRequest → 200 ActivityActionResponse
 *   POST /api/cards/activities/{activityId}/decision body ActivityDecisionRequest → 200 ActivityActionResponse
 *   GET  /api/cards/home/bonuses?year=           → 200 BonusRankingView
 *   POST /api/cards/home/bonuses                 body AwardBonusRequest → 200 AwardBonusResponse
 *                                                  (the home page approves/rejects through the deal endpoint above)
 *   Any error (400/401/403/404/409/5xx)          → CardErrorResponse; the card shows `error.message`.
 *                                                  409: the registration changed since the card loaded
 *                                                  (expectedVersion is stale); the card offers a refresh.
 *
 * Money arrives already formatted for display (e.g. "$72,000.00"); instants are ISO-8601 strings.
 */

export type RegistrationStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'disputed';
export type ProtectionStatus = 'none' | 'pending' | 'protected' | 'expiring_soon' | 'expired' | 'conflict';
export type DealPayoutStatus = 'none' | 'scheduled' | 'on_hold' | 'approved' | 'paid' | 'reversed';
export type PayoutRecordStatus = 'scheduled' | 'on_hold' | 'approved' | 'paid' | 'reversed';
export type CommissionLineStatus = 'payable' | 'zero' | 'scheduled';

export type Viewer = { userId: string; isPartnerManager: boolean; managersHint: string };

export type DealCardView = {
  deal: { id: string; name: string; currency: string; stageLabel: string | null; isClosedWon: boolean };
  partners: {
    companyId: string;
    name: string;
    partnerType: string | null;
    roles: { role: string; label: string }[];
    tiers: { referral: string | null; coMarketing: string | null; coSelling: string | null };
    highPerformer: boolean;
    agreementSigned: boolean;
  }[];
  registration: null | {
    status: RegistrationStatus;
    partnerId: string;
    partnerName: string;
    submittedAt: string | null;
    submittedBy: string | null;
    decidedAt: string | null;
    decidedBy: string | null;
    protectionStatus: ProtectionStatus;
    protectionExpiresAt: string | null;
    daysLeft: number | null;
    reason: string | null;
    conflict: null | { dealId: string; dealName: string | null; partnerId: string; partnerName: string | null };
  };
  /** Opaque; sent back as `expectedVersion` so a decision on a stale card answers 409. */
  registrationVersion: string;
  commission: {
    currency: string;
    lines: {
      partnerId: string;
      partnerName: string;
      role: string;
      roleLabel: string;
      kind: 'commission' | 'retention';
      basis: string | null;
      rate: string | null;
      flatFee: string | null;
      amount: string;
      status: CommissionLineStatus;
      reason: string;
    }[];
    total: string;
    retentionScheduled: string;
    partnerTier: string | null;
  };
  payouts: {
    status: DealPayoutStatus;
    records: {
      key: string;
      partnerName: string;
      roleLabel: string;
      amount: string;
      status: PayoutRecordStatus;
      holdReason: string | null;
    }[];
  };
  viewer: Viewer;
};

export type CompanyCardView = {
  company: { id: string; name: string; partnerType: string | null };
  tiers: {
    referral: { value: string | null; reason: string };
    coMarketing: { value: string | null; reason: string };
    coSelling: { value: string | null; reason: string };
  };
  referrals: { count: number; minimum: number | null; quarterLabel: string };
  highPerformer: { value: boolean; reason: string };
  agreements: { agreementSigned: boolean; baaSigned: boolean };
  openRegistrations: {
    dealId: string;
    dealName: string;
    status: string;
    protectionStatus: string;
    daysLeft: number | null;
  }[];
  payouts: { status: string; currency: string; count: number; total: string }[];
  /**
   * The partner's activities dated this year (and any still waiting for a decision), newest first, each with its
   * `activity:<id>` payout when it has one (amount, status, why it is held).
   */
  activities: {
    id: string;
    type: string;
    typeLabel: string;
    name: string;
    date: string | null;
    status: string;
    amount: string | null;
    payout: null | { amount: string; status: string; holdReason: string | null };
  }[];
  /** Co-marketing commitments this year; null without a co-marketing tier. */
  commitments: null | { tier: string; status: 'met' | 'on_track' | 'at_risk'; summary: string; year: number };
  /** Payouts with no deal (activities, bonuses, their adjustments), with their explanation. */
  otherPayouts: { key: string; label: string; amount: string; status: string; holdReason: string | null; explanation: string }[];
  /** An admin-token download link for the CSV export; null when the export is not configured. */
  exportUrl: string | null;
  /** Program performance (referral partners with a tier); null otherwise. */
  performance: PartnerPerformanceView | null; /** Who is looking: partner managers see Approve and Reject on activities (the server checks again). */
  viewer: Viewer;
};

/** docs/program.md#program-performance, with the reasons, for the company card. */
export type PartnerPerformanceView = {
  minimum: {
    status: 'met' | 'on_track' | 'at_risk';
    count: number;
    minimum: number;
    /** What on track asks for today. */
    requiredToDate: number;
    /** Referrals still missing to meet the minimum. */
    remaining: number;
    quarterLabel: string;
    reason: string;
  };
  lastQuarter: { value: 'met' | 'missed' | null; label: string; reason: string };
  /** Averages as written to the CRM (one decimal), requirement as configured ("8.5"). */
  satisfaction: { value: string | null; required: string | null; below: boolean; reason: string };
  leadQuality: { value: string | null; reason: string };
  requirements: { value: 'met' | 'not_met'; reasons: string[] };
};

/** A partner in one of the home page's performance lists, linking to its company record. */
export type PerformanceRow = { companyId: string; name: string; tier: string | null; detail: string; recordUrl: string | null };

/** docs/program.md#program-results for a period; money already formatted, in the portal currency. */
export type ResultsView = {
  period: { from: string; to: string };
  currency: string;
  rows: {
    component: string;
    label: string;
    revenue: string;
    deals: number;
    cost: string;
    payouts: number;
    roi: string | null;
    budget: string | null;
    budgetUsed: string | null;
  }[];
  fixedCosts: { label: string; amount: string; annual: string }[];
  total: { revenue: string; deals: number; cost: string; roi: string | null; budget: string; budgetUsed: string | null };
  /** Deals in other currencies: counted apart, never converted. */
  otherCurrencies: { currency: string; revenue: string; cost: string; dealNames: string[] }[];
  /** For the bar chart: revenue and cost per component, in major units. */
  chart: { component: string; measure: 'Revenue' | 'Cost'; amount: number }[];
  /** A signed, expiring link to the CSV; null when the export is not configured. */
  csvUrl: string | null;
};

export type HomeView = {
  viewer: Viewer;
  queue: {
    dealId: string;
    dealName: string;
    partnerId: string;
    partnerName: string;
    status: 'pending' | 'disputed';
    submittedAt: string | null;
    conflict: null | { dealId: string; partnerId: string; partnerName: string | null };
    registrationVersion: string;
  }[];
  expiringSoon: {
    dealId: string;
    dealName: string;
    partnerName: string;
    protectionExpiresAt: string;
    daysLeft: number;
  }[];
  payoutsOnHold: {
    key: string;
    dealId: string;
    dealName: string;
    partnerName: string;
    amount: string;
    holdReason: string;
    /** How the amount came about; for activity and bonus payouts (no deal) the line to read. */
    explanation: string;
  }[];
  /** Activities waiting for a partner manager's decision across the portal, oldest first. */
  activitiesAwaiting: { id: string; type: string; typeLabel: string; name: string; date: string | null; companyId: string | null; companyName: string }[];
  /** Partners whose co-marketing commitments are at risk this year. */
  commitmentsAtRisk: { companyId: string; companyName: string; summary: string }[];
  /** docs/program.md#program-performance: who needs attention this quarter. */
  performance: {
    atRisk: PerformanceRow[];
    missedLastQuarter: PerformanceRow[];
    belowSatisfaction: PerformanceRow[];
  };
};

/** Body of `POST /api/cards/companies/{companyId}/activities`: "Record activity". */
export type RecordActivityRequest = {
  type: string;
  name: string;
  date: string;
  /** Retainers only: the annual amount proposed; the partner manager sets the amount when approving. */
  amount?: string | null;
  /** Added to the note on the company's timeline. */
  note?: string;
};
/** Body of `POST /api/cards/activities/{activityId}/decision` (partner managers). */
export type ActivityDecisionRequest = { action: 'approve'; amount?: string | null; reason?: string } | { action: 'reject'; reason: string };
export type ActivityActionResponse = { ok: true; message: string; activityId: string };

/** `GET /api/cards/home/bonuses?year=`: the year's ranking by partner-sourced revenue. */
export type BonusRankingView = {
  year: number;
  partnerOfTheYear: string | null;
  rows: {
    partnerId: string;
    partnerName: string;
    revenue: string;
    deals: number;
    otherCurrencies: Record<string, number>;
    awards: { award: string; amount: string; status: string }[];
  }[];
};
/** Body of `POST /api/cards/home/bonuses` (partner managers). */
export type AwardBonusRequest = { year: number; partnerId: string; award: 'achievement' | 'partner_of_the_year'; amount?: string | null; note?: string };
export type AwardBonusResponse = { ok: true; message: string; key: string };

/** Body of `POST /api/cards/deals/{dealId}/registration`. Only `register` is open to every user. */
export type RegistrationActionRequest =
  | { action: 'register'; partnerId: string; expectedVersion: string }
  | { action: 'approve'; expectedVersion: string }
  | { action: 'reject'; reason: string; expectedVersion: string }
  | { action: 'resolve'; winnerPartnerId: string; expectedVersion: string };

export type RegistrationActionName = RegistrationActionRequest['action'];

export type RegistrationActionResponse = { ok: true; message: string; registrationVersion: string };

export type CardErrorResponse = { error: { code: string; message: string } };
