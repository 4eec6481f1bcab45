/**
 * Attack (issue 11): `pp_portal_access` is set only by the app, when a partner manager invites the contact
 * (docs/program.md#who-may-change-what). A sales rep ticks "Partner portal access" on a partner's contact in the CRM
 * to let them into the portal (every deal, commission line and payout of the partner). Now the contact's webhook
 * starts a check at once: a `true` the app did not grant is restored to `false`, with a note on the contact naming
 * who set it; the contact cannot sign in. Unsetting it is honoured (and forgets the grant).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookIntake } from '../../src/queue/intake.js';
import { SYNC_JOBS } from '../../src/queue/job-data.js';
import { checkContactPortalAccess, checkPortalAccess } from '../../src/services/portal/portal-access.js';
import { inviteContact } from '../../src/services/portal/invite.js';
import { hubSpotEventBatchSchema } from '../../src/webhooks/schemas.js';
import { dealPropertyChange } from '../helpers/hubspot-events.js';
import { MANAGER, PORTAL_ID, REP, startPortalHarness, type PortalHarness } from '../portal/portal-harness.js';

let h: PortalHarness;
beforeEach(async () => {
  h = await startPortalHarness();
});
afterEach(async () => {
  await h.close();
});

const access = (contactId: string) => h.store.getRecord('contacts', contactId).properties.get('pp_portal_access') ?? '';
const notesOnContact = (contactId: string) =>
  h.store
    .associationsOf('contacts', contactId, 'notes')
    .map((a) => h.store.getRecord('notes', a.toObjectId).properties.get('hs_note_body') ?? '')
    .join('\n');

/** HubSpot's `contact.propertyChange` for pp_portal_access, through the real intake; answers the jobs it made. */
async function webhook(contactId: string, value: string, actor: { changeSource: string; sourceId: string }) {
  const intake = createWebhookIntake({
    redis: h.rt.producerRedis,
    queue: h.rt.queues.sync,
    prefix: h.rt.env.QUEUE_PREFIX,
    filter: { appId: String(h.store.appId), portalId: PORTAL_ID },
    debounceMs: 0,
    eventDedupeHours: 1,
  });
  const event = {
    ...dealPropertyChange(Number(contactId), 'pp_portal_access', value, { portalId: Number(PORTAL_ID), appId: h.store.appId, ...actor }),
    subscriptionType: 'contact.propertyChange',
  };
  await intake.accept(hubSpotEventBatchSchema.parse([event]));
  await intake.settled();
  const jobs = await h.rt.queues.sync.getJobs(['delayed', 'waiting']);
  return jobs.filter((j) => j.name === SYNC_JOBS.checkPortalAccess).map((j) => (j.data as { contactId: string }).contactId);
}

const rep = { changeSource: 'CRM_UI', sourceId: `userId:${REP}` };

describe('pp_portal_access set in the CRM', () => {
  it('by a rep on a contact nobody invited: the webhook’s job restores false at once, with a note naming the rep; no sign-in', async () => {
    const carol = h.ids.contacts.carol;
    h.store.actAsUser(REP).updateObject('contacts', carol, { pp_portal_access: 'true' });
    expect(await webhook(carol, 'true', rep)).toEqual([carol]);
    expect(await checkContactPortalAccess(h.pc, carol)).toEqual({ contactId: carol, access: false });
    expect(access(carol)).toBe('false');
    expect(notesOnContact(carol)).toContain(`pp_portal_access: &quot;true&quot; set by HubSpot user ${REP} (CRM_UI); restored to &quot;false&quot;`);
    expect((await checkPortalAccess(h.pc, carol)).ok).toBe(false);
  });

  it('found at sign-in without a webhook: HubSpot’s property history names the rep in the note', async () => {
    const carol = h.ids.contacts.carol;
    h.store.actAsUser(REP).updateObject('contacts', carol, { pp_portal_access: 'true' });
    expect((await checkPortalAccess(h.pc, carol)).ok).toBe(false);
    expect(access(carol)).toBe('false');
    expect(notesOnContact(carol)).toContain(`set by HubSpot user ${REP} (CRM_UI)`);
  });

  it('unsetting is honoured: an invited contact unset by a rep stays unset, and the rep setting it again is restored', async () => {
    const alice = h.ids.contacts.alice;
    h.store.actAsUser(REP).updateObject('contacts', alice, { pp_portal_access: 'false' });
    await checkContactPortalAccess(h.pc, alice);
    expect([access(alice), notesOnContact(alice)]).toEqual(['false', '']);
    h.store.actAsUser(REP).updateObject('contacts', alice, { pp_portal_access: 'true' });
    await checkContactPortalAccess(h.pc, alice);
    expect(access(alice)).toBe('false');
  });

  it('a partner manager’s invitation is the app’s write: it stands, and its webhook starts nothing', async () => {
    const carol = h.ids.contacts.carol;
    await inviteContact(h.pc, { companyId: h.ids.partners.a, contactId: carol, userId: MANAGER });
    expect(access(carol)).toBe('true');
    expect(await webhook(carol, 'true', { changeSource: 'INTEGRATION', sourceId: String(h.store.appId) })).toEqual([]);
    expect(await checkContactPortalAccess(h.pc, carol)).toEqual({ contactId: carol, access: true });
    expect(notesOnContact(carol)).toBe('');
  });
});
