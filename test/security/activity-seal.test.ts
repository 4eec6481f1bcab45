/**
 * Attack: someone with CRM access tries to make an activity count as approved (docs/program.md#who-may-change-what)
 * by forging `pp_activity_seal`: copying the seal of an approved activity onto another, copying a registration or
 * payout seal over, re-signing with a guessed key, or editing the payload. The activity guard
 * (src/security/activity-guard.ts, on the app-owned seal) opens none of them; only the app's own seal of this record opens.
 */
import { describe, expect, it } from 'vitest';
import type { SealedActivity } from '../../src/engine/activity-authority.js';
import { sealValues } from '../../src/security/app-owned.js';
import { activitySealer } from '../../src/security/activity-guard.js';
import { deriveKey } from '../../src/security/keys.js';
import { registrationSeal } from '../../src/security/registration-guard.js';
import { TEST_SECRET } from '../helpers/hubspot-events.js';

const key = deriveKey(TEST_SECRET, 'crm-seal');
const sealer = activitySealer(key);
const approved: SealedActivity = { status: 'approved', amount: 4_000_000, type: 'retainer', date: '2026-01-01', companyId: '9001' };

describe('the activity seal', () => {
  it('the app’s own seal of a record opens to the values it sealed, nulls included', () => {
    expect(sealer.open('501', sealer.seal('501', approved))).toEqual(approved);
    const submitted: SealedActivity = { status: 'submitted', amount: null, type: 'case_study', date: null, companyId: null };
    expect(sealer.open('502', sealer.seal('502', submitted))).toEqual(submitted);
  });

  it.each([
    { label: 'a seal copied from another activity', seal: () => sealer.seal('999', approved) },
    {
      label: 'a seal made with another secret',
      seal: () => activitySealer(deriveKey('another-apps-secret-0123456789abcdef', 'crm-seal')).seal('501', approved),
    },
    { label: 'a seal made with the export-link key', seal: () => activitySealer(deriveKey(TEST_SECRET, 'export-link')).seal('501', approved) },
    { label: 'a registration seal of a deal with the same id', seal: () => registrationSeal(key, '501', { pp_registration_status: 'approved' }) },
    {
      label: 'the values sealed under another kind of record',
      seal: () => sealValues(key, 'pp_payout', { status: 'approved', amount: '4000000', type: 'retainer', date: '2026-01-01', companyId: '9001' }),
    },
    {
      label: 'an edited payload keeping the mac',
      seal: () => {
        const [v, , mac] = sealer.seal('501', { ...approved, status: 'submitted' }).split('.');
        const payload = Buffer.from(
          JSON.stringify({ amount: '4000000', companyId: '9001', date: '2026-01-01', status: 'approved', type: 'retainer' }),
        ).toString('base64url');
        return `${v}.${payload}.${mac}`;
      },
    },
    { label: 'garbage', seal: () => 'v1.not-a-seal' },
    { label: 'nothing', seal: () => '' },
  ])('$label does not open', ({ seal }) => {
    expect(sealer.open('501', seal())).toBeNull();
  });

  it('a status or amount the engine never produces cannot be sealed', () => {
    expect(() => sealer.seal('501', { ...approved, status: 'paid' as never })).toThrow(/status/);
    expect(() => sealer.seal('501', { ...approved, amount: 12.5 })).toThrow(/minor units/);
  });
});
