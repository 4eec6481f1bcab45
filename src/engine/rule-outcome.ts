/**
 * What a rule of docs/program.md#commission-lines decides for one (partner, role): a rate of B, a flat fee, or
 * nothing, and why. Rules only decide; `commission.ts` turns an outcome into money and text, so rounding and
 * wording live in one place.
 */
import type { CurrencyConfig, ProgramConfig } from './program-config.js';
import type { Bps, Minor, PartnerQuarterStats, RuleId } from './types.js';

export type RuleOutcome =
  | { pays: 'rate'; rule: RuleId; rateBps: Bps; why: string }
  | { pays: 'flat_fee'; rule: RuleId; flatFee: Minor; why: string }
  | { pays: 'nothing'; rule: RuleId; why: string };

/** The deal-level facts every rule reads, settled once per deal. */
export interface DealTerms {
  config: ProgramConfig;
  currency: string;
  currencyConfig: CurrencyConfig;
  /** Basis B in minor units of `currency`: present and not negative. */
  basis: Minor;
  /** `pp_deal_type`, trimmed; empty already read as `new`. */
  dealType: string;
  /** `pp_referral_kind`, trimmed; '' when not set. */
  referralKind: string;
  stats: Record<string, PartnerQuarterStats>;
}

export const nothing = (rule: RuleId, why: string): RuleOutcome => ({ pays: 'nothing', rule, why });
