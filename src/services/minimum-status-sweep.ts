/**
 * The daily job that lets program performance move with time as well as with deals (docs/program.md "Program
 * performance"): it recomputes only the partners whose outputs can change today without any deal changing.
 *
 * - `pp_minimum_status`: what on track asks for, ⌊minimum × elapsed days ÷ days in the quarter⌋, rises on a few
 *   days of each quarter. On such a day exactly the partners of that tier whose count is in [yesterday's due,
 *   today's due) fall from on track to at risk: one search per tier finds them (`countsFallingBehind`). Met stays
 *   met and at risk stays at risk until a deal changes, which recomputes the partner anyway.
 * - `pp_satisfaction_avg` / `pp_lead_quality_avg`: a scored deal whose close (create) date leaves the 12-month
 *   window since the last run changes its partner's average: one deal search each, then its referral partners.
 *
 * The last run is remembered in Redis, so a day the job did not run is caught up the next day. Each partner is
 * asked once per run, and the recompute queue keeps one job per partner however often it is asked
 * (`company:<id>` deduplication). The quarter's turn is the quarter-start job's (it recomputes every partner,
 * which writes `pp_last_quarter_result` with the new quarter's count in the same update).
 */
import { countsFallingBehind, windowStart } from '../engine/performance.js';
import { REFERRAL_TIERS } from '../engine/types.js';
import { searchCompanies } from '../hubspot/companies.js';
import type { CrmSearchRequest } from '../hubspot/crm-records.js';
import { searchDeals } from '../hubspot/deals.js';
import { rolesOf } from '../hubspot/mappers.js';
import type { SyncContext } from './sync-context.js';

const DAY_MS = 86_400_000;

export interface MinimumStatusSweepResult {
  /** Per tier, the counts that fall behind today (null: nobody can). */
  fallingBehind: Record<string, { from: number; to: number } | null>;
  /** Partners asked to recompute (each once). */
  companies: number;
  /** Scored deals that left the averages' window since the last run. */
  dealsLeavingWindow: number;
  since: number;
}

export async function sweepMinimumStatus(ctx: SyncContext): Promise<MinimumStatusSweepResult> {
  const { hs, redis } = ctx;
  const key = `${ctx.prefix}:minimum-status:last-run`;
  const now = ctx.clock();
  const stored = await redis.get(key);
  const since = stored ? Number(stored) : now - DAY_MS;
  const config = ctx.program.config;
  const companies = new Set<string>();

  const fallingBehind: MinimumStatusSweepResult['fallingBehind'] = {};
  for (const tier of REFERRAL_TIERS) {
    const range = countsFallingBehind(config.referralTiers[tier].quarterlyMinimum, since, now, config.timeZone);
    fallingBehind[tier] = range;
    if (!range) continue;
    const request: CrmSearchRequest = {
      filterGroups: [
        {
          filters: [
            { propertyName: 'pp_referral_tier', operator: 'EQ', value: tier },
            { propertyName: 'pp_referrals_this_quarter', operator: 'GTE', value: String(range.from) },
            { propertyName: 'pp_referrals_this_quarter', operator: 'LT', value: String(range.to) },
          ],
        },
      ],
      properties: ['pp_referral_tier', 'pp_referrals_this_quarter'],
    };
    for await (const page of searchCompanies(hs, request)) page.forEach((c) => companies.add(c.id));
  }

  // Deals leaving the window: closed (scored for satisfaction) or created (scored for lead quality) in
  // (window start at the last run, window start now].
  const [from, to] = [windowStart(since, config), windowStart(now, config)];
  const leaving = new Set<string>();
  if (to > from) {
    for (const [dateProperty, score] of [
      ['closedate', 'pp_client_satisfaction'],
      ['createdate', 'pp_lead_quality_score'],
    ] as const) {
      const request: CrmSearchRequest = {
        filterGroups: [
          {
            filters: [
              { propertyName: dateProperty, operator: 'GT', value: String(from) },
              { propertyName: dateProperty, operator: 'LTE', value: String(to) },
              { propertyName: score, operator: 'HAS_PROPERTY' },
            ],
          },
        ],
        properties: [dateProperty],
      };
      for await (const page of searchDeals(hs, request)) page.forEach((d) => leaving.add(d.id));
    }
  }
  if (leaving.size > 0) {
    const roles = await ctx.portal.roles();
    const ids = [...leaving];
    const associations = await ctx.crm.dealCompaniesMany(ids);
    for (const assoc of associations) {
      for (const a of assoc) if (rolesOf(a.types, roles).includes('pp_referral_partner')) companies.add(a.companyId);
    }
  }

  await ctx.enqueue(
    [...companies].map((id) => ({ kind: 'company' as const, id })),
    'minimum-status',
  );
  await redis.set(key, String(now));
  return { fallingBehind, companies: companies.size, dealsLeavingWindow: leaving.size, since };
}
