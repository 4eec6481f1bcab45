/**
 * Annual bonuses (docs/activities.md#annual-bonuses): the ranking of partners by partner-sourced revenue in a year,
 * and a partner manager's award of an achievement bonus or Partner of the Year, each one `pp_payout` keyed
 * `bonus:<year>:<partnerId>:<award>` (role `bonus`, no deal, portal currency, the holds of any payout).
 * Awarding again changes the unpaid amount, never adds a record; once finance approved or paid it, it is refused.
 * Partner of the Year goes to one partner a year: awards of one year run one at a time (a Redis lock), and the
 * holder is read by key from the payouts, so two managers clicking at once cannot both win.
 */
import { DateTime } from 'luxon';
import { BONUS_AWARD_LABELS, bonusAmount, bonusPayout } from '../engine/activities.js';
import { dealBasis, dealCurrency } from '../engine/basis.js';
import { rankPartnersByRevenue, type PartnerRevenue, type RankedDeal } from '../engine/bonus-ranking.js';
import { formatMoney, parseMoney } from '../engine/money.js';
import { bonusKey, parsePayoutKey, type BonusAward } from '../engine/payout-keys.js';
import type { PayoutRecord } from '../engine/types.js';
import { ConflictError, ForbiddenError, NotFoundError, PayloadError } from '../errors.js';
import { createNote, escapeHtml } from '../hubspot/notes.js';
import type { HubSpot } from '../hubspot/client.js';
import { searchDeals } from '../hubspot/deals.js';
import { toPartnerCompany, toPayoutRecord } from '../hubspot/mappers.js';
import { searchPayouts } from '../hubspot/payouts.js';
import { readPayoutGroup } from './activities.js';
import type { DecisionLock } from '../stores/decision-lock.js';
import { notAManagerMessage, type PartnerManagers } from './partner-managers.js';
import type { SyncContext } from './sync-context.js';

export interface BonusDeps {
  ctx: SyncContext;
  hs: HubSpot;
  managers: PartnerManagers;
  /** createRedisDecisionLock(…, 'bonus'): one award of a year at a time. */
  lock: DecisionLock;
  /** Remembers the Partner of the Year of each year at once (search lags writes by seconds). */
  redis?: { get(key: string): Promise<string | null>; set(key: string, value: string): Promise<unknown> };
  prefix?: string;
}

export interface RankingRow extends PartnerRevenue {
  partnerName: string;
  revenueText: string;
  awards: { award: BonusAward; amount: string; status: PayoutRecord['status'] }[];
}

/** The year's ranking, highest partner-sourced revenue first, with the awards already made. */
export async function bonusRanking(
  deps: Pick<BonusDeps, 'ctx' | 'hs'>,
  year: number,
): Promise<{ year: number; rows: RankingRow[]; partnerOfTheYear: string | null }> {
  const { ctx, hs } = deps;
  const config = ctx.program.config;
  const start = DateTime.fromObject({ year }, { zone: config.timeZone });
  const stages = await ctx.portal.stages();
  const won = [...stages.closedWon];
  const deals: RankedDeal[] = [];
  if (won.length > 0) {
    const request = {
      filterGroups: [
        {
          filters: [
            { propertyName: 'dealstage', operator: 'IN' as const, values: won },
            { propertyName: 'closedate', operator: 'GTE' as const, value: String(start.toMillis()) },
            { propertyName: 'closedate', operator: 'LT' as const, value: String(start.plus({ years: 1 }).toMillis()) },
          ],
        },
      ],
      properties: ['amount', 'pp_first_year_contract_value', 'deal_currency_code', 'dealstage', 'closedate'],
    };
    for await (const page of searchDeals(hs, request)) {
      for (const d of page) {
        const currency = dealCurrency({ currency: d.properties.deal_currency_code ?? null }, config);
        let basis: number | null = null;
        try {
          basis = dealBasis({ amount: d.properties.amount ?? null, firstYearContractValue: d.properties.pp_first_year_contract_value ?? null }, currency);
        } catch {
          basis = null; // an unreadable basis adds nothing, as it pays nothing
        }
        deals.push({ dealId: d.id, basis, currency });
      }
    }
  }
  const type = await ctx.payouts.objectType();
  const payouts: PayoutRecord[] = [];
  for (let i = 0; i < deals.length; i += 50) {
    for await (const page of searchPayouts(hs, type, { dealIds: deals.slice(i, i + 50).map((d) => d.dealId) })) {
      for (const r of page) {
        const rec = toPayoutRecord(r.properties);
        if (rec) payouts.push(rec);
      }
    }
  }
  const ranked = rankPartnersByRevenue(deals, payouts, config.portalCurrency);
  const awards = await awardsOf(deps, year);
  const names = await Promise.all(ranked.map((r) => ctx.crm.company(r.partnerId)));
  const rows = ranked.map((r, i) => ({
    ...r,
    partnerName: names[i]?.properties.name?.trim() || `Company ${r.partnerId}`,
    revenueText: formatMoney(r.revenue, config.portalCurrency),
    awards: awards
      .filter((a) => a.partnerId === r.partnerId)
      .map((a) => ({ award: a.award, amount: formatMoney(a.record.amount, a.record.currency), status: a.record.status })),
  }));
  const holder = awards.find((a) => a.award === 'partner_of_the_year' && a.record.status !== 'reversed');
  return { year, rows, partnerOfTheYear: holder?.partnerId ?? null };
}

/** The bonus payouts of a year (search: the card's view; awards themselves re-check by key). */
async function awardsOf(deps: Pick<BonusDeps, 'ctx' | 'hs'>, year: number): Promise<{ partnerId: string; award: BonusAward; record: PayoutRecord }[]> {
  const type = await deps.ctx.payouts.objectType();
  const out: { partnerId: string; award: BonusAward; record: PayoutRecord }[] = [];
  for await (const page of searchPayouts(deps.hs, type, { roles: ['bonus'] })) {
    for (const r of page) {
      const rec = toPayoutRecord(r.properties);
      const key = rec ? parsePayoutKey(rec.key) : null;
      if (rec && key?.kind === 'bonus' && key.year === year) out.push({ partnerId: key.partnerId, award: key.award, record: rec });
    }
  }
  return out;
}

export interface AwardInput {
  year: number;
  partnerId: string;
  award: BonusAward;
  /** Major units as typed (achievement); Partner of the Year takes the configured amount. */
  amount: string | null;
  note: string;
  userId: string;
}

export async function awardBonus(deps: BonusDeps, input: AwardInput): Promise<{ message: string; key: string }> {
  const check = await deps.managers.check(input.userId);
  if (!check.isManager)
    throw new ForbiddenError(notAManagerMessage(check, input.userId, deps.managers.hint).replace('approve, reject or resolve registrations', 'award bonuses'));
  const { ctx } = deps;
  const config = ctx.program.config;
  let requested: number | null = null;
  if (input.amount !== null && input.amount.trim() !== '') {
    try {
      requested = parseMoney(input.amount.replace(/[$,\s]/g, ''), config.portalCurrency, 'amount');
    } catch {
      throw new PayloadError(`"${input.amount}" is not an amount.`);
    }
  }
  const amount = bonusAmount(input.award, requested, config);
  if ('refused' in amount) throw new PayloadError(amount.refused);
  const company = await ctx.crm.company(input.partnerId);
  if (!company) throw new NotFoundError(`Company ${input.partnerId} was not found in HubSpot.`);
  const partner = toPartnerCompany(input.partnerId, company.properties);
  if (!partner.partnerType) throw new PayloadError(`${partner.name || `Company ${input.partnerId}`} is not a partner (no partner type).`);

  return deps.lock.run([`year-${input.year}`], async () => {
    if (input.award === 'partner_of_the_year') {
      const holders = (await awardsOf(deps, input.year)).filter(
        (a) => a.award === 'partner_of_the_year' && a.partnerId !== input.partnerId && a.record.status !== 'reversed',
      );
      const remembered = deps.redis && deps.prefix ? await deps.redis.get(`${deps.prefix}:bonus:poty:${input.year}`) : null;
      if (holders.length === 0 && remembered && remembered !== input.partnerId) {
        const [rec] = await readPayoutGroup(deps, bonusKey(input.year, remembered, 'partner_of_the_year'));
        if (rec && rec.status !== 'reversed') holders.push({ partnerId: remembered, award: 'partner_of_the_year', record: rec });
      }
      if (holders.length > 0) {
        const holder = await ctx.crm.company(holders[0]!.partnerId);
        throw new ConflictError(
          `Partner of the Year ${input.year} is already awarded to ${holder?.properties.name ?? 'another partner'} (company ${holders[0]!.partnerId}): one partner a year.`,
        );
      }
    }
    const key = bonusKey(input.year, input.partnerId, input.award);
    const existing = (await readPayoutGroup(deps, key)).find((r) => r.key === key);
    if (existing && (existing.status === 'approved' || existing.status === 'paid')) {
      throw new ConflictError(
        `${BONUS_AWARD_LABELS[input.award]} ${input.year} for this partner is already ${existing.status} by finance: it can no longer be changed here.`,
      );
    }
    const now = ctx.clock();
    const fresh = bonusPayout({
      year: input.year,
      award: input.award,
      amount: amount.amount,
      partner,
      awardedBy: `user ${input.userId}`,
      note: input.note,
      config,
      programVersion: ctx.program.version,
      now,
    });
    const record: PayoutRecord =
      existing && existing.status !== 'reversed'
        ? { ...fresh, frozenAt: existing.frozenAt, explanation: `${existing.explanation}\n${fresh.explanation.replace(/^/, 'Awarded again: ')}` }
        : fresh;
    if (existing && existing.amount === record.amount && existing.status === record.status && existing.holdReason === record.holdReason) {
      return {
        message: `${BONUS_AWARD_LABELS[input.award]} ${input.year} of ${formatMoney(record.amount, record.currency)} is already awarded to this partner.`,
        key,
      };
    }
    await ctx.payouts.save([record]);
    if (input.award === 'partner_of_the_year' && deps.redis && deps.prefix) await deps.redis.set(`${deps.prefix}:bonus:poty:${input.year}`, input.partnerId);
    const why = input.note.trim() ? ` Why: ${input.note.trim()}` : '';
    await createNote(deps.hs, {
      on: { kind: 'company', id: input.partnerId },
      bodyHtml: `<p>${escapeHtml(`${BONUS_AWARD_LABELS[input.award]} ${input.year} of ${formatMoney(record.amount, record.currency)} awarded by user ${input.userId}${existing ? ` (was ${formatMoney(existing.amount, existing.currency)})` : ''}.${why}${record.holdReason ? ` On hold: ${record.holdReason}.` : ''}`)}</p>`,
      timestamp: now,
    });
    const hold = record.status === 'on_hold' ? ` It is on hold: ${record.holdReason}.` : '';
    return { message: `${BONUS_AWARD_LABELS[input.award]} ${input.year} of ${formatMoney(record.amount, record.currency)} awarded.${hold}`, key };
  });
}
