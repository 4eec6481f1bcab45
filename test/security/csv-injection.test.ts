/**
 * Attack (issue 11, item 5): no formula reaches a spreadsheet. A CRM user puts `=HYPERLINK(...)`, `+cmd`,
 * `-2+3`, `@SUM(...)`, a tab or a carriage return at the start of a partner name, a deal name, a hold reason, or
 * (before the app restores it) a payout record's key, ids or currency. The payouts CSV finance opens must show
 * every one of them as text; the amounts the app formats stay numbers (an adjustment is negative).
 */
import { describe, expect, it } from 'vitest';
import type { PayoutRecord } from '../../src/engine/types.js';
import { csvIdCell, csvNumberCell, csvTextCell } from '../../src/security/csv-cell.js';
import { payoutsCsv } from '../../src/services/export-payouts.js';

const LEADS = ['=', '+', '-', '@', '\t', '\r'];

describe('csvTextCell: the one cell function every CSV export uses', () => {
  it.each(LEADS.map((lead) => [JSON.stringify(lead), `${lead}HYPERLINK("https://evil.example","x")`]))('a %s lead is neutralised', (_label, value) => {
    expect(csvTextCell(value)).toBe(`'${value}`);
  });
  it.each(['Beacon Advisors', '1234', '', "O'Brien & Co", ' =late'])('plain text %j is kept as it is', (value) => {
    expect(csvTextCell(value)).toBe(value);
  });
  it('numbers the app formatted stay numbers; anything else is text', () => {
    expect(csvNumberCell('-225.00')).toBe('-225.00');
    expect(csvNumberCell('450000')).toBe('450000');
    expect(csvNumberCell('-1+1')).toBe("'-1+1");
    expect(csvNumberCell('=1')).toBe("'=1");
  });
  it('ids that are not digits are neutralised', () => {
    expect(csvIdCell('12345')).toBe('12345');
    expect(csvIdCell('=1+1')).toBe("'=1+1");
    expect(csvIdCell('-5')).toBe("'-5");
  });
});

function payout(over: Partial<PayoutRecord>): PayoutRecord {
  return {
    key: '101:9001:pp_finder',
    dealId: '101',
    partnerId: '9001',
    role: 'pp_finder',
    kind: 'commission',
    amount: -22_500,
    currency: 'USD',
    status: 'scheduled',
    holdReason: null,
    explanation: '',
    basis: null,
    rateBps: null,
    flatFee: null,
    frozenAt: Date.UTC(2026, 9, 5),
    programVersion: 'v',
    ...over,
  };
}

/** Splits the CSV the way a spreadsheet reads it (csv-stringify quotes cells with quotes, commas, CR/LF). */
function cells(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') ((cell += '"'), i++);
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(cell), (cell = ''));
    else if (c === '\r' && csv[i + 1] === '\n') (row.push(cell), rows.push(row), (row = []), (cell = ''), i++);
    else cell += c;
  }
  return rows;
}

describe('the payouts CSV', () => {
  it.each(LEADS.map((lead) => [JSON.stringify(lead), lead]))('with %s leading every text field, no cell starts a formula', (_label, lead) => {
    const evil = (s: string) => `${lead}${s}`;
    const csv = payoutsCsv(
      [
        {
          payout: payout({ key: evil('cmd|calc'), dealId: evil('1'), partnerId: evil('2'), currency: evil('USD'), holdReason: evil('SUM(A1)') }),
          dealName: evil('HYPERLINK("x")'),
          partnerName: evil('Beacon'),
          closeDate: null,
        },
      ],
      'UTC',
    );
    const [, row] = cells(csv);
    expect(row).toBeDefined();
    const amount = row![6];
    for (const [i, cell] of row!.entries()) {
      if (i === 6) continue;
      expect(cell, `column ${i}`).not.toMatch(/^[=+\-@\t\r]/);
    }
    // The amount is the app's own number (toMajorString): it keeps its sign, as a number.
    expect(amount).toBe('-225.00');
  });

  it('a negative adjustment amount stays a plain negative number', () => {
    const [, row] = cells(payoutsCsv([{ payout: payout({}), dealName: 'Acme', partnerName: 'Beacon', closeDate: null }], 'UTC'));
    expect(row![6]).toBe('-225.00');
    expect(row!.slice(0, 2)).toEqual(['101:9001:pp_finder', '101']);
  });
});
