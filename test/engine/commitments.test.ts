import { describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import type { Activity } from '../../src/engine/activities.js';
import { commitmentOutputs, commitmentStanding, commitmentSummary, countCommitments, programYear } from '../../src/engine/commitments.js';

const { config } = buildProgramConfig(undefined);
const at = (iso: string): number => Date.parse(iso);
const act = (type: string, date: string | null, status = 'approved'): Pick<Activity, 'type' | 'status' | 'date'> => ({ type, date, status });

describe('co-marketing commitments: what counts (docs/program.md#co-marketing-commitments)', () => {
  it.each([
    ['joint_campaign counts as a campaign', act('joint_campaign', '2026-03-01'), { campaigns: 1, contentPieces: 0, events: 0 }],
    ['content_piece counts as content', act('content_piece', '2026-03-01'), { campaigns: 0, contentPieces: 1, events: 0 }],
    ['case_study counts as content', act('case_study', '2026-03-01'), { campaigns: 0, contentPieces: 1, events: 0 }],
    ['event counts as an event', act('event', '2026-03-01'), { campaigns: 0, contentPieces: 0, events: 1 }],
    ['conference_presentation counts as an event', act('conference_presentation', '2026-03-01'), { campaigns: 0, contentPieces: 0, events: 1 }],
    ['a retainer counts for nothing', act('retainer', '2026-01-01'), { campaigns: 0, contentPieces: 0, events: 0 }],
    ['a submitted activity does not count', act('event', '2026-03-01', 'submitted'), { campaigns: 0, contentPieces: 0, events: 0 }],
    ['a rejected activity does not count', act('event', '2026-03-01', 'rejected'), { campaigns: 0, contentPieces: 0, events: 0 }],
    ['last year does not count', act('event', '2025-12-31'), { campaigns: 0, contentPieces: 0, events: 0 }],
    ['no date does not count', act('event', null), { campaigns: 0, contentPieces: 0, events: 0 }],
  ])('%s', (_name, a, counts) => {
    expect(countCommitments([a], 2026)).toEqual(counts);
  });
});

describe('commitment status: met / on_track / at_risk against ⌊minimum × elapsed days ÷ days in the year⌋', () => {
  // gold: 2 campaigns, 4 content pieces, 3 events. Events are due 1 once 3 × elapsed ≥ 365: day 122 (2 May) of 2026.
  const oneCampaignOneContent = [act('joint_campaign', '2026-02-01'), act('case_study', '2026-02-10')];
  it.each([
    [
      'gold, 1 campaign + 1 content, 0 events on 1 May 2026 (day 121: 3×121÷365 = 0.99 → 0 events due)',
      'gold',
      oneCampaignOneContent,
      '2026-05-01T12:00:00Z',
      'UTC',
      'on_track',
    ],
    ['… on 2 May 2026 (day 122: 3×122÷365 = 1.003 → 1 event due)', 'gold', oneCampaignOneContent, '2026-05-02T00:00:00Z', 'UTC', 'at_risk'],
    [
      '… at 03:00 UTC on 2 May, still 1 May in New York (program time zone)',
      'gold',
      oneCampaignOneContent,
      '2026-05-02T03:00:00Z',
      'America/New_York',
      'on_track',
    ],
    [
      '… on 1 May 2028, a leap year (day 122 of 366: exactly 1 event due)',
      'gold',
      [act('joint_campaign', '2028-02-01'), act('case_study', '2028-02-10')],
      '2028-05-01T12:00:00Z',
      'UTC',
      'at_risk',
    ],
    ['on 1 January nothing is due yet (⌊minimum × 1 ÷ 365⌋ = 0 for every minimum below 365)', 'platinum', [], '2026-01-01T00:00:00Z', 'UTC', 'on_track'],
    [
      'silver met: 1 campaign, 2 content pieces, 1 event',
      'silver',
      [act('joint_campaign', '2026-01-05'), act('content_piece', '2026-01-06'), act('case_study', '2026-01-07'), act('event', '2026-01-08')],
      '2026-02-01T00:00:00Z',
      'UTC',
      'met',
    ],
    [
      'silver on 31 December with 0 events: the whole minimum is due',
      'silver',
      [act('joint_campaign', '2026-01-05'), act('content_piece', '2026-01-06'), act('case_study', '2026-01-07')],
      '2026-12-31T12:00:00Z',
      'UTC',
      'at_risk',
    ],
  ] as const)('%s → %s', (_name, tier, activities, now, timeZone, status) => {
    const s = commitmentStanding(tier, activities, at(now), { ...config, timeZone });
    expect(s?.status).toBe(status);
  });

  it('no co-marketing tier: no standing, and every output empty', () => {
    expect(commitmentStanding(null, [act('event', '2026-01-01')], at('2026-06-01T00:00:00Z'), config)).toBeNull();
    expect(commitmentOutputs(null)).toEqual({ pp_campaigns_this_year: '', pp_content_this_year: '', pp_events_this_year: '', pp_commitment_status: '' });
  });

  it('outputs and the card sentence: "2 of 4 joint campaigns, 5 of 8 content pieces, 3 of 6 events"', () => {
    const acts = [
      ...Array.from({ length: 2 }, () => act('joint_campaign', '2026-03-01')),
      ...Array.from({ length: 5 }, () => act('content_piece', '2026-03-01')),
      ...Array.from({ length: 3 }, () => act('event', '2026-03-01')),
    ];
    const s = commitmentStanding('platinum', acts, at('2026-07-01T00:00:00Z'), config)!;
    expect(commitmentSummary(s)).toBe('2 of 4 joint campaigns, 5 of 8 content pieces, 3 of 6 events');
    // 1 July 2026 is day 182: due ⌊4×182÷365⌋ = 1, ⌊8×182÷365⌋ = 3, ⌊6×182÷365⌋ = 2.
    expect(s.dueByNow).toEqual({ campaigns: 1, contentPieces: 3, events: 2 });
    expect(commitmentOutputs(s)).toEqual({
      pp_campaigns_this_year: '2',
      pp_content_this_year: '5',
      pp_events_this_year: '3',
      pp_commitment_status: 'on_track',
    });
  });

  it('programYear counts today: 1 January is day 1, 31 December 2028 is day 366 of 366', () => {
    expect(programYear(at('2026-01-01T00:00:00Z'), 'UTC')).toEqual({ year: 2026, elapsedDays: 1, daysInYear: 365 });
    expect(programYear(at('2028-12-31T23:59:59Z'), 'UTC')).toEqual({ year: 2028, elapsedDays: 366, daysInYear: 366 });
  });
});
