import { describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import {
  countsFallingBehind,
  dealPerformanceFacts,
  minimumStanding,
  parseScore,
  partnerPerformance,
  performanceFingerprint,
  performanceOutputs,
  previousQuarter,
  quarterProgress,
  scoreAverage,
  type DealPerformanceFacts,
} from '../../src/engine/performance.js';
import type { DealPartner, DealSnapshot } from '../../src/engine/types.js';

const { config } = buildProgramConfig(undefined);
const ny = buildProgramConfig({ timeZone: 'America/New_York' }).config;
const at = (iso: string): number => Date.parse(iso);

describe('quarterProgress: days in the program time zone, today included', () => {
  it.each([
    { now: '2026-10-01T00:00:00Z', zone: 'UTC', label: '2026-Q4', elapsed: 1, days: 92 },
    { now: '2026-10-22T23:59:59Z', zone: 'UTC', label: '2026-Q4', elapsed: 22, days: 92 },
    { now: '2026-12-31T23:59:59Z', zone: 'UTC', label: '2026-Q4', elapsed: 92, days: 92 },
    { now: '2026-02-15T12:00:00Z', zone: 'UTC', label: '2026-Q1', elapsed: 46, days: 90 },
    { now: '2028-02-29T12:00:00Z', zone: 'UTC', label: '2028-Q1', elapsed: 60, days: 91 },
    // 23:00 on 22 October in New York is day 22 there, day 23 in UTC.
    { now: '2026-10-23T03:00:00Z', zone: 'America/New_York', label: '2026-Q4', elapsed: 22, days: 92 },
    // The quarter ends at midnight New York time (05:00 UTC in winter), across the November DST change.
    { now: '2027-01-01T04:30:00Z', zone: 'America/New_York', label: '2026-Q4', elapsed: 92, days: 92 },
    { now: '2027-01-01T05:00:00Z', zone: 'America/New_York', label: '2027-Q1', elapsed: 1, days: 90 },
  ])('$now in $zone: day $elapsed of $days of $label', ({ now, zone, label, elapsed, days }) => {
    const p = quarterProgress(at(now), zone);
    expect({ label: p.quarter.label, elapsed: p.elapsedDays, days: p.daysInQuarter }).toEqual({ label, elapsed, days });
  });
});

describe('minimumStanding: met, on track (≥ ⌊minimum × elapsed ÷ days⌋) or at risk', () => {
  it.each([
    // tier_1 (4) in a 92-day quarter: 1 is due from day 23 (⌊4 × 23 ÷ 92⌋ = 1), not on day 22 (⌊88 ÷ 92⌋ = 0).
    { label: 'day 22, none yet: nothing due, on track', now: '2026-10-22T12:00:00Z', zone: 'UTC', count: 0, minimum: 4, status: 'on_track', required: 0 },
    { label: 'day 23, none yet: 1 due, at risk', now: '2026-10-23T00:00:00Z', zone: 'UTC', count: 0, minimum: 4, status: 'at_risk', required: 1 },
    { label: 'day 23, one: on track', now: '2026-10-23T00:00:00Z', zone: 'UTC', count: 1, minimum: 4, status: 'on_track', required: 1 },
    {
      label: 'New York day 22 while UTC is on day 23: on track',
      now: '2026-10-23T03:00:00Z',
      zone: 'America/New_York',
      count: 0,
      minimum: 4,
      status: 'on_track',
      required: 0,
    },
    { label: 'New York day 23: at risk', now: '2026-10-23T04:00:00Z', zone: 'America/New_York', count: 0, minimum: 4, status: 'at_risk', required: 1 },
    {
      label: 'last day in New York (05:00 UTC not reached): 4 due',
      now: '2027-01-01T04:59:00Z',
      zone: 'America/New_York',
      count: 3,
      minimum: 4,
      status: 'at_risk',
      required: 4,
    },
    { label: 'met on the first day', now: '2026-10-01T00:00:00Z', zone: 'UTC', count: 4, minimum: 4, status: 'met', required: 0 },
    { label: 'more than the minimum is met', now: '2026-11-15T00:00:00Z', zone: 'UTC', count: 6, minimum: 4, status: 'met', required: 2 },
    // tier_2 (3): ⌊3 × 31 ÷ 92⌋ = 1 on day 31; ⌊3 × 30 ÷ 92⌋ = 0 on day 30.
    { label: 'tier_2, day 30: on track', now: '2026-10-30T12:00:00Z', zone: 'UTC', count: 0, minimum: 3, status: 'on_track', required: 0 },
    { label: 'tier_2, day 31: at risk', now: '2026-10-31T12:00:00Z', zone: 'UTC', count: 0, minimum: 3, status: 'at_risk', required: 1 },
    { label: 'a minimum of 0 is always met', now: '2026-12-31T12:00:00Z', zone: 'UTC', count: 0, minimum: 0, status: 'met', required: 0 },
  ])('$label', ({ now, zone, count, minimum, status, required }) => {
    const s = minimumStanding(count, minimum, quarterProgress(at(now), zone));
    expect({ status: s.value, required: s.requiredToDate, remaining: s.remaining }).toEqual({ status, required, remaining: Math.max(0, minimum - count) });
  });

  it('says the count, what is due and what is needed', () => {
    expect(minimumStanding(0, 4, quarterProgress(at('2026-10-23T00:00:00Z'), 'UTC')).reason).toBe(
      '0 qualified referrals of the 4 required in 2026-Q4: at risk (1 due by day 23 of 92, 1 behind); 4 more to meet the minimum',
    );
  });
});

describe('countsFallingBehind: which counts turn at risk between two days', () => {
  it.each([
    { label: 'tier_1 on day 23 (from day 22): count 0', since: '2026-10-22T00:20:00Z', now: '2026-10-23T00:20:00Z', minimum: 4, range: { from: 0, to: 1 } },
    { label: 'tier_1 on day 24: nobody', since: '2026-10-23T00:20:00Z', now: '2026-10-24T00:20:00Z', minimum: 4, range: null },
    {
      label: 'a missed run is caught up (day 21 → 47): counts 0 and 1',
      since: '2026-10-21T00:20:00Z',
      now: '2026-11-16T00:20:00Z',
      minimum: 4,
      range: { from: 0, to: 2 },
    },
    {
      label: 'across the quarter start everyone was recomputed: only what is due today',
      since: '2026-09-30T00:20:00Z',
      now: '2026-10-01T00:20:00Z',
      minimum: 4,
      range: null,
    },
  ])('$label', ({ since, now, minimum, range }) => {
    expect(countsFallingBehind(minimum, at(since), at(now), 'UTC')).toEqual(range);
  });
});

describe('parseScore', () => {
  it.each([
    { raw: '8.5', min: 0, max: 10, value: 8_500_000 },
    { raw: '10', min: 0, max: 10, value: 10_000_000 },
    { raw: '0', min: 0, max: 10, value: 0 },
    { raw: '7.1234565', min: 0, max: 10, value: 7_123_456 },
    { raw: '', min: 0, max: 10, value: null },
    { raw: null, min: 1, max: 10, value: null },
  ])('"$raw" → $value', ({ raw, min, max, value }) => {
    expect(parseScore(raw, min, max, 'score')).toEqual({ ok: true, value });
  });
  it.each([
    { raw: '11', min: 0, max: 10, reason: 'score 11 is outside 0–10' },
    { raw: '0', min: 1, max: 10, reason: 'score 0 is outside 1–10' },
    { raw: 'great', min: 0, max: 10, reason: 'score "great" is not a number from 0 to 10' },
    { raw: '-1', min: 0, max: 10, reason: 'score "-1" is not a number from 0 to 10' },
  ])('"$raw" is refused: $reason', ({ raw, min, max, reason }) => {
    expect(parseScore(raw, min, max, 'score')).toEqual({ ok: false, reason });
  });
});

describe('scoreAverage: exact mean, written half-even to one decimal', () => {
  it.each([
    { scores: [8_000_000, 9_000_000], written: '8.5', mean: 8_500_000 },
    // 8.25 → 8.2 and 8.35 → 8.4 (half to even), 8.75 → 8.8.
    { scores: [8_000_000, 8_500_000], written: '8.2', mean: 8_250_000 },
    { scores: [8_200_000, 8_500_000], written: '8.4', mean: 8_350_000 },
    { scores: [8_500_000, 9_000_000], written: '8.8', mean: 8_750_000 },
    { scores: [9_000_000, 9_000_000, 8_000_000], written: '8.7', mean: 26_000_000 / 3 },
    { scores: [], written: '', mean: null },
  ])('$scores → $written', ({ scores, written, mean }) => {
    const avg = scoreAverage(scores);
    expect({ written: avg.written, mean: avg.mean }).toEqual({ written, mean });
  });
});

const company = (id: string) => ({
  id,
  name: `Partner ${id}`,
  partnerType: 'consultant',
  consultantCount: '60',
  annualCoMarketingInvestment: null,
  commitmentYears: null,
  annualSalesVolumePotential: null,
  agreementSigned: true,
  baaSigned: false,
});
const referral: DealPartner = { company: company('9001'), roles: ['pp_referral_partner'] };
const deal = (over: Partial<DealSnapshot>): DealSnapshot => ({
  id: '1',
  name: 'Deal 1',
  amount: '600000',
  firstYearContractValue: null,
  currency: 'USD',
  dealType: 'new',
  referralKind: null,
  dealstage: 'closedwon',
  pipeline: 'default',
  closeDate: null,
  createDate: null,
  isClosedWon: true,
  isClosedLost: false,
  customerCompanyId: '5',
  registration: null,
  ...over,
});
const NOW = at('2026-11-30T12:00:00Z');

describe('dealPerformanceFacts: what one referral deal brings, as of now', () => {
  it.each([
    {
      label: 'created last quarter, qualifying: counts for last quarter',
      over: { createDate: at('2026-08-01T00:00:00Z') },
      facts: { qualifiedLastQuarter: true, satisfaction: null, leadQuality: 7_000_000 },
    },
    {
      label: 'created last quarter below the tier_1 minimum: does not',
      over: { createDate: at('2026-08-01T00:00:00Z'), amount: '400000' },
      facts: { qualifiedLastQuarter: false, satisfaction: null, leadQuality: 7_000_000 },
    },
    {
      label: 'won 11 months ago with a score: satisfaction counts',
      over: { closeDate: at('2026-01-01T00:00:00Z'), createDate: at('2025-10-01T00:00:00Z') },
      facts: { qualifiedLastQuarter: false, satisfaction: 9_000_000, leadQuality: null },
    },
    {
      label: 'won 13 months ago: outside the window',
      over: { closeDate: at('2025-10-30T00:00:00Z'), createDate: at('2025-09-01T00:00:00Z') },
      facts: { qualifiedLastQuarter: false, satisfaction: null, leadQuality: null },
    },
    {
      label: 'open deal: no satisfaction yet',
      over: { isClosedWon: false, closeDate: at('2026-11-01T00:00:00Z'), createDate: at('2026-11-01T00:00:00Z') },
      facts: { qualifiedLastQuarter: false, satisfaction: null, leadQuality: 7_000_000 },
    },
  ])('$label', ({ over, facts }) => {
    const f = dealPerformanceFacts(deal({ clientSatisfaction: '9', leadQualityScore: '7', ...over }), referral, config, NOW);
    expect({ qualifiedLastQuarter: f.qualifiedLastQuarter, satisfaction: f.satisfaction, leadQuality: f.leadQuality }).toEqual(facts);
  });

  it('a score out of range is left out, with the reason', () => {
    const f = dealPerformanceFacts(
      deal({ closeDate: at('2026-11-01T00:00:00Z'), createDate: at('2026-10-01T00:00:00Z'), clientSatisfaction: '12' }),
      referral,
      config,
      NOW,
    );
    expect(f.satisfaction).toBeNull();
    expect(f.ignored).toEqual(['client satisfaction on Deal 1 12 is outside 0–10']);
    expect(performanceFingerprint(f)).toBe('0||');
  });

  it('a finder (not the referral partner) brings nothing', () => {
    const f = dealPerformanceFacts(
      deal({ closeDate: at('2026-11-01T00:00:00Z'), clientSatisfaction: '9' }),
      { ...referral, roles: ['pp_finder'] },
      config,
      NOW,
    );
    expect(performanceFingerprint(f)).toBe('0||');
  });
});

const facts = (over: Partial<DealPerformanceFacts>): DealPerformanceFacts => ({
  dealId: '1',
  qualifiedLastQuarter: false,
  satisfaction: null,
  leadQuality: null,
  ignored: [],
  ...over,
});

describe('partnerPerformance → the six company outputs', () => {
  const old = { createdAt: at('2024-01-01T00:00:00Z') };
  it.each([
    {
      label: 'tier_1 on track, met last quarter, satisfaction 8.5 exactly: requirements met',
      input: {
        tier: 'tier_1' as const,
        count: 2,
        deals: [
          facts({ qualifiedLastQuarter: true, satisfaction: 8_000_000 }),
          facts({ qualifiedLastQuarter: true, satisfaction: 9_000_000, leadQuality: 6_000_000 }),
          facts({ qualifiedLastQuarter: true }),
          facts({ qualifiedLastQuarter: true, leadQuality: 7_000_000 }),
        ],
      },
      outputs: {
        pp_quarterly_minimum: '4',
        pp_minimum_status: 'on_track',
        pp_last_quarter_result: 'met',
        pp_satisfaction_avg: '8.5',
        pp_lead_quality_avg: '6.5',
        pp_requirements_status: 'met',
      },
    },
    {
      // 8.45 is written as 8.4 and 8.46 as 8.5, but both are below 8.5 unrounded.
      label: 'tier_1 satisfaction 8.46 (written 8.5) is below 8.5: not met',
      input: { tier: 'tier_1' as const, count: 4, deals: [facts({ satisfaction: 8_460_000 })] },
      outputs: {
        pp_quarterly_minimum: '4',
        pp_minimum_status: 'met',
        pp_last_quarter_result: 'missed',
        pp_satisfaction_avg: '8.5',
        pp_lead_quality_avg: '',
        pp_requirements_status: 'not_met',
      },
    },
    {
      label: 'tier_2 has no satisfaction requirement; missed last quarter: not met',
      input: { tier: 'tier_2' as const, count: 0, deals: [facts({ satisfaction: 5_000_000 }), facts({ qualifiedLastQuarter: true })] },
      outputs: {
        pp_quarterly_minimum: '3',
        pp_minimum_status: 'at_risk',
        pp_last_quarter_result: 'missed',
        pp_satisfaction_avg: '5.0',
        pp_lead_quality_avg: '',
        pp_requirements_status: 'not_met',
      },
    },
    {
      label: 'tier_3 at 9.0 meets 9.0',
      input: {
        tier: 'tier_3' as const,
        count: 2,
        deals: [facts({ satisfaction: 9_000_000, qualifiedLastQuarter: true }), facts({ qualifiedLastQuarter: true })],
      },
      outputs: {
        pp_quarterly_minimum: '2',
        pp_minimum_status: 'met',
        pp_last_quarter_result: 'met',
        pp_satisfaction_avg: '9.0',
        pp_lead_quality_avg: '',
        pp_requirements_status: 'met',
      },
    },
    {
      label: 'no tier: every output empty',
      input: { tier: null, count: 3, deals: [facts({ satisfaction: 9_000_000 })] },
      outputs: {
        pp_quarterly_minimum: '',
        pp_minimum_status: '',
        pp_last_quarter_result: '',
        pp_satisfaction_avg: '',
        pp_lead_quality_avg: '',
        pp_requirements_status: '',
      },
    },
  ])('$label', ({ input, outputs }) => {
    const p = partnerPerformance({ company: old, tier: input.tier, referralsThisQuarter: input.count, deals: input.deals, now: NOW, config });
    expect(performanceOutputs(p)).toEqual(outputs);
  });

  it('no scores and no full quarter yet: nothing known, requirements met by default', () => {
    const p = partnerPerformance({ company: { createdAt: at('2026-08-01T00:00:00Z') }, tier: 'tier_1', referralsThisQuarter: 0, deals: [], now: NOW, config });
    expect(performanceOutputs(p)).toEqual({
      pp_quarterly_minimum: '4',
      pp_minimum_status: 'at_risk',
      pp_last_quarter_result: '',
      pp_satisfaction_avg: '',
      pp_lead_quality_avg: '',
      pp_requirements_status: 'met',
    });
    expect(p.lastQuarter.reason).toBe('the partner was created after 2026-Q3 began: no full quarter to judge');
    expect(p.requirements.reasons).toEqual(['nothing to judge yet: met by default']);
  });

  it('the requirement comes from the configuration', () => {
    const strict = buildProgramConfig({ performance: { satisfactionMinimums: { tier_2: 7.5 } } }).config;
    const p = partnerPerformance({
      company: old,
      tier: 'tier_2',
      referralsThisQuarter: 3,
      deals: [facts({ satisfaction: 7_400_000, qualifiedLastQuarter: true }), facts({ qualifiedLastQuarter: true }), facts({ qualifiedLastQuarter: true })],
      now: NOW,
      config: strict,
    });
    expect(p.requirements).toEqual({ value: 'not_met', reasons: ['satisfaction 7.4 is below the tier_2 requirement of 7.5'] });
  });

  it('last quarter is judged in the program time zone', () => {
    // 1 October 02:00 UTC is still 30 September in New York: the previous quarter there is 2026-Q2.
    expect(previousQuarter(at('2026-10-01T02:00:00Z'), 'America/New_York').label).toBe('2026-Q2');
    expect(previousQuarter(at('2026-10-01T02:00:00Z'), 'UTC').label).toBe('2026-Q3');
    const p = partnerPerformance({ company: old, tier: 'tier_1', referralsThisQuarter: 0, deals: [], now: at('2026-10-01T02:00:00Z'), config: ny });
    expect(p.lastQuarter.label).toBe('2026-Q2');
  });
});
