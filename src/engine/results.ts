/**
 * Program results (docs/program.md#program-results): which program component a payout belongs to, and per component
 * for a period the partner-sourced revenue, the cost, ROI, the budget and how much of it is used; the program
 * total adds the fixed costs, pro rata for a period shorter than a year.
 *
 * Money is integer minor units of the portal currency; percentages are whole, rounded half-even once. Deals and
 * payouts in another currency are never converted: they are counted apart and named.
 */
import { DateTime } from 'luxon';
import { dealBasis, dealCurrency } from './basis.js';
import { MoneyParseError, roundHalfEven } from './money.js';
import type { ProgramConfig } from './program-config.js';
import { referralTier } from './tiers.js';
import {
  PROGRAM_COMPONENTS,
  type CommissionLine,
  type DealSnapshot,
  type Instant,
  type Minor,
  type PartnerCompany,
  type PayoutRecord,
  type ProgramComponent,
} from './types.js';

type ComponentConfig = ProgramConfig;

/**
 * "Anything else by the partner's type" (bonuses, retention bonuses, activities): consultants by their tier at
 * that moment, medical advisors to the advisory board, everyone else `other`.
 */
export function componentForPartner(partner: PartnerCompany | undefined, config: ComponentConfig): ProgramComponent {
  const type = partner?.partnerType?.trim() ?? '';
  if (partner && type === 'consultant') {
    const tier = referralTier(partner, config).value;
    return tier === null ? 'other' : `consultant_${tier}`;
  }
  if (type === 'medical_advisor') return 'medical_advisory_board';
  return 'other';
}

/** The component of a commission line being frozen, from the rule that made it and the partner at that moment. */
export function componentForLine(line: Pick<CommissionLine, 'rule' | 'kind'>, partner: PartnerCompany | undefined, config: ComponentConfig): ProgramComponent {
  if (line.kind === 'retention') return componentForPartner(partner, config);
  switch (line.rule) {
    case 'rule_1_consultant_referral':
      return componentForPartner(partner, config);
    case 'rule_2_expansion':
      return 'expansion';
    case 'rule_3_technology_referral':
      return 'technology';
    case 'rule_4_association_referral':
      return 'association';
    case 'rule_5_medical_advisor_referral':
      return 'medical_advisory_board';
    case 'rule_6_co_selling':
      return 'co_selling';
    default:
      return componentForPartner(partner, config);
  }
}

/**
 * A payout frozen before `pp_program_component` existed: derived from its role, its deal's type and the partner
 * as it is now (its tier then is not recorded anywhere). Documented in docs/performance.md.
 */
export function derivedComponent(
  payout: Pick<PayoutRecord, 'role' | 'kind'>,
  partner: PartnerCompany | undefined,
  deal: Pick<DealSnapshot, 'dealType'> | undefined,
  config: ComponentConfig,
): ProgramComponent {
  const role = payout.role as string;
  if (role !== 'pp_referral_partner') return role.startsWith('pp_') ? 'co_selling' : componentForPartner(partner, config);
  if (payout.kind === 'retention') return componentForPartner(partner, config);
  if ((deal?.dealType?.trim() ?? '') === 'expansion') return 'expansion';
  switch (partner?.partnerType?.trim()) {
    case 'technology':
      return 'technology';
    case 'association':
      return 'association';
    default:
      return componentForPartner(partner, config);
  }
}

/** A period of whole days in the program time zone, `from` and `to` (YYYY-MM-DD) both included. */
export interface ResultsPeriod {
  from: string;
  to: string;
}

export interface ResultsInput {
  period: ResultsPeriod;
  /** Every payout whose deal closed in the period or that was frozen in it; each with its component. */
  payouts: readonly (PayoutRecord & { component: ProgramComponent })[];
  /** The deals of those payouts (closed-won or not), by id. */
  deals: ReadonlyMap<string, Pick<DealSnapshot, 'id' | 'name' | 'amount' | 'firstYearContractValue' | 'currency' | 'isClosedWon' | 'closeDate'>>;
  config: Pick<ProgramConfig, 'timeZone' | 'portalCurrency' | 'results'>;
}

export interface ComponentResult {
  component: ProgramComponent;
  /** Basis B of the deals closed-won in the period with a non-reversed payout of this component. */
  revenue: Minor;
  deals: number;
  /** Non-reversed payouts frozen in the period. */
  cost: Minor;
  payouts: number;
  /** Revenue ÷ cost, whole percent; null when the cost is zero. */
  roiPercent: number | null;
  /** The configured budget for the period; null when none is configured. */
  budget: Minor | null;
  /** Cost ÷ budget, whole percent; null without a budget. */
  budgetUsedPercent: number | null;
}

export interface ProgramResults {
  period: ResultsPeriod & { days: number };
  currency: string;
  components: ComponentResult[];
  fixedCosts: { name: string; annual: Minor; amount: Minor }[];
  total: {
    /** Each deal counted once, however many components it fed. */
    revenue: Minor;
    deals: number;
    /** Components' cost plus the fixed costs. */
    cost: Minor;
    roiPercent: number | null;
    budget: Minor;
    budgetUsedPercent: number | null;
  };
  /** Deals and payouts in other currencies: counted apart, named, never converted. */
  otherCurrencies: { currency: string; revenue: Minor; deals: number; cost: Minor; payouts: number; dealNames: string[] }[];
  /** Deals left out with why (a basis that is not a number). */
  skipped: string[];
}

/** Whole percent, half-even: 2,000,000 on 500,000 is 400. Null when the denominator is zero. */
export function wholePercent(numerator: Minor, denominator: Minor): number | null {
  if (denominator <= 0) return null;
  return Number(roundHalfEven(BigInt(numerator) * 100n, BigInt(denominator)));
}

/** The period's instants and its share of each calendar year it touches. */
export function periodBounds(
  period: ResultsPeriod,
  timeZone: string,
): { fromMs: Instant; beforeMs: Instant; days: number; years: { year: number; days: number; daysInYear: number }[] } {
  const from = DateTime.fromISO(period.from, { zone: timeZone }).startOf('day');
  const after = DateTime.fromISO(period.to, { zone: timeZone }).startOf('day').plus({ days: 1 });
  const years: { year: number; days: number; daysInYear: number }[] = [];
  for (let y = from.year; y <= after.minus({ days: 1 }).year; y++) {
    const yStart = DateTime.fromObject({ year: y, month: 1, day: 1 }, { zone: timeZone });
    const yEnd = yStart.plus({ years: 1 });
    const s = from > yStart ? from : yStart;
    const e = after < yEnd ? after : yEnd;
    years.push({ year: y, days: Math.round(e.diff(s, 'days').days), daysInYear: Math.round(yEnd.diff(yStart, 'days').days) });
  }
  return { fromMs: from.toMillis(), beforeMs: after.toMillis(), days: Math.round(after.diff(from, 'days').days), years };
}

/**
 * An annual figure for the period: the share of each calendar year the period covers (days ÷ days in that
 * year), summed and rounded half-even once. A whole calendar year is the annual figure itself.
 */
export function proRata(annual: Minor, years: readonly { days: number; daysInYear: number }[]): Minor {
  // Common denominator of 365 and 366 so the sum stays exact before its one rounding.
  const D = 365n * 366n;
  const numerator = years.reduce((sum, y) => sum + BigInt(y.days) * (D / BigInt(y.daysInYear)), 0n);
  return Number(roundHalfEven(BigInt(annual) * numerator, D));
}

export function programResults(input: ResultsInput): ProgramResults {
  const { config, period } = input;
  const currency = config.portalCurrency;
  const bounds = periodBounds(period, config.timeZone);
  const inPeriod = (t: Instant | null): boolean => t !== null && t >= bounds.fromMs && t < bounds.beforeMs;

  const rows = new Map<ProgramComponent, { revenue: Minor; deals: Set<string>; cost: Minor; payouts: number }>(
    PROGRAM_COMPONENTS.map((c) => [c, { revenue: 0, deals: new Set<string>(), cost: 0, payouts: 0 }]),
  );
  const totalDeals = new Map<string, Minor>();
  const other = new Map<string, { revenue: Minor; deals: Map<string, string>; cost: Minor; payouts: number }>();
  const otherOf = (code: string) => {
    let o = other.get(code);
    if (!o) other.set(code, (o = { revenue: 0, deals: new Map(), cost: 0, payouts: 0 }));
    return o;
  };
  const skipped = new Set<string>();
  const bases = new Map<string, { currency: string; basis: Minor | null }>();
  const basisOf = (dealId: string) => {
    let b = bases.get(dealId);
    if (b) return b;
    const deal = input.deals.get(dealId);
    if (!deal) return { currency, basis: null };
    const code = dealCurrency(deal, config);
    try {
      b = { currency: code, basis: dealBasis(deal, code) };
    } catch (err) {
      if (!(err instanceof MoneyParseError)) throw err;
      skipped.add(`${deal.name}: ${err.message}`);
      b = { currency: code, basis: null };
    }
    bases.set(dealId, b);
    return b;
  };

  for (const p of input.payouts) {
    if (p.status === 'reversed') continue;
    const row = rows.get(p.component)!;
    if (inPeriod(p.frozenAt)) {
      if (p.currency === currency) {
        row.cost += p.amount;
        row.payouts += 1;
      } else {
        const o = otherOf(p.currency);
        o.cost += p.amount;
        o.payouts += 1;
      }
    }
    const deal = p.dealId === '' ? undefined : input.deals.get(p.dealId);
    if (!deal || !deal.isClosedWon || !inPeriod(deal.closeDate)) continue;
    const { currency: code, basis } = basisOf(deal.id);
    if (basis === null) continue;
    if (code !== currency) {
      const o = otherOf(code);
      if (!o.deals.has(deal.id)) {
        o.deals.set(deal.id, deal.name);
        o.revenue += basis;
      }
      continue;
    }
    if (!row.deals.has(deal.id)) {
      row.deals.add(deal.id);
      row.revenue += basis;
    }
    totalDeals.set(deal.id, basis);
  }

  const yearsTouched = bounds.years.length;
  const components: ComponentResult[] = PROGRAM_COMPONENTS.map((component) => {
    const r = rows.get(component)!;
    const annual = config.results.budgets[component];
    // The annual budget for each calendar year the period touches (a quarter uses up part of the year's budget).
    const budget = annual === undefined ? null : annual * yearsTouched;
    return {
      component,
      revenue: r.revenue,
      deals: r.deals.size,
      cost: r.cost,
      payouts: r.payouts,
      roiPercent: wholePercent(r.revenue, r.cost),
      budget,
      budgetUsedPercent: budget === null ? null : wholePercent(r.cost, budget),
    };
  });
  const fixedCosts = Object.entries(config.results.fixedCosts).map(([name, annual]) => ({ name, annual, amount: proRata(annual, bounds.years) }));
  const revenue = [...totalDeals.values()].reduce((a, b) => a + b, 0);
  const cost = components.reduce((a, c) => a + c.cost, 0) + fixedCosts.reduce((a, f) => a + f.amount, 0);
  const budget = components.reduce((a, c) => a + (c.budget ?? 0), 0) + fixedCosts.reduce((a, f) => a + f.annual * yearsTouched, 0);
  return {
    period: { ...period, days: bounds.days },
    currency,
    components,
    fixedCosts,
    total: { revenue, deals: totalDeals.size, cost, roiPercent: wholePercent(revenue, cost), budget, budgetUsedPercent: wholePercent(cost, budget) },
    otherCurrencies: [...other.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([code, o]) => ({
        currency: code,
        revenue: o.revenue,
        deals: o.deals.size,
        cost: o.cost,
        payouts: o.payouts,
        dealNames: [...o.deals.values()].sort(),
      })),
    skipped: [...skipped].sort(),
  };
}
