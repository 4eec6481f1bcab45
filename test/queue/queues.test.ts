/** The follow-up beat (queues.ts): partner recomputes asked for during a burst come due together. */
import { describe, expect, it } from 'vitest';
import { followUpBeatMs, nextBeat } from '../../src/queue/queues.js';

describe('the partner follow-up beat', () => {
  it.each([
    // Asked at 10.0 s with a 2 s beat: due at 12 s.
    { now: 10_000, beat: 2000, due: 12_000 },
    // Asked at 10.4 or 10.5 s: 12 s too (up to a quarter of a beat short counts), with those asked at 10.0 s.
    { now: 10_400, beat: 2000, due: 12_000 },
    { now: 10_500, beat: 2000, due: 12_000 },
    // Asked at 10.6 s: the next beat, 14 s.
    { now: 10_600, beat: 2000, due: 14_000 },
    // Held back again a few ms after the 12 s beat: the 14 s beat, not 16 s.
    { now: 12_007, beat: 2000, due: 14_000 },
  ])('asked at $now ms with a $beat ms beat: due at $due ms', ({ now, beat, due }) => {
    expect(nextBeat(now, beat)).toBe(due);
  });

  it('the beat is the debounce, at least 250 ms', () => {
    expect(followUpBeatMs(2000)).toBe(2000);
    expect(followUpBeatMs(0)).toBe(250);
  });
});
