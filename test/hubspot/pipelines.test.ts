import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readClosedStages, readClosedWonStages } from '../../src/hubspot/pipelines.js';
import { BASE, fixture, isolateNetwork, resetNetwork, testHubSpot } from './fake-hubspot.js';

describe('deal pipeline stages', () => {
  beforeAll(isolateNetwork);
  afterEach(() => nock.cleanAll());
  afterAll(resetNetwork);

  it('closed-won stages are the closed stages with probability 1.0, across both pipelines (an open 1.0 stage is not won)', async () => {
    const { hs } = testHubSpot();
    nock(BASE).get('/crm/pipelines/2026-09/deals').reply(200, fixture('pipelines-deals'));

    expect(await readClosedWonStages(hs)).toEqual(new Set(['closedwon', '162345680']));
  });

  it('closed-lost stages are the closed stages with probability 0', async () => {
    const { hs } = testHubSpot();
    nock(BASE).get('/crm/pipelines/2026-09/deals').reply(200, fixture('pipelines-deals'));

    expect((await readClosedStages(hs)).closedLost).toEqual(new Set(['closedlost', '162345681']));
  });
});
