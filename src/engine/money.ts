/**
 * Money: integer minor units in, integer minor units out, one rounding rule (docs/program.md#money).
 * HubSpot stores numbers as strings ("300000", "300000.5", "45000.00"); they are parsed here exactly,
 * digit by digit, never through a float.
 */
import type { Bps, Minor } from './types.js';

/** A HubSpot number string that is not a number. The message quotes it so a card can show why. */
export class MoneyParseError extends Error {
  constructor(
    readonly raw: string,
    readonly what: string,
  ) {
    super(`${what} "${raw}" is not a number`);
    this.name = 'MoneyParseError';
  }
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/;

/**
 * The one rounding function: numerator / denominator rounded half-to-even (banker's rounding).
 * BigInt keeps it exact for any deal size.
 */
export function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let q = n / denominator;
  const twiceRemainder = (n % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

/** A line amount: basis × bps / 10000, rounded half-to-even to the minor unit. */
export function applyRate(basis: Minor, rateBps: Bps): Minor {
  assertInteger(basis, 'basis');
  assertInteger(rateBps, 'rateBps');
  return Number(roundHalfEven(BigInt(basis) * BigInt(rateBps), 10_000n));
}

/**
 * One formatter per currency, built once: constructing an Intl.NumberFormat costs tens of microseconds, more
 * than the rest of a commission line (bench/engine.ts). A deterministic cache, not state: same input, same output.
 */
const formatters = new Map<string, Intl.NumberFormat | null>();
function formatterFor(currency: string): Intl.NumberFormat | null {
  let f = formatters.get(currency);
  if (f === undefined) {
    try {
      const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    } catch {
      f = null;
    }
    formatters.set(currency, f);
  }
  return f;
}

/** ISO 4217 decimals (USD 2, JPY 0, KWD 3), from the platform's own currency data. */
export function minorDigits(currency: string): number {
  return formatterFor(currency)?.resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Parse a HubSpot number string into minor units of `currency`.
 * `""`, `null` and `undefined` are "no value" (null). Extra decimals round half-to-even.
 * Anything else that is not a plain decimal throws MoneyParseError.
 */
export function parseMoney(raw: string | null | undefined, currency: string, what = 'amount'): Minor | null {
  if (raw === null || raw === undefined) return null;
  const text = raw.trim();
  if (text === '') return null;
  const m = DECIMAL.exec(text);
  if (!m) throw new MoneyParseError(raw, what);
  const [, sign, whole, fraction = ''] = m;
  const digits = minorDigits(currency);
  const scaled = BigInt(`${whole}${fraction}`);
  const scale = 10n ** BigInt(fraction.length);
  const minor = roundHalfEven(scaled * 10n ** BigInt(digits), scale);
  const value = Number(sign === '-' ? -minor : minor);
  if (!Number.isSafeInteger(value)) throw new MoneyParseError(raw, what);
  return value;
}

/** Parse a plain count or measure ("50", "2.5", ""): null when empty, MoneyParseError when garbage. */
export function parseQuantity(raw: string | null | undefined, what: string): number | null {
  if (raw === null || raw === undefined) return null;
  const text = raw.trim();
  if (text === '') return null;
  if (!DECIMAL.test(text)) throw new MoneyParseError(raw, what);
  return Number(text);
}

/** Minor units as a plain decimal string in major units: 7200000 USD → "72000.00" (HubSpot number values). */
export function toMajorString(amount: Minor, currency: string): string {
  assertInteger(amount, 'amount');
  const digits = minorDigits(currency);
  const negative = amount < 0;
  const abs = String(Math.abs(amount)).padStart(digits + 1, '0');
  const whole = digits === 0 ? abs : abs.slice(0, -digits);
  const frac = digits === 0 ? '' : `.${abs.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${frac}`;
}

/** Minor units for people: 7200000 USD → "$72,000.00". Formats the exact decimal string, never a float. */
export function formatMoney(amount: Minor, currency: string): string {
  const fmt = formatterFor(currency);
  // Intl accepts decimal strings exactly (ECMA-402 NumberFormat v3, Node ≥ 19).
  return fmt ? fmt.format(toMajorString(amount, currency) as unknown as number) : `${toMajorString(amount, currency)} ${currency}`;
}

/** Basis points for people: 1250 → "12.5%", 1200 → "12%". */
export function formatRate(rateBps: Bps): string {
  assertInteger(rateBps, 'rateBps');
  const whole = Math.trunc(rateBps / 100);
  const rest = Math.abs(rateBps % 100);
  if (rest === 0) return `${whole}%`;
  return `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}%`;
}

function assertInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer, got ${value}`);
}
