/**
 * docs/program.md#activities-retainers-and-bonuses in the partner portal: a portal user submits their company's
 * conference presentations and case studies (recorded `submitted`, by `contact:<id>`), sees the company's
 * activities with status and payout, and nothing of another partner's. A form sent twice records once; the
 * company always comes from the session.
 */
import nock from 'nock';
import type request from 'supertest';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureAppContract } from '../../sandbox/contract.js';
import { csrfOf, startPortalHarness, type PortalHarness } from './portal-harness.js';

let h: PortalHarness;
let alice: request.Agent;
let activityType: string;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});
beforeEach(async () => {
  // Beacon's consultants are paid for their activities here, so a payout shows.
  h = await startPortalHarness({ program: { activities: { payingPartnerTypes: ['consultant', 'medical_advisor'] } } });
  // Idempotent: answers the contract the harness already created.
  activityType = ensureAppContract(h.store).activityObjectTypeId;
  alice = await h.signIn(h.ids.contacts.alice);
});
afterEach(async () => {
  await h.close();
});

async function form(agent: request.Agent = alice): Promise<{ csrf: string; token: string; html: string }> {
  const page = await agent.get('/portal/activities/new');
  expect(page.status).toBe(200);
  return { csrf: csrfOf(page.text), token: /name="submissionToken" value="([^"]+)"/.exec(page.text)![1]!, html: page.text };
}

const send = (agent: request.Agent, fields: Record<string, string>) => agent.post('/portal/activities').type('form').send(fields);

/** The pp_activity records of a company, as HubSpot holds them. */
function activitiesOf(companyId: string): Record<string, string>[] {
  return h.store
    .associationsOf('companies', companyId, activityType)
    .map((a) => ({ id: a.toObjectId, ...Object.fromEntries(h.store.getRecord(activityType, a.toObjectId).properties) }));
}

describe('submitting an activity from the portal', () => {
  it('the form offers conference presentations and case studies only', async () => {
    const { html } = await form();
    const options = [...html.matchAll(/<option value="([a-z_]+)"/g)].map((m) => m[1]);
    expect(options).toEqual(['conference_presentation', 'case_study']);
  });

  it('a case study is recorded as submitted for the session’s company, by the contact, and listed on the home page', async () => {
    const { csrf, token } = await form();
    const res = await send(alice, { _csrf: csrf, submissionToken: token, type: 'case_study', name: 'Clinic rollout at Globex', date: '2026-10-02' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/portal#activities');
    const records = activitiesOf(h.ids.partners.a);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ pp_activity_type: 'case_study', pp_activity_name: 'Clinic rollout at Globex', pp_activity_status: 'submitted' });
    const notes = h.store
      .associationsOf('companies', h.ids.partners.a, 'notes')
      .map((n) => h.store.getRecord('notes', n.toObjectId).properties.get('hs_note_body'))
      .join('\n');
    expect(notes).toContain(`contact:${h.ids.contacts.alice} (partner portal)`);
    const home = await alice.get('/portal');
    expect(home.text).toContain('Thank you: your activity is submitted');
    expect(home.text).toContain(`data-activity-id="${records[0]!.id}"`);
    expect(home.text).toContain('Case study: Clinic rollout at Globex');
  });

  it('a form sent twice (the same submission token) records one activity', async () => {
    const { csrf, token } = await form();
    const fields = { _csrf: csrf, submissionToken: token, type: 'conference_presentation', name: 'HIMSS 2026 talk', date: '2026-03-10' };
    const [first, second] = await Promise.all([send(alice, fields), send(alice, fields)]);
    const third = await send(alice, fields);
    expect([first.status, second.status, third.status].filter((s) => s === 303).length).toBeGreaterThanOrEqual(2);
    expect(third.status).toBe(303);
    expect(activitiesOf(h.ids.partners.a)).toHaveLength(1);
  });

  it('naming another company or contact in the form changes nothing: the activity is the session’s company’s', async () => {
    const { csrf, token } = await form();
    const res = await send(alice, {
      _csrf: csrf,
      submissionToken: token,
      type: 'case_study',
      name: 'Forged for Cedar',
      date: '2026-09-01',
      companyId: h.ids.partners.b,
      partnerId: h.ids.partners.b,
      contactId: h.ids.contacts.bob,
    });
    expect(res.status).toBe(303);
    expect(activitiesOf(h.ids.partners.b)).toEqual([]);
    expect(activitiesOf(h.ids.partners.a).map((a) => a.pp_activity_name)).toEqual(['Forged for Cedar']);
  });

  it.each([
    {
      label: 'a retainer (recorded by partner managers only)',
      fields: { type: 'retainer', name: 'Board', date: '2026-01-01' },
      error: 'Choose a conference presentation or a case study.',
    },
    { label: 'no name', fields: { type: 'case_study', name: '  ', date: '2026-01-01' }, error: 'Name the conference or the case study.' },
    { label: 'a date in the future', fields: { type: 'case_study', name: 'Next year', date: '2027-06-01' }, error: 'Submit an activity once it has happened.' },
  ])('$label is refused with a field error and nothing is recorded', async ({ fields, error }) => {
    const { csrf, token } = await form();
    const res = await send(alice, { _csrf: csrf, submissionToken: token, ...fields });
    expect(res.status).toBe(400);
    expect(res.text).toContain(error);
    expect(activitiesOf(h.ids.partners.a)).toEqual([]);
  });

  it('without the CSRF token the form is refused', async () => {
    const { token } = await form();
    const res = await send(alice, { submissionToken: token, type: 'case_study', name: 'No token', date: '2026-01-01' });
    expect(res.status).toBe(403);
    expect(activitiesOf(h.ids.partners.a)).toEqual([]);
  });
});

describe('what a partner sees', () => {
  it('another partner sees none of Beacon’s activities; Beacon sees its payout once a partner manager approves', async () => {
    const { csrf, token } = await form();
    await send(alice, { _csrf: csrf, submissionToken: token, type: 'conference_presentation', name: 'HIMSS 2026 talk', date: '2026-03-10' });
    const [record] = activitiesOf(h.ids.partners.a);
    const decided = await h.cardPost(`/api/cards/activities/${record!.id}/decision`, { action: 'approve' });
    expect(decided.status).toBe(200);

    const home = await alice.get('/portal');
    const row = new RegExp(`data-activity-id="${record!.id}".*?</tr>`, 's').exec(home.text)![0];
    expect(row).toContain('approved');
    expect(row).toContain('$2,500.00');

    const bob = await h.signIn(h.ids.contacts.bob);
    const other = await bob.get('/portal');
    expect(other.status).toBe(200);
    expect(other.text).not.toContain('HIMSS 2026 talk');
    expect(other.text).not.toContain(`data-activity-id="${record!.id}"`);
    expect(other.text).toContain('No activities yet.');
  });
});
