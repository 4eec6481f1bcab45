/**
 * HubSpot ids are numeric strings of varying length ("9" comes before "10"): every deterministic order in the app
 * (lines on a deal, the lowest-id customer, the oldest conflict, card lists) compares them as numbers. Numeric ids
 * sort before anything else; anything else sorts as text.
 */
const NUMERIC_ID = /^\d+$/;

export function compareIds(a: string, b: string): number {
  const an = NUMERIC_ID.test(a);
  const bn = NUMERIC_ID.test(b);
  if (an && bn) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
