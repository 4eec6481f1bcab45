/**
 * The CRM data contract of docs/program.md as code: every property the app reads or writes, with the definition
 * `npm run provision` creates. One list, used by the reads (which properties to ask for), the writes (which
 * are outputs), the loop guard (a change of an output never starts a recompute) and provisioning.
 */
import {
  DEAL_PAYOUT_STATUSES,
  DEAL_TYPES,
  type PARTNER_ROLES,
  PARTNER_TYPES,
  PAYOUT_ROLES,
  PAYOUT_STATUSES,
  PROTECTION_STATUSES,
  type PayoutRole,
  REFERRAL_KINDS,
  REFERRAL_TIERS,
  CO_MARKETING_TIERS,
  CO_SELLING_TIERS,
  REGISTRATION_STATUSES,
  LAST_QUARTER_RESULTS,
  MINIMUM_STATUSES,
  PROGRAM_COMPONENTS,
  REFERRAL_SOURCES,
  REQUIREMENTS_STATUSES,
} from '../engine/types.js';
import { ACTIVITY_STATUSES, ACTIVITY_TYPES } from '../engine/activities.js';
import { COMMITMENT_STATUSES } from '../engine/commitments.js';

export const PROPERTY_GROUP = { name: 'pp_partner_program', label: 'Partner program' } as const;

export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
export type FieldType = 'text' | 'textarea' | 'number' | 'select' | 'date' | 'booleancheckbox';

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  description: string;
  options?: { label: string; value: string; displayOrder: number }[];
  hasUniqueValue?: boolean;
  /** Written by the app (never a trigger for a recompute). */
  output: boolean;
}

const label = (v: string): string =>
  v
    .replace(/^pp_/, '')
    .replace(/_/g, ' ')
    .replace(/^\w/, (c) => c.toUpperCase());
const options = (values: readonly string[]) => values.map((value, i) => ({ label: label(value), value, displayOrder: i }));
const BOOL_OPTIONS = [
  { label: 'Yes', value: 'true', displayOrder: 0 },
  { label: 'No', value: 'false', displayOrder: 1 },
];

function enumProp(name: string, lbl: string, values: readonly string[], description: string, output: boolean): PropertyDefinition {
  return { name, label: lbl, type: 'enumeration', fieldType: 'select', options: options(values), description, output };
}
function numberProp(name: string, lbl: string, description: string, output: boolean): PropertyDefinition {
  return { name, label: lbl, type: 'number', fieldType: 'number', description, output };
}
function textProp(name: string, lbl: string, description: string, output: boolean, fieldType: FieldType = 'text'): PropertyDefinition {
  return { name, label: lbl, type: 'string', fieldType, description, output };
}
function boolProp(name: string, lbl: string, description: string, output: boolean): PropertyDefinition {
  return { name, label: lbl, type: 'bool', fieldType: 'booleancheckbox', options: BOOL_OPTIONS, description, output };
}
function datetimeProp(name: string, lbl: string, description: string, output: boolean): PropertyDefinition {
  return { name, label: lbl, type: 'datetime', fieldType: 'date', description, output };
}

/** Co-marketing commitments (company outputs, empty without a co-marketing tier). */
function COMMITMENT_OUTPUT_PROPERTIES(): PropertyDefinition[] {
  return [
    numberProp('pp_campaigns_this_year', 'Joint campaigns this year', 'Computed: approved joint campaigns dated this calendar year.', true),
    numberProp('pp_content_this_year', 'Content pieces this year', 'Computed: approved content pieces and case studies dated this calendar year.', true),
    numberProp('pp_events_this_year', 'Events this year', 'Computed: approved events and conference presentations dated this calendar year.', true),
    enumProp(
      'pp_commitment_status',
      'Co-marketing commitment status',
      COMMITMENT_STATUSES,
      "Computed: this year's approved activities against the co-marketing tier's minimums.",
      true,
    ),
  ];
}

export const COMPANY_PROPERTIES: PropertyDefinition[] = [
  enumProp('pp_partner_type', 'Partner type', PARTNER_TYPES, 'Which partner program this company is in.', false),
  numberProp('pp_consultant_count', 'Consultant count', 'Consultants at the firm (consultant partners).', false),
  numberProp('pp_annual_co_marketing_investment', 'Annual co-marketing investment', 'Committed annual co-marketing spend, portal currency.', false),
  numberProp('pp_commitment_years', 'Commitment years', 'Length of the signed partnership commitment.', false),
  numberProp('pp_annual_sales_volume_potential', 'Annual sales volume potential', 'Annual sales volume potential, portal currency.', false),
  boolProp('pp_agreement_signed', 'Partner agreement signed', 'A partner agreement is on file (payouts are held without it).', false),
  boolProp('pp_baa_signed', 'BAA signed', 'A business associate agreement is on file.', false),
  textProp(
    'pp_partner_inputs_seal',
    'Partner inputs seal',
    "Written by the app: the partner inputs as last accepted (a partner manager's change), signed (docs/SECURITY.md). Anyone else's change is restored.",
    true,
  ),
  enumProp('pp_referral_tier', 'Referral tier', REFERRAL_TIERS, 'Computed: consultant referral tier.', true),
  enumProp('pp_co_marketing_tier', 'Co-marketing tier', CO_MARKETING_TIERS, 'Computed: co-marketing tier.', true),
  enumProp('pp_co_selling_tier', 'Co-selling tier', CO_SELLING_TIERS, 'Computed: co-selling tier.', true),
  numberProp('pp_referrals_this_quarter', 'Qualified referrals this quarter', 'Computed: qualified referrals in the current calendar quarter.', true),
  boolProp('pp_high_performer', 'High performer', 'Computed: referrals this quarter at or above 125% of the tier minimum.', true),
  ...COMMITMENT_OUTPUT_PROPERTIES(),
  numberProp('pp_quarterly_minimum', 'Quarterly minimum', "Computed: the referral tier's quarterly minimum of qualified referrals.", true),
  enumProp(
    'pp_minimum_status',
    'Minimum status',
    MINIMUM_STATUSES,
    'Computed: met, on track (at least the share of the minimum due by today) or at risk.',
    true,
  ),
  enumProp(
    'pp_last_quarter_result',
    'Last quarter result',
    LAST_QUARTER_RESULTS,
    "Computed: the previous calendar quarter's qualified referrals against the tier minimum.",
    true,
  ),
  numberProp(
    'pp_satisfaction_avg',
    'Client satisfaction average',
    'Computed: mean client satisfaction of closed-won referral deals of the last 12 months (one decimal).',
    true,
  ),
  numberProp(
    'pp_lead_quality_avg',
    'Lead quality average',
    'Computed: mean lead quality score of referral deals created in the last 12 months (one decimal).',
    true,
  ),
  enumProp(
    'pp_requirements_status',
    'Requirements status',
    REQUIREMENTS_STATUSES,
    "Computed: the tier's satisfaction requirement and last quarter's minimum.",
    true,
  ),
];

export const DEAL_PROPERTIES: PropertyDefinition[] = [
  numberProp('pp_first_year_contract_value', 'First-year contract value', 'The commission basis; when empty, amount is the basis.', false),
  enumProp('pp_deal_type', 'Partner deal type', DEAL_TYPES, 'new (default) or expansion (upsell / cross-sell).', false),
  enumProp('pp_referral_kind', 'Referral kind', REFERRAL_KINDS, 'For non-consultant referral partners.', false),
  numberProp('pp_client_satisfaction', 'Client satisfaction', 'Score from 0 to 10, set after the sale.', false),
  numberProp('pp_lead_quality_score', 'Lead quality score', 'Score from 1 to 10, set by the rep.', false),
  enumProp(
    'pp_referral_source',
    'Referral source',
    REFERRAL_SOURCES,
    'partner_portal when the partner portal created the deal; empty: created in the CRM.',
    false,
  ),
  enumProp('pp_registration_status', 'Registration status', REGISTRATION_STATUSES, 'Deal registration status.', false),
  textProp('pp_registered_partner_id', 'Registered partner id', 'Company id of the registering partner.', false),
  datetimeProp('pp_registration_submitted_at', 'Registration submitted at', 'When the registration was submitted.', false),
  textProp('pp_registration_submitted_by', 'Registration submitted by', 'HubSpot user id who submitted the registration.', false),
  datetimeProp('pp_registration_decided_at', 'Registration decided at', 'When it was approved or rejected.', false),
  textProp('pp_registration_decided_by', 'Registration decided by', 'HubSpot user id of the partner manager who decided.', false),
  textProp('pp_registration_reason', 'Registration reason', 'Why it was rejected, expired or disputed.', false, 'textarea'),
  textProp(
    'pp_registration_conflict',
    'Registration conflict',
    'For a disputed registration: <dealId>:<partnerId> of the approved registration it collides with.',
    false,
  ),
  datetimeProp('pp_protection_expires_at', 'Protection expires at', 'Approval time + protection days.', false),
  enumProp('pp_protection_status', 'Protection status', PROTECTION_STATUSES, 'Written by the app.', true),
  textProp(
    'pp_registration_seal',
    'Registration seal',
    'Written by the app: its last registration values, signed (docs/SECURITY.md). A registration field that does not match it is restored.',
    true,
  ),
  numberProp('pp_commission_total', 'Commission total', 'Sum of payable commission lines, deal currency.', true),
  textProp('pp_commission_breakdown', 'Commission breakdown', 'One line per partner and role with the reason.', true, 'textarea'),
  textProp('pp_partner_tier', 'Partner tier', "The deal's headline partner tier.", true),
  enumProp('pp_payout_status', 'Payout status', DEAL_PAYOUT_STATUSES, 'Summary of the payout records.', true),
];

/** Contact properties: who may sign in to the partner portal (set by the app when a partner manager invites). */
export const CONTACT_PROPERTIES: PropertyDefinition[] = [
  boolProp('pp_portal_access', 'Partner portal access', 'Set by the app when a partner manager invites the contact; unset it to end access.', false),
];
export const CONTACT_HUBSPOT_PROPERTIES = ['email', 'firstname', 'lastname', 'hs_lastmodifieddate'] as const;
export const CONTACT_READ_PROPERTIES: string[] = [...CONTACT_HUBSPOT_PROPERTIES, ...CONTACT_PROPERTIES.map((p) => p.name)];

export const PAYOUT_OBJECT = {
  name: 'pp_payout',
  labels: { singular: 'Partner payout', plural: 'Partner payouts' },
  primaryDisplayProperty: 'pp_payout_key',
  secondaryDisplayProperties: ['pp_amount', 'pp_status'],
  searchableProperties: ['pp_payout_key', 'pp_deal_id', 'pp_partner_id'],
  requiredProperties: ['pp_payout_key'],
  associatedObjects: ['DEAL', 'COMPANY'],
} as const;

export const PAYOUT_PROPERTIES: PropertyDefinition[] = [
  {
    ...textProp(
      'pp_payout_key',
      'Payout key',
      '<dealId>:<partnerId>:<role>[:retention], activity:<activityId> or bonus:<year>:<partnerId>:<award>, each optionally :adj:<n> — unique.',
      true,
    ),
    hasUniqueValue: true,
  },
  textProp('pp_deal_id', 'Deal id', 'The deal this payout is for.', true),
  textProp('pp_partner_id', 'Partner id', 'The partner company paid.', true),
  enumProp('pp_role', 'Role', PAYOUT_ROLES, 'The association label internal name, or activity / bonus (no deal).', true),
  numberProp('pp_amount', 'Amount', 'Major units of pp_currency (signed for adjustments).', true),
  textProp('pp_currency', 'Currency', 'ISO 4217 code.', true),
  enumProp('pp_status', 'Status', PAYOUT_STATUSES, 'Finance owns approved and paid.', true),
  textProp('pp_hold_reason', 'Hold reason', 'Why the payout is on hold.', true, 'textarea'),
  textProp('pp_explanation', 'Explanation', 'How the amount was computed and every change since.', true, 'textarea'),
  numberProp('pp_basis', 'Basis', 'Commission basis B frozen at close, major units.', true),
  numberProp('pp_rate_bps', 'Rate (bps)', 'Rate frozen at close, basis points.', true),
  numberProp('pp_flat_fee', 'Flat fee', 'Flat fee, major units.', true),
  datetimeProp('pp_frozen_at', 'Frozen at', 'When the line was frozen into this payout.', true),
  textProp('pp_program_version', 'Program version', 'Hash of the configuration that computed it.', true),
  textProp('pp_payout_seal', 'Payout seal', "Written by the app: the record's values as it last wrote or accepted them, signed (docs/SECURITY.md).", true),
  enumProp('pp_program_component', 'Program component', PROGRAM_COMPONENTS, 'The program component the payout belongs to, recorded when it is frozen.', true),
];

/** Partner activities (docs/program.md#activities-retainers-and-bonuses), associated with the partner company. */
export const ACTIVITY_OBJECT = {
  name: 'pp_activity',
  labels: { singular: 'Partner activity', plural: 'Partner activities' },
  primaryDisplayProperty: 'pp_activity_name',
  secondaryDisplayProperties: ['pp_activity_type', 'pp_activity_status'],
  searchableProperties: ['pp_activity_name'],
  requiredProperties: ['pp_activity_name'],
  associatedObjects: ['COMPANY'],
} as const;

export const ACTIVITY_PROPERTIES: PropertyDefinition[] = [
  enumProp('pp_activity_type', 'Activity type', ACTIVITY_TYPES, 'What kind of activity; frozen once approved.', false),
  textProp('pp_activity_name', 'Activity name', 'What it was: the conference, the case study title, the campaign.', false),
  {
    name: 'pp_activity_date',
    label: 'Activity date',
    type: 'date',
    fieldType: 'date',
    description: 'When it happened; for a retainer, the first day of the year it covers. Frozen once approved.',
    output: false,
  },
  enumProp(
    'pp_activity_status',
    'Activity status',
    ACTIVITY_STATUSES,
    'Only partner managers approve or reject, in the app; other changes are restored.',
    true,
  ),
  numberProp('pp_activity_amount', 'Activity amount', 'Retainers only: the annual amount a partner manager approved, portal currency.', true),
  textProp(
    'pp_activity_seal',
    'Activity seal (app)',
    'Written by the app with every decision: its signature over the values it wrote, so it can restore them.',
    true,
  ),
];
export const ACTIVITY_READ_PROPERTIES: string[] = [...ACTIVITY_PROPERTIES.map((p) => p.name), 'hs_lastmodifieddate', 'hs_createdate'];

export const DEAL_HUBSPOT_PROPERTIES = [
  'dealname',
  'amount',
  'dealstage',
  'pipeline',
  'closedate',
  'createdate',
  'deal_currency_code',
  'hs_lastmodifieddate',
] as const;
export const COMPANY_HUBSPOT_PROPERTIES = ['name', 'lifecyclestage', 'createdate', 'hs_lastmodifieddate'] as const;

/** Everything a recompute reads of a deal / a company. */
export const DEAL_READ_PROPERTIES: string[] = [...DEAL_HUBSPOT_PROPERTIES, ...DEAL_PROPERTIES.map((p) => p.name)];
export const COMPANY_READ_PROPERTIES: string[] = [...COMPANY_HUBSPOT_PROPERTIES, ...COMPANY_PROPERTIES.map((p) => p.name)];
export const PAYOUT_READ_PROPERTIES: string[] = PAYOUT_PROPERTIES.map((p) => p.name);

export const DEAL_OUTPUT_PROPERTIES = new Set(DEAL_PROPERTIES.filter((p) => p.output).map((p) => p.name));
export const COMPANY_OUTPUT_PROPERTIES = new Set(COMPANY_PROPERTIES.filter((p) => p.output).map((p) => p.name));

/** Deal properties whose change starts a recompute (webhook subscriptions are declared for these). */
export const DEAL_TRIGGER_PROPERTIES: string[] = [
  'amount',
  'dealstage',
  'closedate',
  'pipeline',
  'deal_currency_code',
  // pp_referral_source only records where a deal came from: nothing is computed from it.
  ...DEAL_PROPERTIES.filter((p) => !p.output && p.name !== 'pp_referral_source').map((p) => p.name),
];
/** Where the app keeps its signed copy of a deal's registration values (src/security/registration-guard.ts). */
export const REGISTRATION_SEAL_PROPERTY = 'pp_registration_seal';

/** The fields whose values the app alone writes on a deal (pp_protection_status is also an output). */
export const REGISTRATION_OWNED_PROPERTIES = [
  'pp_registration_status',
  'pp_registered_partner_id',
  'pp_registration_submitted_at',
  'pp_registration_submitted_by',
  'pp_registration_decided_at',
  'pp_registration_decided_by',
  'pp_registration_reason',
  'pp_registration_conflict',
  'pp_protection_expires_at',
  'pp_protection_status',
] as const;

/**
 * Deal properties only the app writes and that no one else may change (docs/program.md#who-may-change-what): a change
 * by anyone else starts a recompute, which restores them. Registration fields are also triggers.
 */
export const DEAL_APP_OWNED_PROPERTIES: string[] = [...REGISTRATION_OWNED_PROPERTIES, REGISTRATION_SEAL_PROPERTY];
/** Every deal property the webhook subscriptions name: the inputs, and the app-owned ones (to restore them). */
export const DEAL_WEBHOOK_PROPERTIES: string[] = [...new Set([...DEAL_TRIGGER_PROPERTIES, ...DEAL_APP_OWNED_PROPERTIES])];

/** Company properties whose change recomputes the partner and its deals. */
export const COMPANY_TRIGGER_PROPERTIES: string[] = ['lifecyclestage', ...COMPANY_PROPERTIES.filter((p) => !p.output).map((p) => p.name)];

/**
 * The partner inputs of a company: changed only by partner managers (docs/program.md#who-may-change-what); the
 * app keeps their last accepted values in a seal (src/security/partner-inputs-guard.ts).
 */
export const PARTNER_INPUT_PROPERTIES = [
  'pp_partner_type',
  'pp_consultant_count',
  'pp_annual_co_marketing_investment',
  'pp_commitment_years',
  'pp_annual_sales_volume_potential',
  'pp_agreement_signed',
  'pp_baa_signed',
] as const;
export const PARTNER_INPUTS_SEAL_PROPERTY = 'pp_partner_inputs_seal';
/** Company properties a change of which by someone else the app checks: the partner inputs and their seal. */
export const COMPANY_APP_GUARDED_PROPERTIES: string[] = [...PARTNER_INPUT_PROPERTIES, PARTNER_INPUTS_SEAL_PROPERTY];
/** Every company property the webhook subscriptions name. */
export const COMPANY_WEBHOOK_PROPERTIES: string[] = [...new Set([...COMPANY_TRIGGER_PROPERTIES, ...COMPANY_APP_GUARDED_PROPERTIES])];
/** `pp_payout` properties subscribed to (custom-object `object.propertyChange`): every one, since the app owns them all. */
export const PAYOUT_WEBHOOK_PROPERTIES: string[] = PAYOUT_PROPERTIES.map((p) => p.name);
/** Contact properties subscribed to: portal access, which only the app grants. */
export const CONTACT_WEBHOOK_PROPERTIES: string[] = ['pp_portal_access'];

/**
 * Deal → company association labels (USER_DEFINED). Type ids differ per portal; HubSpot's labels API returns the
 * display label but not the internal name, so the app resolves type ids by label text (mappers.ts).
 */
export const ASSOCIATION_LABELS: { name: (typeof PARTNER_ROLES)[number]; label: string; inverseLabel: string }[] = [
  { name: 'pp_referral_partner', label: 'Referral partner', inverseLabel: 'Referred deal' },
  { name: 'pp_finder', label: 'Finder', inverseLabel: 'Found deal' },
  { name: 'pp_co_selling_partner', label: 'Co-selling partner', inverseLabel: 'Co-sold deal' },
  { name: 'pp_implementation_partner', label: 'Implementation partner', inverseLabel: 'Implemented deal' },
  { name: 'pp_customer_success_partner', label: 'Customer success partner', inverseLabel: 'Customer success deal' },
];

export const ROLE_LABELS: Record<(typeof PARTNER_ROLES)[number], string> = Object.fromEntries(ASSOCIATION_LABELS.map((l) => [l.name, l.label])) as Record<
  (typeof PARTNER_ROLES)[number],
  string
>;

/** `pp_role` of any payout as people read it: the deal roles, plus the payouts that have no deal. */
export const PAYOUT_ROLE_LABELS: Record<PayoutRole, string> = { ...ROLE_LABELS, activity: 'Activity', bonus: 'Annual bonus' };

/** HUBSPOT_DEFINED association type ids used by the app (HubSpot's standard table). */
export const HUBSPOT_ASSOCIATION_TYPES = {
  dealToCompanyPrimary: 5,
  dealToCompany: 341,
  noteToDeal: 214,
  dealToContact: 3,
  contactToCompany: 279,
  noteToCompany: 190,
  noteToContact: 202,
} as const;
