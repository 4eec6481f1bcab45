import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { buildProgramConfig, loadProgramConfig } from '../../src/config/program.js';

function problemsOf(overrides: unknown): string[] {
  try {
    buildProgramConfig(overrides, 'test.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('the configuration was accepted');
}

describe('program configuration defaults are the figures of docs/program.md', () => {
  const { config } = buildProgramConfig(undefined);
  it.each([
    ['tier_1 12% from 50 consultants, 4 referrals a quarter', config.referralTiers.tier_1, { minConsultants: 50, rateBps: 1200, quarterlyMinimum: 4 }],
    ['tier_2 15% from 10 consultants, 3 referrals a quarter', config.referralTiers.tier_2, { minConsultants: 10, rateBps: 1500, quarterlyMinimum: 3 }],
    ['tier_3 18% from 1 consultant, 2 referrals a quarter', config.referralTiers.tier_3, { minConsultants: 1, rateBps: 1800, quarterlyMinimum: 2 }],
    [
      'USD minimum deal sizes $500k / $250k / $100k',
      config.currencies.USD!.referralTierMinimums,
      { tier_1: 50_000_000, tier_2: 25_000_000, tier_3: 10_000_000 },
    ],
    ['finder 10–15%', config.coSellingRates.pp_finder, { minBps: 1000, maxBps: 1500 }],
    ['protection 180 days, warning 30 days', config.registration, { protectionDays: 180, warningDays: 30, pendingExpiryDays: 30 }],
    ['retention +1% after 24 months', config.retention, { months: 24, rateBps: 100, customerLifecycleStages: ['customer'] }],
    [
      'activities: presentation $2,500, case study $1,000, retainer $25k–$50k with a $35k cap',
      config.currencies.USD!.activities,
      {
        fees: { conference_presentation: 250_000, case_study: 100_000 },
        retainerRange: { min: 2_500_000, max: 5_000_000 },
        retainerFairMarketValueCap: 3_500_000,
      },
    ],
    [
      'bonuses: achievement $10k–$50k, Partner of the Year $25k',
      config.currencies.USD!.bonuses,
      { achievementRange: { min: 1_000_000, max: 5_000_000 }, partnerOfTheYear: 2_500_000 },
    ],
    ['medical advisors are paid for activities', config.activities, { payingPartnerTypes: ['medical_advisor'] }],
    [
      'commitments: platinum 4/8/6, gold 2/4/3, silver 1/2/1',
      config.commitments,
      {
        platinum: { campaigns: 4, contentPieces: 8, events: 6 },
        gold: { campaigns: 2, contentPieces: 4, events: 3 },
        silver: { campaigns: 1, contentPieces: 2, events: 1 },
      },
    ],
  ])('%s', (_label, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  it('fair-market-value cap is $5,000.00 and the high performer bonus +2 points at 125%', () => {
    expect(config.currencies.USD!.fairMarketValueCap).toBe(500_000);
    expect(config.highPerformer).toEqual({ thresholdPercent: 125, bonusBps: 200 });
    expect(config.expansionRateBps).toBe(800);
  });

  it('stamps a stable program version that changes with the configuration', () => {
    expect(buildProgramConfig(undefined).version).toBe(buildProgramConfig({}).version);
    expect(buildProgramConfig({ expansionRateBps: 900 }).version).not.toBe(buildProgramConfig({}).version);
  });
});

describe('an admin override', () => {
  it('changes one number and keeps every other default', () => {
    const { config } = buildProgramConfig({ referralTiers: { tier_2: { rateBps: 1600 } } });
    expect(config.referralTiers.tier_2).toEqual({ minConsultants: 10, rateBps: 1600, quarterlyMinimum: 3 });
    expect(config.referralTiers.tier_1.rateBps).toBe(1200);
  });

  it('adds a currency next to USD', () => {
    const { config } = buildProgramConfig({
      currencies: {
        EUR: {
          referralTierMinimums: { tier_1: 45_000_000, tier_2: 22_500_000, tier_3: 9_000_000 },
          flatFees: {
            technical_consultation: 230_000,
            educational_event: 90_000,
            research_collaboration: 460_000,
            vendor_show: 46_000,
            c_level_referral: 460_000,
          },
          fairMarketValueCap: 460_000,
        },
      },
    });
    expect(Object.keys(config.currencies).sort()).toEqual(['EUR', 'USD']);
  });

  it.each([
    ['a negative rate', { referralTiers: { tier_2: { rateBps: -5 } } }, 'referralTiers.tier_2.rateBps: a rate cannot be negative'],
    [
      'a range whose bottom exceeds its top',
      { coSellingRates: { pp_finder: { minBps: 2000 } } },
      'coSellingRates.pp_finder: minBps (bottom of the range) exceeds maxBps (top)',
    ],
    ['an unknown key', { referralTiers: { tier_4: {} } }, 'referralTiers.tier_4: unknown key'],
    [
      'tier minimums out of order',
      { referralTiers: { tier_2: { minConsultants: 60 } } },
      "referralTiers.tier_2.minConsultants: must be below tier_1's minConsultants (50)",
    ],
    ['a warning window longer than protection', { registration: { warningDays: 200 } }, 'registration.warningDays: must be below protectionDays (180)'],
    ['an unknown time zone', { timeZone: 'Mars/Base' }, 'timeZone: an IANA time zone such as UTC or America/New_York'],
    [
      'money in fractions of a cent',
      { currencies: { USD: { fairMarketValueCap: 500.5 } } },
      'currencies.USD.fairMarketValueCap: money is integer minor units (cents)',
    ],
    [
      'a currency missing a flat fee its rules need',
      { currencies: { EUR: { referralTierMinimums: { tier_1: 1, tier_2: 1, tier_3: 1 }, flatFees: {}, fairMarketValueCap: 1 } } },
      'currencies.EUR.flatFees.vendor_show: required: referralRules.association.vendor_show pays a flat fee',
    ],
    [
      'a retainer range upside down',
      { currencies: { USD: { activities: { retainerRange: { min: 6_000_000 } } } } },
      'currencies.USD.activities.retainerRange: min (bottom of the range) exceeds max (top)',
    ],
    ['a negative commitment', { commitments: { gold: { events: -1 } } }, 'commitments.gold.events: Too small: expected number to be >=0'],
    [
      'paying activities in a portal currency without activity figures',
      {
        portalCurrency: 'EUR',
        currencies: {
          EUR: {
            referralTierMinimums: { tier_1: 1, tier_2: 1, tier_3: 1 },
            flatFees: { technical_consultation: 1, educational_event: 1, research_collaboration: 1, vendor_show: 1, c_level_referral: 1 },
            fairMarketValueCap: 1,
          },
        },
      },
      'currencies.EUR.activities: required: activities.payingPartnerTypes pays medical_advisor partners in EUR',
    ],
  ])('refuses %s, naming the key', (_label, overrides, problem) => {
    expect(problemsOf(overrides)).toContain(problem);
  });
});

describe('PARTNER_PROGRAM_CONFIG file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-config-'));
  it('reads YAML', () => {
    const file = join(dir, 'program.yml');
    writeFileSync(file, 'expansionRateBps: 900\npartnerManagers:\n  userIds: [101, 102]\n');
    const loaded = loadProgramConfig(file);
    expect(loaded.config.expansionRateBps).toBe(900);
    expect(loaded.config.partnerManagers.userIds).toEqual(['101', '102']);
  });
  it('reads JSON', () => {
    const file = join(dir, 'program.json');
    writeFileSync(file, JSON.stringify({ closedWonStageIds: ['closedwon', 'won_enterprise'] }));
    expect(loadProgramConfig(file).config.closedWonStageIds).toEqual(['closedwon', 'won_enterprise']);
  });
  it('refuses a file that is not JSON or YAML, naming the variable', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ nope');
    expect(() => loadProgramConfig(file)).toThrow(/PARTNER_PROGRAM_CONFIG: .*broken.json is not valid JSON\/YAML/);
  });
  it('refuses a missing file, naming the variable', () => {
    expect(() => loadProgramConfig(join(dir, 'absent.yml'))).toThrow(/PARTNER_PROGRAM_CONFIG: cannot read/);
  });
});
