/**
 * "Write a property only when its value changes" (docs/program.md#how-outputs-are-written), with HubSpot's normalisation in mind:
 * numbers compare as numbers (45000.00 reads back as 45000), datetimes as instants, and an empty desired value
 * over an unset property is no change. Returns only the properties to write.
 */
import { parseInstant, type Properties } from './mappers.js';

export type ValueKind = 'number' | 'datetime' | 'text';

export function sameValue(current: string | null | undefined, desired: string, kind: ValueKind): boolean {
  const cur = current ?? '';
  if (cur.trim() === '' && desired.trim() === '') return true;
  if (cur.trim() === '' || desired.trim() === '') return false;
  switch (kind) {
    case 'number':
      return Number(cur) === Number(desired);
    case 'datetime':
      return parseInstant(cur) === parseInstant(desired);
    case 'text':
      // HubSpot stores textarea values with \n; compare without trailing whitespace differences.
      return cur.replace(/\r\n/g, '\n').trimEnd() === desired.replace(/\r\n/g, '\n').trimEnd();
  }
}

export function changedProperties(current: Properties, desired: Record<string, string>, kinds: Record<string, ValueKind> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(desired)) {
    if (!sameValue(current[name], value, kinds[name] ?? 'text')) out[name] = value;
  }
  return out;
}

/** How the outputs compare: numbers as numbers, everything else as text. */
export const DEAL_OUTPUT_KINDS: Record<string, ValueKind> = { pp_commission_total: 'number' };
export const COMPANY_OUTPUT_KINDS: Record<string, ValueKind> = {
  pp_referrals_this_quarter: 'number',
  pp_campaigns_this_year: 'number',
  pp_content_this_year: 'number',
  pp_events_this_year: 'number',
  pp_quarterly_minimum: 'number',
  pp_satisfaction_avg: 'number',
  pp_lead_quality_avg: 'number',
};
