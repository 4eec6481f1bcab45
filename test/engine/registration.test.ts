import { describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import {
  IllegalTransitionError,
  RegistrationInputError,
  applyRegistrationEvent,
  findConflict,
  qualifyRegistration,
  registrationVersion,
  type OtherDealRegistration,
  type RegistrationEvent,
} from '../../src/engine/registration.js';
import type { DealPartner, DealSnapshot, PartnerCompany, Registration } from '../../src/engine/types.js';

const { config } = buildProgramConfig(undefined);
const DAY = 86_400_000;
/** 2026-01-15T12:00:00Z */
const SUBMITTED = 1_768_478_400_000;
/** 2026-02-02T09:30:00Z */
const APPROVED = 1_770_024_600_000;
/** APPROVED + 180 days: 2026-08-01T09:30:00Z */
const PROTECTION_END = 1_785_576_600_000;

function registration(over: Partial<Registration> = {}): Registration {
  return {
    status: 'pending',
    partnerId: '101',
    submittedAt: SUBMITTED,
    submittedBy: '7',
    decidedAt: null,
    decidedBy: null,
    protectionExpiresAt: null,
    reason: null,
    conflict: null,
    ...over,
  };
}

const STATES: Record<string, Registration | null> = {
  none: null,
  pending: registration(),
  approved: registration({ status: 'approved', decidedAt: APPROVED, decidedBy: '42', protectionExpiresAt: PROTECTION_END }),
  rejected: registration({ status: 'rejected', decidedAt: APPROVED, decidedBy: '42', reason: 'no budget this year' }),
  expired: registration({ status: 'expired', decidedAt: APPROVED, decidedBy: '42', protectionExpiresAt: PROTECTION_END, reason: 'protection ended' }),
  disputed: registration({ status: 'disputed', reason: 'partner 202 holds it', conflict: { dealId: 'D2', partnerId: '202' } }),
};

const AT = SUBMITTED + 2 * DAY;
const LATER = SUBMITTED + 400 * DAY;
const EVENTS: Record<string, RegistrationEvent> = {
  'submit (same partner)': { type: 'submit', partnerId: '101', by: '7', at: AT, qualification: { ok: true }, conflict: null },
  'submit (another partner)': { type: 'submit', partnerId: '303', by: '7', at: AT, qualification: { ok: true }, conflict: null },
  approve: { type: 'approve', by: '42', at: AT, conflict: null },
  'approve (conflict found)': { type: 'approve', by: '42', at: AT, conflict: { dealId: 'D2', partnerId: '202' } },
  reject: { type: 'reject', by: '42', at: AT, reason: 'customer already in talks with sales' },
  'resolve (own partner wins)': { type: 'resolve', by: '42', at: AT, winnerPartnerId: '101' },
  'resolve (other partner wins)': { type: 'resolve', by: '42', at: AT, winnerPartnerId: '202' },
  lose_dispute: { type: 'lose_dispute', by: '42', at: AT, winnerPartnerId: '202', disputedDealId: 'D2' },
  'expire (window over)': { type: 'expire', at: LATER, isClosedWon: false },
};

type Outcome = Registration['status'] | 'unchanged' | 'illegal';
// from-status × event: the registration table of docs/program.md#deal-registration and the brief's transitions.
const TABLE: [string, string, Outcome][] = [
  ['none', 'submit (same partner)', 'pending'],
  ['none', 'submit (another partner)', 'pending'],
  ['none', 'approve', 'illegal'],
  ['none', 'approve (conflict found)', 'illegal'],
  ['none', 'reject', 'illegal'],
  ['none', 'resolve (own partner wins)', 'illegal'],
  ['none', 'resolve (other partner wins)', 'illegal'],
  ['none', 'lose_dispute', 'illegal'],
  ['none', 'expire (window over)', 'unchanged'],
  ['pending', 'submit (same partner)', 'unchanged'],
  ['pending', 'submit (another partner)', 'illegal'],
  ['pending', 'approve', 'approved'],
  ['pending', 'approve (conflict found)', 'disputed'],
  ['pending', 'reject', 'rejected'],
  ['pending', 'resolve (own partner wins)', 'illegal'],
  ['pending', 'resolve (other partner wins)', 'illegal'],
  ['pending', 'lose_dispute', 'illegal'],
  ['pending', 'expire (window over)', 'expired'],
  ['approved', 'submit (same partner)', 'unchanged'],
  ['approved', 'submit (another partner)', 'illegal'],
  ['approved', 'approve', 'unchanged'],
  ['approved', 'approve (conflict found)', 'unchanged'],
  ['approved', 'reject', 'illegal'],
  ['approved', 'resolve (own partner wins)', 'unchanged'],
  ['approved', 'resolve (other partner wins)', 'illegal'],
  ['approved', 'lose_dispute', 'rejected'],
  ['approved', 'expire (window over)', 'expired'],
  ['rejected', 'submit (same partner)', 'pending'],
  ['rejected', 'submit (another partner)', 'pending'],
  ['rejected', 'approve', 'illegal'],
  ['rejected', 'approve (conflict found)', 'illegal'],
  ['rejected', 'reject', 'unchanged'],
  ['rejected', 'resolve (own partner wins)', 'illegal'],
  ['rejected', 'resolve (other partner wins)', 'illegal'],
  ['rejected', 'lose_dispute', 'illegal'],
  ['rejected', 'expire (window over)', 'unchanged'],
  ['expired', 'submit (same partner)', 'pending'],
  ['expired', 'submit (another partner)', 'pending'],
  ['expired', 'approve', 'illegal'],
  ['expired', 'approve (conflict found)', 'illegal'],
  ['expired', 'reject', 'illegal'],
  ['expired', 'resolve (own partner wins)', 'illegal'],
  ['expired', 'resolve (other partner wins)', 'illegal'],
  ['expired', 'lose_dispute', 'illegal'],
  ['expired', 'expire (window over)', 'unchanged'],
  ['disputed', 'submit (same partner)', 'unchanged'],
  ['disputed', 'submit (another partner)', 'illegal'],
  ['disputed', 'approve', 'illegal'],
  ['disputed', 'approve (conflict found)', 'illegal'],
  ['disputed', 'reject', 'rejected'],
  ['disputed', 'resolve (own partner wins)', 'approved'],
  ['disputed', 'resolve (other partner wins)', 'rejected'],
  ['disputed', 'lose_dispute', 'illegal'],
  ['disputed', 'expire (window over)', 'unchanged'],
];

describe('registration transitions (docs/program.md#deal-registration)', () => {
  it.each(TABLE)('%s + %s → %s', (from, eventName, expected) => {
    const current = STATES[from]!;
    const event = EVENTS[eventName]!;
    if (expected === 'illegal') {
      expect(() => applyRegistrationEvent(current, event, config)).toThrow(IllegalTransitionError);
      return;
    }
    const result = applyRegistrationEvent(current, event, config);
    if (expected === 'unchanged') {
      expect(result).toEqual({ registration: current, changed: false, note: null });
    } else {
      expect(result.changed).toBe(true);
      expect(result.registration?.status).toBe(expected);
      expect(result.note).toMatch(/\S/);
    }
  });

  it('approving a rejected registration is an IllegalTransitionError naming the status and the event', () => {
    const attempt = () => applyRegistrationEvent(STATES.rejected!, EVENTS.approve!, config);
    expect(attempt).toThrow(IllegalTransitionError);
    expect(attempt).toThrow('cannot approve a registration that is rejected');
    try {
      attempt();
    } catch (err) {
      expect(err).toMatchObject({ from: 'rejected', eventType: 'approve' });
    }
  });

  it('approving a disputed registration is refused: a dispute is settled with resolve', () => {
    expect(() => applyRegistrationEvent(STATES.disputed!, EVENTS.approve!, config)).toThrow(
      'cannot approve a registration that is disputed: a disputed registration is settled with resolve',
    );
  });

  it('a second approval changes nothing and writes no note', () => {
    const first = applyRegistrationEvent(STATES.pending!, { type: 'approve', by: '42', at: APPROVED, conflict: null }, config);
    const second = applyRegistrationEvent(first.registration, { type: 'approve', by: '43', at: APPROVED + DAY, conflict: null }, config);
    expect(second).toEqual({ registration: first.registration, changed: false, note: null });
  });

  it.each(['', '   \n'])('a rejection without a reason (%j) is a RegistrationInputError', (reason) => {
    expect(() => applyRegistrationEvent(STATES.pending!, { type: 'reject', by: '42', at: AT, reason }, config)).toThrow(
      new RegistrationInputError('a rejection needs a reason'),
    );
  });

  it('a second partner cannot submit over a pending registration of another partner', () => {
    expect(() => applyRegistrationEvent(STATES.pending!, EVENTS['submit (another partner)']!, config)).toThrow(
      'cannot submit a registration that is pending: partner 101 already holds it; reject it or let it expire first',
    );
  });
});

describe('submission (docs/program.md#deal-registration: submit, qualification, conflict)', () => {
  it('a qualified submission without conflict is pending, with a note saying when it expires undecided', () => {
    const result = applyRegistrationEvent(
      null,
      {
        type: 'submit',
        partnerId: '101',
        by: '7',
        at: SUBMITTED,
        qualification: { ok: true },
        conflict: null,
        partnerName: 'Acme Consulting',
        byName: 'Sam Rep',
      },
      config,
    );
    expect(result).toEqual({
      registration: registration(),
      changed: true,
      note: "Deal registration for Acme Consulting (101) submitted by Sam Rep (user 7); it awaits a partner manager's decision and expires undecided on 2026-02-14.",
    });
  });

  it('a submission that fails qualification is rejected with every reason', () => {
    const result = applyRegistrationEvent(
      null,
      {
        type: 'submit',
        partnerId: '101',
        by: '7',
        at: SUBMITTED,
        qualification: { ok: false, reasons: ['the deal has no close date', 'the deal has no customer company'] },
        conflict: null,
      },
      config,
    );
    expect(result.registration).toEqual(
      registration({ status: 'rejected', decidedAt: SUBMITTED, reason: 'the deal has no close date; the deal has no customer company' }),
    );
    expect(result.note).toBe(
      'Deal registration for partner 101 submitted by user 7 was rejected automatically: the deal has no close date; the deal has no customer company.',
    );
  });

  it("another partner's approved, unexpired registration for the same customer makes a submission disputed, naming both partners", () => {
    const result = applyRegistrationEvent(
      null,
      {
        type: 'submit',
        partnerId: '101',
        by: '7',
        at: SUBMITTED,
        qualification: { ok: true },
        conflict: { dealId: 'D2', partnerId: '202' },
        partnerName: 'Acme Consulting',
        otherPartnerName: 'Beta Health',
      },
      config,
    );
    const reason =
      'Beta Health (202) already holds an approved registration on deal D2 for the same customer company, so Acme Consulting (101) and Beta Health (202) both claim it';
    expect(result.registration).toEqual(registration({ status: 'disputed', reason, conflict: { dealId: 'D2', partnerId: '202' } }));
    expect(result.note).toBe(`Deal registration for Acme Consulting (101) submitted by user 7 is disputed: ${reason}. A partner manager must resolve it.`);
  });

  it('a conflict found again at approval makes the pending registration disputed, naming both partners', () => {
    const result = applyRegistrationEvent(
      STATES.pending!,
      { type: 'approve', by: '42', at: APPROVED, conflict: { dealId: 'D2', partnerId: '202' }, byName: 'Pat Manager' },
      config,
    );
    expect(result.registration).toMatchObject({ status: 'disputed', decidedAt: null, protectionExpiresAt: null, conflict: { dealId: 'D2', partnerId: '202' } });
    expect(result.note).toBe(
      'Pat Manager (user 42) could not approve the deal registration for partner 101: partner 202 already holds an approved registration on deal D2 for the same customer company, so partner 101 and partner 202 both claim it. It is now disputed; a partner manager must resolve it.',
    );
  });
});

describe('approval and protection (docs/program.md: approval starts 180 days of protection)', () => {
  it('approval records who decided and when, and protection ends exactly 180 days later', () => {
    const result = applyRegistrationEvent(
      STATES.pending!,
      { type: 'approve', by: '42', at: APPROVED, conflict: null, byName: 'Pat Manager', partnerName: 'Acme Consulting' },
      config,
    );
    expect(result.registration).toEqual(registration({ status: 'approved', decidedAt: APPROVED, decidedBy: '42', protectionExpiresAt: 1_785_576_600_000 }));
    expect(result.note).toBe('Deal registration for Acme Consulting (101) approved by Pat Manager (user 42). Protection runs 180 days, until 2026-08-01.');
  });

  it('protection length follows the configuration (90 days)', () => {
    const short = buildProgramConfig({ registration: { protectionDays: 90 } }).config;
    const result = applyRegistrationEvent(STATES.pending!, { type: 'approve', by: '42', at: APPROVED, conflict: null }, short);
    expect(result.registration.protectionExpiresAt).toBe(APPROVED + 90 * DAY);
  });

  it.each([
    { label: 'one ms before the end of protection, not closed-won', at: PROTECTION_END - 1, isClosedWon: false, status: 'approved' },
    { label: 'at the end of protection, not closed-won', at: PROTECTION_END, isClosedWon: false, status: 'expired' },
    { label: 'after the end of protection but closed-won first', at: PROTECTION_END + DAY, isClosedWon: true, status: 'approved' },
  ])('expiry of an approved registration: $label → $status', ({ at, isClosedWon, status }) => {
    const result = applyRegistrationEvent(STATES.approved!, { type: 'expire', at, isClosedWon }, config);
    expect(result.registration.status).toBe(status);
  });

  it('an approved registration that lapses gets the reason and a timeline note', () => {
    const result = applyRegistrationEvent(STATES.approved!, { type: 'expire', at: PROTECTION_END, isClosedWon: false, partnerName: 'Acme Consulting' }, config);
    expect(result.registration.reason).toBe('protection ended on 2026-08-01 before the deal was closed-won');
    expect(result.note).toBe('Deal registration for Acme Consulting (101) expired: protection ended on 2026-08-01 before the deal was closed-won.');
  });

  it.each([
    { label: 'day 29', at: SUBMITTED + 29 * DAY, status: 'pending' },
    { label: 'day 30', at: SUBMITTED + 30 * DAY, status: 'expired' },
  ])('a pending registration nobody decides expires after 30 days: $label → $status', ({ at, status }) => {
    const result = applyRegistrationEvent(STATES.pending!, { type: 'expire', at, isClosedWon: false }, config);
    expect(result.registration.status).toBe(status);
    if (status === 'expired') expect(result.registration.reason).toBe('no partner manager decided within 30 days of submission');
  });
});

describe('rejection and dispute resolution (docs/program.md: a partner manager resolves it, one approved, one rejected)', () => {
  it('rejection records the trimmed reason, who and when', () => {
    const result = applyRegistrationEvent(STATES.pending!, { type: 'reject', by: '42', at: AT, reason: '  duplicate of deal D9 ' }, config);
    expect(result.registration).toEqual(registration({ status: 'rejected', decidedAt: AT, decidedBy: '42', reason: 'duplicate of deal D9' }));
    expect(result.note).toBe('Deal registration for partner 101 rejected by user 42: duplicate of deal D9.');
  });

  it('resolving in favour of this registration approves it, protection starting at the resolution', () => {
    const result = applyRegistrationEvent(
      STATES.disputed!,
      { type: 'resolve', by: '42', at: APPROVED, winnerPartnerId: '101', partnerName: 'Acme Consulting', otherPartnerName: 'Beta Health' },
      config,
    );
    expect(result.registration).toEqual(registration({ status: 'approved', decidedAt: APPROVED, decidedBy: '42', protectionExpiresAt: PROTECTION_END }));
    expect(result.note).toBe(
      'Dispute between Acme Consulting (101) and Beta Health (202) resolved by user 42 in favour of Acme Consulting (101): registration approved. Protection runs 180 days, until 2026-08-01.',
    );
  });

  it('resolving in favour of the other partner rejects this registration with the reason', () => {
    const result = applyRegistrationEvent(
      STATES.disputed!,
      { type: 'resolve', by: '42', at: APPROVED, winnerPartnerId: '202', otherPartnerName: 'Beta Health' },
      config,
    );
    expect(result.registration).toEqual(
      registration({
        status: 'rejected',
        decidedAt: APPROVED,
        decidedBy: '42',
        reason: 'dispute resolved in favour of Beta Health (202)',
        conflict: { dealId: 'D2', partnerId: '202' },
      }),
    );
    const repeat = applyRegistrationEvent(result.registration, { type: 'resolve', by: '42', at: APPROVED + DAY, winnerPartnerId: '202' }, config);
    expect(repeat.changed).toBe(false);
    expect(() => applyRegistrationEvent(result.registration, { type: 'resolve', by: '42', at: APPROVED + DAY, winnerPartnerId: '101' }, config)).toThrow(
      IllegalTransitionError,
    );
  });

  it('a winner who is neither disputing partner is a RegistrationInputError', () => {
    expect(() => applyRegistrationEvent(STATES.disputed!, { type: 'resolve', by: '42', at: AT, winnerPartnerId: '999' }, config)).toThrow(
      RegistrationInputError,
    );
  });

  it("the rival deal's approved registration loses the dispute: rejected, protection gone, a repeat changes nothing", () => {
    const result = applyRegistrationEvent(
      STATES.approved!,
      { type: 'lose_dispute', by: '42', at: AT, winnerPartnerId: '202', disputedDealId: 'D2', otherPartnerName: 'Beta Health' },
      config,
    );
    expect(result.registration).toEqual(
      registration({
        status: 'rejected',
        decidedAt: AT,
        decidedBy: '42',
        reason: 'dispute over deal D2 resolved in favour of Beta Health (202)',
        conflict: { dealId: 'D2', partnerId: '202' },
      }),
    );
    expect(result.note).toBe(
      'The approved registration for partner 101 is rejected by user 42: the dispute over deal D2 resolved in favour of Beta Health (202).',
    );
    const repeat = applyRegistrationEvent(
      result.registration,
      { type: 'lose_dispute', by: '42', at: AT + DAY, winnerPartnerId: '202', disputedDealId: 'D2' },
      config,
    );
    expect(repeat.changed).toBe(false);
  });
});

const company = (over: Partial<PartnerCompany> = {}): PartnerCompany => ({
  id: '101',
  name: 'Acme Consulting',
  partnerType: 'consultant',
  consultantCount: '20',
  annualCoMarketingInvestment: null,
  commitmentYears: null,
  annualSalesVolumePotential: null,
  agreementSigned: true,
  baaSigned: false,
  ...over,
});

function deal(over: Partial<DealSnapshot> = {}): DealSnapshot {
  return {
    id: 'D1',
    name: 'Hospital rollout',
    amount: '300000',
    firstYearContractValue: null,
    currency: 'USD',
    dealType: 'new',
    referralKind: null,
    dealstage: 'appointmentscheduled',
    pipeline: 'default',
    closeDate: Date.UTC(2026, 5, 30),
    createDate: SUBMITTED,
    isClosedWon: false,
    isClosedLost: false,
    customerCompanyId: '900',
    registration: null,
    ...over,
  };
}

const consultant: DealPartner = { company: company(), roles: ['pp_referral_partner'] };
const TIER_2_MINIMUM = 25_000_000;

describe('qualifyRegistration (docs/program.md#deal-registration: qualification)', () => {
  it.each([
    { label: 'a complete deal above the tier_2 minimum qualifies', deal: deal(), partner: consultant, minimum: TIER_2_MINIMUM, expected: { ok: true } },
    {
      label: 'a deal with neither amount nor first-year contract value does not',
      deal: deal({ amount: null }),
      partner: consultant,
      minimum: TIER_2_MINIMUM,
      expected: { ok: false, reasons: ['the deal has no amount or first-year contract value'] },
    },
    {
      label: 'an amount HubSpot cannot read gives the reason, never a throw',
      deal: deal({ amount: '300k' }),
      partner: consultant,
      minimum: TIER_2_MINIMUM,
      expected: { ok: false, reasons: ['amount "300k" is not a number'] },
    },
    {
      label: 'a deal without close date or customer company does not',
      deal: deal({ closeDate: null, customerCompanyId: null }),
      partner: consultant,
      minimum: TIER_2_MINIMUM,
      expected: { ok: false, reasons: ['the deal has no close date', 'the deal has no customer company'] },
    },
    {
      label: 'a tier_2 consultant below the $250,000 minimum does not, and says why',
      deal: deal({ amount: '249999.99' }),
      partner: consultant,
      minimum: TIER_2_MINIMUM,
      expected: {
        ok: false,
        reasons: ["B $249,999.99 is below the $250,000.00 minimum deal size of Acme Consulting's referral tier"],
      },
    },
    {
      label: 'the first-year contract value is the basis when set',
      deal: deal({ amount: '100', firstYearContractValue: '250000' }),
      partner: consultant,
      minimum: TIER_2_MINIMUM,
      expected: { ok: true },
    },
    {
      label: 'a consultant without a referral tier does not',
      deal: deal(),
      partner: consultant,
      minimum: null,
      expected: { ok: false, reasons: ['Acme Consulting has no referral tier (consultant partners need one to register)'] },
    },
    {
      label: 'a technology partner has no tier minimum',
      deal: deal({ amount: '1000' }),
      partner: { company: company({ partnerType: 'technology' }), roles: ['pp_finder'] },
      minimum: null,
      expected: { ok: true },
    },
    {
      label: 'a company without a partner label is not a partner on the deal',
      deal: deal(),
      partner: { company: company(), roles: [] },
      minimum: TIER_2_MINIMUM,
      expected: { ok: false, reasons: ['Acme Consulting is not a partner on this deal (no partner association label)'] },
    },
  ])('$label', ({ deal: d, partner, minimum, expected }) => {
    expect(qualifyRegistration(d, partner as DealPartner, config, minimum)).toEqual(expected);
  });
});

describe('findConflict (docs/program.md: an approved, unexpired registration by another partner for the same customer)', () => {
  const NOW = APPROVED + 10 * DAY;
  const candidate = { dealId: 'D1', partnerId: '101', customerCompanyId: '900' };
  const other = (over: Partial<OtherDealRegistration> = {}, reg: Partial<Registration> = {}): OtherDealRegistration => ({
    dealId: 'D2',
    customerCompanyId: '900',
    registration: registration({
      partnerId: '202',
      status: 'approved',
      decidedAt: APPROVED,
      decidedBy: '42',
      protectionExpiresAt: PROTECTION_END,
      ...reg,
    }),
    isClosedWon: false,
    ...over,
  });

  it.each([
    {
      label: "another partner's approved, unexpired registration on the same customer is a conflict",
      others: [other()],
      expected: { dealId: 'D2', partnerId: '202' },
    },
    { label: "the same partner's own registration on another deal is not a conflict", others: [other({}, { partnerId: '101' })], expected: null },
    { label: 'an expired registration is not a conflict', others: [other({}, { status: 'expired' })], expected: null },
    {
      label: 'an approved registration past its protection end is not a conflict',
      others: [other({}, { decidedAt: NOW - 180 * DAY, protectionExpiresAt: NOW })],
      expected: null,
    },
    {
      label: 'a registration past its protection end on a closed-won deal still protects',
      others: [other({ isClosedWon: true }, { protectionExpiresAt: NOW - DAY })],
      expected: { dealId: 'D2', partnerId: '202' },
    },
    { label: 'a closed-lost deal protects nothing', others: [other({ isClosedLost: true })], expected: null },
    { label: 'a pending registration is not a conflict', others: [other({}, { status: 'pending' })], expected: null },
    { label: 'another customer company is not a conflict', others: [other({ customerCompanyId: '901' })], expected: null },
    { label: 'the same deal is not a conflict with itself', others: [other({ dealId: 'D1' })], expected: null },
    {
      label: 'with several, the oldest approval is named whatever the order',
      others: [other({ dealId: 'D3' }, { partnerId: '303', decidedAt: APPROVED + DAY }), other()],
      expected: { dealId: 'D2', partnerId: '202' },
    },
  ])('$label', ({ others, expected }) => {
    expect(findConflict(candidate, others, NOW, config)).toEqual(expected);
  });

  it('a deal without a customer company cannot conflict', () => {
    expect(findConflict({ ...candidate, customerCompanyId: null }, [other({ customerCompanyId: null })], NOW, config)).toBeNull();
  });
});

describe('registrationVersion (stale card actions)', () => {
  it('is stable for equal registrations and changes when any field does', () => {
    const approved = STATES.approved!;
    expect(registrationVersion(approved)).toBe(registrationVersion({ ...approved }));
    expect(registrationVersion(approved)).toMatch(/^[0-9a-f]{16}$/);
    expect(registrationVersion(approved)).not.toBe(registrationVersion({ ...approved, decidedBy: '43' }));
    expect(registrationVersion(approved)).not.toBe(registrationVersion({ ...approved, conflict: { dealId: 'D2', partnerId: '202' } }));
    expect(registrationVersion(null)).toBe('none');
  });
});
