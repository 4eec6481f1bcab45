/**
 * Deal registration as a pure state machine (docs/program.md#deal-registration). The service reads the deal's
 * `pp_registration_*` properties into a `Registration`, applies one event here, writes back what changed and
 * puts `note` on the deal's timeline. Qualification and conflicts are decided by the caller with
 * `qualifyRegistration` / `findConflict` and passed into the event, so this function never reads anything.
 */
import type { ProgramConfig } from './program-config.js';
import { approvedProtectionEnd, formatDay, pendingExpiresAt, protectionEndsAt } from './protection.js';
import type { RegistrationQualification } from './registration-checks.js';
import type { Instant, Registration, RegistrationConflict, RegistrationStatus } from './types.js';

export {
  findConflict,
  qualifyRegistration,
  type ConflictCandidate,
  type OtherDealRegistration,
  type RegistrationQualification,
} from './registration-checks.js';

/** Display names a caller may add so the timeline note reads "Jane Doe (user 42)" rather than "user 42". */
export interface EventDisplayNames {
  byName?: string;
  /** This registration's partner. */
  partnerName?: string;
  /** The other partner of a dispute. */
  otherPartnerName?: string;
}

export type RegistrationEvent =
  | ({
      type: 'submit';
      partnerId: string;
      by: string;
      at: Instant;
      qualification: RegistrationQualification;
      conflict: RegistrationConflict | null;
    } & EventDisplayNames)
  | ({ type: 'approve'; by: string; at: Instant; conflict: RegistrationConflict | null } & EventDisplayNames)
  | ({ type: 'reject'; by: string; at: Instant; reason: string } & EventDisplayNames)
  | ({ type: 'resolve'; by: string; at: Instant; winnerPartnerId: string } & EventDisplayNames)
  /**
   * The other half of a resolved dispute: the approved registration on `disputedDealId`'s rival deal loses
   * to `winnerPartnerId` ("one approved, one rejected"). Applied to that other deal's registration.
   */
  | ({
      type: 'lose_dispute';
      by: string;
      at: Instant;
      winnerPartnerId: string;
      disputedDealId: string;
    } & EventDisplayNames)
  | ({ type: 'expire'; at: Instant; isClosedWon: boolean } & Pick<EventDisplayNames, 'partnerName'>);

export type RegistrationEventType = RegistrationEvent['type'];

/** A move the registration table does not allow (approve a rejected one, resolve one that is not disputed). */
export class IllegalTransitionError extends Error {
  constructor(
    readonly from: RegistrationStatus | 'none',
    readonly eventType: RegistrationEventType,
    detail?: string,
  ) {
    super(`cannot ${eventType.replace('_', ' ')} a registration that is ${from === 'none' ? 'not submitted' : from}${detail ? `: ${detail}` : ''}`);
    this.name = 'IllegalTransitionError';
  }
}

/** An event that is malformed whatever the registration's state (a rejection without a reason). */
export class RegistrationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationInputError';
  }
}

export interface RegistrationChange<R extends Registration | null = Registration> {
  /** The registration after the event; only an `expire` on no registration at all leaves it null. */
  registration: R;
  changed: boolean;
  /** Plain-text timeline note for the change; null when nothing changed. */
  note: string | null;
}

type EventOf<T extends RegistrationEventType> = Extract<RegistrationEvent, { type: T }>;
type Config = Pick<ProgramConfig, 'registration' | 'timeZone'>;
type ExpireEvent = EventOf<'expire'>;

/** Apply one event. Throws IllegalTransitionError / RegistrationInputError; a repeat gives `changed: false`. */
export function applyRegistrationEvent(current: Registration, event: RegistrationEvent, config: Config): RegistrationChange;
export function applyRegistrationEvent(current: Registration | null, event: Exclude<RegistrationEvent, ExpireEvent>, config: Config): RegistrationChange;
export function applyRegistrationEvent(current: Registration | null, event: RegistrationEvent, config: Config): RegistrationChange<Registration | null>;
export function applyRegistrationEvent(current: Registration | null, event: RegistrationEvent, config: Config): RegistrationChange<Registration | null> {
  switch (event.type) {
    case 'submit':
      return submit(current, event, config);
    case 'approve':
      return approve(current, event, config);
    case 'reject':
      return reject(current, event);
    case 'resolve':
      return resolve(current, event, config);
    case 'lose_dispute':
      return loseDispute(current, event);
    case 'expire':
      return expire(current, event, config);
  }
}

const unchanged = (registration: Registration): RegistrationChange => ({ registration, changed: false, note: null });
const statusOf = (reg: Registration | null): RegistrationStatus | 'none' => reg?.status ?? 'none';

function submit(current: Registration | null, e: EventOf<'submit'>, config: Config): RegistrationChange {
  if (current !== null && (current.status === 'pending' || current.status === 'approved' || current.status === 'disputed')) {
    // The same partner submitting again is a retry or a double click: nothing to do.
    if (current.partnerId === e.partnerId) return unchanged(current);
    throw new IllegalTransitionError(current.status, 'submit', `partner ${current.partnerId} already holds it; reject it or let it expire first`);
  }
  const partner = partnerLabel(e.partnerId, e.partnerName);
  const by = userLabel(e.by, e.byName);
  const base: Registration = {
    status: 'pending',
    partnerId: e.partnerId,
    submittedAt: e.at,
    submittedBy: e.by,
    decidedAt: null,
    decidedBy: null,
    protectionExpiresAt: null,
    reason: null,
    conflict: null,
  };
  if (!e.qualification.ok) {
    const reason = e.qualification.reasons.length > 0 ? e.qualification.reasons.join('; ') : 'it does not qualify';
    // Nobody decided a failed qualification but the program itself: decidedBy stays empty.
    const registration: Registration = { ...base, status: 'rejected', decidedAt: e.at, reason };
    return {
      registration,
      changed: true,
      note: `Deal registration for ${partner} submitted by ${by} was rejected automatically: ${reason}.`,
    };
  }
  if (e.conflict !== null) {
    const reason = disputeReason(e.partnerId, e.partnerName, e.conflict, e.otherPartnerName);
    return {
      registration: { ...base, status: 'disputed', reason, conflict: e.conflict },
      changed: true,
      note: `Deal registration for ${partner} submitted by ${by} is disputed: ${reason}. A partner manager must resolve it.`,
    };
  }
  const registration = base;
  const expiresAt = pendingExpiresAt(registration, config);
  return {
    registration,
    changed: true,
    note:
      `Deal registration for ${partner} submitted by ${by}; it awaits a partner manager's decision` +
      (expiresAt === null ? '.' : ` and expires undecided on ${formatDay(expiresAt, config.timeZone)}.`),
  };
}

function approve(current: Registration | null, e: EventOf<'approve'>, config: Config): RegistrationChange {
  if (current?.status === 'approved') return unchanged(current);
  if (current?.status !== 'pending') {
    const detail = current?.status === 'disputed' ? 'a disputed registration is settled with resolve' : undefined;
    throw new IllegalTransitionError(statusOf(current), 'approve', detail);
  }
  const partner = partnerLabel(current.partnerId, e.partnerName);
  const by = userLabel(e.by, e.byName);
  if (e.conflict !== null) {
    const reason = disputeReason(current.partnerId, e.partnerName, e.conflict, e.otherPartnerName);
    return {
      registration: { ...current, status: 'disputed', reason, conflict: e.conflict },
      changed: true,
      note: `${cap(by)} could not approve the deal registration for ${partner}: ${reason}. It is now disputed; a partner manager must resolve it.`,
    };
  }
  const registration = approved(current, e.by, e.at, config);
  return {
    registration,
    changed: true,
    note: `Deal registration for ${partner} approved by ${by}. ${protectionSentence(registration, config)}`,
  };
}

function reject(current: Registration | null, e: EventOf<'reject'>): RegistrationChange {
  const reason = e.reason.trim();
  if (reason === '') throw new RegistrationInputError('a rejection needs a reason');
  if (current?.status === 'rejected') return unchanged(current);
  if (current?.status !== 'pending' && current?.status !== 'disputed') {
    throw new IllegalTransitionError(statusOf(current), 'reject');
  }
  return {
    registration: { ...current, status: 'rejected', decidedAt: e.at, decidedBy: e.by, protectionExpiresAt: null, reason },
    changed: true,
    note: `Deal registration for ${partnerLabel(current.partnerId, e.partnerName)} rejected by ${userLabel(e.by, e.byName)}: ${reason}.`,
  };
}

function resolve(current: Registration | null, e: EventOf<'resolve'>, config: Config): RegistrationChange {
  if (current === null) throw new IllegalTransitionError('none', 'resolve');
  const wins = e.winnerPartnerId === current.partnerId;
  if (current.status !== 'disputed') {
    // A repeat of the resolution that produced this outcome changes nothing; any other outcome is a new decision.
    const repeat = wins ? current.status === 'approved' : current.status === 'rejected' && current.conflict?.partnerId === e.winnerPartnerId;
    if (repeat) return unchanged(current);
    throw new IllegalTransitionError(current.status, 'resolve', 'only a disputed registration is resolved');
  }
  if (!wins && current.conflict !== null && current.conflict.partnerId !== e.winnerPartnerId) {
    throw new RegistrationInputError(`the winner must be one of the disputing partners (${current.partnerId} or ${current.conflict.partnerId})`);
  }
  const own = partnerLabel(current.partnerId, e.partnerName);
  const other = partnerLabel(current.conflict?.partnerId ?? e.winnerPartnerId, e.otherPartnerName);
  const by = userLabel(e.by, e.byName);
  if (wins) {
    const registration = approved(current, e.by, e.at, config);
    return {
      registration,
      changed: true,
      note: `Dispute between ${own} and ${other} resolved by ${by} in favour of ${own}: registration approved. ${protectionSentence(registration, config)}`,
    };
  }
  const reason = `dispute resolved in favour of ${other}`;
  return {
    registration: { ...current, status: 'rejected', decidedAt: e.at, decidedBy: e.by, protectionExpiresAt: null, reason },
    changed: true,
    note: `Dispute between ${own} and ${other} resolved by ${by} in favour of ${other}: the registration for ${own} is rejected.`,
  };
}

function loseDispute(current: Registration | null, e: EventOf<'lose_dispute'>): RegistrationChange {
  const conflict: RegistrationConflict = { dealId: e.disputedDealId, partnerId: e.winnerPartnerId };
  if (current?.status === 'rejected' && sameConflict(current.conflict, conflict)) return unchanged(current);
  if (current?.status !== 'approved') throw new IllegalTransitionError(statusOf(current), 'lose_dispute');
  if (current.partnerId === e.winnerPartnerId) {
    throw new RegistrationInputError('the winner of the dispute cannot lose it: apply resolve to the disputed deal');
  }
  const own = partnerLabel(current.partnerId, e.partnerName);
  const winner = partnerLabel(e.winnerPartnerId, e.otherPartnerName);
  const reason = `dispute over deal ${e.disputedDealId} resolved in favour of ${winner}`;
  return {
    registration: {
      ...current,
      status: 'rejected',
      decidedAt: e.at,
      decidedBy: e.by,
      protectionExpiresAt: null,
      reason,
      conflict,
    },
    changed: true,
    note: `The approved registration for ${own} is rejected by ${userLabel(e.by, e.byName)}: the ${reason}.`,
  };
}

function expire(current: Registration | null, e: EventOf<'expire'>, config: Config): RegistrationChange<Registration | null> {
  // The daily sweep passes every deal: nothing registered is simply nothing to expire.
  if (current === null) return { registration: null, changed: false, note: null };
  const partner = partnerLabel(current.partnerId, e.partnerName);
  if (current.status === 'approved' && !e.isClosedWon) {
    const endsAt = approvedProtectionEnd(current, config);
    if (endsAt !== null && e.at >= endsAt) {
      const reason = `protection ended on ${formatDay(endsAt, config.timeZone)} before the deal was closed-won`;
      return {
        registration: { ...current, status: 'expired', protectionExpiresAt: endsAt, reason },
        changed: true,
        note: `Deal registration for ${partner} expired: ${reason}.`,
      };
    }
  }
  if (current.status === 'pending') {
    const expiresAt = pendingExpiresAt(current, config);
    if (expiresAt !== null && e.at >= expiresAt) {
      const reason = `no partner manager decided within ${config.registration.pendingExpiryDays} days of submission`;
      return {
        registration: { ...current, status: 'expired', reason },
        changed: true,
        note: `Deal registration for ${partner} expired: ${reason}.`,
      };
    }
  }
  return unchanged(current);
}

function approved(current: Registration, by: string, at: Instant, config: Config): Registration {
  return {
    ...current,
    status: 'approved',
    decidedAt: at,
    decidedBy: by,
    protectionExpiresAt: protectionEndsAt(at, config),
    reason: null,
    conflict: null,
  };
}

function protectionSentence(reg: Registration, config: Config): string {
  const endsAt = reg.protectionExpiresAt ?? 0;
  return `Protection runs ${config.registration.protectionDays} days, until ${formatDay(endsAt, config.timeZone)}.`;
}

function disputeReason(partnerId: string, partnerName: string | undefined, conflict: RegistrationConflict, otherName: string | undefined): string {
  return (
    `${partnerLabel(conflict.partnerId, otherName)} already holds an approved registration on deal ${conflict.dealId} ` +
    `for the same customer company, so ${partnerLabel(partnerId, partnerName)} and ${partnerLabel(conflict.partnerId, otherName)} both claim it`
  );
}

function sameConflict(a: RegistrationConflict | null, b: RegistrationConflict): boolean {
  return a !== null && a.dealId === b.dealId && a.partnerId === b.partnerId;
}

const partnerLabel = (id: string, name: string | undefined): string => (name ? `${name} (${id})` : `partner ${id}`);
const userLabel = (id: string, name: string | undefined): string => (name ? `${name} (user ${id})` : `user ${id}`);
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A short fingerprint of every registration field. A card sends back the version it displayed; the server
 * refuses an action when the registration has moved on since (someone else decided first).
 */
export function registrationVersion(reg: Registration | null): string {
  if (reg === null) return 'none';
  const text = [
    reg.status,
    reg.partnerId,
    reg.submittedAt,
    reg.submittedBy,
    reg.decidedAt,
    reg.decidedBy,
    reg.protectionExpiresAt,
    reg.reason,
    reg.conflict?.dealId,
    reg.conflict?.partnerId,
  ]
    .map((v) => (v === null || v === undefined ? '\u0000' : String(v)))
    .join('\u0001');
  // Two FNV-1a passes with different offsets: 64 bits is plenty to tell two states of one deal apart.
  return fnv1a(text, 0x811c9dc5) + fnv1a(text, 0x01000193);
}

function fnv1a(text: string, offset: number): string {
  let h = offset >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
