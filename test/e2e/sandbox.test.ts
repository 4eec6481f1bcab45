/**
 * `npm start` without a HubSpot token, end to end: the demo portal, the real receiver and workers on Redis, the
 * initial resync, then the README's story on the rule-6 deal (register → approve → close-won → reopen) moved as a
 * person would (card requests signed as HubSpot signs them, stage changes in the CRM sending signed webhooks).
 * What is checked is what HubSpot would hold: the deal's written-back properties and the `pp_payout` records.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, type Env } from '../../src/config/env.js';
import { buildProgramConfig } from '../../src/config/program.js';
import { silentLogger } from '../../src/logger.js';
import { runScenario, type Scenario, type ScenarioDeps } from '../../sandbox/scenarios.js';
import { SANDBOX_STATE_FILE, startSandboxMode, type SandboxMode } from '../../sandbox/start.js';
import { deleteKeys, TEST_REDIS_URL, testPrefix, testRedis } from '../helpers/redis.js';
import { freePort, waitUntilQuiet } from './helpers/settle.js';

const prefix = testPrefix('e2e-sandbox');
let redis: Redis;
let env: Env;
let mode: SandboxMode;
/** A developer's running sandbox keeps its state file: the test puts back whatever was there. */
let stateBefore: string | null = null;

function settled(): Promise<void> {
  const rt = mode.app.runtime;
  return waitUntilQuiet({
    flushWebhooks: () => mode.portal.emitter.flush(),
    drained: [rt.queues.sync],
    drainedExceptDelayed: [rt.queues.maintenance],
  });
}

beforeAll(async () => {
  redis = testRedis();
  stateBefore = existsSync(SANDBOX_STATE_FILE) ? readFileSync(SANDBOX_STATE_FILE, 'utf8') : null;
  // The portal signs its webhooks, and the card backend checks signatures, over PUBLIC_BASE_URL: it has to be
  // the receiver's own address, so the port is chosen before the receiver starts.
  const port = await freePort();
  env = loadEnv({ REDIS_URL: TEST_REDIS_URL, PORT: String(port), PUBLIC_BASE_URL: `http://localhost:${port}`, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' });
  // A short debounce only makes the run quicker; everything else is the default program.
  const program = buildProgramConfig({ sync: { debounceMs: 250 } });
  mode = await startSandboxMode({ env, program, logger: silentLogger, role: 'all', quiet: true });
  await settled();
}, 60_000);

afterAll(async () => {
  await mode?.close();
  await deleteKeys(redis, prefix);
  redis.disconnect();
  if (stateBefore === null) rmSync(SANDBOX_STATE_FILE, { force: true });
  else writeFileSync(SANDBOX_STATE_FILE, stateBefore);
});

function deal(key: keyof SandboxMode['portal']['ids']['deals']): Map<string, string> {
  return mode.portal.store.getRecord('deals', mode.portal.ids.deals[key]).properties;
}

describe('npm start in sandbox mode', () => {
  it('the first resync writes every demo deal its commission total, rule by rule (JPY without configuration stays 0)', () => {
    const totals = Object.fromEntries(
      Object.keys(mode.portal.ids.deals).map((key) => [key, deal(key as keyof SandboxMode['portal']['ids']['deals']).get('pp_commission_total') ?? null]),
    );

    expect(totals).toEqual({
      rule1Tier1: '72000',
      rule1Tier2BelowMinimum: '0',
      rule1Tier3HighPerformer1: '24000',
      rule1Tier3HighPerformer2: '28000',
      rule1Tier3HighPerformer3: '32000',
      rule2Expansion: '12000',
      rule3Technology: '9000',
      rule4Association: '1000',
      rule5MedicalAdvisor: '5000',
      rule6CoSelling: '645000',
      rule7Retention: '66000',
      rule8KindMismatch: '0',
      twoReferralPartners: '30000',
      jpyDeal: '0',
      disputedRegistration: '45000',
      closedWon: '115000',
    });
  });

  it('the first resync writes registration-derived protection and the payout summary of the closed-won demo deals', () => {
    const row = (key: keyof SandboxMode['portal']['ids']['deals']) => [deal(key).get('pp_protection_status'), deal(key).get('pp_payout_status')];

    expect({
      rule1Tier1: row('rule1Tier1'),
      rule1Tier2BelowMinimum: row('rule1Tier2BelowMinimum'),
      rule3Technology: row('rule3Technology'),
      rule4Association: row('rule4Association'),
      disputedRegistration: row('disputedRegistration'),
      closedWon: row('closedWon'),
    }).toEqual({
      rule1Tier1: ['protected', 'none'],
      rule1Tier2BelowMinimum: ['pending', 'none'],
      rule3Technology: ['expired', 'none'],
      rule4Association: ['expiring_soon', 'none'],
      disputedRegistration: ['conflict', 'none'],
      closedWon: ['protected', 'on_hold'],
    });
  });

  it('the first resync restores nothing: the seeded registrations and partner inputs are sealed as the app’s (no restore note)', () => {
    const notes = mode.portal.store.listRecords('notes').map((n) => n.properties.get('hs_note_body') ?? '');
    expect(notes.filter((n) => n.includes('was undone'))).toEqual([]);
    const partners = mode.portal.store.listRecords('companies').filter((c) => (c.properties.get('pp_partner_type') ?? '') !== '');
    expect(partners.length).toBeGreaterThan(0);
    expect(partners.filter((c) => !c.properties.get('pp_partner_inputs_seal')).map((c) => c.id)).toEqual([]);
  });

  it('rule 6 deal: registered → pending, approved → protected, won → five payouts (implementation on hold over the FMV cap), reopened → all reversed', async () => {
    const deps: ScenarioDeps = {
      portal: mode.portal,
      runtime: () => mode.app.runtime,
      receiverUrl: () => mode.app.url!,
      publicBaseUrl: env.PUBLIC_BASE_URL,
    };
    const { deals, partners, payoutObjectTypeId } = mode.portal.ids;
    const dealId = deals.rule6CoSelling;
    const step = async (name: Scenario) => {
      const result = await runScenario(deps, name, dealId);
      // runScenario waits for the app to settle itself; this makes sure nothing it started is still running.
      await settled();
      const p = mode.portal.store.getRecord('deals', dealId).properties;
      return {
        message: result.message,
        deal: [p.get('dealstage'), p.get('pp_registration_status'), p.get('pp_protection_status'), p.get('pp_commission_total'), p.get('pp_payout_status')],
        protectionExpiresAt: p.get('pp_protection_expires_at') ?? null,
      };
    };
    const payouts = () =>
      mode.portal.store
        .listRecords(payoutObjectTypeId)
        .filter((r) => r.properties.get('pp_deal_id') === dealId)
        .map((r) => ({
          key: r.properties.get('pp_payout_key'),
          amount: r.properties.get('pp_amount'),
          currency: r.properties.get('pp_currency'),
          status: r.properties.get('pp_status'),
          holdReason: r.properties.get('pp_hold_reason') ?? null,
        }))
        .sort((a, b) => (a.key! < b.key! ? -1 : 1));
    const key = (partner: keyof typeof partners, role: string) => `${dealId}:${partners[partner]}:${role}`;

    const registered = await step('register');
    expect(registered.deal).toEqual(['contractsent', 'pending', 'pending', '645000', 'none']);
    expect(registered.message).toContain('submitted by user');
    expect(payouts()).toEqual([]);

    const approved = await step('approve');
    expect(approved.deal).toEqual(['contractsent', 'approved', 'protected', '645000', 'none']);
    expect(approved.protectionExpiresAt).not.toBeNull();

    const won = await step('close-won');
    expect(won.deal).toEqual(['closedwon', 'approved', 'protected', '645000', 'on_hold']);
    const frozen = [
      { key: key('consultantTier1', 'pp_finder'), amount: '150000', currency: 'USD', status: 'scheduled', holdReason: null },
      { key: key('consultantTier1', 'pp_referral_partner'), amount: '120000', currency: 'USD', status: 'scheduled', holdReason: null },
      { key: key('technology', 'pp_co_selling_partner'), amount: '225000', currency: 'USD', status: 'scheduled', holdReason: null },
      {
        key: key('healthcareOrganization', 'pp_implementation_partner'),
        amount: '100000',
        currency: 'USD',
        status: 'on_hold',
        holdReason: 'exceeds the $5,000.00 fair-market-value cap; anti-kickback review',
      },
      { key: key('channel', 'pp_customer_success_partner'), amount: '50000', currency: 'USD', status: 'scheduled', holdReason: null },
    ].sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(payouts()).toEqual(frozen);

    const reopened = await step('reopen');
    expect(reopened.deal).toEqual(['contractsent', 'approved', 'protected', '645000', 'reversed']);
    expect(payouts().map(({ key: k, amount, status }) => [k, amount, status])).toEqual(frozen.map(({ key: k, amount }) => [k, amount, 'reversed']));
  }, 60_000);

  it('the scenario route behind `npm run sandbox` answers with the sandbox token and refuses without it', async () => {
    const url = `${mode.app.url}/sandbox/scenarios/status`;
    const refused = await fetch(url, { method: 'POST' });
    const answered = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${mode.portal.accessToken}` } });
    const body = (await answered.json()) as { dealId: string; deal: { pp_commission_total: string } };

    expect([refused.status, answered.status, body.dealId, body.deal.pp_commission_total]).toEqual([401, 200, mode.portal.ids.deals.rule6CoSelling, '645000']);
  });
});
