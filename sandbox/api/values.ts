/**
 * How HubSpot stores and returns property values: always strings, numbers normalised (`45000.00` reads back
 * as `45000`), datetimes as ISO-8601 UTC, dates as `YYYY-MM-DD`, enumerations checked against their options.
 * An empty value means "unset". Every function here is pure.
 */
import type { PropertySpec } from './catalog.js';
import type { PropertyValueIssue } from './errors.js';

export type RawValue = string | number | boolean | null | undefined;

export type Normalized = { ok: true; value: string | null } | { ok: false; issue: PropertyValueIssue };

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Canonical decimal text without a float round-trip: "045000.00" → "45000", "-0.50" → "-0.5". */
export function normalizeNumber(text: string): string | null {
  const m = NUMBER.exec(text.trim());
  if (!m) return null;
  const [, sign = '', rawWhole = '', rawFraction = ''] = m;
  if (rawWhole === '' && rawFraction === '') return null;
  const whole = rawWhole.replace(/^0+(?=\d)/, '') || '0';
  const fraction = rawFraction.replace(/0+$/, '');
  const body = fraction === '' ? whole : `${whole}.${fraction}`;
  const isZero = /^0(\.0*)?$/.test(body);
  return sign === '-' && !isZero ? `-${body}` : body;
}

/** Epoch ms from a HubSpot datetime input: digits (ms) or an ISO-8601 string. */
export function parseInstant(text: string): number | null {
  const t = text.trim();
  if (/^-?\d+$/.test(t)) return Number(t);
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

export function normalizeValue(spec: PropertySpec, raw: RawValue): Normalized {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  const text = typeof raw === 'string' ? raw : String(raw);
  if (text === '') return { ok: true, value: null };
  const fail = (error: string, message: string): Normalized => ({ ok: false, issue: { name: spec.name, error, message } });
  switch (spec.type) {
    case 'number': {
      const n = normalizeNumber(text);
      return n === null ? fail('INVALID_DOUBLE', `${text} was not a valid number.`) : { ok: true, value: n };
    }
    case 'bool': {
      const lower = text.trim().toLowerCase();
      if (lower === 'true' || lower === 'false') return { ok: true, value: lower };
      return fail('INVALID_OPTION', `${text} was not one of the allowed options: [true, false]`);
    }
    case 'enumeration': {
      const allowed = spec.options.map((o) => o.value);
      const values = spec.fieldType === 'checkbox' ? text.split(';') : [text];
      const bad = values.find((v) => !allowed.includes(v));
      if (bad !== undefined) {
        return fail('INVALID_OPTION', `${bad} was not one of the allowed options: [${allowed.join(', ')}]`);
      }
      return { ok: true, value: text };
    }
    case 'datetime': {
      const ms = parseInstant(text);
      return ms === null ? fail('INVALID_DATE', `${text} is not a valid datetime.`) : { ok: true, value: new Date(ms).toISOString() };
    }
    case 'date': {
      const ms = parseInstant(text);
      if (ms === null) return fail('INVALID_DATE', `${text} is not a valid date.`);
      if (ms % 86_400_000 !== 0) return fail('INVALID_DATE', `${text} is not at midnight UTC.`);
      return { ok: true, value: new Date(ms).toISOString().slice(0, 10) };
    }
    default:
      return { ok: true, value: text };
  }
}

/** Webhooks carry datetimes as epoch-ms strings, other values as stored. */
export function webhookValue(spec: PropertySpec | undefined, stored: string | null): string {
  if (stored === null) return '';
  if (spec && (spec.type === 'datetime' || spec.type === 'date')) {
    const ms = Date.parse(stored);
    return Number.isNaN(ms) ? stored : String(ms);
  }
  return stored;
}

/** Value used for ordering and numeric filters: a number for numbers and dates, else the lower-cased text. */
export function comparable(spec: PropertySpec | undefined, stored: string): number | string {
  if (spec && spec.type === 'number') return Number(stored);
  if (spec && (spec.type === 'datetime' || spec.type === 'date')) return Date.parse(stored);
  return stored.toLowerCase();
}
