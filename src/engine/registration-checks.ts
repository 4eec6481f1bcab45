/**
 * What the caller checks before a registration event: does the deal qualify, and does another partner
 * already hold the customer (docs/program.md#deal-registration: qualification and conflict). The results go into
 * the `submit` / `approve` events of `registration.ts`.
 */
import { MoneyParseError, formatMoney, parseMoney } from './money.js';
import { compareIds } from './ids.js';
import type { ProgramConfig } from './program-config.js';
import { approvedProtectionEnd } from './protection.js';
import type { DealPartner, DealSnapshot, Instant, Minor, Registration, RegistrationConflict } from './types.js';

export type RegistrationQualification = { ok: true } | { ok: false; reasons: string[] };

/**
 * docs/program.md#deal-registration qualification: an amount or first-year contract value, a close date, a customer company, and for
 * consultants B at or above the tier minimum (`referralTierMinimum`, null = the partner has no tier).
 */
export function qualifyRegistration(
  deal: DealSnapshot,
  partner: DealPartner,
  config: Pick<ProgramConfig, 'portalCurrency'>,
  referralTierMinimum: Minor | null,
): RegistrationQualification {
  const reasons: string[] = [];
  const currency = deal.currency ?? config.portalCurrency;
  const name = partner.company.name || `partner ${partner.company.id}`;
  if (partner.roles.length === 0) reasons.push(`${name} is not a partner on this deal (no partner association label)`);

  const basis = readBasis(deal, currency, reasons);
  if (basis === null) reasons.push('the deal has no amount or first-year contract value');
  else if (basis !== undefined && basis <= 0) {
    reasons.push(`the deal's amount is ${formatMoney(basis, currency)}: it needs a positive amount or first-year contract value`);
  }
  if (deal.closeDate === null) reasons.push('the deal has no close date');
  if (deal.customerCompanyId === null) reasons.push('the deal has no customer company');

  if (partner.company.partnerType === 'consultant') {
    if (referralTierMinimum === null) {
      reasons.push(`${name} has no referral tier (consultant partners need one to register)`);
    } else if (typeof basis === 'number' && basis < referralTierMinimum) {
      reasons.push(`B ${formatMoney(basis, currency)} is below the ${formatMoney(referralTierMinimum, currency)} minimum deal size of ${name}'s referral tier`);
    }
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/** B in minor units; null when absent; undefined when garbage (the reason is already pushed). */
function readBasis(deal: DealSnapshot, currency: string, reasons: string[]): Minor | null | undefined {
  try {
    // A garbage first-year value is a reason, not a cue to fall back to `amount`: that would be a guess.
    const fycv = parseMoney(deal.firstYearContractValue, currency, 'first-year contract value');
    return fycv ?? parseMoney(deal.amount, currency, 'amount');
  } catch (err) {
    if (!(err instanceof MoneyParseError)) throw err;
    reasons.push(err.message);
    return undefined;
  }
}

export interface ConflictCandidate {
  dealId: string;
  partnerId: string;
  customerCompanyId: string | null;
}

export interface OtherDealRegistration {
  dealId: string;
  customerCompanyId: string | null;
  registration: Registration | null;
  isClosedWon: boolean;
  /** A lost deal protects nothing (its protection status is `expired`). */
  isClosedLost?: boolean;
}

/**
 * An approved, unexpired registration by another partner for the same customer company on another deal.
 * Several such: the oldest approval wins the comparison, so the answer does not depend on the input order.
 */
export function findConflict(
  candidate: ConflictCandidate,
  others: OtherDealRegistration[],
  now: Instant,
  config: Pick<ProgramConfig, 'registration'>,
): RegistrationConflict | null {
  if (candidate.customerCompanyId === null) return null;
  const live = others.filter((o) => {
    const reg = o.registration;
    if (reg === null || reg.status !== 'approved') return false;
    if (o.dealId === candidate.dealId || reg.partnerId === candidate.partnerId) return false;
    if (o.customerCompanyId !== candidate.customerCompanyId || o.isClosedLost === true) return false;
    if (o.isClosedWon) return true;
    const endsAt = approvedProtectionEnd(reg, config);
    return endsAt === null || now < endsAt;
  });
  live.sort((a, b) => (a.registration!.decidedAt ?? 0) - (b.registration!.decidedAt ?? 0) || compareIds(a.dealId, b.dealId));
  const first = live[0];
  return first ? { dealId: first.dealId, partnerId: first.registration!.partnerId } : null;
}
