/**
 * Program results for a period (docs/program.md#program-results), read from the CRM: the payouts frozen in the period
 * (cost), the deals closed-won in it and their payouts (revenue), then the pure `programResults`. Shared by the
 * app home page, the CSV route and `npm run results:export`.
 *
 * Payouts frozen before `pp_program_component` existed get a derived component (their partner as it is now and
 * their deal's type: `derivedComponent`); the answer says how many were derived.
 */
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { formatMoney, toMajorString } from '../engine/money.js';
import { derivedComponent, periodBounds, programResults, type ProgramResults, type ResultsPeriod } from '../engine/results.js';
import type { PayoutRecord, ProgramComponent } from '../engine/types.js';
import { PayloadError } from '../errors.js';
import { searchDeals } from '../hubspot/deals.js';
import { toDealSnapshot, toPartnerCompany, toPayoutRecord } from '../hubspot/mappers.js';
import { searchPayouts } from '../hubspot/payouts.js';
import type { SyncContext } from './sync-context.js';

export interface ProgramResultsReport {
  results: ProgramResults;
  /** Payouts whose component was derived (frozen before `pp_program_component` was recorded). */
  derived: number;
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d, { zone: 'UTC' }).isValid, 'not a calendar day');

/** `from` and `to` (YYYY-MM-DD, both included); both absent: the current calendar year in the program time zone. */
export function parseResultsPeriod(raw: { from?: unknown; to?: unknown }, now: number, timeZone: string): ResultsPeriod {
  const empty = (v: unknown) => v === undefined || v === null || v === '';
  if (empty(raw.from) && empty(raw.to)) {
    const year = DateTime.fromMillis(now, { zone: timeZone }).year;
    return { from: `${year}-01-01`, to: `${year}-12-31` };
  }
  const parsed = z
    .object({ from: isoDate, to: isoDate })
    .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
    .safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
    throw new PayloadError(`invalid results period: ${issues.join('; ')}`, issues);
  }
  return parsed.data;
}

export async function loadProgramResults(ctx: SyncContext, period: ResultsPeriod): Promise<ProgramResultsReport> {
  const { hs } = ctx;
  const config = ctx.program.config;
  const { fromMs, beforeMs } = periodBounds(period, config.timeZone);
  const [objectType, stages] = await Promise.all([ctx.payouts.objectType(), ctx.portal.stages()]);

  const payouts = new Map<string, PayoutRecord>();
  const keep = (props: Record<string, string | null | undefined>) => {
    const p = toPayoutRecord(props);
    if (p) payouts.set(p.key, p);
  };
  // Cost: payouts frozen in the period.
  for await (const page of searchPayouts(hs, objectType, { frozenFrom: fromMs, frozenBefore: beforeMs })) page.forEach((r) => keep(r.properties));
  // Revenue: deals closed-won in the period, and every payout of theirs (frozen whenever).
  const wonIds: string[] = [];
  const won = [...stages.closedWon];
  if (won.length > 0) {
    const request = {
      filterGroups: [
        {
          filters: [
            { propertyName: 'dealstage', operator: 'IN' as const, values: won },
            { propertyName: 'closedate', operator: 'GTE' as const, value: String(fromMs) },
            { propertyName: 'closedate', operator: 'LT' as const, value: String(beforeMs) },
          ],
        },
      ],
      properties: ['dealstage'],
    };
    for await (const page of searchDeals(hs, request)) wonIds.push(...page.map((d) => d.id));
  }
  for (let i = 0; i < wonIds.length; i += 100) {
    for await (const page of searchPayouts(hs, objectType, { dealIds: wonIds.slice(i, i + 100) })) page.forEach((r) => keep(r.properties));
  }

  const list = [...payouts.values()];
  const dealIds = [...new Set(list.map((p) => p.dealId).filter((id) => id !== ''))];
  const dealRecords = await ctx.crm.deals(dealIds);
  const deals = new Map(dealRecords.flatMap((r) => (r ? [[r.id, toDealSnapshot(r.id, r.properties, { stages, customerCompanyId: null })] as const] : [])));
  const missing = list.filter((p) => !p.programComponent);
  const partnerIds = [...new Set(missing.map((p) => p.partnerId))];
  const partners = new Map((await ctx.crm.companies(partnerIds)).flatMap((c) => (c ? [[c.id, toPartnerCompany(c.id, c.properties)] as const] : [])));
  const withComponents = list.map((p) => ({
    ...p,
    component: (p.programComponent ?? derivedComponent(p, partners.get(p.partnerId), deals.get(p.dealId), config)) as ProgramComponent,
  }));
  return { results: programResults({ period, payouts: withComponents, deals, config }), derived: missing.length };
}

export const RESULTS_CSV_HEADER = ['Component', 'Currency', 'Revenue', 'Deals', 'Cost', 'Payouts', 'ROI %', 'Budget', 'Budget used %'] as const;

/** Human names of the components (the table, the chart and the CSV). */
export const COMPONENT_LABELS: Record<ProgramComponent, string> = {
  consultant_tier_1: 'Consultant tier 1',
  consultant_tier_2: 'Consultant tier 2',
  consultant_tier_3: 'Consultant tier 3',
  medical_advisory_board: 'Medical advisory board',
  technology: 'Technology partners',
  association: 'Associations',
  expansion: 'Expansion revenue share',
  co_selling: 'Co-selling',
  other: 'Other',
};

/**
 * The results as CSV (RFC 4180, CRLF): one row per component, the fixed costs, the program total, then any other
 * currency on its own row (never converted). Amounts are plain decimals in major units ("1000000.00").
 */
export function resultsCsv(results: ProgramResults): string {
  const c = results.currency;
  const money = (m: number | null) => (m === null ? '' : toMajorString(m, c));
  const pct = (p: number | null) => (p === null ? '' : String(p));
  const rows: string[][] = results.components.map((r) => [
    COMPONENT_LABELS[r.component],
    c,
    money(r.revenue),
    String(r.deals),
    money(r.cost),
    String(r.payouts),
    pct(r.roiPercent),
    money(r.budget),
    pct(r.budgetUsedPercent),
  ]);
  for (const f of results.fixedCosts) rows.push([`Fixed cost: ${f.name.replace(/_/g, ' ')}`, c, '', '', money(f.amount), '', '', money(f.annual), '']);
  const t = results.total;
  rows.push(['Program total', c, money(t.revenue), String(t.deals), money(t.cost), '', pct(t.roiPercent), money(t.budget), pct(t.budgetUsedPercent)]);
  for (const o of results.otherCurrencies) {
    rows.push([
      `Not converted: ${o.dealNames.join('; ')}`,
      o.currency,
      toMajorString(o.revenue, o.currency),
      String(o.deals),
      toMajorString(o.cost, o.currency),
      String(o.payouts),
      '',
      '',
      '',
    ]);
  }
  return stringify([[...RESULTS_CSV_HEADER], ...rows.map((r) => r.map(spreadsheetSafe))], { record_delimiter: 'windows' });
}

/**
 * OWASP "CSV injection": a text cell starting with =, +, -, @, tab or CR would run as a formula. Numbers (a
 * negative cost after a claw-back) are left as they are. A shared helper is coming with the authority work
 * (issue 11); this minimal copy keeps the results export safe until then.
 */
function spreadsheetSafe(cell: string): string {
  if (/^-?\d+(\.\d+)?$/.test(cell)) return cell;
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** The download's file name: `program-results-2026-01-01-to-2026-12-31.csv`. */
export function resultsFileName(period: ResultsPeriod): string {
  return `program-results-${period.from}-to-${period.to}.csv`;
}

/** One line per component for a terminal or a README (the figures of the table, formatted). */
export function resultsText(results: ProgramResults): string {
  const c = results.currency;
  const pct = (p: number | null) => (p === null ? '—' : `${p}%`);
  const lines = [
    `Program results ${results.period.from} to ${results.period.to} (${c})`,
    `${'component'.padEnd(26)}${'revenue'.padStart(17)}${'cost'.padStart(16)}${'ROI'.padStart(8)}${'budget'.padStart(16)}${'used'.padStart(7)}`,
  ];
  for (const r of results.components) {
    lines.push(
      `${COMPONENT_LABELS[r.component].padEnd(26)}${formatMoney(r.revenue, c).padStart(17)}${formatMoney(r.cost, c).padStart(16)}${pct(r.roiPercent).padStart(8)}${(r.budget === null ? '—' : formatMoney(r.budget, c)).padStart(16)}${pct(r.budgetUsedPercent).padStart(7)}`,
    );
  }
  for (const f of results.fixedCosts)
    lines.push(`${`fixed: ${f.name.replace(/_/g, ' ')}`.padEnd(26)}${''.padStart(17)}${formatMoney(f.amount, c).padStart(16)}`);
  const t = results.total;
  lines.push(
    `${'Program total'.padEnd(26)}${formatMoney(t.revenue, c).padStart(17)}${formatMoney(t.cost, c).padStart(16)}${pct(t.roiPercent).padStart(8)}${formatMoney(t.budget, c).padStart(16)}${pct(t.budgetUsedPercent).padStart(7)}`,
  );
  for (const o of results.otherCurrencies) {
    lines.push(
      `not converted (${o.currency}): revenue ${formatMoney(o.revenue, o.currency)}, cost ${formatMoney(o.cost, o.currency)}: ${o.dealNames.join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
