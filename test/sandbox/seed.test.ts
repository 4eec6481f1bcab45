/**
 * The demo portal covers the program (every partner type, every rule, every registration status) and
 * carries the app's contract exactly as provisioning creates it; the bench portal is what the benchmark
 * expects and is seeded without webhooks.
 */
import { describe, expect, it } from 'vitest';
import { SandboxStore } from '../../sandbox/api/store.js';
import { WebhookEmitter } from '../../sandbox/api/webhook-emitter.js';
import { ensureAppContract } from '../../sandbox/contract.js';
import { seedBenchPortal, seedDemoPortal, utcQuarterStart } from '../../sandbox/seed.js';
import { buildProgramConfig } from '../../src/config/program.js';
import { calendarQuarter } from '../../src/engine/quarter.js';
import { dealPerformanceFacts, partnerPerformance, performanceOutputs } from '../../src/engine/performance.js';
import { isQualifiedReferral, referralTier } from '../../src/engine/tiers.js';
import { PARTNER_ROLES, PARTNER_TYPES, REGISTRATION_STATUSES, type PartnerRole } from '../../src/engine/types.js';
import { toDealSnapshot, toPartnerCompany } from '../../src/hubspot/mappers.js';
import { ASSOCIATION_LABELS, COMPANY_PROPERTIES, DEAL_PROPERTIES, PAYOUT_PROPERTIES, PROPERTY_GROUP } from '../../src/hubspot/properties.js';
import { propertyCreateBody } from '../../src/hubspot/schema-admin.js';

const NOW = Date.UTC(2026, 4, 20, 12, 0, 0);
const DAY = 86_400_000;

function demo() {
  const store = new SandboxStore({ portalId: 1, appId: 2 });
  const ids = seedDemoPortal(store, { now: NOW });
  const deal = (id: string) => store.getRecord('deals', id).properties;
  const company = (id: string) => store.getRecord('companies', id).properties;
  return { store, ids, deal, company };
}

describe('seedDemoPortal', () => {
  it('has a partner of every partner type of docs/program.md, and one without a signed agreement', () => {
    const { ids, company } = demo();
    const partners = Object.values(ids.partners).map(company);
    expect(new Set(partners.map((p) => p.get('pp_partner_type')))).toEqual(new Set(PARTNER_TYPES));
    expect(partners.filter((p) => p.get('pp_agreement_signed') === 'false').map((p) => p.get('name'))).toEqual(['Newcomer Partners LLC']);
  });

  it('has consultants sized for tier_1, tier_2 and tier_3, medical advisors with and without BAA', () => {
    const { ids, company } = demo();
    expect(
      [ids.partners.consultantTier1, ids.partners.consultantTier2, ids.partners.consultantTier3].map((id) => company(id).get('pp_consultant_count')),
    ).toEqual(['60', '25', '6']);
    expect([ids.partners.medicalAdvisorWithBaa, ids.partners.medicalAdvisorWithoutBaa].map((id) => company(id).get('pp_baa_signed'))).toEqual([
      'true',
      'false',
    ]);
  });

  it('has co-selling volumes for strategic, preferred and registered, and co-marketing spend for platinum, gold and silver', () => {
    const { ids, company } = demo();
    const volumes = Object.values(ids.partners).map((id) => Number(company(id).get('pp_annual_sales_volume_potential') ?? '0'));
    const coMarketing = Object.values(ids.partners).map((id) => [
      Number(company(id).get('pp_annual_co_marketing_investment') ?? '0'),
      Number(company(id).get('pp_commitment_years') ?? '0'),
    ]);
    expect([
      volumes.some((v) => v >= 5_000_000),
      volumes.some((v) => v >= 1_000_000 && v < 5_000_000),
      volumes.some((v) => v >= 250_000 && v < 1_000_000),
    ]).toEqual([true, true, true]);
    expect([
      coMarketing.some(([i, y]) => i! >= 250_000 && y! >= 3),
      coMarketing.some(([i, y]) => i! >= 100_000 && i! < 250_000 && y! >= 2),
      coMarketing.some(([i, y]) => i! >= 25_000 && i! < 100_000 && y! >= 1),
    ]).toEqual([true, true, true]);
  });

  it('names every rule of docs/program.md in a deal name (rules 1 to 8)', () => {
    const { store } = demo();
    const names = store.listRecords('deals').map((d) => d.properties.get('dealname') ?? '');
    expect([1, 2, 3, 4, 5, 6, 7, 8].filter((n) => !names.some((name) => name.includes(`Rule ${n} `)))).toEqual([]);
    expect(names.every((name) => name.startsWith('Demo · '))).toBe(true);
  });

  it('has registrations in every status, one approved registration expiring in 20 days, and a disputed one naming the approved one', () => {
    const { ids, deal, store } = demo();
    const statuses = new Set(
      store
        .listRecords('deals')
        .map((d) => d.properties.get('pp_registration_status'))
        .filter(Boolean),
    );
    const expiring = deal(ids.deals.rule4Association);
    const disputed = deal(ids.deals.disputedRegistration);
    expect(statuses).toEqual(new Set(REGISTRATION_STATUSES));
    expect([expiring.get('pp_registration_status'), (Date.parse(expiring.get('pp_protection_expires_at')!) - NOW) / DAY]).toEqual(['approved', 20]);
    expect(disputed.get('pp_registration_conflict')).toBe(`${ids.deals.rule1Tier1}:${ids.partners.consultantTier1}`);
  });

  it('has the expansion, JPY, closed-won and 24-months-ago closed-won deals the rules need', () => {
    const { ids, deal } = demo();
    expect(deal(ids.deals.rule2Expansion).get('pp_deal_type')).toBe('expansion');
    expect(deal(ids.deals.jpyDeal).get('deal_currency_code')).toBe('JPY');
    expect(deal(ids.deals.closedWon).get('dealstage')).toBe('closedwon');
    const retention = deal(ids.deals.rule7Retention);
    expect([retention.get('dealstage'), retention.get('closedate')]).toEqual(['closedwon', '2024-05-19T12:00:00.000Z']);
  });

  it('puts several partners with their roles on the co-selling deal, and two referral partners on one deal', () => {
    const { store, ids } = demo();
    const roles = (dealId: string) =>
      store
        .associationsOf('deals', dealId, 'companies')
        .map((a) => [a.toObjectId, a.types.filter((t) => t.category === 'USER_DEFINED').map((t) => t.name)] as const)
        .filter(([, names]) => names.length > 0);
    expect(roles(ids.deals.rule6CoSelling)).toEqual([
      [ids.partners.consultantTier1, ['pp_referral_partner', 'pp_finder']],
      [ids.partners.technology, ['pp_co_selling_partner']],
      [ids.partners.healthcareOrganization, ['pp_implementation_partner']],
      [ids.partners.channel, ['pp_customer_success_partner']],
    ]);
    expect(roles(ids.deals.twoReferralPartners).map(([, names]) => names)).toEqual([['pp_referral_partner'], ['pp_referral_partner']]);
  });

  it('gives every deal a primary customer company with lifecycle stage customer', () => {
    const { store, ids, company } = demo();
    const primaries = Object.values(ids.deals).map((dealId) => {
      const primary = store.associationsOf('deals', dealId, 'companies').filter((a) => a.types.some((t) => t.primary));
      return primary.map((p) => company(p.toObjectId).get('lifecyclestage'));
    });
    expect(primaries.every((p) => p.length === 1 && p[0] === 'customer')).toBe(true);
  });

  it('puts the three tier_3 high-performer referrals in the current calendar quarter', () => {
    const { ids, deal } = demo();
    const created = [ids.deals.rule1Tier3HighPerformer1, ids.deals.rule1Tier3HighPerformer2, ids.deals.rule1Tier3HighPerformer3].map((id) =>
      Date.parse(deal(id).get('createdate')!),
    );
    expect(created.every((t) => t >= utcQuarterStart(NOW) && t <= NOW)).toBe(true);
  });

  it('records every registration decision as a note on the deal', () => {
    const { store, ids } = demo();
    const notes = store.associationsOf('deals', ids.deals.rule8KindMismatch, 'notes');
    expect(notes.map((n) => store.getRecord('notes', n.toObjectId).properties.get('hs_note_body'))).toEqual([
      '<p>Deal registration rejected by Pat Morgan (partner manager). The referral kind does not fit an association partner.</p>',
    ]);
  });

  it('creates the partner-manager users and teams the registration checks read', () => {
    const { store, ids } = demo();
    expect(store.findUser(ids.users.partnerManager)?.primaryTeamId).toBe(ids.teams.partnerManagers);
    expect(store.findUser(ids.users.salesLeadAndPartnerManager)?.secondaryTeamIds).toEqual([ids.teams.partnerManagers]);
  });

  it('sends no webhooks unless asked to', () => {
    const store = new SandboxStore({ portalId: 1, appId: 2 });
    const emitter = new WebhookEmitter(store, 'secret', { targetUrl: 'http://127.0.0.1:9/never' });
    seedDemoPortal(store, { now: NOW });
    expect(emitter.pending).toBe(0);
  });
});

describe('the app contract', () => {
  it('is created with the request bodies of npm run provision: same groups, properties, labels and payout schema', () => {
    const store = new SandboxStore({ portalId: 1, appId: 2 });
    const ids = ensureAppContract(store);
    for (const [type, defs] of [
      ['companies', COMPANY_PROPERTIES],
      ['deals', DEAL_PROPERTIES],
    ] as const) {
      expect(store.listGroups(type).map((g) => g.name)).toContain(PROPERTY_GROUP.name);
      for (const def of defs) {
        const body = propertyCreateBody(def);
        const p = store.getProperty(type, def.name);
        expect({ name: p.name, label: p.label, type: p.type, fieldType: p.fieldType, groupName: p.groupName, options: p.options.map((o) => o.value) }).toEqual({
          name: body.name,
          label: body.label,
          type: body.type,
          fieldType: body.fieldType,
          groupName: body.groupName,
          options: (body.options ?? []).map((o) => o.value),
        });
      }
    }
    expect(
      store
        .definitionsBetween('deals', 'companies')
        .filter((d) => d.category === 'USER_DEFINED')
        .map((d) => [d.name, d.label]),
    ).toEqual(ASSOCIATION_LABELS.map((l) => [l.name, l.label]));
    const payout = store.getSchema('pp_payout');
    expect(payout.objectTypeId).toBe(ids.payoutObjectTypeId);
    expect(PAYOUT_PROPERTIES.map((p) => store.getProperty('pp_payout', p.name).hasUniqueValue)).toEqual(
      PAYOUT_PROPERTIES.map((p) => p.hasUniqueValue === true),
    );
  });

  it('is idempotent: a second run creates nothing and returns the same ids', () => {
    const store = new SandboxStore({ portalId: 1, appId: 2 });
    const first = ensureAppContract(store);
    const counts = () => [
      store.listProperties('deals').length,
      store.listProperties('companies').length,
      store.listSchemas().length,
      store.definitionsBetween('deals', 'companies').length,
    ];
    const before = counts();
    expect(ensureAppContract(store)).toEqual(first);
    expect(counts()).toEqual(before);
  });
});

describe('seedBenchPortal', () => {
  it('creates 1,000 deals over 50 partners by default, each deal with a primary customer, and emits no webhook', () => {
    const store = new SandboxStore({ portalId: 1, appId: 2 });
    const emitter = new WebhookEmitter(store, 'secret', { targetUrl: 'http://127.0.0.1:9/never' });
    const ids = seedBenchPortal(store, { now: NOW });
    const withPrimary = ids.deals.filter((id) => store.associationsOf('deals', id, 'companies').some((a) => a.types.some((t) => t.primary)));
    expect([ids.deals.length, ids.partners.length, ids.customers.length, withPrimary.length, emitter.pending, emitter.droppedEvents]).toEqual([
      1000, 50, 200, 1000, 0, 0,
    ]);
  });

  it('is deterministic: the same seed gives the same portal', () => {
    const a = new SandboxStore({ portalId: 1, appId: 2 });
    const b = new SandboxStore({ portalId: 1, appId: 2 });
    seedBenchPortal(a, { deals: 40, partners: 7, now: NOW });
    seedBenchPortal(b, { deals: 40, partners: 7, now: NOW });
    const snapshot = (s: SandboxStore) =>
      s.listRecords('deals').map((d) => [d.properties.get('amount'), d.properties.get('dealstage'), d.properties.get('pp_referral_kind') ?? null]);
    expect(snapshot(a)).toEqual(snapshot(b));
  });

  it('has partners in every performance state: met, on track, at risk, missed last quarter, below satisfaction', () => {
    const { store, ids, company } = demo();
    const { config } = buildProgramConfig(undefined);
    const stages = { closedWon: new Set(['closedwon']), closedLost: new Set(['closedlost']) };
    const quarter = calendarQuarter(NOW, 'UTC');
    const outputs = Object.fromEntries(
      Object.entries(ids.performance.partners).map(([key, partnerId]) => {
        const partner = toPartnerCompany(partnerId, Object.fromEntries(company(partnerId)));
        const referred = ids.performance.deals.flatMap((dealId) => {
          const link = store.associationsOf('deals', dealId, 'companies').find((a) => a.toObjectId === partnerId);
          const roles = link?.types.map((t) => t.name).filter((n): n is PartnerRole => (PARTNER_ROLES as readonly string[]).includes(n ?? '')) ?? [];
          if (!roles.includes('pp_referral_partner')) return [];
          const deal = toDealSnapshot(dealId, Object.fromEntries(store.getRecord('deals', dealId).properties), { stages, customerCompanyId: null });
          return [{ deal, p: { company: partner, roles } }];
        });
        const count = referred.filter(({ deal, p }) => isQualifiedReferral(deal, p, config, quarter)).length;
        const perf = partnerPerformance({
          company: partner,
          tier: referralTier(partner, config).value,
          referralsThisQuarter: count,
          deals: referred.map(({ deal, p }) => dealPerformanceFacts(deal, p, config, NOW)),
          now: NOW,
          config,
        });
        const o = performanceOutputs(perf);
        return [key, [o.pp_minimum_status, o.pp_last_quarter_result, o.pp_satisfaction_avg, o.pp_requirements_status]];
      }),
    );
    // 20 May 2026 is day 50 of 2026-Q2's 91: tier_1 needs 2 by now, tier_2 1, tier_3 1.
    expect(outputs).toEqual({
      met: ['met', 'met', '8.5', 'met'],
      onTrack: ['on_track', 'met', '9.5', 'met'],
      atRisk: ['at_risk', 'met', '9.0', 'met'],
      missed: ['on_track', 'missed', '8.0', 'not_met'],
      belowSatisfaction: ['met', 'met', '7.5', 'not_met'],
      technology: ['', '', '', ''],
      association: ['', '', '', ''],
    });
  });

  it('has closed-won demo deals this quarter for every program component the rules can pay', () => {
    const { store, ids } = demo();
    const won = ids.performance.deals.map((id) => store.getRecord('deals', id).properties).filter((d) => d.get('dealstage') === 'closedwon');
    expect(won.map((d) => d.get('dealname'))).toEqual([
      'Demo · Performance · Keystone last quarter 1 (won)',
      'Demo · Performance · Keystone last quarter 2 (won)',
      'Demo · Performance · Lakeside last quarter 1 (won)',
      'Demo · Performance · Ridgeline last quarter 1 (won)',
      'Demo · Performance · Bayview expansion (won)',
      'Demo · Performance · Cedar Grove last quarter 1 (won)',
      'Demo · Performance · Cedar Grove last quarter 2 (won)',
      'Demo · Performance · Vertex joint solution (won)',
      'Demo · Performance · State Medical Society member referral (won)',
    ]);
    expect(won.every((d) => Date.parse(d.get('closedate')!) >= utcQuarterStart(NOW) && Date.parse(d.get('closedate')!) <= NOW)).toBe(true);
  });
});
