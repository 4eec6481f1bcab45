/**
 * Payouts (docs/program.md#payouts): a closed-won deal's payable commission lines frozen into `pp_payout` records,
 * with their holds, and the deal's `pp_payout_status`. How existing records follow later changes (reversal,
 * adjustments, re-freezing) is `payout-diff.ts`.
 */
import { applyRate, formatMoney, formatRate } from './money.js';
import type { ProgramConfig } from './program-config.js';
import type {
  CommissionLine,
  CommissionResult,
  DealPartner,
  DealPayoutStatus,
  DealSnapshot,
  Instant,
  Minor,
  PartnerCompany,
  PartnerRole,
  PartnerType,
  PayoutRecord,
  PayoutStatus,
  Registration,
} from './types.js';

import { isoDay } from './payout-diff.js';
import { dealLineKey, retentionKey } from './payout-keys.js';
import { componentForLine } from './results.js';

export { applyPayoutDiff, diffPayouts } from './payout-diff.js';

type PayoutConfig = ProgramConfig;

/** `<dealId>:<partnerId>:<role>`, plus `:retention` for the client retention bonus (rule 7): see payout-keys.ts. */
export function payoutKey(dealId: string, partnerId: string, role: PartnerRole, kind: 'commission' | 'retention' = 'commission'): string {
  return kind === 'retention' ? retentionKey(dealId, partnerId) : dealLineKey(dealId, partnerId, role);
}

/** Why a payout of `amount` to `partner` must wait, or null when it may be scheduled. Reasons joined by "; ". */
export function holdReason(partner: PartnerCompany, amount: Minor, currency: string, registration: Registration | null, config: PayoutConfig): string | null {
  const reasons: string[] = [];
  if (!partner.agreementSigned) reasons.push('no signed partner agreement on file');
  const healthcare = config.payouts.healthcarePartnerTypes.includes(partner.partnerType as PartnerType);
  if (healthcare) {
    const cap = config.currencies[currency]?.fairMarketValueCap;
    // Without a cap for this currency the review cannot be skipped: hold rather than guess.
    if (cap === undefined) reasons.push(`no fair-market-value cap configured for ${currency}; anti-kickback review`);
    else if (amount > cap) reasons.push(`exceeds the ${formatMoney(cap, currency)} fair-market-value cap; anti-kickback review`);
    if (!partner.baaSigned) reasons.push('no business associate agreement (BAA) on file');
  }
  if (registration?.status === 'disputed' && (registration.partnerId === partner.id || registration.conflict?.partnerId === partner.id)) {
    reasons.push("the deal's registration is disputed until a partner manager resolves it");
  }
  return reasons.length > 0 ? reasons.join('; ') : null;
}

export interface FreezeInput {
  deal: DealSnapshot;
  commission: CommissionResult;
  partners: DealPartner[];
  config: PayoutConfig;
  /** `pp_program_version` of the configuration that computed `commission`. */
  programVersion: string;
  now: Instant;
}

/**
 * The records a closed-won deal should have: one per payable commission line. Retention lines wait for their
 * own sweep (`retentionPayout`). Upserted through `diffPayouts`, never written directly, so a repeat freezes
 * nothing twice.
 */
export function freezePayouts(input: FreezeInput): PayoutRecord[] {
  const { deal, commission } = input;
  const records = new Map<string, PayoutRecord>();
  for (const line of commission.lines) {
    if (line.kind !== 'commission' || line.status !== 'payable') continue;
    const key = payoutKey(deal.id, line.partnerId, line.role);
    records.set(key, freezeLine(input, line, key, 'commission', line.amount, line.basis, line.rateBps, line.flatFee));
  }
  return [...records.values()];
}

export interface RetentionInput extends FreezeInput {
  /** The customer company's lifecycle stage is still one of `retention.customerLifecycleStages`. */
  customerStillCustomer: boolean;
  /** B frozen at close on the referral partner's payout; null when no frozen record carries it. */
  frozenBasis: Minor | null;
}

/**
 * Rule 7: the `:retention` record, rate × the B frozen at close, once the customer is still a customer after
 * the retention period. Null when nothing is owed.
 */
export function retentionPayout(input: RetentionInput): PayoutRecord | null {
  const { deal, commission, config, customerStillCustomer, frozenBasis } = input;
  if (!customerStillCustomer || !deal.isClosedWon) return null;
  const line = commission.lines.find((l) => l.kind === 'retention' && l.role === 'pp_referral_partner' && l.status !== 'zero');
  if (!line) return null;
  // Without a frozen record (lost, or closed before the app) the basis at hand is the best evidence of B at close.
  const basis = frozenBasis ?? line.basis;
  if (basis === null) return null;
  const rateBps = line.rateBps ?? config.retention.rateBps;
  const amount = applyRate(basis, rateBps);
  if (amount <= 0) return null;
  const key = payoutKey(deal.id, line.partnerId, 'pp_referral_partner', 'retention');
  return freezeLine(input, line, key, 'retention', amount, basis, rateBps, null);
}

function freezeLine(
  input: FreezeInput,
  line: CommissionLine,
  key: string,
  kind: 'commission' | 'retention',
  amount: Minor,
  basis: Minor | null,
  rateBps: number | null,
  flatFee: Minor | null,
): PayoutRecord {
  const { deal, partners, config, programVersion, now } = input;
  const partner = partners.find((p) => p.company.id === line.partnerId)?.company;
  const hold = partner ? holdReason(partner, amount, line.currency, deal.registration, config) : `partner company ${line.partnerId} is not on the deal`;
  const currency = line.currency;
  const computation =
    rateBps !== null && basis !== null
      ? `${formatRate(rateBps)} of basis ${formatMoney(basis, currency)} = ${formatMoney(amount, currency)}`
      : `flat fee ${formatMoney(flatFee ?? amount, currency)}${basis !== null ? ` (basis ${formatMoney(basis, currency)})` : ''}`;
  const what = kind === 'retention' ? 'Retention bonus frozen' : 'Frozen at closed-won';
  const explanation = `${what} on ${isoDay(now)} under program ${programVersion}: ${computation}. ${sentence(line.reason)}`.trim();
  return {
    key,
    dealId: deal.id,
    partnerId: line.partnerId,
    role: line.role,
    kind,
    amount,
    currency,
    status: hold === null ? 'scheduled' : 'on_hold',
    holdReason: hold,
    explanation,
    basis,
    rateBps,
    flatFee: rateBps === null ? (flatFee ?? amount) : null,
    frozenAt: now,
    programVersion,
    programComponent: componentForLine(line, partner, config),
  };
}

const PROGRESS: readonly PayoutStatus[] = ['on_hold', 'scheduled', 'approved', 'paid'];

/** `pp_payout_status`: the least advanced non-reversed record; `reversed` when all are; `none` without any. */
export function summarizePayoutStatus(records: PayoutRecord[]): DealPayoutStatus {
  if (records.length === 0) return 'none';
  const live = records.filter((r) => r.status !== 'reversed');
  if (live.length === 0) return 'reversed';
  return PROGRESS.find((status) => live.some((r) => r.status === status)) ?? 'reversed';
}

const sentence = (text: string): string => {
  const t = text.trim();
  return t === '' || /[.!?]$/.test(t) ? t : `${t}.`;
};
