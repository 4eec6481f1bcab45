/**
 * A deal's commission lines (docs/program.md#commission-lines): one line per (partner, role), roles stacking, at most
 * one paid referral line, the retention bonus scheduled beside it. Pure: the caller passes the deal, its partners,
 * each partner's quarter stats and the validated configuration.
 *
 * Where the rules live: rules 1–5 and 8 in `referral-rules.ts`, rule 6 in `co-selling-rules.ts`, rule 7 in
 * `retentionBonusLine` below, the single-payee and rejected-registration rules in `referralBlocks` below.
 */
import { breakdownText, lineReason } from './breakdown.js';
import { compareIds } from './ids.js';
import { coSellingLine } from './co-selling-rules.js';
import { dealBasis, dealCurrency } from './basis.js';
import { MoneyParseError, applyRate, formatMoney } from './money.js';
import type { ProgramConfig } from './program-config.js';
import { referralLine } from './referral-rules.js';
import { nothing, type DealTerms, type RuleOutcome } from './rule-outcome.js';
import { coSellingTier, referralTier } from './tiers.js';
import {
  CO_SELLING_ROLES,
  PARTNER_ROLES,
  type CommissionLine,
  type CommissionResult,
  type DealPartner,
  type DealSnapshot,
  type Minor,
  type PartnerCompany,
  type PartnerQuarterStats,
  type PartnerRole,
  type Registration,
  type RuleId,
} from './types.js';

export interface CommissionInput {
  deal: DealSnapshot;
  /** The deal's associated companies with their partner roles; companies without a role get no line. */
  partners: DealPartner[];
  /** Quarter stats by partner company id; a partner missing here has 0 qualified referrals. */
  stats: Record<string, PartnerQuarterStats>;
  config: ProgramConfig;
}

/**
 * Above this basis an amount could leave the range where JavaScript numbers are exact integers
 * (rates up to 200% with the bonus, summed over many lines). About 90 billion dollars: no real deal.
 */
const MAX_BASIS: Minor = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

export function computeCommission(input: CommissionInput): CommissionResult {
  const { deal, config } = input;
  const currency = dealCurrency(deal, config);
  const partners = mergePartners(input.partners);
  const settled = dealTerms(input, currency);
  const blocks = referralBlocks(
    partners.filter((p) => p.roles.includes('pp_referral_partner')).map((p) => p.company),
    deal.registration,
  );
  const lines: CommissionLine[] = [];
  for (const { company, roles } of partners) {
    for (const role of roles) {
      if ('blocked' in settled) {
        lines.push(toLine(company, role, settled.blocked, null, currency));
        continue;
      }
      const terms = settled.terms;
      if (role !== 'pp_referral_partner') {
        lines.push(toLine(company, role, coSellingLine(company, role, terms), terms.basis, currency));
        continue;
      }
      const line = toLine(company, role, blocks.get(company.id) ?? referralLine(company, terms), terms.basis, currency);
      lines.push(line);
      if (line.status === 'payable') {
        const bonus = retentionBonusLine(company, terms);
        if (bonus !== null) lines.push(bonus);
      }
    }
  }
  return {
    dealId: deal.id,
    currency,
    lines,
    total: lines.reduce((sum, l) => (l.status === 'payable' ? sum + l.amount : sum), 0),
    breakdown: breakdownText(lines),
    partnerTier: headlinePartnerTier(partners, blocks, config),
  };
}

/**
 * Rule 7: the client retention bonus of the paid referral partner, scheduled now and paid by the retention sweep
 * if the customer is still a customer after the configured months. Not counted in the total. A bonus that
 * rounds to nothing (a 0% rate, a basis of cents) is left out rather than shown as a zero line.
 */
export function retentionBonusLine(company: PartnerCompany, terms: DealTerms): CommissionLine | null {
  const { rateBps, months } = terms.config.retention;
  const amount = applyRate(terms.basis, rateBps);
  if (amount <= 0) return null;
  const outcome: RuleOutcome = {
    pays: 'rate',
    rule: 'rule_7_retention_bonus',
    rateBps,
    why: `client retention bonus, paid if the customer is still a customer ${months} months after close`,
  };
  return {
    partnerId: company.id,
    partnerName: partnerName(company),
    role: 'pp_referral_partner',
    kind: 'retention',
    rule: 'rule_7_retention_bonus',
    currency: terms.currency,
    basis: terms.basis,
    rateBps,
    flatFee: null,
    amount,
    status: 'scheduled',
    reason: lineReason(outcome, terms.basis, amount, terms.currency),
  };
}

/**
 * docs/program.md#deal-partners-and-association-labels and "Deal registration": at most one referral line is paid per deal, and a referral
 * partner whose registration was rejected earns nothing. Returns the zero outcome of every referral partner that
 * is not paid; the one absent from the map is the payee (if any).
 */
export function referralBlocks(referrers: readonly PartnerCompany[], registration: Registration | null): Map<string, RuleOutcome> {
  const blocks = new Map<string, RuleOutcome>();
  const rejected = registration?.status === 'rejected' ? registration.partnerId : null;
  for (const company of referrers) {
    if (company.id !== rejected) continue;
    const why = registration?.reason ? `: ${registration.reason}` : '';
    blocks.set(company.id, nothing('registration_rejected', `the registration of this deal for ${partnerName(company)} was rejected${why}`));
  }
  if (referrers.length < 2) return blocks;
  const approved = registration?.status === 'approved' ? referrers.find((c) => c.id === registration.partnerId) : undefined;
  const why =
    approved === undefined
      ? `${referrers.length} referral partners on this deal and none has an approved registration: a registration decision is needed (only one referral partner is paid per deal)`
      : `only one referral partner is paid per deal: the registration of ${partnerName(approved)} was approved`;
  for (const company of referrers) {
    if (company !== approved && !blocks.has(company.id)) blocks.set(company.id, nothing('referral_single_payee', why));
  }
  return blocks;
}

/**
 * `pp_partner_tier`: the referral partner's referral tier (consultants) or co-selling tier (others), taking the
 * paid referral partner, else the lowest id; with no referral partner, the co-selling tier of the partner with the
 * lowest company id in any co-selling role (docs/program.md#deal-outputs "co-selling-role partner": finder, co-selling, implementation
 * or customer success).
 */
function headlinePartnerTier(partners: readonly DealPartner[], blocks: ReadonlyMap<string, RuleOutcome>, config: ProgramConfig): string | null {
  const referrers = partners.filter((p) => p.roles.includes('pp_referral_partner')).map((p) => p.company);
  const referrer = referrers.find((c) => !blocks.has(c.id)) ?? referrers[0];
  if (referrer !== undefined) {
    return referrer.partnerType?.trim() === 'consultant' ? referralTier(referrer, config).value : coSellingTier(referrer, config).value;
  }
  const coSeller = partners.find((p) => p.roles.some((r) => (CO_SELLING_ROLES as readonly PartnerRole[]).includes(r)));
  return coSeller === undefined ? null : coSellingTier(coSeller.company, config).value;
}

type SettledTerms = { terms: DealTerms } | { blocked: RuleOutcome };

/** The deal-level facts, or the one reason every line of the deal is zero (no configured currency, no basis). */
function dealTerms(input: CommissionInput, currency: string): SettledTerms {
  const { deal, config } = input;
  const currencyConfig = config.currencies[currency];
  if (currencyConfig === undefined) return blocked('currency_not_configured', `no configuration for ${currency}`);
  let basis: Minor | null;
  try {
    basis = dealBasis(deal, currency);
  } catch (err) {
    if (err instanceof MoneyParseError) return blocked('basis_missing', err.message);
    throw err;
  }
  if (basis === null) return blocked('basis_missing', 'deal has no amount or first-year contract value');
  if (basis < 0) return blocked('basis_missing', `the commission basis ${formatMoney(basis, currency)} is negative`);
  if (basis > MAX_BASIS) {
    return blocked('basis_missing', `the commission basis ${formatMoney(basis, currency)} is too large to compute exactly`);
  }
  const dealType = deal.dealType?.trim() ?? '';
  return {
    terms: {
      config,
      currency,
      currencyConfig,
      basis,
      dealType: dealType === '' ? 'new' : dealType,
      referralKind: deal.referralKind?.trim() ?? '',
      stats: input.stats,
    },
  };
}

function blocked(rule: RuleId, why: string): SettledTerms {
  return { blocked: nothing(rule, why) };
}

function toLine(company: PartnerCompany, role: PartnerRole, outcome: RuleOutcome, basis: Minor | null, currency: string): CommissionLine {
  const amount = amountOf(outcome, basis);
  const pays = amount > 0 && outcome.pays !== 'nothing';
  return {
    partnerId: company.id,
    partnerName: partnerName(company),
    role,
    kind: 'commission',
    rule: outcome.rule,
    currency,
    basis,
    rateBps: pays && outcome.pays === 'rate' ? outcome.rateBps : null,
    flatFee: pays && outcome.pays === 'flat_fee' ? outcome.flatFee : null,
    amount,
    status: pays ? 'payable' : 'zero',
    reason: lineReason(outcome, basis, amount, currency),
  };
}

function amountOf(outcome: RuleOutcome, basis: Minor | null): Minor {
  switch (outcome.pays) {
    case 'nothing':
      return 0;
    case 'flat_fee':
      return outcome.flatFee;
    case 'rate':
      return basis === null ? 0 : applyRate(basis, outcome.rateBps);
  }
}

/**
 * One entry per company, sorted by company id (numerically when numeric) with its roles in PARTNER_ROLES order,
 * so the same deal always gives the same lines in the same order.
 */
function mergePartners(partners: readonly DealPartner[]): DealPartner[] {
  const byId = new Map<string, { company: PartnerCompany; roles: Set<PartnerRole> }>();
  for (const p of partners) {
    const entry = byId.get(p.company.id) ?? { company: p.company, roles: new Set<PartnerRole>() };
    for (const role of p.roles) entry.roles.add(role);
    byId.set(p.company.id, entry);
  }
  return [...byId.values()]
    .map(({ company, roles }) => ({ company, roles: PARTNER_ROLES.filter((r) => roles.has(r)) }))
    .filter((p) => p.roles.length > 0)
    .sort((a, b) => compareIds(a.company.id, b.company.id));
}

function partnerName(company: PartnerCompany): string {
  return company.name.trim() === '' ? `Company ${company.id}` : company.name;
}
