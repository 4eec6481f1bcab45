/**
 * Attack (issue 11): the partner inputs of a company are changed only by partner managers
 * (docs/program.md#who-may-change-what). A sales rep raises Beacon's consultant count in the CRM (a better referral
 * tier, higher rates on every open deal) or ticks "agreement signed" for a partner without one (its held payouts
 * would be released). Before, the recompute used whatever the CRM said. Now the app compares the inputs with its
 * seal of the last accepted values and asks who changed them (the webhook's sourceId, else HubSpot's property
 * history): a partner manager's change is accepted and resealed; anyone else's is put back, with a note on the
 * company naming them, and nothing is computed from it.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookIntake } from '../../src/queue/intake.js';
import { recomputeCompany } from '../../src/services/recompute-company.js';
import { evaluateDeal } from '../../src/services/evaluate-deal.js';
import { hubSpotEventBatchSchema } from '../../src/webhooks/schemas.js';
import { openSeal } from '../../src/security/app-owned.js';
import { deriveKey } from '../../src/security/keys.js';
import { partnerInputsScope } from '../../src/security/partner-inputs-guard.js';
import { sealPartnerInputs } from '../../sandbox/seal.js';
import { companyPropertyChange, TEST_SECRET } from '../helpers/hubspot-events.js';
import { PORTAL_ID, USERS, startCardHarness, type CardHarness } from '../server/cards/card-harness.js';

let h: CardHarness;
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
beforeEach(async () => {
  h = await startCardHarness();
  // The partners' inputs as partner managers set them and the app accepted them.
  for (const id of Object.values(h.ids.partners)) sealPartnerInputs(h.store, id, TEST_SECRET);
});
afterEach(async () => {
  await h.close();
});

const company = (id: string) => Object.fromEntries(h.store.getRecord('companies', id).properties);
const notesOnCompany = (id: string) =>
  h.store
    .associationsOf('companies', id, 'notes')
    .map((a) => h.store.getRecord('notes', a.toObjectId).properties.get('hs_note_body') ?? '')
    .join('\n');
const sealed = (id: string) => openSeal(deriveKey(TEST_SECRET, 'crm-seal'), partnerInputsScope(id), company(id).pp_partner_inputs_seal);

/** The change, made in the CRM by `actor`, and the webhook HubSpot sends for it (through the real intake). */
async function changeInCrm(companyId: string, props: Record<string, string>, actor: { changeSource: string; sourceId: string }, webhook = true) {
  h.store.updateObject('companies', companyId, props, { actor });
  if (!webhook) return;
  const intake = createWebhookIntake({
    redis: h.rt.producerRedis,
    queue: h.rt.queues.sync,
    prefix: h.rt.env.QUEUE_PREFIX,
    filter: { appId: '54321', portalId: PORTAL_ID },
    debounceMs: 0,
    eventDedupeHours: 1,
  });
  const events = Object.entries(props).map(([name, value]) => companyPropertyChange(Number(companyId), name, value, { portalId: Number(PORTAL_ID), ...actor }));
  const accepted = await intake.accept(hubSpotEventBatchSchema.parse(events));
  expect(accepted.targets).toBe(1);
}

const user = (id: string) => ({ changeSource: 'CRM_UI', sourceId: `userId:${id}` });

describe('partner inputs changed in the CRM', () => {
  it('a rep raises Beacon’s consultant count (tier_2 → tier_1): put back to 20, the note names the rep, the tier does not move', async () => {
    const beacon = h.ids.partners.beacon;
    await changeInCrm(beacon, { pp_consultant_count: '150' }, user(USERS.rep));
    // Until the company recompute runs, a deal reads the accepted count, never the rep's.
    const ev = await evaluateDeal(h.rt.ctx, h.ids.deals.acmeRollout);
    expect(String(ev?.partners.find((p) => p.company.id === beacon)?.company.consultantCount)).toBe('20');

    await recomputeCompany(h.rt.ctx, beacon, 'webhook');
    expect(company(beacon).pp_consultant_count).toBe('20');
    expect(company(beacon).pp_referral_tier).toBe('tier_2');
    expect(notesOnCompany(beacon)).toContain(`pp_consultant_count: &quot;150&quot; set by HubSpot user ${USERS.rep} (CRM_UI); restored to &quot;20&quot;`);
    // A company's note is headed by the program, not by a deal registration it has nothing to do with.
    expect(notesOnCompany(beacon)).toContain('<strong>Partner program</strong>');
    expect(notesOnCompany(beacon)).not.toContain('deal registration');
    // Again: nothing left to restore, no second note.
    const notes = notesOnCompany(beacon);
    await recomputeCompany(h.rt.ctx, beacon, 'reconcile');
    expect(notesOnCompany(beacon)).toBe(notes);
  });

  it('found by the sweep (no webhook): a rep ticked “agreement signed” for Newcomer; HubSpot’s history names the rep; put back to false', async () => {
    const newcomer = h.ids.partners.newcomer;
    await changeInCrm(newcomer, { pp_agreement_signed: 'true' }, user(USERS.rep), false);
    await recomputeCompany(h.rt.ctx, newcomer, 'reconcile');
    expect(company(newcomer).pp_agreement_signed).toBe('false');
    expect(notesOnCompany(newcomer)).toContain(
      `pp_agreement_signed: &quot;true&quot; set by HubSpot user ${USERS.rep} (CRM_UI); restored to &quot;false&quot;`,
    );
  });

  it('a workflow, or an import, is not a partner manager: put back, the note names the source', async () => {
    const stackline = h.ids.partners.stackline;
    await changeInCrm(stackline, { pp_partner_type: 'consultant', pp_consultant_count: '60' }, { changeSource: 'WORKFLOWS', sourceId: 'workflow:4711' });
    await recomputeCompany(h.rt.ctx, stackline, 'webhook');
    expect([company(stackline).pp_partner_type, company(stackline).pp_consultant_count ?? '']).toEqual(['technology', '']);
    expect(notesOnCompany(stackline)).toContain('set by WORKFLOWS workflow:4711');
  });

  it.each([
    { who: 'a partner manager listed by user id', userId: USERS.manager },
    { who: 'a partner manager through a team', userId: USERS.teamManager },
  ])('$who raises the count: accepted, resealed as the new accepted value, no note; the partner’s deals follow', async ({ userId }) => {
    const beacon = h.ids.partners.beacon;
    await changeInCrm(beacon, { pp_consultant_count: '150' }, user(userId));
    const result = await recomputeCompany(h.rt.ctx, beacon, 'webhook');
    expect([company(beacon).pp_consultant_count, sealed(beacon)?.pp_consultant_count, company(beacon).pp_referral_tier]).toEqual(['150', '150', 'tier_1']);
    expect(notesOnCompany(beacon)).toBe('');
    expect(result.fannedOut).toBeGreaterThan(0);
  });

  it('a rep who deletes the seal and then edits gains nothing: the app’s own copy of the seal puts the accepted values back', async () => {
    const cedar = h.ids.partners.cedar;
    // Cedar as the app adopted it at its first recompute: the app wrote its seal, and kept a copy.
    h.store.asIntegration().updateObject('companies', cedar, { pp_partner_inputs_seal: '' });
    await recomputeCompany(h.rt.ctx, cedar, 'reconcile');
    expect(sealed(cedar)?.pp_consultant_count).toBe('60');
    await changeInCrm(cedar, { pp_partner_inputs_seal: '', pp_consultant_count: '5' }, user(USERS.rep));
    await recomputeCompany(h.rt.ctx, cedar, 'webhook');
    expect([company(cedar).pp_consultant_count, sealed(cedar)?.pp_consultant_count]).toEqual(['60', '60']);
  });
});
