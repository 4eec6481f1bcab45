/**
 * The program configuration: every number of docs/program.md as a documented default, overridable by an admin
 * with a JSON or YAML file named by PARTNER_PROGRAM_CONFIG. Loaded once at start-up; an invalid file stops
 * the process with a message naming the key path (`referralTiers.tier_2.rateBps: ...`).
 *
 * Overrides are deep-merged over the defaults (objects merge key by key, arrays and scalars replace), then
 * the result is validated by one strict zod schema, so an unknown key is refused rather than ignored.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ProgramConfig } from '../engine/program-config.js';
import { ACTIVITY_TYPES } from '../engine/activities.js';
import { PROGRAM_COMPONENTS, CO_MARKETING_TIERS, CO_SELLING_TIERS, PARTNER_TYPES, REFERRAL_KINDS, REFERRAL_TIERS } from '../engine/types.js';
import { ConfigError } from './errors.js';

/** Dollars → cents for the defaults below, so each figure reads as it does in docs/program.md. */
const usd = (dollars: number): number => Math.round(dollars * 100);

/** The defaults: docs/program.md, figure for figure. */
export const DEFAULT_PROGRAM_CONFIG = {
  timeZone: 'UTC',
  portalCurrency: 'USD',
  referralTiers: {
    tier_1: { minConsultants: 50, rateBps: 1200, quarterlyMinimum: 4 },
    tier_2: { minConsultants: 10, rateBps: 1500, quarterlyMinimum: 3 },
    tier_3: { minConsultants: 1, rateBps: 1800, quarterlyMinimum: 2 },
  },
  highPerformer: { thresholdPercent: 125, bonusBps: 200 },
  expansionRateBps: 800,
  referralRules: {
    technology: {
      software_integration: { pays: 'rate', rateBps: 1000 },
      joint_solution: { pays: 'rate', rateBps: 800 },
      customer_expansion: { pays: 'rate', rateBps: 500 },
      technical_consultation: { pays: 'flat_fee' },
    },
    association: {
      member_referral: { pays: 'rate', rateBps: 800 },
      educational_event: { pays: 'flat_fee' },
      research_collaboration: { pays: 'flat_fee' },
      vendor_show: { pays: 'flat_fee' },
    },
    medical_advisor: {
      c_level_referral: { pays: 'flat_fee' },
    },
  },
  coMarketingTiers: [
    { tier: 'platinum', minInvestment: usd(250_000), minCommitmentYears: 3 },
    { tier: 'gold', minInvestment: usd(100_000), minCommitmentYears: 2 },
    { tier: 'silver', minInvestment: usd(25_000), minCommitmentYears: 1 },
  ],
  coSellingTiers: [
    { tier: 'strategic', minSalesVolume: usd(5_000_000) },
    { tier: 'preferred', minSalesVolume: usd(1_000_000) },
    { tier: 'registered', minSalesVolume: usd(250_000) },
  ],
  coSellingRates: {
    pp_finder: { minBps: 1000, maxBps: 1500 },
    pp_co_selling_partner: { minBps: 2000, maxBps: 2500 },
    pp_implementation_partner: { minBps: 500, maxBps: 1000 },
    pp_customer_success_partner: { minBps: 500, maxBps: 1000 },
  },
  retention: { months: 24, rateBps: 100, customerLifecycleStages: ['customer'] },
  registration: { protectionDays: 180, warningDays: 30, pendingExpiryDays: 30 },
  payouts: { healthcarePartnerTypes: ['medical_advisor', 'healthcare_organization'] },
  currencies: {
    USD: {
      referralTierMinimums: { tier_1: usd(500_000), tier_2: usd(250_000), tier_3: usd(100_000) },
      flatFees: {
        technical_consultation: usd(2_500),
        educational_event: usd(1_000),
        research_collaboration: usd(5_000),
        vendor_show: usd(500),
        c_level_referral: usd(5_000),
      },
      fairMarketValueCap: usd(5_000),
      activities: {
        fees: { conference_presentation: usd(2_500), case_study: usd(1_000) },
        retainerRange: { min: usd(25_000), max: usd(50_000) },
        retainerFairMarketValueCap: usd(35_000),
      },
      bonuses: { achievementRange: { min: usd(10_000), max: usd(50_000) }, partnerOfTheYear: usd(25_000) },
    },
  },
  activities: { payingPartnerTypes: ['medical_advisor'] },
  commitments: {
    platinum: { campaigns: 4, contentPieces: 8, events: 6 },
    gold: { campaigns: 2, contentPieces: 4, events: 3 },
    silver: { campaigns: 1, contentPieces: 2, events: 1 },
  },
  /** null: read closed-won stages from the deal pipelines API (closed, won, probability 1.0) and cache them. */
  closedWonStageIds: null,
  /** Who may approve, reject and resolve registrations: HubSpot user ids and/or team ids. */
  partnerManagers: { userIds: [], teamIds: [] },
  /** Who may move payouts scheduled → approved → paid and download the payouts CSV: HubSpot user ids and/or team ids. */
  finance: { userIds: [], teamIds: [] },
  /** docs/program.md#program-performance: the satisfaction each referral tier asks for (null: none), the look-back window. */
  performance: {
    satisfactionMinimums: { tier_1: 8.5, tier_2: null, tier_3: 9.0 },
    windowMonths: 12,
  },
  /** docs/program.md#program-results: annual budgets per program component and the program's annual fixed costs. */
  results: {
    budgets: {
      consultant_tier_1: usd(500_000),
      consultant_tier_2: usd(300_000),
      consultant_tier_3: usd(200_000),
      medical_advisory_board: usd(400_000),
      technology: usd(150_000),
      association: usd(100_000),
    },
    fixedCosts: { platform_development: usd(250_000), program_management: usd(300_000) },
  },
  schedules: {
    reconcileEveryMinutes: 15,
    associationRefreshCron: '0 1 * * *',
    expirySweepCron: '0 2 * * *',
    retentionSweepCron: '30 2 * * *',
    quarterStartCron: '5 0 1 1,4,7,10 *',
    minimumStatusCron: '15 0 * * *',
  },
  /** Where deals submitted through the partner portal are created (a deal pipeline id and one of its stage ids). */
  partnerPortal: { pipeline: 'default', dealStage: 'appointmentscheduled' },
  sync: {
    /** Events for one deal inside this window collapse into one recompute. */
    debounceMs: 2000,
    /** How long a processed webhook eventId is remembered (HubSpot retries for about a day). */
    eventDedupeHours: 72,
  },
} as const;

const nonNegInt = z.number().int().nonnegative();
const positiveInt = z.number().int().positive();
const bps = z.number().int().min(0, 'a rate cannot be negative').max(10_000, 'a rate cannot exceed 10000 bps (100%)');
const minor = z.number().int('money is integer minor units (cents)').nonnegative('an amount cannot be negative');
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD');

const referralTierSchema = z.strictObject({
  minConsultants: positiveInt.describe('fewest consultants at the firm for the tier'),
  rateBps: bps.describe('commission rate on B for a new deal, basis points'),
  quarterlyMinimum: nonNegInt.describe('qualified referrals per quarter the tier asks for'),
});

const kindRuleSchema = z.discriminatedUnion('pays', [
  z.strictObject({ pays: z.literal('rate'), rateBps: bps }),
  z.strictObject({ pays: z.literal('flat_fee') }),
]);

const kindRulesSchema = z.partialRecord(z.enum(REFERRAL_KINDS), kindRuleSchema);

const rangeSchema = z
  .strictObject({ minBps: bps, maxBps: bps })
  .refine((r) => r.minBps <= r.maxBps, { message: 'minBps (bottom of the range) exceeds maxBps (top)' });

const moneyRange = z.strictObject({ min: minor, max: minor }).refine((r) => r.min <= r.max, { message: 'min (bottom of the range) exceeds max (top)' });

const currencySchema = z.strictObject({
  referralTierMinimums: z.strictObject({ tier_1: minor, tier_2: minor, tier_3: minor }),
  flatFees: z.partialRecord(z.enum(REFERRAL_KINDS), minor),
  fairMarketValueCap: minor,
  activities: z
    .strictObject({
      fees: z.partialRecord(z.enum(ACTIVITY_TYPES).exclude(['retainer']), minor).describe('fee per approved activity of a paying type'),
      retainerRange: moneyRange.describe('annual retainer range a partner manager approves within'),
      retainerFairMarketValueCap: minor.describe('a healthcare partner retainer above this is held for anti-kickback review'),
    })
    .optional()
    .describe('activity fees and retainers in this currency; absent: activities in it pay nothing, with the reason'),
  bonuses: z
    .strictObject({
      achievementRange: moneyRange.describe('annual achievement bonus range'),
      partnerOfTheYear: minor.describe('Partner of the Year amount'),
    })
    .optional()
    .describe('annual bonus amounts in this currency; absent: awards in it are refused'),
});

const commitmentSchema = z.strictObject({
  campaigns: nonNegInt.describe('approved joint campaigns a year'),
  contentPieces: nonNegInt.describe('approved content pieces and case studies a year'),
  events: nonNegInt.describe('approved events and conference presentations a year'),
});

/** A score requirement on the 0–10 scale with at most one decimal (8.5), or null for none. */
const scoreMinimum = z
  .number()
  .min(0, 'a score is between 0 and 10')
  .max(10, 'a score is between 0 and 10')
  .refine((n) => Number.isInteger(Math.round(n * 10)) && Math.abs(n * 10 - Math.round(n * 10)) < 1e-9, 'at most one decimal (8.5)')
  .nullable();

const cron = z.string().regex(/^(\S+\s+){4}\S+$/, 'a five-field cron pattern');

export const programConfigSchema = z
  .strictObject({
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as UTC or America/New_York').describe('time zone of the calendar quarters'),
    portalCurrency: currencyCode.describe('currency of company-level figures and of deals without a currency'),
    referralTiers: z.strictObject({ tier_1: referralTierSchema, tier_2: referralTierSchema, tier_3: referralTierSchema }),
    highPerformer: z.strictObject({
      thresholdPercent: positiveInt.describe('referrals ≥ this % of the tier minimum make a high performer'),
      bonusBps: bps.describe('added to the consultant tier rate'),
    }),
    expansionRateBps: bps.describe('rule 2: expansion revenue share'),
    referralRules: z.partialRecord(z.enum(PARTNER_TYPES), kindRulesSchema),
    coMarketingTiers: z
      .array(
        z.strictObject({
          tier: z.enum(CO_MARKETING_TIERS),
          minInvestment: minor,
          minCommitmentYears: nonNegInt,
        }),
      )
      .max(CO_MARKETING_TIERS.length),
    coSellingTiers: z.array(z.strictObject({ tier: z.enum(CO_SELLING_TIERS), minSalesVolume: minor })).max(CO_SELLING_TIERS.length),
    coSellingRates: z.strictObject({
      pp_finder: rangeSchema,
      pp_co_selling_partner: rangeSchema,
      pp_implementation_partner: rangeSchema,
      pp_customer_success_partner: rangeSchema,
    }),
    retention: z.strictObject({
      months: positiveInt,
      rateBps: bps,
      customerLifecycleStages: z.array(z.string().min(1)).min(1),
    }),
    registration: z.strictObject({
      protectionDays: positiveInt,
      warningDays: nonNegInt,
      pendingExpiryDays: positiveInt,
    }),
    payouts: z.strictObject({ healthcarePartnerTypes: z.array(z.enum(PARTNER_TYPES)) }),
    currencies: z.record(currencyCode, currencySchema),
    activities: z.strictObject({
      payingPartnerTypes: z.array(z.enum(PARTNER_TYPES)).describe('partner types whose approved activities are paid'),
    }),
    commitments: z
      .strictObject({ platinum: commitmentSchema, gold: commitmentSchema, silver: commitmentSchema })
      .describe('annual co-marketing minimums by co-marketing tier'),
    closedWonStageIds: z.array(z.string().min(1)).min(1).nullable(),
    partnerManagers: z.strictObject({
      userIds: z.array(z.coerce.string()),
      teamIds: z.array(z.coerce.string()),
    }),
    finance: z.strictObject({
      userIds: z.array(z.coerce.string()).describe('HubSpot user ids of finance users (approve and pay payouts, download the CSV)'),
      teamIds: z.array(z.coerce.string()).describe('HubSpot team ids whose members are finance users'),
    }),
    performance: z.strictObject({
      satisfactionMinimums: z
        .strictObject({ tier_1: scoreMinimum, tier_2: scoreMinimum, tier_3: scoreMinimum })
        .describe('mean client satisfaction each referral tier requires (null: none)'),
      windowMonths: positiveInt.describe('satisfaction and lead quality look back this many months'),
    }),
    results: z.strictObject({
      budgets: z.partialRecord(z.enum(PROGRAM_COMPONENTS), minor).describe('annual budget per program component, portal currency minor units'),
      fixedCosts: z
        .record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a snake_case name'), minor)
        .describe('annual fixed costs added to the program total, pro rata for a shorter period'),
    }),
    schedules: z.strictObject({
      reconcileEveryMinutes: positiveInt,
      associationRefreshCron: cron,
      expirySweepCron: cron,
      retentionSweepCron: cron,
      quarterStartCron: cron,
      minimumStatusCron: cron.describe('daily: recompute the partners whose minimum status moves that day'),
    }),
    sync: z.strictObject({ debounceMs: nonNegInt, eventDedupeHours: positiveInt }),
    partnerPortal: z.strictObject({ pipeline: z.string().min(1), dealStage: z.string().min(1) }),
  })
  .superRefine((c, ctx) => {
    const tiers = REFERRAL_TIERS.map((t) => c.referralTiers[t]);
    for (let i = 1; i < tiers.length; i++) {
      if (tiers[i]!.minConsultants >= tiers[i - 1]!.minConsultants) {
        ctx.addIssue({
          code: 'custom',
          path: ['referralTiers', REFERRAL_TIERS[i]!, 'minConsultants'],
          message: `must be below ${REFERRAL_TIERS[i - 1]}'s minConsultants (${tiers[i - 1]!.minConsultants})`,
        });
      }
    }
    descending(
      ctx,
      'coMarketingTiers',
      c.coMarketingTiers.map((t) => t.minInvestment),
      'minInvestment',
    );
    descending(
      ctx,
      'coSellingTiers',
      c.coSellingTiers.map((t) => t.minSalesVolume),
      'minSalesVolume',
    );
    if (c.registration.warningDays >= c.registration.protectionDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['registration', 'warningDays'],
        message: `must be below protectionDays (${c.registration.protectionDays})`,
      });
    }
    if (!c.currencies[c.portalCurrency]) {
      ctx.addIssue({
        code: 'custom',
        path: ['portalCurrency'],
        message: `${c.portalCurrency} has no entry under currencies`,
      });
    }
    // Activities and bonuses are paid in the portal currency: paying them needs its figures, refused at start.
    const portal = c.currencies[c.portalCurrency];
    if (portal && c.activities.payingPartnerTypes.length > 0 && portal.activities === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['currencies', c.portalCurrency, 'activities'],
        message: `required: activities.payingPartnerTypes pays ${c.activities.payingPartnerTypes.join(', ')} partners in ${c.portalCurrency}`,
      });
    }
    // A kind that pays a flat fee needs that fee in every configured currency: refusing at start is
    // kinder than a zero line on a live deal.
    for (const [type, kinds] of Object.entries(c.referralRules)) {
      for (const [kind, rule] of Object.entries(kinds ?? {})) {
        if (rule?.pays !== 'flat_fee') continue;
        for (const [code, cur] of Object.entries(c.currencies)) {
          if (cur.flatFees[kind as keyof typeof cur.flatFees] === undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['currencies', code, 'flatFees', kind],
              message: `required: referralRules.${type}.${kind} pays a flat fee`,
            });
          }
        }
      }
    }
  });

function descending(ctx: z.RefinementCtx, key: string, values: number[], field: string): void {
  for (let i = 1; i < values.length; i++) {
    if (values[i]! >= values[i - 1]!) {
      ctx.addIssue({
        code: 'custom',
        path: [key, i, field],
        message: `tiers are listed highest first: must be below entry ${i - 1} (${values[i - 1]})`,
      });
    }
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export type AppProgramConfig = z.infer<typeof programConfigSchema>;

/** The validated configuration plus a short hash of it, stamped on every payout record. */
export interface LoadedProgramConfig {
  config: AppProgramConfig & ProgramConfig;
  /** `pp_program_version`: sha256 of the canonical JSON, first 12 hex characters. */
  version: string;
  /** Where it came from, for the start-up log. */
  source: string;
}

/** Validate an override object (already parsed) against the defaults. Throws ConfigError naming the key. */
export function buildProgramConfig(overrides: unknown, source = 'defaults'): LoadedProgramConfig {
  if (overrides !== undefined && overrides !== null && !isPlainObject(overrides)) {
    throw new ConfigError(`${source}: the program configuration must be an object of keys`, []);
  }
  const merged = deepMerge(DEFAULT_PROGRAM_CONFIG, overrides ?? {});
  const result = programConfigSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.flatMap((i) =>
      // Name the unknown key itself, not its parent: "referralTiers.tier_4: unknown key".
      i.code === 'unrecognized_keys' ? i.keys.map((k) => `${formatPath([...i.path, k])}: unknown key`) : [`${formatPath(i.path)}: ${i.message}`],
    );
    throw new ConfigError(`invalid program configuration (${source}):\n  ${problems.join('\n  ')}`, problems);
  }
  // Type check: the validated shape must satisfy what the engine reads.
  const config: AppProgramConfig & ProgramConfig = result.data;
  return { config, version: programVersion(config), source };
}

/** Read PARTNER_PROGRAM_CONFIG (JSON or YAML) if set, else the defaults. */
export function loadProgramConfig(path: string | undefined): LoadedProgramConfig {
  if (!path) return buildProgramConfig(undefined, 'defaults');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`PARTNER_PROGRAM_CONFIG: cannot read ${path}: ${(err as Error).message}`, []);
  }
  let parsed: unknown;
  try {
    parsed = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`PARTNER_PROGRAM_CONFIG: ${path} is not valid JSON/YAML: ${(err as Error).message}`, []);
  }
  return buildProgramConfig(parsed, path);
}

export function programVersion(config: AppProgramConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 12);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays, scalars and null replace. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}
