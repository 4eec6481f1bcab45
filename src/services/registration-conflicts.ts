/**
 * docs/program.md#deal-registration "Conflict, checked at submission and again at approval": an approved, unexpired registration by
 * another partner on another deal of the same customer company. The engine decides (`findConflict`); this
 * reads the candidates: every deal of the customer company, and for those holding an approved registration
 * of another partner, their own customer company (a deal merely associated with the company may have
 * another customer).
 */
import { findConflict, type ConflictCandidate, type OtherDealRegistration } from '../engine/registration.js';
import type { Instant, RegistrationConflict } from '../engine/types.js';
import { customerCompanyOf, toRegistration } from '../hubspot/mappers.js';
import type { SyncContext } from './sync-context.js';

export async function findRegistrationConflict(ctx: SyncContext, candidate: ConflictCandidate, now: Instant): Promise<RegistrationConflict | null> {
  if (candidate.customerCompanyId === null) return null;
  const dealIds = (await ctx.crm.companyDeals(candidate.customerCompanyId)).filter((id) => id !== candidate.dealId);
  if (dealIds.length === 0) return null;
  const records = (await ctx.crm.deals(dealIds)).flatMap((r) => (r ? [r] : []));
  const rivals = records.filter((r) => {
    const reg = toRegistration(r.properties);
    return reg?.status === 'approved' && reg.partnerId !== candidate.partnerId;
  });
  if (rivals.length === 0) return null;

  const [associations, roles, stages] = await Promise.all([ctx.crm.dealCompaniesMany(rivals.map((r) => r.id)), ctx.portal.roles(), ctx.portal.stages()]);
  const others: OtherDealRegistration[] = rivals.map((r, i) => {
    const stage = r.properties.dealstage ?? '';
    return {
      dealId: r.id,
      customerCompanyId: customerCompanyOf(associations[i] ?? [], roles),
      registration: toRegistration(r.properties),
      isClosedWon: stages.closedWon.has(stage),
      isClosedLost: stages.closedLost.has(stage),
    };
  });
  return findConflict(candidate, others, now, ctx.program.config);
}
