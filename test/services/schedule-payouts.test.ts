/**
 * The freeze behind the workflow action (docs/program.md#payouts: payouts are frozen only when a deal is
 * closed-won; otherwise the action fails with the reason and freezes nothing). The SUCCESS path, with its counts
 * and totals, is run against the sandbox portal in test/server/routes/workflow-actions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildProgramConfig } from '../../src/config/program.js';
import { silentLogger } from '../../src/logger.js';
import { schedulePayouts } from '../../src/services/schedule-payouts.js';
import type { SyncContext } from '../../src/services/sync-context.js';

const program = buildProgramConfig({});

/** A context whose deal read is scripted; a payout store that fails the test if the freeze reaches it. */
function ctxWith(deal: { id: string; properties: Record<string, string> } | null): SyncContext {
  const untouched = async () => {
    throw new Error('the freeze must not touch payouts here');
  };
  return {
    crm: { deal: async () => deal },
    portal: { stages: async () => ({ closedWon: new Set(['closedwon']), closedLost: new Set(['closedlost']) }) },
    payouts: { forDeal: untouched, save: untouched, objectType: untouched },
    program,
    clock: () => Date.UTC(2026, 10, 20),
    logger: silentLogger,
  } as unknown as SyncContext;
}

describe('schedulePayouts fails with the reason, and freezes nothing, when the deal cannot be frozen', () => {
  it.each<{ label: string; deal: { id: string; properties: Record<string, string> } | null; reason: string }>([
    { label: 'a deleted deal', deal: null, reason: 'Deal 101 does not exist (it may have been deleted): no payouts scheduled.' },
    {
      label: 'a deal in an open stage',
      deal: { id: '101', properties: { dealstage: 'contractsent' } },
      reason: 'Deal 101 is not closed-won (stage contractsent): payouts are frozen only when a deal is closed-won.',
    },
    {
      label: 'a deal with no stage',
      deal: { id: '101', properties: {} },
      reason: 'Deal 101 is not closed-won (stage none): payouts are frozen only when a deal is closed-won.',
    },
  ])('$label', async ({ deal, reason }) => {
    expect(await schedulePayouts(ctxWith(deal), '101')).toEqual({ state: 'FAIL_CONTINUE', reason });
  });
});
