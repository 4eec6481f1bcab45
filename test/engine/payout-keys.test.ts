import { describe, expect, it } from 'vitest';
import {
  adjustmentKey,
  activityKey,
  baseKeyOf,
  bonusKey,
  dealIdOfKey,
  dealLineKey,
  formatPayoutKey,
  parsePayoutKey,
  partnerIdOfKey,
  retentionKey,
  type ParsedPayoutKey,
} from '../../src/engine/payout-keys.js';

describe('pp_payout_key forms (docs/program.md#payouts): each builds and parses back', () => {
  const cases: [string, string, ParsedPayoutKey][] = [
    ['deal line', '501:101:pp_finder', { kind: 'commission', dealId: '501', partnerId: '101', role: 'pp_finder' }],
    ['referral line', '501:101:pp_referral_partner', { kind: 'commission', dealId: '501', partnerId: '101', role: 'pp_referral_partner' }],
    ['retention bonus (rule 7)', '501:101:pp_referral_partner:retention', { kind: 'retention', dealId: '501', partnerId: '101' }],
    [
      'adjustment of a deal line',
      '501:101:pp_finder:adj:2',
      { kind: 'adjustment', n: 2, base: { kind: 'commission', dealId: '501', partnerId: '101', role: 'pp_finder' } },
    ],
    [
      'adjustment of a retention',
      '501:101:pp_referral_partner:retention:adj:1',
      { kind: 'adjustment', n: 1, base: { kind: 'retention', dealId: '501', partnerId: '101' } },
    ],
    ['activity', 'activity:9001', { kind: 'activity', activityId: '9001' }],
    ['adjustment of an activity', 'activity:9001:adj:1', { kind: 'adjustment', n: 1, base: { kind: 'activity', activityId: '9001' } }],
    ['achievement bonus', 'bonus:2026:101:achievement', { kind: 'bonus', year: 2026, partnerId: '101', award: 'achievement' }],
    ['Partner of the Year', 'bonus:2026:101:partner_of_the_year', { kind: 'bonus', year: 2026, partnerId: '101', award: 'partner_of_the_year' }],
    [
      'adjustment of a bonus',
      'bonus:2026:101:achievement:adj:3',
      { kind: 'adjustment', n: 3, base: { kind: 'bonus', year: 2026, partnerId: '101', award: 'achievement' } },
    ],
  ];
  it.each(cases)('%s: %s', (_name, key, parsed) => {
    expect(parsePayoutKey(key)).toEqual(parsed);
    expect(formatPayoutKey(parsed)).toBe(key);
  });

  it('the builders spell the same keys', () => {
    expect(dealLineKey('501', '101', 'pp_finder')).toBe('501:101:pp_finder');
    expect(retentionKey('501', '101')).toBe('501:101:pp_referral_partner:retention');
    expect(adjustmentKey(activityKey('9'), 4)).toBe('activity:9:adj:4');
    expect(bonusKey(2026, '7', 'partner_of_the_year')).toBe('bonus:2026:7:partner_of_the_year');
  });

  it.each([
    ['unknown role', '501:101:pp_reseller'],
    ['retention on a non-referral role', '501:101:pp_finder:retention'],
    ['too few parts', '501:101'],
    ['empty id', ':101:pp_finder'],
    ['activity without id', 'activity:'],
    ['activity with extra part', 'activity:1:2'],
    ['bonus with unknown award', 'bonus:2026:101:best_newcomer'],
    ['bonus with a non-year', 'bonus:26:101:achievement'],
    ['adjustment zero', '501:101:pp_finder:adj:0'],
    ['adjustment of nothing', 'x:adj:1'],
    ['empty', ''],
  ])('not a payout key (%s): %s', (_name, key) => {
    expect(parsePayoutKey(key)).toBeNull();
  });

  it.each([
    ['501:101:pp_finder:adj:2', '501:101:pp_finder', '501', '101'],
    ['activity:9001', 'activity:9001', null, null],
    ['bonus:2026:101:achievement:adj:1', 'bonus:2026:101:achievement', null, '101'],
  ])('%s: base %s, deal %s, partner %s', (key, base, deal, partner) => {
    expect(baseKeyOf(key)).toBe(base);
    const parsed = parsePayoutKey(key)!;
    expect(dealIdOfKey(parsed)).toBe(deal);
    expect(partnerIdOfKey(parsed)).toBe(partner);
  });
});
