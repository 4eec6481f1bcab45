/**
 * Plain data the engine reads and returns. Nothing here knows about HubSpot's API, Redis or the clock:
 * snapshots are built by `src/hubspot/mappers.ts`, and every instant is passed in as a parameter.
 *
 * Values that come from HubSpot enumerations stay `string | null` on the snapshots on purpose: a value the
 * program does not know (a new partner type someone added in the portal) must produce a zero line with the
 * reason, never a crash and never a guess (docs/program.md#rule-8-no-matching-rule).
 */

/** Integer minor units of a currency (cents for USD, yen for JPY). Never a float. */
export type Minor = number;
/** Integer basis points: 12% = 1200. */
export type Bps = number;
/** Milliseconds since the epoch, UTC. The engine never reads the clock; callers pass `now`. */
export type Instant = number;

export const PARTNER_TYPES = [
  'consultant',
  'technology',
  'association',
  'medical_advisor',
  'channel',
  'complementary_solution',
  'healthcare_organization',
] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];

/** Deal → company association label internal names (docs/program.md#deal-partners-and-association-labels). */
export const PARTNER_ROLES = ['pp_referral_partner', 'pp_finder', 'pp_co_selling_partner', 'pp_implementation_partner', 'pp_customer_success_partner'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];
/** `pp_role` of a payout: a deal role, or `activity` / `bonus` for the payouts that have no deal. */
export const PAYOUT_ROLES = [...PARTNER_ROLES, 'activity', 'bonus'] as const;
export type PayoutRole = (typeof PAYOUT_ROLES)[number];
export type CoSellingRole = Exclude<PartnerRole, 'pp_referral_partner'>;
export const CO_SELLING_ROLES: readonly CoSellingRole[] = ['pp_finder', 'pp_co_selling_partner', 'pp_implementation_partner', 'pp_customer_success_partner'];

export const REFERRAL_KINDS = [
  'software_integration',
  'joint_solution',
  'customer_expansion',
  'technical_consultation',
  'member_referral',
  'educational_event',
  'research_collaboration',
  'vendor_show',
  'c_level_referral',
] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

export const REFERRAL_TIERS = ['tier_1', 'tier_2', 'tier_3'] as const;
export type ReferralTier = (typeof REFERRAL_TIERS)[number];
export const CO_MARKETING_TIERS = ['platinum', 'gold', 'silver'] as const;
export type CoMarketingTier = (typeof CO_MARKETING_TIERS)[number];
export const CO_SELLING_TIERS = ['strategic', 'preferred', 'registered'] as const;
export type CoSellingTier = (typeof CO_SELLING_TIERS)[number];

/** docs/program.md#program-results: the component of the program a payout belongs to, recorded when it is frozen. */
export const PROGRAM_COMPONENTS = [
  'consultant_tier_1',
  'consultant_tier_2',
  'consultant_tier_3',
  'medical_advisory_board',
  'technology',
  'association',
  'expansion',
  'co_selling',
  'other',
] as const;
export type ProgramComponent = (typeof PROGRAM_COMPONENTS)[number];

export const MINIMUM_STATUSES = ['met', 'on_track', 'at_risk'] as const;
export type MinimumStatus = (typeof MINIMUM_STATUSES)[number];
export const LAST_QUARTER_RESULTS = ['met', 'missed'] as const;
export type LastQuarterResult = (typeof LAST_QUARTER_RESULTS)[number];
export const REQUIREMENTS_STATUSES = ['met', 'not_met'] as const;
export type RequirementsStatus = (typeof REQUIREMENTS_STATUSES)[number];
export const REFERRAL_SOURCES = ['partner_portal', 'crm'] as const;

export const DEAL_TYPES = ['new', 'expansion'] as const;

export const REGISTRATION_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'disputed'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const PROTECTION_STATUSES = ['none', 'pending', 'protected', 'expiring_soon', 'expired', 'conflict'] as const;
export type ProtectionStatus = (typeof PROTECTION_STATUSES)[number];

export const PAYOUT_STATUSES = ['scheduled', 'on_hold', 'approved', 'paid', 'reversed'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];
export const DEAL_PAYOUT_STATUSES = ['none', ...PAYOUT_STATUSES] as const;
export type DealPayoutStatus = (typeof DEAL_PAYOUT_STATUSES)[number];

/** A partner company as the engine sees it: HubSpot property values, raw where they are enumerations. */
export interface PartnerCompany {
  id: string;
  name: string;
  /** `pp_partner_type`, raw: may be empty or a value the program does not know. */
  partnerType: string | null;
  /** Raw HubSpot number strings ("50", "", null). Parsed by the engine so garbage gives a reason. */
  consultantCount: string | null;
  annualCoMarketingInvestment: string | null;
  commitmentYears: string | null;
  annualSalesVolumePotential: string | null;
  agreementSigned: boolean;
  baaSigned: boolean;
  /** `lifecyclestage`, used by the retention check when this company is a deal's customer. */
  lifecycleStage?: string | null;
  /** `createdate` of the company record: a partner created after the previous quarter began has no last quarter. */
  createdAt?: Instant | null;
}

/** One company on a deal with the roles its association labels give it. */
export interface DealPartner {
  company: PartnerCompany;
  roles: PartnerRole[];
}

/** The deal's registration, as stored in the `pp_registration_*` deal properties. */
export interface Registration {
  status: RegistrationStatus;
  /** `pp_registered_partner_id` */
  partnerId: string;
  submittedAt: Instant | null;
  /** Who submitted it: a HubSpot user id (a partner manager or rep on the partner's behalf). */
  submittedBy: string | null;
  decidedAt: Instant | null;
  decidedBy: string | null;
  /** approval + protection days; null until approved. */
  protectionExpiresAt: Instant | null;
  /** Why it was rejected, expired or disputed (human text), kept for the card and the timeline. */
  reason: string | null;
  /** For a `disputed` registration: the other partner's approved registration it collides with. */
  conflict: RegistrationConflict | null;
}

export interface RegistrationConflict {
  dealId: string;
  partnerId: string;
}

/** A deal as the engine sees it. Numbers are HubSpot's raw strings; instants are epoch ms. */
export interface DealSnapshot {
  id: string;
  name: string;
  /** `amount` */
  amount: string | null;
  /** `pp_first_year_contract_value`: the commission basis when set. */
  firstYearContractValue: string | null;
  /** `deal_currency_code`; null means the portal's currency. */
  currency: string | null;
  /** `pp_deal_type`, raw; empty means `new`. */
  dealType: string | null;
  /** `pp_referral_kind`, raw. */
  referralKind: string | null;
  dealstage: string | null;
  pipeline: string | null;
  closeDate: Instant | null;
  createDate: Instant | null;
  /** True when `dealstage` is one of the configured or discovered closed-won stages. */
  isClosedWon: boolean;
  /** True when the deal is closed but not won. */
  isClosedLost: boolean;
  /** The customer company id (docs/program.md#deal-partners-and-association-labels: primary association, else lowest-id unlabelled company). */
  customerCompanyId: string | null;
  registration: Registration | null;
  /** `pp_client_satisfaction` (0–10, set after the sale), raw; absent or null when not scored. */
  clientSatisfaction?: string | null;
  /** `pp_lead_quality_score` (1–10, set by the rep), raw. */
  leadQualityScore?: string | null;
}

/** Per partner, per calendar quarter: what the tier bonus depends on. */
export interface PartnerQuarterStats {
  partnerId: string;
  /** Qualified referrals this quarter (docs/program.md#partner-outputs, `pp_referrals_this_quarter`). */
  qualifiedReferrals: number;
}

export type LineStatus = 'payable' | 'zero' | 'scheduled';

/** Which rule of docs/program.md#commission-lines produced a line: a reader can jump from a line to the function that made it. */
export type RuleId =
  | 'rule_1_consultant_referral'
  | 'rule_2_expansion'
  | 'rule_3_technology_referral'
  | 'rule_4_association_referral'
  | 'rule_5_medical_advisor_referral'
  | 'rule_6_co_selling'
  | 'rule_7_retention_bonus'
  | 'rule_8_unknown'
  | 'referral_single_payee'
  | 'registration_rejected'
  | 'currency_not_configured'
  | 'basis_missing';

export interface CommissionLine {
  partnerId: string;
  partnerName: string;
  role: PartnerRole;
  /** `:retention` lines are the client retention bonus (rule 7). */
  kind: 'commission' | 'retention';
  rule: RuleId;
  currency: string;
  /** Basis B in minor units; null when the deal has none (the line is then zero with the reason). */
  basis: Minor | null;
  /** Rate applied, or null for a flat fee / zero line. */
  rateBps: Bps | null;
  /** Flat fee, or null for a rate line. */
  flatFee: Minor | null;
  amount: Minor;
  status: LineStatus;
  /** Human reason: why this amount, or why zero. Shown on the card and in the breakdown. */
  reason: string;
}

export interface CommissionResult {
  dealId: string;
  currency: string;
  lines: CommissionLine[];
  /** Sum of `payable` lines; scheduled (retention) lines are not counted until paid out. */
  total: Minor;
  /** `pp_commission_breakdown`: one line per partner and role. */
  breakdown: string;
  /** `pp_partner_tier`: the deal's headline partner tier, or null. */
  partnerTier: string | null;
}

/** A payout record: the engine's view of one `pp_payout` custom-object record. */
export interface PayoutRecord {
  /** Every form is built and parsed by payout-keys.ts (deal line, retention, adjustment, activity, bonus). */
  key: string;
  /** '' for activity and bonus payouts: they have no deal. */
  dealId: string;
  partnerId: string;
  role: PayoutRole;
  kind: 'commission' | 'retention' | 'adjustment' | 'activity' | 'bonus';
  amount: Minor;
  currency: string;
  status: PayoutStatus;
  holdReason: string | null;
  explanation: string;
  basis: Minor | null;
  rateBps: Bps | null;
  flatFee: Minor | null;
  frozenAt: Instant;
  programVersion: string;
  /**
   * `pp_program_component`, set when the line is frozen (docs/program.md#program-results); adjustments inherit their
   * payout's. Absent on records frozen before the property existed: the results derive it (docs/performance.md).
   */
  programComponent?: ProgramComponent | null;
}
