/// <reference lib="dom" />
/**
 * The partner portal in a real browser (Debian's chromium driven by puppeteer-core; no browser download):
 * `npm start` in sandbox mode, then what a partner does — sign in from the one-time link, submit a referral,
 * see it pending — while a partner manager approves it through the card backend (a HubSpot-signed request),
 * and the portal shows it protected with the approval mail in the outbox. Screenshots of the main pages are
 * kept in test-artifacts/portal/ (one of them is docs/images/portal-referral.png).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, type Env } from '../../src/config/env.js';
import { buildProgramConfig } from '../../src/config/program.js';
import { silentLogger } from '../../src/logger.js';
import { createPortalContext } from '../../src/portal/routes.js';
import { issueSignInLink } from '../../src/services/portal/sign-in-links.js';
import { signHubSpotRequest } from '../../src/server/verify-hubspot-request.js';
import { DEMO_USERS } from '../../sandbox/seed.js';
import { SANDBOX_STATE_FILE, startSandboxMode, type SandboxMode } from '../../sandbox/start.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix, testRedis } from '../helpers/redis.js';
import { freePort, waitUntilQuiet } from './helpers/settle.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts/portal';
const prefix = testPrefix('e2e-portal');
let redis: Redis;
let env: Env;
let mode: SandboxMode;
let browser: Browser;
let page: Page;
let stateBefore: string | null = null;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium (CI does, in .ci/run)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  redis = testRedis();
  stateBefore = existsSync(SANDBOX_STATE_FILE) ? readFileSync(SANDBOX_STATE_FILE, 'utf8') : null;
  const port = await freePort();
  env = loadEnv({ REDIS_URL: TEST_REDIS_URL, PORT: String(port), PUBLIC_BASE_URL: `http://localhost:${port}`, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' });
  mode = await startSandboxMode({ env, program: buildProgramConfig({ sync: { debounceMs: 250 } }), logger: silentLogger, role: 'all', quiet: true });
  const rt = mode.app.runtime;
  await waitUntilQuiet({ flushWebhooks: () => mode.portal.emitter.flush(), drained: [rt.queues.sync], drainedExceptDelayed: [rt.queues.maintenance] });
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await mode?.close();
  await deleteKeys(redis, prefix);
  redis.disconnect();
  if (stateBefore === null) rmSync(SANDBOX_STATE_FILE, { force: true });
  else writeFileSync(SANDBOX_STATE_FILE, stateBefore);
});

const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
const text = () => page.evaluate(() => document.body.innerText);

/** A card request as HubSpot sends it: v3-signed over the public URL, user and portal in the query. */
async function card(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const full = `${path}?userId=${DEMO_USERS.partnerManager.id}&portalId=${mode.portal.portalId}`;
  const raw = body === undefined ? '' : JSON.stringify(body);
  const headers = signHubSpotRequest({ method, uri: `${env.PUBLIC_BASE_URL}${full}`, rawBody: raw, secret: mode.portal.clientSecret, timestamp: Date.now() });
  const res = await fetch(`${mode.app.url}${full}`, {
    method,
    headers: { ...headers, ...(raw ? { 'content-type': 'application/json' } : {}) },
    ...(raw ? { body: raw } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('a partner in the browser', () => {
  let dealId = '';

  it('signs in from the printed one-time link and sees their home page', async () => {
    const link = await issueSignInLink(createPortalContext(mode.app.runtime), mode.portalUsers.summit, 'command');
    await page.goto(link.url);
    await Promise.all([page.waitForNavigation(), page.click('#continue')]);
    expect(page.url()).toBe(`${env.PUBLIC_BASE_URL}/portal`);
    const body = await text();
    expect(body).toContain('Summit Advisory Group');
    expect(body).toContain('Morgan Hale');
    expect(body).toMatch(/Qualified referrals, 2026-Q\d|Qualified referrals, \d{4}-Q\d/);
    await shot('home');
  }, 60_000);

  it('submits a referral with the keyboard-usable form and sees it pending', async () => {
    await page.goto(`${env.PUBLIC_BASE_URL}/portal/referrals/new`);
    expect(await text()).toContain('Do not enter patient information');
    // An error first: the field says what to fix.
    await Promise.all([page.waitForNavigation(), page.click('#submit-referral')]);
    expect(await text()).toContain('Enter the customer company’s name.');
    await shot('referral-form-errors');
    const close = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    await page.type('#customerName', 'Wonka Industries');
    await page.type('#customerDomain', 'wonka.example');
    await page.type('#contactName', 'Charlie Bucket');
    await page.type('#contactEmail', 'charlie@wonka.example');
    await page.type('#firstYearValue', '650000');
    await page.$eval('#closeDate', (el, v) => ((el as HTMLInputElement).value = v), close);
    await page.type('#note', 'Intro at the spring summit.');
    await Promise.all([page.waitForNavigation(), page.click('#submit-referral')]);
    const match = /\/portal\/referrals\/(\d+)$/.exec(page.url());
    expect(match).not.toBeNull();
    dealId = match![1]!;
    const body = await text();
    expect(body).toContain('Wonka Industries — referral from Summit Advisory Group');
    expect(body).toContain('waits for a partner manager’s decision');
    expect(await page.$eval('#registration', (el) => el.textContent)).toContain('pending');
    await shot('referral-pending');
  }, 60_000);

  it('a partner manager approves it from the card: the portal shows it protected, and the approval mail is in the outbox', async () => {
    const view = await card('GET', `/api/cards/deals/${dealId}`);
    expect(view.status).toBe(200);
    const approve = await card('POST', `/api/cards/deals/${dealId}/registration`, { action: 'approve', expectedVersion: view.json.registrationVersion });
    expect(approve.status).toBe(200);
    await page.goto(`${env.PUBLIC_BASE_URL}/portal/referrals/${dealId}`);
    const registration = await page.$eval('#registration', (el) => el.textContent ?? '');
    expect(registration).toContain('approved');
    expect(registration).toContain('protected');
    expect(registration).toMatch(/until \d{4}-\d{2}-\d{2} · 1(79|80) days left/);
    await shot('referral-protected');

    await page.goto(`${env.PUBLIC_BASE_URL}/portal/outbox`);
    const outbox = await text();
    expect(outbox).toContain('Registration approved: Wonka Industries — referral from Summit Advisory Group');
    expect(outbox).toContain('To morgan.hale@summit-advisory.example.com');
    await shot('outbox');
  }, 60_000);

  it('the referral list and the payouts page render, and the pages fit a phone', async () => {
    await page.goto(`${env.PUBLIC_BASE_URL}/portal/referrals`);
    expect(await text()).toContain('Wonka Industries');
    await shot('referrals');
    await page.goto(`${env.PUBLIC_BASE_URL}/portal/payouts`);
    expect(await text()).toContain('Statement (CSV)');
    await shot('payouts');
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    await page.goto(`${env.PUBLIC_BASE_URL}/portal/referrals`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('referrals-phone');
  }, 60_000);
});
