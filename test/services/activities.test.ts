/**
 * Activities against the sandbox portal: recording, partner-manager decisions, the payout they freeze, restoring
 * CRM edits of app-owned and frozen fields, deletion, and the race between the card and a webhook.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activitySealer } from '../../src/security/activity-guard.js';
import { deriveKey } from '../../src/security/keys.js';
import { decideActivity, recordActivity, submitActivity, syncActivity, activitiesOfCompany, type ActivityDeps } from '../../src/services/activities.js';
import { createRedisDecisionLock } from '../../src/stores/decision-lock.js';
import { createPartnerManagers } from '../../src/services/partner-managers.js';
import { TEST_SECRET } from '../helpers/hubspot-events.js';
import { startPayoutsPortal, type PayoutsPortal } from './helpers/payouts-portal.js';

const MANAGER = '7001';
const NOW = Date.parse('2026-06-01T10:00:00Z');

describe('partner activities (docs/activities.md)', () => {
  let p: PayoutsPortal;
  let deps: ActivityDeps;
  let advisor: string;
  let activityType: string;

  beforeEach(async () => {
    p = await startPayoutsPortal({ now: NOW });
    activityType = p.contract.activityObjectTypeId;
    deps = {
      ctx: p.rt.ctx,
      hs: p.rt.hs,
      lock: createRedisDecisionLock(p.rt.producerRedis, p.prefix, 30_000, 'activity'),
      sealer: activitySealer(deriveKey(TEST_SECRET, 'crm-seal')),
      managers: createPartnerManagers({ userIds: [MANAGER], teamIds: [], readTeams: async () => null, clock: Date.now }),
      redis: p.rt.producerRedis,
      prefix: p.prefix,
    };
    advisor = p.user.createCompany({
      name: 'Dr. Rivera Advisory',
      pp_partner_type: 'medical_advisor',
      pp_agreement_signed: 'true',
      pp_baa_signed: 'true',
    }).id;
  });
  afterEach(async () => {
    await p.close();
  });

  const activity = (id: string) => Object.fromEntries(p.api.store.getRecord(activityType, id).properties);
  const companyNotes = (companyId: string) => {
    const ids = new Set(p.api.store.associationsOf('companies', companyId, 'notes').map((a) => a.toObjectId));
    return p.api.store
      .listRecords('notes')
      .filter((n) => ids.has(n.id))
      .map((n) => n.properties.get('hs_note_body') ?? '');
  };
  const record = (type: string, name = 'HIMSS 2026 keynote', date = '2026-03-10') =>
    recordActivity(deps, { companyId: advisor, type, name, date, recordedBy: 'user:7002' }).then((r) => r.activityId);

  it('a recorded activity starts submitted, sealed, associated with the partner, with a note', async () => {
    const id = await record('conference_presentation');
    expect(activity(id)).toMatchObject({ pp_activity_status: 'submitted', pp_activity_type: 'conference_presentation', pp_activity_date: '2026-03-10' });
    expect(activity(id).pp_activity_seal).toMatch(/^v1\./);
    expect(p.api.store.associationsOf(activityType, id, 'companies').map((a) => a.toObjectId)).toEqual([advisor]);
    expect(companyNotes(advisor).join('\n')).toContain('Conference presentation &quot;HIMSS 2026 keynote&quot; (2026-03-10)');
    expect(p.payouts()).toEqual([]);
  });

  it('approval by a partner manager freezes one payout activity:<id> ($2,500, role activity, no deal); approving again pays once', async () => {
    const id = await record('conference_presentation');
    const first = await decideActivity(deps, { activityId: id, userId: MANAGER, decision: { action: 'approve' } });
    expect(first).toMatchObject({ status: 'approved', changed: true, message: 'Activity approved. Payout $2,500.00 scheduled.' });
    const again = await decideActivity(deps, { activityId: id, userId: MANAGER, decision: { action: 'approve' } });
    expect(again).toMatchObject({ changed: false, message: `Activity ${id} is already approved.` });
    expect(p.payouts()).toMatchObject([
      { key: `activity:${id}`, role: 'activity', kind: 'activity', dealId: '', partnerId: advisor, amount: 250_000, currency: 'USD', status: 'scheduled' },
    ]);
    expect(p.api.store.associationsOf(p.contract.payoutObjectTypeId, p.payoutRecord(`activity:${id}`)!.id, 'companies').map((a) => a.toObjectId)).toEqual([
      advisor,
    ]);
    expect(companyNotes(advisor).filter((n) => n.includes('approved by user 7001'))).toHaveLength(1);
  });

  it('someone who is not a partner manager is refused and nothing changes', async () => {
    const id = await record('case_study');
    await expect(decideActivity(deps, { activityId: id, userId: '9999', decision: { action: 'approve' } })).rejects.toThrow(/Only partner managers/);
    expect(activity(id).pp_activity_status).toBe('submitted');
    expect(p.payouts()).toEqual([]);
  });

  it('a retainer is approved with its amount inside $25,000–$50,000; above its $35,000 cap it is held for anti-kickback review', async () => {
    const id = await record('retainer', 'Advisory board retainer 2026', '2026-01-01');
    await expect(decideActivity(deps, { activityId: id, userId: MANAGER, decision: { action: 'approve', amount: '60000' } })).rejects.toThrow(
      'The retainer must be between $25,000.00 and $50,000.00; $60,000.00 is outside that range.',
    );
    await decideActivity(deps, { activityId: id, userId: MANAGER, decision: { action: 'approve', amount: '40000' } });
    expect(activity(id)).toMatchObject({ pp_activity_status: 'approved', pp_activity_amount: '40000' });
    expect(p.payouts()).toMatchObject([
      {
        key: `activity:${id}`,
        amount: 4_000_000,
        status: 'on_hold',
        holdReason: 'exceeds the $35,000.00 retainer fair-market-value cap; anti-kickback review',
      },
    ]);
  });

  it('rejecting an approved activity reverses its unpaid payout, with the reason on the timeline', async () => {
    const id = await record('case_study', 'Sepsis pathway case study');
    await decideActivity(deps, { activityId: id, userId: MANAGER, decision: { action: 'approve' } });
    await expect(decideActivity(deps, { activityId: id, userId: MANAGER, decision: { action: 'reject', reason: ' ' } })).rejects.toThrow(/needs a reason/);
    await decideActivity(deps, { activityId: id, userId: MANAGER, decision: { action: 'reject', reason: 'not published yet' } });
    expect(p.payouts()).toMatchObject([{ key: `activity:${id}`, status: 'reversed', amount: 100_000 }]);
    expect(companyNotes(advisor).join('\n')).toContain('Reason: not published yet');
  });

  it('a CRM user approving an activity is restored to submitted, with a note, and nothing is paid', async () => {
    const id = await record('conference_presentation');
    p.user.updateObject(activityType, id, { pp_activity_status: 'approved', pp_activity_amount: '2500' });
    const result = await syncActivity(deps, id, 'webhook');
    expect(result.restored.sort()).toEqual(['pp_activity_amount', 'pp_activity_status']);
    expect([activity(id).pp_activity_status, activity(id).pp_activity_amount ?? '']).toEqual(['submitted', '']);
    expect(p.payouts()).toEqual([]);
    expect(companyNotes(advisor).join('\n')).toContain('pp_activity_status was changed to approved outside the app: put back to submitted');
  });

  it('one created approved in the CRM (no seal) is put back to submitted', async () => {
    const id = p.user.createObject(activityType, {
      pp_activity_name: 'Imported talk',
      pp_activity_type: 'conference_presentation',
      pp_activity_status: 'approved',
      pp_activity_date: '2026-02-02',
    }).id;
    p.user.associate(activityType, id, 'companies', advisor, [
      { associationCategory: 'USER_DEFINED', associationTypeId: p.api.store.definitionsBetween(activityType, 'companies')[0]!.typeId },
    ]);
    await syncActivity(deps, id, 'webhook');
    expect(activity(id).pp_activity_status).toBe('submitted');
    expect(p.payouts()).toEqual([]);
  });

  it('approval freezes type, date and amount: later CRM edits are restored and the payout is unchanged', async () => {
    const id = await record('retainer', 'Advisory board retainer 2026', '2026-01-01');
    await decideActivity(deps, { activityId: id, userId: MANAGER, decision: { action: 'approve', amount: '30000' } });
    p.user.updateObject(activityType, id, { pp_activity_type: 'case_study', pp_activity_date: '2026-05-05', pp_activity_amount: '50000' });
    await syncActivity(deps, id, 'webhook');
    expect(activity(id)).toMatchObject({
      pp_activity_type: 'retainer',
      pp_activity_date: '2026-01-01',
      pp_activity_amount: '30000',
      pp_activity_status: 'approved',
    });
    expect(p.payouts()).toMatchObject([{ key: `activity:${id}`, amount: 3_000_000, status: 'scheduled' }]);
  });

  it('a deleted approved activity: its unpaid payout is reversed; a paid one gets a claw-back adjustment', async () => {
    const a = await record('conference_presentation');
    const b = await record('case_study', 'Second study');
    await decideActivity(deps, { activityId: a, userId: MANAGER, decision: { action: 'approve' } });
    await decideActivity(deps, { activityId: b, userId: MANAGER, decision: { action: 'approve' } });
    p.api.store.updateObject('pp_payout', p.payoutRecord(`activity:${b}`)!.id, { pp_status: 'paid' }, {});
    p.user.archiveObject(activityType, a);
    p.user.archiveObject(activityType, b);
    await syncActivity(deps, a, 'webhook');
    await syncActivity(deps, b, 'webhook');
    expect(p.payouts().map((r) => [r.key, r.status, r.amount])).toEqual([
      [`activity:${a}`, 'reversed', 250_000],
      [`activity:${b}`, 'paid', 100_000],
      [`activity:${b}:adj:1`, 'scheduled', -100_000],
    ]);
  });

  it('the race: the card approving while webhooks sync the same activity, and a second manager approving at once, pays once', async () => {
    const id = await record('conference_presentation');
    const results = await Promise.allSettled([
      decideActivity(deps, { activityId: id, userId: MANAGER, decision: { action: 'approve' } }),
      syncActivity(deps, id, 'webhook'),
      decideActivity(deps, { activityId: id, userId: MANAGER, decision: { action: 'approve' } }),
      syncActivity(deps, id, 'webhook'),
      syncActivity(deps, id, 'reconcile'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    const decisions = results.slice(0, 3).filter((r, i) => i !== 1) as PromiseFulfilledResult<{ changed: boolean }>[];
    expect(decisions.map((r) => r.value.changed).sort()).toEqual([false, true]);
    expect(p.payouts()).toMatchObject([{ key: `activity:${id}`, amount: 250_000, status: 'scheduled' }]);
    expect(p.requestsTo('POST', /pp_payout|2-\d+\/batch\/upsert/).length).toBeLessThanOrEqual(1);
    expect(companyNotes(advisor).filter((n) => n.includes('approved by user'))).toHaveLength(1);
  });

  it('the partner portal submits a presentation once per submission token; other types are refused', async () => {
    const input = { companyId: advisor, contactId: '501', type: 'case_study', name: 'Portal case study', date: '2026-04-01', submissionToken: 'tok-12345678' };
    const first = await submitActivity(deps, input);
    const second = await submitActivity(deps, input);
    expect(second).toEqual({ activityId: first.activityId, repeated: true });
    expect(activity(first.activityId).pp_activity_status).toBe('submitted');
    await expect(submitActivity(deps, { ...input, type: 'retainer', submissionToken: 'tok-87654321' })).rejects.toThrow(/presentations and case studies/);
    expect((await activitiesOfCompany(deps, advisor)).map((a) => a.id)).toEqual([first.activityId]);
  });
});

describe('activity and bonus payouts in the CSV export', () => {
  it('an approved activity is a row with role Activity, no deal, and its explanation where the deal name would be', async () => {
    const { exportPayouts } = await import('../../src/services/export-payouts.js');
    const p = await startPayoutsPortal({ now: NOW });
    try {
      const deps: ActivityDeps = {
        ctx: p.rt.ctx,
        hs: p.rt.hs,
        lock: createRedisDecisionLock(p.rt.producerRedis, p.prefix, 30_000, 'activity'),
        sealer: activitySealer(deriveKey(TEST_SECRET, 'crm-seal')),
        managers: createPartnerManagers({ userIds: [MANAGER], teamIds: [], readTeams: async () => null, clock: Date.now }),
      };
      const advisor = p.user.createCompany({
        name: 'Dr. Rivera Advisory',
        pp_partner_type: 'medical_advisor',
        pp_agreement_signed: 'true',
        pp_baa_signed: 'true',
      }).id;
      const { activityId } = await recordActivity(deps, {
        companyId: advisor,
        type: 'case_study',
        name: 'Sepsis pathway',
        date: '2026-03-01',
        recordedBy: 'user 1',
      });
      await decideActivity(deps, { activityId, userId: MANAGER, decision: { action: 'approve' } });
      const result = await exportPayouts(p.rt.ctx, { from: '2026-06-01', to: '2026-06-01' } as never);
      const row = result.csv.split('\r\n')[1]!;
      expect(row).toContain(`activity:${activityId},,"Activity approved, frozen on 2026-06-01 under program`);
      expect(row).toContain(
        `Case study ""Sepsis pathway"" of 2026-03-01, Case study fee of $1,000.00.",${advisor},Dr. Rivera Advisory,Activity,1000.00,USD,scheduled`,
      );
    } finally {
      await p.close();
    }
  });
});

describe('the demo portal’s advisory board (sandbox/seed.ts)', () => {
  it('Dr. Elena Ruiz has a presentation, a case study and a $40,000 retainer; once synced the retainer is held by its $35,000 cap', async () => {
    const { seedDemoPortal } = await import('../../sandbox/seed.js');
    const p = await startPayoutsPortal({ now: NOW });
    try {
      const ids = seedDemoPortal(p.api.store, { now: NOW, clientSecret: TEST_SECRET });
      const deps: ActivityDeps = {
        ctx: p.rt.ctx,
        hs: p.rt.hs,
        lock: createRedisDecisionLock(p.rt.producerRedis, p.prefix, 30_000, 'activity'),
        sealer: activitySealer(deriveKey(TEST_SECRET, 'crm-seal')),
      };
      const activities = await activitiesOfCompany(deps, ids.partners.medicalAdvisorWithBaa);
      expect(activities.map((a) => [a.type, a.status]).sort()).toEqual([
        ['case_study', 'submitted'],
        ['conference_presentation', 'approved'],
        ['retainer', 'approved'],
      ]);
      for (const a of activities) await syncActivity(deps, a.id, 'reconcile');
      const retainer = activities.find((a) => a.type === 'retainer')!;
      const presentation = activities.find((a) => a.type === 'conference_presentation')!;
      expect(p.payouts().map((r) => [r.key, r.amount, r.status, r.holdReason])).toEqual(
        [
          [`activity:${presentation.id}`, 250_000, 'scheduled', null],
          [`activity:${retainer.id}`, 4_000_000, 'on_hold', 'exceeds the $35,000.00 retainer fair-market-value cap; anti-kickback review'],
        ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
      );
    } finally {
      await p.close();
    }
  });
});
