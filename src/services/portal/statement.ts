/**
 * A partner's payout statement as CSV (docs/program.md#partner-portal: "its payout statement as CSV"): its own
 * payouts frozen in a period (whole days in the program's time zone, both ends included), one row per payout,
 * RFC 4180 through csv-stringify like the finance export. Text cells a spreadsheet would run as a formula are
 * neutralised (a local copy of the rule in export-payouts.ts: a shared CSV-cell helper is on its way).
 */
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { toMajorString } from '../../engine/money.js';
import { PayloadError } from '../../errors.js';
import { listPayouts } from './partner-view.js';
import type { PortalContext } from './portal-context.js';

export const STATEMENT_HEADER = [
  'payout_key',
  'deal_id',
  'deal_name',
  'role',
  'status',
  'amount',
  'currency',
  'frozen_on',
  'hold_reason',
  'explanation',
] as const;

/** OWASP "CSV injection": a cell starting with one of these runs as a formula in Excel and Sheets. */
export function neutraliseCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export interface StatementPeriod {
  from: string;
  to: string;
}

export function parsePeriod(pc: PortalContext, from: unknown, to: unknown): StatementPeriod & { startMs: number; endMs: number } {
  const tz = pc.ctx.program.config.timeZone;
  const day = (v: unknown, what: string) => {
    const text = typeof v === 'string' ? v.trim() : '';
    const d = DateTime.fromISO(text, { zone: tz });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !d.isValid) throw new PayloadError(`${what} must be a date as YYYY-MM-DD.`);
    return d;
  };
  const start = day(from, 'from');
  const end = day(to, 'to');
  if (end < start) throw new PayloadError('The period ends before it starts.');
  return { from: start.toISODate()!, to: end.toISODate()!, startMs: start.toMillis(), endMs: end.plus({ days: 1 }).toMillis() };
}

/** The statement of the session's partner only: `listPayouts` reads by partner and checks each record's partner. */
export async function buildStatementCsv(
  pc: PortalContext,
  partnerId: string,
  period: { startMs: number; endMs: number },
): Promise<{ csv: string; rows: number }> {
  const tz = pc.ctx.program.config.timeZone;
  const payouts = (await listPayouts(pc, partnerId)).filter((p) => {
    const frozen = DateTime.fromISO(p.frozenOn, { zone: tz }).toMillis();
    return frozen >= period.startMs && frozen < period.endMs;
  });
  const rows = payouts.map((p) => [
    neutraliseCell(p.key),
    neutraliseCell(p.dealId),
    neutraliseCell(p.dealName ?? ''),
    neutraliseCell(p.role),
    p.status,
    toMajorString(p.amountMinor, p.currency),
    p.currency,
    p.frozenOn,
    neutraliseCell(p.holdReason ?? ''),
    neutraliseCell(p.explanation),
  ]);
  return { csv: stringify([[...STATEMENT_HEADER], ...rows], { record_delimiter: 'windows' }), rows: rows.length };
}
