/**
 * Write validation (API 2026-09): a write refused by the portal's validation rules — a 400 VALIDATION_ERROR
 * for the whole batch, or one VALIDATION_ERROR item of a 207 — is not retried; the refused record is named
 * with the rule's message, and every other record of the batch is written.
 */
import nock from 'nock';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchUpsertRecords } from '../../src/hubspot/crm-records.js';
import { updateDeals } from '../../src/hubspot/deals.js';
import { HubSpotBatchError, HubSpotRecordRefusedError } from '../../src/hubspot/errors.js';
import { createCrmAccess } from '../../src/hubspot/crm-access.js';
import { BASE, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

const UPDATE = '/crm/objects/2026-09/deals/batch/update';
const RULE = 'Close reason is required when Deal stage is Closed lost';

interface BatchBody {
  inputs: { id: string; properties: Record<string, string> }[];
}

const ok = (body: BatchBody) => ({
  status: 'COMPLETE',
  results: body.inputs.map((i) => ({ id: i.id, properties: { hs_object_id: i.id, ...i.properties }, archived: false })),
  startedAt: '2026-11-30T10:00:00Z',
  completedAt: '2026-11-30T10:00:01Z',
});

/** HubSpot's 400 for a rule broken by one input; `ids` only when the answer names the record. */
const refused = (ids?: string[]) => ({
  status: 'error',
  category: 'VALIDATION_ERROR',
  message: 'Record failed validation',
  correlationId: 'corr-rule',
  errors: [{ message: RULE, code: 'CONDITIONALLY_REQUIRED', context: { propertyName: ['closed_lost_reason'] } }],
  ...(ids ? { context: { ids } } : {}),
});

const inputs = ['1', '2', '3'].map((id) => ({ id, properties: { pp_commission_total: `${id}00.00` } }));

/** A portal where deal `bad` breaks the rule: any batch that contains it is refused whole. */
function portalRefusing(bad: string, opts: { nameIds: boolean }) {
  const sent: string[][] = [];
  const written: string[] = [];
  nock(BASE)
    .post(UPDATE)
    .times(20)
    .reply((_uri, body) => {
      const b = body as BatchBody;
      const ids = b.inputs.map((i) => i.id);
      sent.push(ids);
      if (ids.includes(bad)) return [400, refused(opts.nameIds ? [bad] : undefined)];
      written.push(...ids);
      return [200, ok(b)];
    });
  return { sent, written };
}

describe('write validation: a refused record is set aside, the others are written', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('a 400 that does not name the record: the batch is split until the refused deal stands alone; the others are written once', async () => {
    const t = testHubSpot();
    const portal = portalRefusing('1', { nameIds: false });

    const err = (await updateDeals(t.hs, inputs).catch((e: unknown) => e)) as HubSpotBatchError;

    expect(err).toBeInstanceOf(HubSpotBatchError);
    expect(err.retryable).toBe(false);
    expect(err.failedIds).toEqual(['1']);
    expect(err.succeededIds.sort()).toEqual(['2', '3']);
    expect(err.failures).toEqual([{ id: '1', category: 'VALIDATION_ERROR', message: RULE }]);
    expect(portal.sent).toEqual([['1', '2', '3'], ['1', '2'], ['1'], ['2'], ['3']]);
    expect(portal.written.sort()).toEqual(['2', '3']);
    // Refusals are answers, not failures to retry: no backoff, no pause.
    expect(t.sleeps).toEqual([]);
  });

  it('a 400 that names the record (context.ids): the rest is sent again at once, in one call', async () => {
    const t = testHubSpot();
    const portal = portalRefusing('2', { nameIds: true });

    const err = (await updateDeals(t.hs, inputs).catch((e: unknown) => e)) as HubSpotBatchError;

    expect(err.failures).toEqual([{ id: '2', category: 'VALIDATION_ERROR', message: RULE }]);
    expect(portal.sent).toEqual([
      ['1', '2', '3'],
      ['1', '3'],
    ]);
    expect(portal.written).toEqual(['1', '3']);
  });

  it('one VALIDATION_ERROR item of a 207: the others were applied, the refused one is named, nothing is sent again', async () => {
    const t = testHubSpot();
    const scope = nock(BASE)
      .post(UPDATE)
      .reply(207, {
        ...ok({ inputs: inputs.filter((i) => i.id !== '3') }),
        status: 'COMPLETE',
        numErrors: 1,
        errors: [{ status: 'error', category: 'VALIDATION_ERROR', message: RULE, context: { ids: ['3'] }, errors: [], links: {} }],
      });

    const err = (await updateDeals(t.hs, inputs).catch((e: unknown) => e)) as HubSpotBatchError;

    expect(scope.isDone()).toBe(true);
    expect(t.calls).toHaveLength(1);
    expect(err.failedIds).toEqual(['3']);
    expect(err.failures).toEqual([{ id: '3', category: 'VALIDATION_ERROR', message: RULE }]);
  });

  it('upserts too: the refused payout key is named, the other payouts are written', async () => {
    const t = testHubSpot();
    nock(BASE)
      .post('/crm/objects/2026-09/pp_payout/batch/upsert')
      .times(5)
      .reply((_uri, body) => {
        const b = body as { inputs: { id: string; properties: Record<string, string> }[] };
        if (b.inputs.some((i) => i.id === 'k2')) return [400, refused()];
        return [200, { ...ok(b), results: b.inputs.map((i) => ({ id: `r-${i.id}`, new: true, properties: i.properties })) }];
      });

    const err = (await batchUpsertRecords(t.hs, {
      objectType: 'pp_payout',
      label: 'payouts',
      idProperty: 'pp_payout_key',
      inputs: ['k1', 'k2', 'k3'].map((key) => ({ key, properties: { pp_amount: '1' } })),
    }).catch((e: unknown) => e)) as HubSpotBatchError;

    expect(err.failedIds).toEqual(['k2']);
    expect(err.succeededIds.sort()).toEqual(['k1', 'k3']);
    expect(err.failures[0]).toMatchObject({ id: 'k2', message: RULE });
  });

  it('a 400 that is not a validation refusal (403 scopes, other categories) is thrown as before, not split', async () => {
    const t = testHubSpot();
    const scope = nock(BASE).post(UPDATE).reply(403, { status: 'error', category: 'MISSING_SCOPES', message: 'missing crm.objects.deals.write' });

    await expect(updateDeals(t.hs, inputs)).rejects.toMatchObject({ hubspotStatus: 403, category: 'MISSING_SCOPES' });
    expect(scope.isDone()).toBe(true);
    expect(t.calls).toHaveLength(1);
  });
});

describe('crm access: each job gets its own record’s outcome', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('two deals coalesced in one batch: the refused deal fails with the rule’s message (not retryable) and a log line naming it; the other is written', async () => {
    const t = testHubSpot();
    const portal = portalRefusing('1', { nameIds: false });
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) });
    const crm = createCrmAccess(t.hs, { logger });

    const [a, b] = await Promise.allSettled([
      crm.updateDeal({ id: '1', properties: { pp_commission_total: '100.00' } }),
      crm.updateDeal({ id: '2', properties: { pp_commission_total: '200.00' } }),
    ]);

    expect(b.status).toBe('fulfilled');
    expect(a.status).toBe('rejected');
    const reason = (a as PromiseRejectedResult).reason as HubSpotRecordRefusedError;
    expect(reason).toBeInstanceOf(HubSpotRecordRefusedError);
    expect(reason).toMatchObject({ objectType: 'deal', recordId: '1', category: 'VALIDATION_ERROR', reason: RULE, retryable: false });
    expect(reason.message).toBe(`HubSpot refused this deal's write (VALIDATION_ERROR): ${RULE}`);
    expect(portal.sent).toEqual([['1', '2'], ['1'], ['2']]);
    expect(portal.written).toEqual(['2']);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ objectType: 'deal', recordId: '1', category: 'VALIDATION_ERROR', rule: RULE }),
    ]);
  });
});
