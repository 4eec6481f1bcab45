import { describe, expect, it } from 'vitest';
import { MoneyParseError, applyRate, formatMoney, formatRate, parseMoney, roundHalfEven, toMajorString } from '../../src/engine/money.js';

describe('applyRate: a line amount is basis × bps / 10000, rounded half-to-even to the cent (docs/program.md#money)', () => {
  it.each([
    { label: '$1,234.60 at 12.5% is a half cent down to the even $154.32', basis: 123_460, bps: 1250, expected: 15_432 },
    { label: '$1,234.68 at 12.5% is a half cent up to the even $154.34', basis: 123_468, bps: 1250, expected: 15_434 },
    { label: '$0.10 at 15% rounds 1.5 cents up to $0.02', basis: 10, bps: 1500, expected: 2 },
    { label: '$0.30 at 15% rounds 4.5 cents down to $0.04', basis: 30, bps: 1500, expected: 4 },
    { label: '$600,000 at 12% is exactly $72,000.00', basis: 60_000_000, bps: 1200, expected: 7_200_000 },
    { label: '$0.01 at 5% rounds to nothing', basis: 1, bps: 500, expected: 0 },
  ])('$label', ({ basis, bps, expected }) => {
    expect(applyRate(basis, bps)).toBe(expected);
  });

  it('refuses a fractional basis rather than paying on a float', () => {
    expect(() => applyRate(100.5, 1200)).toThrow('basis must be an integer, got 100.5');
  });
});

describe('roundHalfEven', () => {
  it.each([
    { n: 5n, d: 2n, expected: 2n },
    { n: 7n, d: 2n, expected: 4n },
    { n: -5n, d: 2n, expected: -2n },
    { n: -7n, d: 2n, expected: -4n },
    { n: 26n, d: 10n, expected: 3n },
  ])('$n / $d → $expected', ({ n, d, expected }) => {
    expect(roundHalfEven(n, d)).toBe(expected);
  });
});

describe('parseMoney: HubSpot number strings to minor units, never through a float', () => {
  it.each([
    { raw: '300000', currency: 'USD', expected: 30_000_000 },
    { raw: '300000.5', currency: 'USD', expected: 30_000_050 },
    { raw: '45000.00', currency: 'USD', expected: 4_500_000 },
    { raw: ' 99999.99 ', currency: 'USD', expected: 9_999_999 },
    { raw: '0.005', currency: 'USD', expected: 0 },
    { raw: '0.015', currency: 'USD', expected: 2 },
    { raw: '1234', currency: 'JPY', expected: 1234 },
    { raw: '1234.5', currency: 'JPY', expected: 1234 },
    { raw: '1235.5', currency: 'JPY', expected: 1236 },
    { raw: '12.345', currency: 'KWD', expected: 12_345 },
  ])('"$raw" $currency → $expected (ISO 4217 decimals, extra digits half-to-even)', ({ raw, currency, expected }) => {
    expect(parseMoney(raw, currency)).toBe(expected);
  });

  it.each([{ raw: '' }, { raw: '   ' }, { raw: null }, { raw: undefined }])('$raw is no value, not zero', ({ raw }) => {
    expect(parseMoney(raw, 'USD')).toBeNull();
  });

  it.each([{ raw: 'abc' }, { raw: '1,000' }, { raw: '1e6' }, { raw: '$500' }])('"$raw" is not a number and the error quotes it', ({ raw }) => {
    expect(() => parseMoney(raw, 'USD', 'amount')).toThrow(MoneyParseError);
    expect(() => parseMoney(raw, 'USD', 'amount')).toThrow(`amount "${raw}" is not a number`);
  });
});

describe('formatting money and rates for people', () => {
  it.each([
    { amount: 7_200_000, currency: 'USD', major: '72000.00', text: '$72,000.00' },
    { amount: 5, currency: 'USD', major: '0.05', text: '$0.05' },
    { amount: -250_000, currency: 'USD', major: '-2500.00', text: '-$2,500.00' },
    { amount: 123_457, currency: 'JPY', major: '123457', text: '¥123,457' },
  ])('$amount $currency → "$major" / "$text"', ({ amount, currency, major, text }) => {
    expect(toMajorString(amount, currency)).toBe(major);
    expect(formatMoney(amount, currency)).toBe(text);
  });

  it.each([
    { bps: 1200, text: '12%' },
    { bps: 1250, text: '12.5%' },
    { bps: 2250, text: '22.5%' },
    { bps: 5, text: '0.05%' },
  ])('$bps bps → $text', ({ bps, text }) => {
    expect(formatRate(bps)).toBe(text);
  });
});
