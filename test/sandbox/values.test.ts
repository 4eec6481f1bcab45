/**
 * HubSpot's value normalisation in the sandbox: what the app reads back after a write (docs/program.md#how-outputs-are-written: "HubSpot
 * normalises numbers it stores (45000.00 reads back as 45000): compare values as numbers").
 */
import { describe, expect, it } from 'vitest';
import type { PropertySpec } from '../../sandbox/api/catalog.js';
import { normalizeNumber, normalizeValue, webhookValue } from '../../sandbox/api/values.js';

const spec = (type: PropertySpec['type'], extra: Partial<PropertySpec> = {}): PropertySpec => ({
  name: 'p',
  label: 'P',
  type,
  fieldType: 'text',
  groupName: 'g',
  description: '',
  options: [],
  hasUniqueValue: false,
  hidden: false,
  formField: false,
  displayOrder: -1,
  hubspotDefined: false,
  calculated: false,
  readOnlyValue: false,
  archived: false,
  ...extra,
});

describe('normalizeNumber', () => {
  it.each([
    ['45000.00', '45000'],
    ['045000', '45000'],
    ['0120000.50', '120000.5'],
    ['-0.50', '-0.5'],
    ['-0.00', '0'],
    ['+12', '12'],
    ['.5', '0.5'],
    ['7.', '7'],
    ['12345678901234567890.10', '12345678901234567890.1'],
  ])('%s is stored as %s (exactly, never through a float)', (input, stored) => {
    expect(normalizeNumber(input)).toBe(stored);
  });

  it.each(['', '.', '1e5', '12,5', 'abc', '1.2.3'])('%j is not a number', (input) => {
    expect(normalizeNumber(input)).toBeNull();
  });
});

describe('normalizeValue', () => {
  it.each([
    ['an empty string unsets', spec('number'), '', { ok: true, value: null }],
    ['a JSON number is stringified', spec('number'), 1500.5, { ok: true, value: '1500.5' }],
    ['a bool is lower-cased', spec('bool'), 'TRUE', { ok: true, value: 'true' }],
    ['a datetime in ms becomes ISO', spec('datetime'), '1767225600000', { ok: true, value: '2026-01-01T00:00:00.000Z' }],
    ['a datetime in ISO stays ISO', spec('datetime'), '2026-01-01T05:00:00+05:00', { ok: true, value: '2026-01-01T00:00:00.000Z' }],
    ['a date at midnight becomes YYYY-MM-DD', spec('date'), '1767225600000', { ok: true, value: '2026-01-01' }],
    [
      'an enumeration option is kept',
      spec('enumeration', { options: [{ label: 'New', value: 'new', displayOrder: 0, hidden: false }] }),
      'new',
      { ok: true, value: 'new' },
    ],
  ])('%s', (_what, s, raw, expected) => {
    expect(normalizeValue(s, raw)).toEqual(expected);
  });

  it.each([
    ['text in a number', spec('number'), 'lots', 'INVALID_DOUBLE'],
    ['a bool that is not true/false', spec('bool'), 'yes', 'INVALID_OPTION'],
    ['an unknown option', spec('enumeration', { options: [{ label: 'New', value: 'new', displayOrder: 0, hidden: false }] }), 'renewal', 'INVALID_OPTION'],
    ['a date that is not midnight UTC', spec('date'), '2026-01-01T10:00:00Z', 'INVALID_DATE'],
    ['a datetime that is not a date', spec('datetime'), 'tomorrow', 'INVALID_DATE'],
  ])('%s is refused with %s', (_what, s, raw, error) => {
    const result = normalizeValue(s, raw);
    expect(result.ok ? null : result.issue.error).toBe(error);
  });
});

describe('webhookValue', () => {
  it.each([
    ['datetime', '2026-01-01T00:00:00.000Z', '1767225600000'],
    ['number', '45000', '45000'],
    ['string', null, ''],
  ] as const)('a %s value %j is sent as %j (datetimes in epoch ms, cleared as empty)', (type, stored, sent) => {
    expect(webhookValue(spec(type), stored)).toBe(sent);
  });
});
