/**
 * docs/program.md#commission-lines rule 6: the co-selling roles pay a rate of B chosen in the role's range by the
 * partner's co-selling tier. The partner type does not matter here.
 */
import { formatRate, roundHalfEven } from './money.js';
import type { RateRange } from './program-config.js';
import type { DealTerms, RuleOutcome } from './rule-outcome.js';
import { coSellingTier } from './tiers.js';
import type { Bps, CoSellingRole, CoSellingTier, PartnerCompany } from './types.js';

/** Rule 6: strategic → top of the range, preferred → its midpoint, registered or no tier → bottom. */
export function coSellingLine(company: PartnerCompany, role: CoSellingRole, terms: DealTerms): RuleOutcome {
  const range = terms.config.coSellingRates[role];
  const tier = coSellingTier(company, terms.config);
  const span = `${formatRate(range.minBps)}–${formatRate(range.maxBps)} range`;
  const { rateBps, position } = rateInRange(range, tier.value);
  const standing = tier.value === null ? `no co-selling tier (${tier.reason})` : `${tier.value} co-selling tier`;
  return { pays: 'rate', rule: 'rule_6_co_selling', rateBps, why: `${standing}, ${position} of the ${span}` };
}

/** The midpoint is rounded half-to-even to a whole basis point (docs/program.md#money: one rounding rule everywhere). */
export function rateInRange(range: RateRange, tier: CoSellingTier | null): { rateBps: Bps; position: string } {
  switch (tier) {
    case 'strategic':
      return { rateBps: range.maxBps, position: 'top' };
    case 'preferred':
      return { rateBps: Number(roundHalfEven(BigInt(range.minBps + range.maxBps), 2n)), position: 'middle' };
    default:
      return { rateBps: range.minBps, position: 'bottom' };
  }
}
