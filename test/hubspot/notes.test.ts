import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNote } from '../../src/hubspot/notes.js';
import { BASE, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

describe('deal timeline notes', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('a decision note carries hs_timestamp and is associated with its deal by type 214 in the same call', async () => {
    const { hs } = testHubSpot();
    nock(BASE)
      .post('/crm/objects/2026-09/notes', {
        properties: { hs_timestamp: '2025-03-05T14:00:00.000Z', hs_note_body: '<p>Registration approved by 4242: first to register.</p>' },
        associations: [{ to: { id: '9001' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 214 }] }],
      })
      .reply(201, {
        id: '61001',
        properties: { hs_timestamp: '2025-03-05T14:00:00Z', hs_note_body: '<p>Registration approved by 4242: first to register.</p>', hs_object_id: '61001' },
        createdAt: '2025-03-05T14:00:00.500Z',
        updatedAt: '2025-03-05T14:00:00.500Z',
        archived: false,
      });

    const note = await createNote(hs, {
      on: { kind: 'deal', id: '9001' },
      bodyHtml: '<p>Registration approved by 4242: first to register.</p>',
      timestamp: Date.UTC(2025, 2, 5, 14, 0, 0),
    });

    expect(note).toEqual({ id: '61001' });
  });
});
