/**
 * Self-healing: every few minutes, recompute the deals HubSpot says were modified since the last sweep, so a
 * webhook that never arrived is made good without anyone noticing. The watermark lives in Redis; the sweep
 * looks back a little before it because search results lag writes.
 */
import { searchDeals, searchDealsModifiedSince } from '../hubspot/deals.js';
import { searchCompanies } from '../hubspot/companies.js';
import { PARTNER_INPUTS_SEAL_PROPERTY } from '../hubspot/properties.js';
import { searchActivitiesModifiedSince } from '../hubspot/activities.js';
import { PayoutSchemaMissingError } from '../hubspot/errors.js';
import { resolveActivityObjectType } from '../hubspot/activities.js';
import type { SyncContext } from './sync-context.js';

/** Search is eventually consistent: look this far behind the last watermark. */
const SEARCH_LAG_MS = 2 * 60_000;

export interface SweepResult {
  deals: number;
  companies: number;
}

/**
 * The reconcile job: the deals and the activities modified since the last sweep. A first run (no watermark yet)
 * looks back two reconcile intervals.
 */
export async function reconcileModified(ctx: SyncContext): Promise<SweepResult & { since: number; watermark: number; activities: number }> {
  const firstLookBackMs = 2 * ctx.program.config.schedules.reconcileEveryMinutes * 60_000;
  const deals = await reconcileModifiedDeals(ctx, firstLookBackMs);
  const activities = await reconcileModifiedActivities(ctx, firstLookBackMs);
  return { ...deals, ...activities };
}

async function reconcileModifiedDeals(ctx: SyncContext, firstLookBackMs: number): Promise<SweepResult & { since: number; watermark: number }> {
  const { hs, redis } = ctx;
  const key = `${ctx.prefix}:reconcile:watermark`;
  const now = ctx.clock();
  const stored = await redis.get(key);
  const since = stored ? Number(stored) - SEARCH_LAG_MS : now - firstLookBackMs;
  let deals = 0;
  for await (const page of searchDealsModifiedSince(hs, since, ['hs_lastmodifieddate'])) {
    await ctx.enqueue(
      page.map((d) => ({ kind: 'deal' as const, id: d.id })),
      'reconcile',
    );
    deals += page.length;
  }
  // Partner companies modified since: a partner input changed with no webhook is judged (accepted from a partner
  // manager, else restored) within one sweep. A rep who clears pp_partner_type leaves the seal: both are looked for.
  let companies = 0;
  const modified = { propertyName: 'hs_lastmodifieddate', operator: 'GTE' as const, value: String(since) };
  const partnerCompanies = {
    filterGroups: [
      { filters: [modified, { propertyName: 'pp_partner_type', operator: 'HAS_PROPERTY' as const }] },
      { filters: [modified, { propertyName: PARTNER_INPUTS_SEAL_PROPERTY, operator: 'HAS_PROPERTY' as const }] },
    ],
    properties: ['hs_lastmodifieddate'],
  };
  for await (const page of searchCompanies(hs, partnerCompanies)) {
    await ctx.enqueue(
      page.map((c) => ({ kind: 'company' as const, id: c.id })),
      'reconcile',
    );
    companies += page.length;
  }
  await redis.set(key, String(now));
  return { deals, companies, since, watermark: now };
}

/** Every open deal (label-only changes send no webhook, docs/program.md#deal-partners-and-association-labels): the nightly association refresh. */
export async function refreshOpenDeals(ctx: SyncContext): Promise<SweepResult> {
  const { hs } = ctx;
  const stages = await ctx.portal.stages();
  const closed = [...stages.closedWon, ...stages.closedLost];
  let deals = 0;
  const request = {
    filterGroups: closed.length > 0 ? [{ filters: [{ propertyName: 'dealstage', operator: 'NOT_IN' as const, values: closed }] }] : [],
    properties: ['dealstage'],
  };
  for await (const page of searchDeals(hs, request)) {
    await ctx.enqueue(
      page.map((d) => ({ kind: 'deal' as const, id: d.id })),
      'association-refresh',
    );
    deals += page.length;
  }
  return { deals, companies: 0 };
}

/** Every partner company, whose recompute then fans out to its deals (quarter start, resync). */
export async function recomputeAllPartners(ctx: SyncContext, reason: 'quarter-start' | 'resync'): Promise<SweepResult> {
  const { hs } = ctx;
  let companies = 0;
  const request = {
    filterGroups: [{ filters: [{ propertyName: 'pp_partner_type', operator: 'HAS_PROPERTY' as const }] }],
    properties: ['pp_partner_type'],
  };
  for await (const page of searchCompanies(hs, request)) {
    await ctx.enqueue(
      page.map((c) => ({ kind: 'company' as const, id: c.id })),
      reason,
    );
    companies += page.length;
  }
  return { deals: 0, companies };
}

/** Everything: every deal and every partner (`npm run resync`). */
export async function resyncEverything(ctx: SyncContext): Promise<SweepResult> {
  const { hs } = ctx;
  const partners = await recomputeAllPartners(ctx, 'resync');
  let deals = 0;
  for await (const page of searchDeals(hs, { properties: ['dealstage'] })) {
    await ctx.enqueue(
      page.map((d) => ({ kind: 'deal' as const, id: d.id })),
      'resync',
    );
    deals += page.length;
  }
  return { deals, companies: partners.companies };
}

/**
 * The activities HubSpot says were modified since the last sweep: each one synced (restore, payout), so a
 * custom-object webhook that never arrived is made good. Deleted activities send no search hit: their webhook, or
 * the payout's own record, is what reverses them. Skipped (0) in a portal without the pp_activity object.
 */
async function reconcileModifiedActivities(ctx: SyncContext, firstLookBackMs: number): Promise<{ activities: number }> {
  const { hs, redis } = ctx;
  let type: string;
  try {
    type = await resolveActivityObjectType(hs);
  } catch (err) {
    if (err instanceof PayoutSchemaMissingError) return { activities: 0 };
    throw err;
  }
  const key = `${ctx.prefix}:reconcile:activities:watermark`;
  const now = ctx.clock();
  const stored = await redis.get(key);
  const since = stored ? Number(stored) - SEARCH_LAG_MS : now - firstLookBackMs;
  let activities = 0;
  for await (const page of searchActivitiesModifiedSince(hs, type, since)) {
    await ctx.enqueue(
      page.map((a) => ({ kind: 'activity' as const, id: a.id })),
      'reconcile',
    );
    activities += page.length;
  }
  await redis.set(key, String(now));
  return { activities };
}
