/**
 * The partner stats store (docs/program.md#partner-outputs, docs/program.md#program-performance): the qualified set
 * per quarter, the ledger of referred deals the partner follow-ups compute performance from, and the reverse index
 * that lets a deal leave the partners it no longer refers.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarQuarter } from '../../src/engine/quarter.js';
import type { DealSnapshot } from '../../src/engine/types.js';
import { createPartnerStatsStore, type PartnerStatsStore } from '../../src/stores/partner-stats.js';
import { dealSnapshot } from '../helpers/deal-snapshot.js';
import { deleteKeys, testPrefix, testRedis } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;
let stats: PartnerStatsStore;
const Q4 = calendarQuarter(Date.parse('2026-11-30T12:00:00Z'), 'UTC');

const deal = (id: string, more: Partial<DealSnapshot> = {}): DealSnapshot =>
  dealSnapshot({ id, name: `Deal ${id}`, createDate: Date.parse('2026-10-05T10:00:00Z'), customerCompanyId: '8001', leadQualityScore: '6', ...more });

beforeAll(() => {
  redis = testRedis();
  prefix = testPrefix('partner-stats');
  stats = createPartnerStatsStore(redis, prefix, { timeZone: 'UTC' });
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('the ledger of referred deals', () => {
  it('is not complete (null) until a full read fills it; then it returns every deal as noted, with its roles', async () => {
    await stats.noteReferral('9001', { deal: deal('201'), roles: ['pp_referral_partner'] }, '0||6');
    expect(await stats.referrals('9001')).toBeNull();
    await stats.replaceReferrals('9001', [
      { entry: { deal: deal('201'), roles: ['pp_referral_partner'] }, fingerprint: '0||6' },
      { entry: { deal: deal('202', { leadQualityScore: '9' }), roles: ['pp_referral_partner', 'pp_finder'] }, fingerprint: '0||9' },
    ]);
    const entries = await stats.referrals('9001');
    expect(entries?.map((e) => [e.deal.id, e.deal.leadQualityScore, e.roles])).toEqual(
      expect.arrayContaining([
        ['201', '6', ['pp_referral_partner']],
        ['202', '9', ['pp_referral_partner', 'pp_finder']],
      ]),
    );
    expect(entries).toHaveLength(2);
  });

  it('a deal recompute replaces its own entry and says whether what it brings to performance moved', async () => {
    await stats.replaceReferrals('9002', [{ entry: { deal: deal('301'), roles: ['pp_referral_partner'] }, fingerprint: '0||6' }]);
    // Same fingerprint: nothing moved (the partner need not follow).
    expect(await stats.noteReferral('9002', { deal: deal('301', { name: 'Renamed' }), roles: ['pp_referral_partner'] }, '0||6')).toBe(false);
    expect((await stats.referrals('9002'))?.[0]?.deal.name).toBe('Renamed');
    // A lead quality score changed: it moved.
    expect(await stats.noteReferral('9002', { deal: deal('301', { leadQualityScore: '3' }), roles: ['pp_referral_partner'] }, '0||3')).toBe(true);
    expect((await stats.referrals('9002'))?.[0]?.deal.leadQualityScore).toBe('3');
  });

  it('a first sighting of a deal that brings nothing is no change; one that brings a score is', async () => {
    expect(await stats.noteReferral('9003', { deal: deal('401'), roles: ['pp_referral_partner'] }, '0||')).toBe(false);
    expect(await stats.noteReferral('9003', { deal: deal('402'), roles: ['pp_referral_partner'] }, '1|8|')).toBe(true);
  });

  it('an entry of the earlier format (a bare fingerprint) still compares, and makes the ledger read again', async () => {
    await stats.replaceReferrals('9004', []);
    expect(await stats.referrals('9004')).toEqual([]);
    await redis.hset(`${prefix}:perf:9004`, '501', '0||6');
    expect(await stats.noteReferral('9004', { deal: deal('502'), roles: ['pp_referral_partner'] }, '0||')).toBe(false);
    expect(await stats.referrals('9004')).toBeNull();
    expect(await stats.noteReferral('9004', { deal: deal('501'), roles: ['pp_referral_partner'] }, '0||6')).toBe(false);
    expect((await stats.referrals('9004'))?.map((e) => e.deal.id).sort()).toEqual(['501', '502']);
  });
});

describe('a deal that stops referring a partner leaves it', () => {
  it('swapReferrers names the partners the deal referred before and no longer does', async () => {
    expect(await stats.swapReferrers('601', ['9001', '9002'])).toEqual([]);
    expect(await stats.swapReferrers('601', ['9002'])).toEqual(['9001']);
    // Deleted: it refers nobody.
    expect(await stats.swapReferrers('601', [])).toEqual(['9002']);
    expect(await stats.swapReferrers('601', [])).toEqual([]);
  });

  it('forgetReferral drops the deal from the partner ledger and its qualified set', async () => {
    await stats.replace('9005', Q4, ['701', '702']);
    await stats.replaceReferrals('9005', [
      { entry: { deal: deal('701'), roles: ['pp_referral_partner'] }, fingerprint: '0||6' },
      { entry: { deal: deal('702'), roles: ['pp_referral_partner'] }, fingerprint: '0||6' },
    ]);
    await stats.forgetReferral('9005', Q4, '701');
    expect(await stats.count('9005', Q4)).toBe(1);
    expect((await stats.referrals('9005'))?.map((e) => e.deal.id)).toEqual(['702']);
  });
});
