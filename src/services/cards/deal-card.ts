/**
 * The deal card (GET /api/cards/deals/:dealId). Built from `evaluateDeal`, the very evaluation the workers
 * write back, so the card's total is the deal's `pp_commission_total`; payouts are read from the payout store
 * once the deal is or was closed-won.
 */
import type { DealCardView, Viewer } from '../../../extensions/app/cards/api/contract.js';
import { formatMoney, formatRate } from '../../engine/money.js';
import { parsePayoutKey, partnerIdOfKey } from '../../engine/payout-keys.js';
import { payoutKey, summarizePayoutStatus } from '../../engine/payouts.js';
import { approvedProtectionEnd, protectionDaysLeft } from '../../engine/protection.js';
import { registrationVersion } from '../../engine/registration.js';
import { coMarketingTier, coSellingTier, referralTier } from '../../engine/tiers.js';
import type { CommissionLine, PayoutRecord } from '../../engine/types.js';
import { NotFoundError } from '../../errors.js';
import { compareIds } from '../../hubspot/mappers.js';
import { PAYOUT_ROLE_LABELS, ROLE_LABELS } from '../../hubspot/properties.js';
import { evaluateDeal, type DealEvaluation } from '../evaluate-deal.js';
import { companyName } from '../registration-deal.js';
import type { SyncContext } from '../sync-context.js';
import { isoOrNull, userLabel, type CardContext } from './card-context.js';

export async function buildDealCardView(cc: CardContext, dealId: string, viewer: Viewer): Promise<DealCardView> {
  const ev = await evaluateDeal(cc.ctx, dealId);
  if (!ev) throw new NotFoundError(`Deal ${dealId} was not found in HubSpot: it may have been deleted or merged.`);
  const { snapshot, commission } = ev;
  const [registration, payouts] = await Promise.all([registrationView(cc.ctx, ev), payoutsView(cc.ctx, ev)]);
  const currency = commission.currency;
  return {
    deal: {
      id: snapshot.id,
      name: snapshot.name,
      currency,
      stageLabel: stageLabel(ev),
      isClosedWon: snapshot.isClosedWon,
    },
    partners: partnersView(cc.ctx, ev),
    registration,
    registrationVersion: registrationVersion(snapshot.registration),
    commission: {
      currency,
      lines: commission.lines.map(lineView),
      total: formatMoney(commission.total, currency),
      retentionScheduled: formatMoney(
        commission.lines.filter((l) => l.kind === 'retention' && l.status === 'scheduled').reduce((sum, l) => sum + l.amount, 0),
        currency,
      ),
      partnerTier: commission.partnerTier,
    },
    payouts,
    viewer,
  };
}

/**
 * Stage labels live in the pipelines API, which the HubSpot layer reads for closed stages only; until it
 * returns labels, the card names the two stages the program acts on and leaves open stages unnamed.
 */
function stageLabel(ev: DealEvaluation): string | null {
  if (ev.snapshot.isClosedWon) return 'Closed won';
  if (ev.snapshot.isClosedLost) return 'Closed lost';
  return null;
}

function partnersView(ctx: SyncContext, ev: DealEvaluation): DealCardView['partners'] {
  const config = ctx.program.config;
  return ev.partners.map(({ company, roles }) => ({
    companyId: company.id,
    name: company.name,
    partnerType: company.partnerType,
    roles: roles.map((role) => ({ role, label: ROLE_LABELS[role] })),
    tiers: {
      referral: referralTier(company, config).value,
      coMarketing: coMarketingTier(company, config).value,
      coSelling: coSellingTier(company, config).value,
    },
    // A referral partner's standing counts this deal as it should be; others show what was last written.
    highPerformer: ev.standings.get(company.id)?.highPerformer.value ?? ev.companies.get(company.id)?.pp_high_performer === 'true',
    agreementSigned: company.agreementSigned,
  }));
}

function lineView(line: CommissionLine): DealCardView['commission']['lines'][number] {
  const { currency } = line;
  return {
    partnerId: line.partnerId,
    partnerName: line.partnerName,
    role: line.role,
    roleLabel: ROLE_LABELS[line.role],
    kind: line.kind,
    basis: line.basis === null ? null : formatMoney(line.basis, currency),
    rate: line.rateBps === null ? null : formatRate(line.rateBps),
    flatFee: line.flatFee === null ? null : formatMoney(line.flatFee, currency),
    amount: formatMoney(line.amount, currency),
    status: line.status,
    reason: line.reason,
  };
}

async function registrationView(ctx: SyncContext, ev: DealEvaluation): Promise<DealCardView['registration']> {
  const reg = ev.snapshot.registration;
  if (reg === null) return null;
  const now = ctx.clock();
  const conflict = reg.conflict;
  const [partnerName, conflictView] = await Promise.all([
    companyName(ctx, reg.partnerId, ev.companies),
    conflict === null
      ? Promise.resolve(null)
      : Promise.all([ctx.crm.deal(conflict.dealId), companyName(ctx, conflict.partnerId, ev.companies)]).then(([deal, name]) => ({
          dealId: conflict.dealId,
          dealName: deal?.properties.dealname?.trim() || null,
          partnerId: conflict.partnerId,
          partnerName: name,
        })),
  ]);
  return {
    status: reg.status,
    partnerId: reg.partnerId,
    partnerName,
    submittedAt: isoOrNull(reg.submittedAt),
    submittedBy: userLabel(reg.submittedBy),
    decidedAt: isoOrNull(reg.decidedAt),
    decidedBy: userLabel(reg.decidedBy),
    protectionStatus: ev.protection,
    protectionExpiresAt: isoOrNull(approvedProtectionEnd(reg, ctx.program.config)),
    // Protection stops counting down once the deal is won (it never lapses afterwards).
    daysLeft: ev.snapshot.isClosedWon ? null : protectionDaysLeft(reg, now, ctx.program.config),
    reason: reg.reason,
    conflict: conflictView,
  };
}

/** Payout records exist only for deals that are or were closed-won; the deal's own summary says which. */
async function payoutsView(ctx: SyncContext, ev: DealEvaluation): Promise<DealCardView['payouts']> {
  const summary = ev.record.properties.pp_payout_status?.trim() ?? '';
  if (!ev.snapshot.isClosedWon && (summary === '' || summary === 'none')) return { status: 'none', records: [] };
  const dealId = ev.snapshot.id;
  const keys = ev.commission.lines.filter((l) => l.kind === 'commission' && l.status === 'payable').map((l) => payoutKey(dealId, l.partnerId, l.role));
  const records = (await ctx.payouts.forDeal(dealId, keys)).sort((a, b) => compareKeys(a.key, b.key));
  const names = new Map(
    await Promise.all([...new Set(records.map((r) => r.partnerId))].map(async (id) => [id, await companyName(ctx, id, ev.companies)] as const)),
  );
  return {
    status: summarizePayoutStatus(records),
    records: records.map((r) => ({
      key: r.key,
      partnerName: names.get(r.partnerId) ?? `Company ${r.partnerId}`,
      roleLabel: payoutRoleLabel(r),
      amount: formatMoney(r.amount, r.currency),
      status: r.status,
      holdReason: r.holdReason,
    })),
  };
}

export function payoutRoleLabel(r: Pick<PayoutRecord, 'role' | 'kind'>): string {
  const label = PAYOUT_ROLE_LABELS[r.role];
  if (r.kind === 'retention') return `${label} (retention bonus)`;
  if (r.kind === 'adjustment') return `${label} (adjustment)`;
  return label;
}

/** One deal's keys: partner ids compare as numbers, then the keys as text (role, retention, adjustment). */
function compareKeys(a: string, b: string): number {
  const partner = (key: string): string => {
    const parsed = parsePayoutKey(key);
    return (parsed && partnerIdOfKey(parsed)) ?? '';
  };
  return compareIds(partner(a), partner(b)) || (a < b ? -1 : a > b ? 1 : 0);
}
