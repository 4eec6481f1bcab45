/**
 * The payouts CSV for accounts payable (docs/program.md#payouts: export for a period). One row per `pp_payout`
 * record whose `pp_frozen_at` falls in the period; the period's days are whole days in the program time zone,
 * `from` and `to` both included. Deal names, close dates and partner names are read alongside, in batches.
 *
 * The file is RFC 4180 (csv-stringify: CRLF line ends, fields with a comma, quote or line break quoted, quotes
 * doubled). Amounts are plain decimals in major units with the currency's ISO 4217 decimals ("125000.00" USD,
 * "450000" JPY), never a formatted or converted figure. Text columns that a spreadsheet would run as a formula
 * (=, +, -, @, tab or CR first) are prefixed with an apostrophe by src/security/csv-cell.ts; amounts the app
 * formatted stay numbers (an adjustment is negative).
 */
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { toMajorString } from '../engine/money.js';
import { formatDay } from '../engine/protection.js';
import { PAYOUT_STATUSES, type PayoutRecord, type PayoutStatus } from '../engine/types.js';
import { PayloadError } from '../errors.js';
import { readCompanies } from '../hubspot/companies.js';
import { readDeals } from '../hubspot/deals.js';
import { parseInstant, toPayoutRecord } from '../hubspot/mappers.js';
import { searchPayouts } from '../hubspot/payouts.js';
import { PAYOUT_ROLE_LABELS } from '../hubspot/properties.js';
import { csvIdCell, csvNumberCell, csvTextCell } from '../security/csv-cell.js';
import type { SyncContext } from './sync-context.js';

export interface PayoutExportQuery {
  /** YYYY-MM-DD, first day of the period (program time zone), included. */
  from: string;
  /** YYYY-MM-DD, last day of the period, included. */
  to: string;
  /** Only these statuses; all when absent. */
  statuses?: PayoutStatus[] | undefined;
  /** Only this partner company. */
  partnerId?: string | undefined;
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d, { zone: 'UTC' }).isValid, 'not a calendar day');

const rawQuerySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    status: z
      .string()
      .optional()
      .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.split(',').map((x) => x.trim())))
      .pipe(z.array(z.enum(PAYOUT_STATUSES)).min(1).optional()),
    partnerId: z
      .string()
      .optional()
      .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()))
      .pipe(z.string().regex(/^\d+$/, 'a HubSpot company id').optional()),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

/** Validates `from`, `to`, `status` (one status or a comma-separated list) and `partnerId`; PayloadError (400) otherwise. */
export function parseExportQuery(raw: unknown): PayoutExportQuery {
  const parsed = rawQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`);
    throw new PayloadError(`invalid export query: ${issues.join('; ')}`, issues);
  }
  const { from, to, status, partnerId } = parsed.data;
  return { from, to, statuses: status, partnerId };
}

/** The period as instants: from the start of `from` to the start of the day after `to`, in the program time zone. */
export function exportPeriod(from: string, to: string, timeZone: string): { fromMs: number; beforeMs: number } {
  return {
    fromMs: DateTime.fromISO(from, { zone: timeZone }).startOf('day').toMillis(),
    beforeMs: DateTime.fromISO(to, { zone: timeZone }).startOf('day').plus({ days: 1 }).toMillis(),
  };
}

export const CSV_HEADER = [
  'Payout key',
  'Deal ID',
  'Deal name',
  'Partner ID',
  'Partner name',
  'Role',
  'Amount',
  'Currency',
  'Status',
  'Hold reason',
  'Close date',
  'Frozen at',
] as const;

export interface PayoutExportRow {
  payout: PayoutRecord;
  dealName: string;
  /** Epoch ms, or null when the deal has none (or is gone). */
  closeDate: number | null;
  partnerName: string;
}

export interface ExportProgress {
  stage: 'payouts' | 'details';
  /** Payouts found so far (payouts) or records being looked up (details). */
  count: number;
}

export interface PayoutExportSummary {
  rows: number;
  byStatus: Partial<Record<PayoutStatus, number>>;
  /** Sum of the amounts not reversed, per currency, major units ("125000.00"). */
  totals: Record<string, string>;
}

export interface PayoutExport {
  csv: string;
  rows: PayoutExportRow[];
  summary: PayoutExportSummary;
}

/** Rows in the order finance reads them: by freeze time, then by key. */
export async function exportPayouts(
  ctx: Pick<SyncContext, 'hs' | 'program' | 'payouts'>,
  query: PayoutExportQuery,
  opts: { onProgress?: (p: ExportProgress) => void } = {},
): Promise<PayoutExport> {
  const { timeZone } = ctx.program.config;
  const { fromMs, beforeMs } = exportPeriod(query.from, query.to, timeZone);
  // The payout store resolves the portal's `pp_payout` objectTypeId once per process.
  const objectType = await ctx.payouts.objectType();

  const payouts = new Map<string, PayoutRecord>();
  const filters = {
    frozenFrom: fromMs,
    frozenBefore: beforeMs,
    ...(query.statuses ? { statuses: query.statuses } : {}),
    ...(query.partnerId ? { partnerId: query.partnerId } : {}),
  };
  for await (const page of searchPayouts(ctx.hs, objectType, filters)) {
    for (const r of page) {
      const payout = toPayoutRecord(r.properties);
      // Search filters are trusted only as far as they go: the period and filters are checked again here.
      if (payout && payout.frozenAt >= fromMs && payout.frozenAt < beforeMs) payouts.set(payout.key, payout);
    }
    opts.onProgress?.({ stage: 'payouts', count: payouts.size });
  }

  const list = [...payouts.values()].sort((a, b) => a.frozenAt - b.frozenAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // Activity and bonus payouts have no deal: nothing to read for them.
  const dealIds = [...new Set(list.map((p) => p.dealId).filter((id) => id !== ''))];
  const partnerIds = [...new Set(list.map((p) => p.partnerId))];
  opts.onProgress?.({ stage: 'details', count: dealIds.length + partnerIds.length });
  const [deals, companies] = await Promise.all([
    dealIds.length > 0 ? readDeals(ctx.hs, dealIds, ['dealname', 'closedate']) : new Map(),
    partnerIds.length > 0 ? readCompanies(ctx.hs, partnerIds, ['name']) : new Map(),
  ]);

  const rows: PayoutExportRow[] = list.map((payout) => {
    const deal = deals.get(payout.dealId);
    return {
      payout,
      // With no deal, the "Deal name" cell says what the payout is for: the first line of its explanation.
      dealName: payout.dealId === '' ? (payout.explanation.split('\n')[0] ?? '') : (deal?.properties.dealname ?? ''),
      closeDate: parseInstant(deal?.properties.closedate),
      partnerName: companies.get(payout.partnerId)?.properties.name ?? '',
    };
  });
  return { csv: payoutsCsv(rows, timeZone), rows, summary: summarize(rows) };
}

/** The CSV text, header included (RFC 4180, CRLF). */
export function payoutsCsv(rows: readonly PayoutExportRow[], timeZone: string): string {
  // Every text cell goes through csvTextCell / csvIdCell: a payout record's key, ids and currency are CRM
  // fields someone could have edited before the app restored them, so none is trusted to be formula-free.
  const records = rows.map(({ payout: p, dealName, closeDate, partnerName }) => [
    csvTextCell(p.key),
    csvIdCell(p.dealId),
    csvTextCell(dealName),
    csvIdCell(p.partnerId),
    csvTextCell(partnerName),
    csvTextCell(PAYOUT_ROLE_LABELS[p.role] ?? p.role),
    csvNumberCell(toMajorString(p.amount, p.currency)),
    csvTextCell(p.currency),
    csvTextCell(p.status),
    csvTextCell(p.holdReason ?? ''),
    closeDate === null ? '' : formatDay(closeDate, timeZone),
    new Date(p.frozenAt).toISOString(),
  ]);
  return stringify([[...CSV_HEADER], ...records], { record_delimiter: 'windows' });
}

function summarize(rows: readonly PayoutExportRow[]): PayoutExportSummary {
  const byStatus: Partial<Record<PayoutStatus, number>> = {};
  const sums = new Map<string, number>();
  for (const { payout: p } of rows) {
    byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
    if (p.status !== 'reversed') sums.set(p.currency, (sums.get(p.currency) ?? 0) + p.amount);
  }
  const totals = Object.fromEntries([...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, m]) => [c, toMajorString(m, c)]));
  return { rows: rows.length, byStatus, totals };
}

/** The download's file name: `partner-payouts-2026-10-01-to-2026-10-31.csv`. */
export function exportFileName(query: Pick<PayoutExportQuery, 'from' | 'to'>): string {
  return `partner-payouts-${query.from}-to-${query.to}.csv`;
}
