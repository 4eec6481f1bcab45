/**
 * Recompute one partner company: a full count of its qualified referrals this quarter, its tiers and
 * high-performer status written back when they change, then every deal that depends on it: its open deals,
 * and its closed deals whose payouts are on hold (a signed agreement releases them, docs/program.md#payouts).
 */
import { commitmentOutputs, commitmentStanding } from '../engine/commitments.js';
import { performanceOutputs } from '../engine/performance.js';
import { companyOutputs, partnerStanding, referralTier } from '../engine/tiers.js';
import type { CoMarketingTier } from '../engine/types.js';
import { PayoutSchemaMissingError } from '../hubspot/errors.js';
import { toPartnerCompany } from '../hubspot/mappers.js';
import { changedProperties, COMPANY_OUTPUT_KINDS } from '../hubspot/changed-properties.js';
import { countOnce, ledgerReferrals, readReferrals } from './partner-referrals.js';
import { qualifiedDealIds } from '../stores/partner-stats.js';
import { loadPartnerPerformance } from './partner-performance.js';
import type { SyncContext } from './sync-context.js';
import { settlePartnerInputs } from './partner-inputs.js';

export interface RecomputeCompanyResult {
  companyId: string;
  status: 'written' | 'unchanged' | 'missing';
  written: string[];
  /** Deals enqueued for a recompute. */
  fannedOut: number;
}

/** Reasons that mean an input of the partner changed, so its deals follow even when its outputs do not. */
const INPUT_CHANGE_REASONS = new Set(['webhook', 'quarter-start', 'resync']);
/**
 * Of the outputs, only high-performer status depends on the referral count, and other deals' rates depend on it.
 * Every deal recompute reads the current count itself, so the other deals need a recompute only when the status
 * really flipped (from a value that was written before, not on the partner's very first write).
 */
function highPerformerFlipped(before: string | null | undefined, changed: Record<string, string>): boolean {
  return 'pp_high_performer' in changed && before !== null && before !== undefined && before !== '';
}

export async function recomputeCompany(ctx: SyncContext, companyId: string, reason: string): Promise<RecomputeCompanyResult> {
  const loaded = await ctx.crm.company(companyId);
  if (!loaded) return { companyId, status: 'missing', written: [], fannedOut: 0 };
  // Partner inputs: a partner manager's change is accepted, anyone else's restored (docs/program.md#who-may-change-what).
  const inputs = await settlePartnerInputs(ctx, loaded);
  const record = { ...loaded, properties: inputs.properties };
  const now = ctx.clock();
  const quarter = ctx.stats.quarter(now);
  const config = ctx.program.config;
  const company = toPartnerCompany(companyId, record.properties);
  const inputsChanged = INPUT_CHANGE_REASONS.has(reason) || inputs.accepted.length > 0;
  // A changed input (consultant count, partner type …) can change which deals qualify: count them all again.
  // Otherwise the set the deal recomputes keep is current.
  const fullCount = inputsChanged || !(await ctx.stats.isCounted(companyId, quarter));
  const tier = referralTier(company, config).value;
  // A referral partner's performance (last quarter, satisfaction, lead quality) comes from all its referral deals:
  // read from HubSpot when a full count is due (the same read counts them and refills the ledger), else from the
  // ledger the deal recomputes keep (partner-stats.ts), read from HubSpot only when the ledger is not complete.
  const referred =
    tier === null
      ? null
      : fullCount
        ? await readReferrals(ctx, companyId, record.properties)
        : ((await ledgerReferrals(ctx, company)) ?? (await readReferrals(ctx, companyId, record.properties)));
  const count =
    referred !== null && fullCount
      ? await ctx.stats.replace(companyId, quarter, qualifiedDealIds(companyId, referred, config, quarter))
      : fullCount
        ? await countOnce(ctx, companyId, record.properties, quarter)
        : await ctx.stats.count(companyId, quarter);
  const standing = partnerStanding(company, count, config);
  const performance = await loadPartnerPerformance(ctx, company, record.properties, standing.referralTier.value, count, referred ?? []);
  const changed = changedProperties(
    loaded.raw ?? loaded.properties,
    { ...companyOutputs(standing), ...performanceOutputs(performance), ...(await commitmentCompanyOutputs(ctx, companyId, standing.coMarketingTier.value)) },
    COMPANY_OUTPUT_KINDS,
  );
  const written = Object.keys(changed);
  // Restored inputs and the seal go out in the same write as the outputs computed from the accepted inputs.
  const write = { ...inputs.write, ...changed };
  if (Object.keys(write).length > 0) await ctx.crm.updateCompany({ id: companyId, properties: write });
  if (inputs.note !== null) await ctx.addNote({ kind: 'company', id: companyId }, inputs.note);

  let fannedOut = 0;
  if (inputsChanged || highPerformerFlipped(record.properties.pp_high_performer, changed)) {
    const dealIds = await dependentDeals(ctx, companyId);
    await ctx.enqueue(
      dealIds.map((id) => ({ kind: 'deal' as const, id })),
      'partner-changed',
    );
    fannedOut = dealIds.length;
  }
  return { companyId, status: written.length > 0 ? 'written' : 'unchanged', written, fannedOut };
}

/**
 * Co-marketing commitments (docs/program.md#co-marketing-commitments): this year's approved activities against the
 * co-marketing tier's minimums. Nothing (the outputs left as they are) when activities cannot be read here: no
 * client secret to check their seals, or no pp_activity object in the portal.
 */
export async function commitmentCompanyOutputs(ctx: SyncContext, companyId: string, tier: CoMarketingTier | null): Promise<Record<string, string>> {
  if (!ctx.activities) return {};
  if (tier === null) return commitmentOutputs(null);
  let activities;
  try {
    activities = await ctx.activities.forCompany(companyId);
  } catch (err) {
    if (err instanceof PayoutSchemaMissingError) return {};
    throw err;
  }
  return commitmentOutputs(commitmentStanding(tier, activities, ctx.clock(), ctx.program.config));
}

/** Open deals the company is on, plus closed deals with payouts on hold. */
async function dependentDeals(ctx: SyncContext, companyId: string): Promise<string[]> {
  const [dealIds, stages] = await Promise.all([ctx.crm.companyDeals(companyId), ctx.portal.stages()]);
  const deals = await ctx.crm.deals(dealIds);
  return deals.flatMap((d) => {
    if (!d) return [];
    const stage = d.properties.dealstage ?? '';
    const open = !stages.closedWon.has(stage) && !stages.closedLost.has(stage);
    return open || d.properties.pp_payout_status === 'on_hold' ? [d.id] : [];
  });
}
