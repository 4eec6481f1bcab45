import { describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import { protectionDaysLeft, protectionStatus } from '../../src/engine/protection.js';
import type { ProtectionStatus, Registration } from '../../src/engine/types.js';

const { config } = buildProgramConfig(undefined);
const DAY = 86_400_000;
/** 2026-01-15T12:00:00Z */
const SUBMITTED = 1_768_478_400_000;
/** 2026-02-02T09:30:00Z */
const APPROVED = 1_770_024_600_000;
const PROTECTION_END = APPROVED + 180 * DAY;

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

const approved = registration({ status: 'approved', decidedAt: APPROVED, decidedBy: '42', protectionExpiresAt: PROTECTION_END });
const open = { isClosedWon: false, isClosedLost: false };
const won = { isClosedWon: true, isClosedLost: false };
const lost = { isClosedWon: false, isClosedLost: true };

describe('protectionStatus (docs/program.md#deal-registration: protection status from registration status)', () => {
  it.each<{ label: string; reg: Registration | null; deal: typeof open; now: number; expected: ProtectionStatus }>([
    { label: 'no registration → none', reg: null, deal: open, now: APPROVED, expected: 'none' },
    { label: 'pending → pending', reg: registration(), deal: open, now: SUBMITTED + 29 * DAY, expected: 'pending' },
    { label: 'pending nobody decided for 30 days → expired', reg: registration(), deal: open, now: SUBMITTED + 30 * DAY, expected: 'expired' },
    { label: 'pending on a closed-lost deal → expired', reg: registration(), deal: lost, now: SUBMITTED + DAY, expected: 'expired' },
    { label: 'approved, day 0 → protected', reg: approved, deal: open, now: APPROVED, expected: 'protected' },
    { label: 'approved, day 149 (31 days left) → protected', reg: approved, deal: open, now: APPROVED + 149 * DAY, expected: 'protected' },
    { label: 'approved, day 150 (30 days left) → expiring_soon', reg: approved, deal: open, now: APPROVED + 150 * DAY, expected: 'expiring_soon' },
    { label: 'approved, one ms before day 180 → expiring_soon', reg: approved, deal: open, now: PROTECTION_END - 1, expected: 'expiring_soon' },
    { label: 'approved, day 180 → expired', reg: approved, deal: open, now: PROTECTION_END, expected: 'expired' },
    { label: 'approved, closed-won, day 200 → stays protected', reg: approved, deal: won, now: APPROVED + 200 * DAY, expected: 'protected' },
    { label: 'approved, closed-lost, day 10 → expired', reg: approved, deal: lost, now: APPROVED + 10 * DAY, expected: 'expired' },
    {
      label: 'disputed → conflict',
      reg: registration({ status: 'disputed', conflict: { dealId: 'D2', partnerId: '202' } }),
      deal: open,
      now: APPROVED,
      expected: 'conflict',
    },
    { label: 'rejected → none', reg: registration({ status: 'rejected', reason: 'no budget' }), deal: open, now: APPROVED, expected: 'none' },
    { label: 'expired → expired', reg: registration({ status: 'expired' }), deal: won, now: APPROVED, expected: 'expired' },
    {
      label: 'approved without a stored end date ends 180 days after the decision',
      reg: { ...approved, protectionExpiresAt: null },
      deal: open,
      now: PROTECTION_END,
      expected: 'expired',
    },
  ])('$label', ({ reg, deal, now, expected }) => {
    expect(protectionStatus(reg, deal, now, config)).toBe(expected);
  });

  it('the warning window follows the configuration (10 days)', () => {
    const tenDays = buildProgramConfig({ registration: { warningDays: 10 } }).config;
    expect(protectionStatus(approved, open, APPROVED + 169 * DAY, tenDays)).toBe('protected');
    expect(protectionStatus(approved, open, APPROVED + 170 * DAY, tenDays)).toBe('expiring_soon');
  });
});

describe('protectionDaysLeft (whole days, floor, never negative)', () => {
  it.each([
    { label: 'day 0 of an approved registration', reg: approved as Registration | null, now: APPROVED, expected: 180 as number | null },
    { label: 'day 149 and a half', reg: approved, now: APPROVED + 149 * DAY + DAY / 2, expected: 30 },
    { label: 'day 150', reg: approved, now: APPROVED + 150 * DAY, expected: 30 },
    { label: 'one ms before the end', reg: approved, now: PROTECTION_END - 1, expected: 0 },
    { label: 'long after the end', reg: approved, now: PROTECTION_END + 40 * DAY, expected: 0 },
    { label: 'a pending registration has no protection yet', reg: registration(), now: APPROVED, expected: null },
    { label: 'no registration', reg: null, now: APPROVED, expected: null },
  ])('$label → $expected', ({ reg, now, expected }) => {
    expect(protectionDaysLeft(reg, now)).toBe(expected);
  });
});
