/**
 * The deal figures every rule starts from (docs/program.md#money and docs/program.md#commission-lines): the currency a deal's lines
 * are in, and basis B.
 */
import { parseMoney } from './money.js';
import type { ProgramConfig } from './program-config.js';
import type { DealSnapshot, Minor } from './types.js';

/** The deal's currency code: `deal_currency_code`, else the portal's. No conversion ever happens. */
export function dealCurrency(deal: Pick<DealSnapshot, 'currency'>, config: Pick<ProgramConfig, 'portalCurrency'>): string {
  const code = deal.currency?.trim().toUpperCase() ?? '';
  return code === '' ? config.portalCurrency : code;
}

/**
 * Basis B: the first-year contract value when set, else the amount, in minor units of `currency`.
 * Null when neither is set; throws MoneyParseError for a value that is not a number (callers turn it into a reason).
 */
export function dealBasis(deal: Pick<DealSnapshot, 'amount' | 'firstYearContractValue'>, currency: string): Minor | null {
  if ((deal.firstYearContractValue ?? '').trim() !== '') {
    return parseMoney(deal.firstYearContractValue, currency, 'first-year contract value');
  }
  return parseMoney(deal.amount, currency, 'amount');
}
