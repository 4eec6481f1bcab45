/**
 * One CSV cell that a spreadsheet never runs (OWASP "CSV injection"). Excel, LibreOffice and Google Sheets
 * treat a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (or strip the control
 * character and then do), so a partner name such as `=HYPERLINK(...)` would run on finance's machine.
 *
 * Text cells (`csvTextCell`) that start with one of those characters get a leading apostrophe, which every
 * spreadsheet shows as "this is text" and hides; numbers the app formats itself (`-225.00`) go through
 * `csvNumberCell`, which refuses anything but a plain decimal, so a signed amount stays a number. Quoting
 * (commas, quotes, line breaks) is the CSV writer's job (csv-stringify), not this module's.
 *
 * Every CSV the app writes (payouts export, partner statements, program results) uses these two functions.
 */

const FORMULA_LEAD = /^[=+\-@\t\r]/;

/** A text value as a cell: unchanged unless a spreadsheet would read it as a formula. */
export function csvTextCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return FORMULA_LEAD.test(value) ? `'${value}` : value;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A number the app formatted (`225.00`, `-12.5`, `0`): kept as is. Anything else is neutralised as text. */
export function csvNumberCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const s = String(value);
  return DECIMAL.test(s) ? s : csvTextCell(s);
}

/** A HubSpot id: digits only, else the cell is neutralised text (it came from a CRM field anyone can edit). */
export function csvIdCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /^\d+$/.test(value) ? value : csvTextCell(value);
}
