/**
 * The words of a commission line: its `reason` and its row of `pp_commission_breakdown`
 * ("Acme Consulting — Referral partner: 12% of $600,000.00 = $72,000.00 (tier_1 consultant, new deal)").
 */
import { formatMoney, formatRate } from './money.js';
import type { RuleOutcome } from './rule-outcome.js';
import type { CommissionLine, Minor, PartnerRole } from './types.js';

/**
 * The association labels' display names (docs/program.md#deal-partners-and-association-labels). `src/hubspot/properties.ts` has the same
 * table, but the engine imports nothing outside itself.
 */
export const ENGINE_ROLE_LABELS: Record<PartnerRole, string> = {
  pp_referral_partner: 'Referral partner',
  pp_finder: 'Finder',
  pp_co_selling_partner: 'Co-selling partner',
  pp_implementation_partner: 'Implementation partner',
  pp_customer_success_partner: 'Customer success partner',
};

/** A line's reason: for a paying outcome the arithmetic and why, for nothing just why. */
export function lineReason(outcome: RuleOutcome, basis: Minor | null, amount: Minor, currency: string): string {
  switch (outcome.pays) {
    case 'nothing':
      return outcome.why;
    case 'flat_fee':
      return `${formatMoney(outcome.flatFee, currency)} flat fee (${outcome.why})`;
    case 'rate':
      return `${formatRate(outcome.rateBps)} of ${formatMoney(basis ?? 0, currency)} = ${formatMoney(amount, currency)} (${outcome.why})`;
  }
}

/** One row of `pp_commission_breakdown`: partner, role, then the amount and why. */
export function breakdownRow(line: CommissionLine): string {
  const role = ENGINE_ROLE_LABELS[line.role] + (line.kind === 'retention' ? ' (retention bonus)' : '');
  const head = `${line.partnerName} — ${role}`;
  switch (line.status) {
    case 'zero':
      return `${head}: ${formatMoney(0, line.currency)} — ${line.reason}`;
    case 'scheduled':
      return `${head}: scheduled, ${line.reason}`;
    case 'payable':
      return `${head}: ${line.reason}`;
  }
}

/** `pp_commission_breakdown`: one row per line, "" for a deal without partners. */
export function breakdownText(lines: readonly CommissionLine[]): string {
  return lines.map(breakdownRow).join('\n');
}
