/** Shared pieces of the HubSpot layer tests: fixtures, a recording limiter and a client pointed at nock. */
import { readFileSync } from 'node:fs';
import nock from 'nock';
import pino from 'pino';
import { createHubSpotClient, type CallEvent, type HubSpot, type HubSpotClientOptions } from '../../src/hubspot/client.js';
import type { RateLimiter } from '../../src/hubspot/rate-limit.js';

export const BASE = 'http://hubspot.test';
export const TOKEN = 'pat-na1-secret-token-never-logged';
/** The fixed clock of these tests (2025-03-05T14:00:00Z). */
export const NOW = Date.UTC(2025, 2, 5, 14, 0, 0);

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/hubspot/${name}.json`, import.meta.url), 'utf8')) as T;
}

export interface RecordingLimiter extends RateLimiter {
  acquired: number;
  pauses: number[];
}

export function recordingLimiter(): RecordingLimiter {
  const limiter: RecordingLimiter = {
    acquired: 0,
    pauses: [],
    async acquire() {
      limiter.acquired++;
    },
    async pauseUntil(epochMs: number) {
      limiter.pauses.push(epochMs);
    },
  };
  return limiter;
}

export interface TestHubSpot {
  hs: HubSpot;
  limiter: RecordingLimiter;
  sleeps: number[];
  calls: CallEvent[];
  logLines: string[];
}

/** A client on nock's host, that never really waits: every sleep is recorded instead. */
export function testHubSpot(overrides: Partial<HubSpotClientOptions> = {}): TestHubSpot {
  const limiter = recordingLimiter();
  const sleeps: number[] = [];
  const calls: CallEvent[] = [];
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  const hs = createHubSpotClient({
    accessToken: TOKEN,
    basePath: BASE,
    limiter,
    logger,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    now: () => NOW,
    onCall: (e) => calls.push(e),
    ...overrides,
  });
  return { hs, limiter, sleeps, calls, logLines };
}

/** HubSpot is only ever nock; Redis (127.0.0.1) stays reachable. */
export function isolateNetwork(): void {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
}

export function resetNetwork(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}
