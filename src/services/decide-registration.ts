/**
 * A registration action from a card (register, approve, reject, resolve): authorise, read the deal, let the
 * engine decide, write what changed, put it on the timeline and recompute (docs/program.md#deal-registration).
 *
 * Order of answers, each chosen so a click never does harm:
 *   1. approve / reject / resolve by someone who is not a partner manager → 403, nothing read or written;
 *   2. a repeat of what already happened (a double click, HubSpot's automatic retry, a second manager
 *      approving what the first approved) → 200 "already …", nothing written: the outcome the user asked for
 *      is the state of the deal;
 *   3. the registration moved on since the card loaded (`expectedVersion`) → 409, nothing written;
 *   4. a move the registration table forbids → 409, a malformed one → 400;
 *   5. otherwise the properties that changed are written, a note is added, and the deal is recomputed.
 */
import { dealCurrency } from '../engine/basis.js';
import type { ProgramConfig } from '../engine/program-config.js';
import { formatDay } from '../engine/protection.js';
import {
  IllegalTransitionError,
  RegistrationInputError,
  applyRegistrationEvent,
  qualifyRegistration,
  registrationVersion,
  type RegistrationChange,
  type RegistrationEvent,
  type RegistrationQualification,
} from '../engine/registration.js';
import { referralTier } from '../engine/tiers.js';
import type { DealPartner, Registration } from '../engine/types.js';
import { ConflictError, ForbiddenError, NotFoundError, PayloadError } from '../errors.js';
import { NO_DECISION_LOCK, type DecisionLock } from '../stores/decision-lock.js';
import { notAManagerMessage, type PartnerManagers } from './partner-managers.js';
import { recordRegistrationChange, type RegistrationWrite } from './record-registration.js';
import { findRegistrationConflict } from './registration-conflicts.js';
import { companyName, loadRegistrationDeal, type RegistrationDeal } from './registration-deal.js';
import type { SyncContext } from './sync-context.js';

/** What a card asks for (the card contract's RegistrationActionRequest, already validated). */
export type RegistrationAction =
  | { action: 'register'; partnerId: string; expectedVersion: string }
  | { action: 'approve'; expectedVersion: string }
  | { action: 'reject'; reason: string; expectedVersion: string }
  | { action: 'resolve'; winnerPartnerId: string; expectedVersion: string };

export interface DecideRegistrationDeps {
  ctx: SyncContext;
  managers: PartnerManagers;
  /** Serialises decisions per deal across processes. @defaultValue no lock */
  lock?: DecisionLock;
}

export interface DecideRegistrationInput {
  dealId: string;
  /** The HubSpot user, from the signed request: never from the body (`contact:<id>` for the partner portal). */
  userId: string;
  /** How the timeline note names who acted (the portal names the contact). @defaultValue `user <userId>` */
  byName?: string;
  action: RegistrationAction;
}

export interface RegistrationDecision {
  changed: boolean;
  /** For the card: what happened, or why nothing did. */
  message: string;
  /** The deal's registration version after the action. */
  registrationVersion: string;
  /** Deals whose registration was written (each gets a note and a recompute). */
  writtenDealIds: string[];
}

export async function decideRegistration(deps: DecideRegistrationDeps, input: DecideRegistrationInput): Promise<RegistrationDecision> {
  if (input.action.action !== 'register') {
    const check = await deps.managers.check(input.userId);
    if (!check.isManager) throw new ForbiddenError(notAManagerMessage(check, input.userId, deps.managers.hint));
  }
  const lock = deps.lock ?? NO_DECISION_LOCK;
  return lock.run([input.dealId], () => decide(deps, input, lock));
}

/** Every card action maps to one engine event; `expire` belongs to the daily sweep. */
type CardEvent = Exclude<RegistrationEvent, { type: 'expire' }>;

interface Plan {
  event: CardEvent;
  /** Names for the messages. */
  partnerName: string;
}

async function decide(deps: DecideRegistrationDeps, input: DecideRegistrationInput, lock: DecisionLock): Promise<RegistrationDecision> {
  const { ctx } = deps;
  const config = ctx.program.config;
  const deal = await loadRegistrationDeal(ctx, input.dealId);
  if (!deal) throw new NotFoundError(`Deal ${input.dealId} was not found in HubSpot: it may have been deleted or merged.`);
  const current = deal.snapshot.registration;
  const now = ctx.clock();
  const plan = await planEvent(ctx, deal, input, now);

  let change: RegistrationChange | null = null;
  let refused: IllegalTransitionError | RegistrationInputError | null = null;
  try {
    change = applyRegistrationEvent(current, plan.event, config);
  } catch (err) {
    if (!(err instanceof IllegalTransitionError) && !(err instanceof RegistrationInputError)) throw err;
    refused = err;
  }

  if (change !== null && !change.changed) {
    return {
      changed: false,
      message: repeatMessage(input.action.action, change.registration, plan.partnerName, config),
      registrationVersion: registrationVersion(change.registration),
      writtenDealIds: [],
    };
  }
  if (registrationVersion(current) !== input.action.expectedVersion) {
    throw new ConflictError(await staleMessage(ctx, deal, current));
  }
  if (refused instanceof RegistrationInputError) throw new PayloadError(sentence(refused.message));
  if (refused !== null) throw new ConflictError(`${sentence(refused.message)} Refresh the card to see the registration as it is now.`);
  if (change === null || change.note === null) throw new Error('a registration change without a note');

  const own: RegistrationWrite = {
    dealId: input.dealId,
    current: deal.record.raw ?? deal.record.properties,
    sealed: deal.record.sealed,
    registration: change.registration,
    note: change.note,
  };
  const rival = await rivalLoss(ctx, input.dealId, current, plan.event, now);
  const writes = rival === null ? [own] : [rival, own];
  const write = async () => {
    // The rival deal first: if this deal's write then fails, a retry still finds this one disputed, and the
    // rival's loss is a repeat that writes nothing.
    for (const w of writes) await recordRegistrationChange(ctx, w);
  };
  if (rival === null) await write();
  else await lock.run([rival.dealId], write);
  await ctx.enqueue(
    writes.map((w) => ({ kind: 'deal' as const, id: w.dealId })),
    'card',
  );
  for (const w of writes) await notifyDecision(ctx, w);
  return {
    changed: true,
    message: change.note,
    registrationVersion: registrationVersion(change.registration),
    writtenDealIds: writes.map((w) => w.dealId),
  };
}

/** The engine event for the action, with the qualification and conflict it needs read from HubSpot. */
async function planEvent(ctx: SyncContext, deal: RegistrationDeal, input: DecideRegistrationInput, now: number): Promise<Plan> {
  const { action, userId: by } = input;
  const current = deal.snapshot.registration;
  const config = ctx.program.config;
  switch (action.action) {
    case 'register': {
      const partner = deal.partners.find((p) => p.company.id === action.partnerId);
      if (!partner) {
        throw new PayloadError(
          `Company ${action.partnerId} is not a partner on this deal: only a company associated with a partner label (Referral partner, Finder, Co-selling partner, Implementation partner, Customer success partner) can be registered.`,
        );
      }
      const partnerName = partner.company.name;
      const candidate = { dealId: deal.snapshot.id, partnerId: partner.company.id, customerCompanyId: deal.snapshot.customerCompanyId };
      const submitting = current === null || !['pending', 'approved', 'disputed'].includes(current.status);
      // Conflicts are looked up only for a submission that can happen; a repeat or a refused one needs none.
      const conflict = submitting ? await findRegistrationConflict(ctx, candidate, now) : null;
      return {
        partnerName,
        event: {
          type: 'submit',
          partnerId: partner.company.id,
          by,
          ...(input.byName ? { byName: input.byName } : {}),
          at: now,
          qualification: qualification(deal, partner, config),
          conflict,
          partnerName,
          ...(conflict ? { otherPartnerName: await companyName(ctx, conflict.partnerId, deal.companies) } : {}),
        },
      };
    }
    case 'approve': {
      const partnerName = current === null ? '' : await companyName(ctx, current.partnerId, deal.companies);
      const conflict =
        current?.status === 'pending'
          ? await findRegistrationConflict(
              ctx,
              { dealId: deal.snapshot.id, partnerId: current.partnerId, customerCompanyId: deal.snapshot.customerCompanyId },
              now,
            )
          : null;
      return {
        partnerName,
        event: {
          type: 'approve',
          by,
          at: now,
          conflict,
          ...(partnerName ? { partnerName } : {}),
          ...(conflict ? { otherPartnerName: await companyName(ctx, conflict.partnerId, deal.companies) } : {}),
        },
      };
    }
    case 'reject': {
      const partnerName = current === null ? '' : await companyName(ctx, current.partnerId, deal.companies);
      return { partnerName, event: { type: 'reject', by, at: now, reason: action.reason, ...(partnerName ? { partnerName } : {}) } };
    }
    case 'resolve': {
      if (current?.status === 'disputed') {
        const disputing = [current.partnerId, ...(current.conflict ? [current.conflict.partnerId] : [])];
        if (!disputing.includes(action.winnerPartnerId)) {
          throw new PayloadError(`The winner must be one of the disputing partners (${disputing.join(' or ')}); company ${action.winnerPartnerId} is not.`);
        }
      }
      const partnerName = current === null ? '' : await companyName(ctx, current.partnerId, deal.companies);
      const otherId = current?.conflict?.partnerId ?? (current?.partnerId === action.winnerPartnerId ? null : action.winnerPartnerId);
      const otherPartnerName = otherId === null ? '' : await companyName(ctx, otherId, deal.companies);
      return {
        partnerName,
        event: {
          type: 'resolve',
          by,
          at: now,
          winnerPartnerId: action.winnerPartnerId,
          ...(partnerName ? { partnerName } : {}),
          ...(otherPartnerName ? { otherPartnerName } : {}),
        },
      };
    }
  }
}

/**
 * docs/program.md#deal-registration qualification, with the partner's tier minimum in the deal's currency. A consultant with a tier on
 * a deal in a currency the program does not configure cannot be measured against a minimum: that is a reason.
 */
function qualification(deal: RegistrationDeal, partner: DealPartner, config: ProgramConfig): RegistrationQualification {
  const currency = dealCurrency(deal.snapshot, config);
  const tier = referralTier(partner.company, config).value;
  const minimums = config.currencies[currency]?.referralTierMinimums;
  const missingCurrency = tier !== null && minimums === undefined && partner.company.partnerType === 'consultant';
  const result = qualifyRegistration(deal.snapshot, partner, config, tier === null ? null : (minimums?.[tier] ?? 0));
  if (!missingCurrency) return result;
  return { ok: false, reasons: [...(result.ok ? [] : result.reasons), `no configuration for ${currency}`] };
}

/**
 * Resolving a dispute in favour of this deal's partner rejects the rival's approved registration on the other
 * deal ("one approved, one rejected"). Nothing to take away when that registration is no longer the approved
 * one of the rival partner (it expired, or was decided since): the dispute is then settled here alone.
 */
async function rivalLoss(ctx: SyncContext, dealId: string, current: Registration | null, event: CardEvent, now: number): Promise<RegistrationWrite | null> {
  if (event.type !== 'resolve' || current?.status !== 'disputed' || current.conflict === null) return null;
  if (event.winnerPartnerId !== current.partnerId) return null;
  const { dealId: rivalId, partnerId: rivalPartnerId } = current.conflict;
  const rival = await loadRegistrationDeal(ctx, rivalId);
  const reg = rival?.snapshot.registration ?? null;
  if (!rival || reg === null || reg.partnerId !== rivalPartnerId) return null;
  let change: RegistrationChange;
  try {
    change = applyRegistrationEvent(
      reg,
      {
        type: 'lose_dispute',
        by: event.by,
        at: now,
        winnerPartnerId: current.partnerId,
        disputedDealId: dealId,
        ...(event.otherPartnerName ? { partnerName: event.otherPartnerName } : {}),
        ...(event.partnerName ? { otherPartnerName: event.partnerName } : {}),
      },
      ctx.program.config,
    );
  } catch (err) {
    if (err instanceof IllegalTransitionError) return null;
    throw err;
  }
  if (!change.changed || change.note === null) return null;
  return {
    dealId: rivalId,
    current: rival.record.raw ?? rival.record.properties,
    sealed: rival.record.sealed,
    registration: change.registration,
    note: change.note,
  };
}

function repeatMessage(action: RegistrationAction['action'], reg: Registration, partnerName: string, config: ProgramConfig): string {
  const partner = partnerName || `company ${reg.partnerId}`;
  const decided = reg.decidedAt === null ? '' : ` on ${formatDay(reg.decidedAt, config.timeZone)}${reg.decidedBy ? ` by user ${reg.decidedBy}` : ''}`;
  switch (action) {
    case 'register':
      return `Nothing changed: this deal is already registered for ${partner} (${reg.status}).`;
    case 'approve':
      return `Nothing changed: the registration for ${partner} is already approved${decided}.`;
    case 'reject':
      return `Nothing changed: the registration for ${partner} is already rejected${decided}.`;
    case 'resolve':
      return `Nothing changed: the dispute is already resolved; the registration for ${partner} is ${reg.status}${decided}.`;
  }
}

async function staleMessage(ctx: SyncContext, deal: RegistrationDeal, current: Registration | null): Promise<string> {
  const now =
    current === null ? 'this deal has no registration now' : `it is now ${current.status} for ${await companyName(ctx, current.partnerId, deal.companies)}`;
  return `The registration changed since the card loaded: ${now}. Refresh the card, then decide again.`;
}

const sentence = (text: string): string => {
  const t = text.trim();
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** Partner-portal mail for a decided registration (approved, rejected, disputed); sent once per decision. */
async function notifyDecision(ctx: SyncContext, w: RegistrationWrite): Promise<void> {
  const reg = w.registration;
  if (!ctx.notify || (reg.status !== 'approved' && reg.status !== 'rejected' && reg.status !== 'disputed')) return;
  await ctx.notify({
    type: 'registration_decided',
    dealId: w.dealId,
    partnerId: reg.partnerId,
    status: reg.status,
    at: reg.decidedAt ?? reg.submittedAt ?? ctx.clock(),
    protectionEndsOn: reg.protectionExpiresAt === null ? null : formatDay(reg.protectionExpiresAt, ctx.program.config.timeZone),
    reason: reg.status === 'rejected' ? reg.reason : null,
  });
}
