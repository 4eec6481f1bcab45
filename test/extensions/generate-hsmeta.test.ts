import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import {
  ACTIVITY_PROPERTIES,
  COMPANY_TRIGGER_PROPERTIES,
  DEAL_TRIGGER_PROPERTIES,
  DEAL_WEBHOOK_PROPERTIES,
  PAYOUT_PROPERTIES,
} from '../../src/hubspot/properties.js';
import { decideEvent } from '../../src/webhooks/to-jobs.js';
import {
  ACTIVITY_WEBHOOK_PROPERTIES,
  DEFAULT_PUBLIC_BASE_URL,
  HUBSPOT_COMPONENTS,
  PLATFORM_VERSION,
  REPOSITORY_ROOT,
  generateHsmetaFiles,
  parsePublicBaseUrl,
} from '../../scripts/generate-hsmeta.js';

const fileOf = (files: ReturnType<typeof generateHsmetaFiles>, path: string): string => {
  const file = files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`${path} is not generated`);
  return file.contents;
};
const jsonOf = (files: ReturnType<typeof generateHsmetaFiles>, path: string) => JSON.parse(fileOf(files, path)) as Record<string, any>;

describe('scripts/generate-hsmeta.ts', () => {
  it.each(generateHsmetaFiles(DEFAULT_PUBLIC_BASE_URL).map((f) => ({ path: f.path, contents: f.contents })))(
    'the committed $path is the generator output for the default URL (re-run the script instead of editing it)',
    ({ path, contents }) => {
      expect(readFileSync(join(REPOSITORY_ROOT, path), 'utf8')).toBe(contents);
    },
  );

  it('puts PUBLIC_BASE_URL in the permitted fetch origin, the webhook target, the action URL and the cards backend origin', () => {
    const files = generateHsmetaFiles('https://pp.acme.test/');

    expect(jsonOf(files, 'extensions/app/app-hsmeta.json').config.permittedUrls).toEqual({
      fetch: ['https://pp.acme.test'],
      iframe: [],
      img: [],
    });
    expect(jsonOf(files, 'extensions/app/webhooks/webhooks-hsmeta.json').config.settings.targetUrl).toBe('https://pp.acme.test/webhooks/hubspot');
    expect(jsonOf(files, 'extensions/app/workflow-actions/schedule-payouts-hsmeta.json').config.actionUrl).toBe(
      'https://pp.acme.test/hubspot/actions/schedule-payouts',
    );
    expect(fileOf(files, 'extensions/app/cards/api/backend.ts')).toContain('export const BACKEND_ORIGIN = "https://pp.acme.test";');
  });

  it('subscribes to deal creation, deletion and association changes, and to every deal and company trigger property', () => {
    const webhooks = jsonOf(generateHsmetaFiles(DEFAULT_PUBLIC_BASE_URL), 'extensions/app/webhooks/webhooks-hsmeta.json');
    const subscriptions = webhooks.config.subscriptions.legacyCrmObjects as { subscriptionType: string; propertyName?: string; active: boolean }[];

    expect(subscriptions.filter((s) => s.propertyName === undefined)).toEqual([
      { subscriptionType: 'deal.creation', active: true },
      { subscriptionType: 'deal.deletion', active: true },
      { subscriptionType: 'deal.restore', active: true },
      { subscriptionType: 'deal.merge', active: true },
      { subscriptionType: 'deal.associationChange', active: true },
    ]);
    // The triggers, and the app-owned registration fields (a change by anyone else is restored: docs/SECURITY.md).
    expect(subscriptions.filter((s) => s.subscriptionType === 'deal.propertyChange').map((s) => s.propertyName)).toEqual(DEAL_WEBHOOK_PROPERTIES);
    expect(DEAL_WEBHOOK_PROPERTIES).toEqual(expect.arrayContaining([...DEAL_TRIGGER_PROPERTIES, 'pp_protection_status', 'pp_registration_seal']));
    // The partner inputs' triggers, and their seal (a change by someone not a partner manager is restored).
    expect(subscriptions.filter((s) => s.subscriptionType === 'company.propertyChange').map((s) => s.propertyName)).toEqual([
      ...COMPANY_TRIGGER_PROPERTIES,
      'pp_partner_inputs_seal',
    ]);
    expect(subscriptions.filter((s) => s.subscriptionType === 'contact.propertyChange').map((s) => s.propertyName)).toEqual(['pp_portal_access']);
    expect(subscriptions.every((s) => s.active)).toBe(true);
    // An output of the app never triggers a webhook: its own writes would loop.
    expect(subscriptions.map((s) => s.propertyName)).not.toContain('pp_commission_total');
  });

  it('subscribes to pp_activity creation, deletion, restore and every field the seal covers (docs/activities.md#webhooks-the-sweep-and-the-race)', () => {
    const webhooks = jsonOf(generateHsmetaFiles(DEFAULT_PUBLIC_BASE_URL), 'extensions/app/webhooks/webhooks-hsmeta.json');
    const subscriptions = (
      webhooks.config.subscriptions.crmObjects as {
        subscriptionType: string;
        objectType: string;
        propertyName?: string;
        active: boolean;
      }[]
    ).filter((s) => s.objectType === 'p_pp_activity');
    expect(subscriptions.filter((s) => s.propertyName === undefined)).toEqual([
      { subscriptionType: 'object.creation', objectType: 'p_pp_activity', active: true },
      { subscriptionType: 'object.deletion', objectType: 'p_pp_activity', active: true },
      { subscriptionType: 'object.restore', objectType: 'p_pp_activity', active: true },
    ]);
    expect(subscriptions.filter((s) => s.subscriptionType === 'object.propertyChange').map((s) => s.propertyName)).toEqual(ACTIVITY_WEBHOOK_PROPERTIES);
    expect(ACTIVITY_WEBHOOK_PROPERTIES).toEqual(ACTIVITY_PROPERTIES.map((p) => p.name).filter((n) => n !== 'pp_activity_name'));
    expect(ACTIVITY_WEBHOOK_PROPERTIES).toEqual(
      expect.arrayContaining(['pp_activity_status', 'pp_activity_amount', 'pp_activity_type', 'pp_activity_date', 'pp_activity_seal']),
    );
  });

  it('every pp_activity subscription, delivered with the object type id, becomes the activity sync job; the app’s own writes do not', () => {
    const webhooks = jsonOf(generateHsmetaFiles(DEFAULT_PUBLIC_BASE_URL), 'extensions/app/webhooks/webhooks-hsmeta.json');
    const subscriptions = (webhooks.config.subscriptions.crmObjects as { subscriptionType: string; objectType: string; propertyName?: string }[]).filter(
      (s) => s.objectType === 'p_pp_activity',
    );
    const filter = { portalId: '4242', appId: '99', activityObjectTypeId: '2-7001' };
    const event = (s: { subscriptionType: string; propertyName?: string }, changeSource = 'CRM_UI') => ({
      eventId: '1',
      portalId: '4242',
      occurredAt: 1,
      subscriptionType: s.subscriptionType,
      objectTypeId: '2-7001',
      objectId: '555',
      changeSource,
      sourceId: changeSource === 'INTEGRATION' ? '99' : 'userId:1',
      ...(s.propertyName ? { propertyName: s.propertyName, propertyValue: 'x' } : {}),
    });
    for (const s of subscriptions) {
      expect(decideEvent(event(s), filter)).toEqual({ action: 'recompute', targets: [{ kind: 'activity', id: '555' }] });
    }
    const own = subscriptions.find((s) => s.propertyName === 'pp_activity_status')!;
    expect(decideEvent(event(own, 'INTEGRATION'), filter).action).toBe('ignore');
  });

  it('subscribes to every pp_payout property (custom object: generic object.propertyChange), so an edit is restored at once', () => {
    const webhooks = jsonOf(generateHsmetaFiles(DEFAULT_PUBLIC_BASE_URL), 'extensions/app/webhooks/webhooks-hsmeta.json');
    const generic = webhooks.config.subscriptions.crmObjects as { subscriptionType: string; objectType: string; propertyName: string; active: boolean }[];
    const payout = generic.filter((s) => s.objectType === 'p_pp_payout');
    expect(payout.map((s) => s.propertyName)).toEqual(PAYOUT_PROPERTIES.map((p) => p.name));
    expect(payout.every((s) => s.subscriptionType === 'object.propertyChange' && s.active)).toBe(true);
  });

  it('the workflow action "Schedule partner payouts" runs on deals and outputs payouts_count, payouts_total, on_hold_count and failure_reason', () => {
    const action = jsonOf(generateHsmetaFiles(DEFAULT_PUBLIC_BASE_URL), 'extensions/app/workflow-actions/schedule-payouts-hsmeta.json');

    expect(action.type).toBe('workflow-action');
    expect(action.config.objectTypes).toEqual(['DEAL']);
    expect(action.config.labels.en.actionName).toBe('Schedule partner payouts');
    expect(action.config.outputFields).toEqual([
      { typeDefinition: { name: 'payouts_count', type: 'number', fieldType: 'number' } },
      { typeDefinition: { name: 'payouts_total', type: 'string', fieldType: 'text' } },
      { typeDefinition: { name: 'on_hold_count', type: 'number', fieldType: 'number' } },
      { typeDefinition: { name: 'failure_reason', type: 'string', fieldType: 'text' } },
    ]);
  });

  it('the app is a private static-auth app whose scopes cover deals, companies, custom objects, automation, notes and users', () => {
    const app = jsonOf(generateHsmetaFiles(DEFAULT_PUBLIC_BASE_URL), 'extensions/app/app-hsmeta.json');

    expect(app.config.distribution).toBe('private');
    expect(app.config.auth.type).toBe('static');
    expect(app.config.auth.requiredScopes).toEqual([
      'oauth',
      'crm.objects.deals.read',
      'crm.objects.deals.write',
      'crm.objects.companies.read',
      'crm.objects.companies.write',
      'crm.objects.custom.read',
      'crm.objects.custom.write',
      'crm.schemas.custom.read',
      'crm.schemas.custom.write',
      'crm.schemas.deals.write',
      'crm.schemas.companies.write',
      'crm.schemas.contacts.write',
      'crm.objects.contacts.write',
      'automation',
      'settings.users.read',
    ]);
  });

  it('hsproject.json names the project, points srcDir at extensions/ and uses platform 2026.09', () => {
    expect(jsonOf(generateHsmetaFiles(DEFAULT_PUBLIC_BASE_URL), 'hsproject.json')).toEqual({
      name: 'partner-program',
      srcDir: 'extensions',
      platformVersion: '2026.09',
    });
    expect(PLATFORM_VERSION).toBe('2026.09');
  });

  it.each([
    { path: 'extensions/app/cards/deal-card-hsmeta.json', uid: 'partner-program-deal-card', entrypoint: '/app/cards/DealCard.tsx', objectTypes: ['deals'] },
    {
      path: 'extensions/app/cards/company-card-hsmeta.json',
      uid: 'partner-program-company-card',
      entrypoint: '/app/cards/CompanyCard.tsx',
      objectTypes: ['companies'],
    },
  ])('$path is a record-tab card whose entrypoint exists', ({ path, uid, entrypoint, objectTypes }) => {
    const card = jsonOf(generateHsmetaFiles(DEFAULT_PUBLIC_BASE_URL), path);
    expect(card.uid).toBe(uid);
    expect(card.type).toBe('card');
    expect(Object.keys(card.config)).toEqual(['name', 'description', 'location', 'entrypoint', 'objectTypes']);
    expect(card.config).toMatchObject({ location: 'crm.record.tab', entrypoint, objectTypes });
    expect(() => readFileSync(join(REPOSITORY_ROOT, 'extensions', entrypoint))).not.toThrow();
  });

  it('the partner-manager page is an App Pages component (2026.09): an entry point and no home location, under the 2025.2 uid', () => {
    const files = generateHsmetaFiles(DEFAULT_PUBLIC_BASE_URL);
    expect(jsonOf(files, 'extensions/app/pages/pages-hsmeta.json')).toEqual({
      uid: 'partner-program-home',
      type: 'page',
      config: { entrypoint: '/app/pages/Pages.tsx' },
    });
    expect(files.map((f) => f.path)).not.toContain('extensions/app/pages/home-hsmeta.json');
    expect(existsSync(join(REPOSITORY_ROOT, 'extensions/app/pages/home-hsmeta.json'))).toBe(false);
    expect(() => readFileSync(join(REPOSITORY_ROOT, 'extensions/app/pages/Pages.tsx'))).not.toThrow();
  });

  it('writes one *-hsmeta.json per component of HUBSPOT_COMPONENTS, each with that uid and type, and no other', () => {
    const files = generateHsmetaFiles(DEFAULT_PUBLIC_BASE_URL).filter((f) => f.path.endsWith('-hsmeta.json'));
    expect(files.map((f) => f.path).sort()).toEqual(HUBSPOT_COMPONENTS.map((c) => `extensions/${c.metaFile}`).sort());
    for (const c of HUBSPOT_COMPONENTS) {
      expect(jsonOf(files, `extensions/${c.metaFile}`)).toMatchObject({ uid: c.uid, type: c.type });
    }
    expect(new Set(HUBSPOT_COMPONENTS.map((c) => c.uid)).size).toBe(HUBSPOT_COMPONENTS.length);
  });

  it('every *-hsmeta.json in extensions/ is one the generator writes (a hand-made one would escape the checks)', () => {
    const generated = new Set(generateHsmetaFiles(DEFAULT_PUBLIC_BASE_URL).map((f) => f.path));
    const onDisk = readdirSync(join(REPOSITORY_ROOT, 'extensions'), { recursive: true, encoding: 'utf8' })
      .map((p) => `extensions/${p.split('\\').join('/')}`)
      .filter((p) => p.endsWith('-hsmeta.json') && !p.includes('node_modules'));
    expect(onDisk.length).toBeGreaterThan(0);
    for (const path of onDisk) expect(generated.has(path), path).toBe(true);
  });

  it.each([
    { value: 'https://pp.acme.test', origin: 'https://pp.acme.test' },
    { value: ' https://pp.acme.test/ ', origin: 'https://pp.acme.test' },
    { value: 'https://pp.acme.test:8443', origin: 'https://pp.acme.test:8443' },
  ])('accepts the https origin $value', ({ value, origin }) => {
    expect(parsePublicBaseUrl(value)).toBe(origin);
  });

  it.each([
    { value: 'http://pp.acme.test', problem: 'must use https' },
    { value: 'https://pp.acme.test/partner', problem: 'must be an origin only (no path, query or fragment)' },
    { value: 'https://pp.acme.test/?x=1', problem: 'must be an origin only (no path, query or fragment)' },
    { value: 'https://user:pw@pp.acme.test', problem: 'must not carry credentials' },
    { value: 'pp.acme.test', problem: 'is not a URL' },
  ])('refuses $value: $problem', ({ value, problem }) => {
    expect(() => parsePublicBaseUrl(value)).toThrow(ConfigError);
    expect(() => parsePublicBaseUrl(value)).toThrow(problem);
  });
});

describe('static project files', () => {
  const read = (path: string) => JSON.parse(readFileSync(join(REPOSITORY_ROOT, path), 'utf8')) as Record<string, any>;

  it.each(['extensions/app/cards/package.json', 'extensions/app/pages/package.json'])(
    '%s pins exactly the SDK, React and zod versions the tests run against',
    (path) => {
      const root = read('package.json');
      expect(read(path).dependencies).toEqual({ '@hubspot/ui-extensions': '0.17.0', react: '18.3.1', zod: '4.6.7' });
      expect(read(path).dependencies).toEqual({
        '@hubspot/ui-extensions': root.devDependencies['@hubspot/ui-extensions'],
        react: root.devDependencies.react,
        zod: root.dependencies.zod,
      });
    },
  );

  it('hubspot.config.yml holds no account, key or token', () => {
    const text = readFileSync(join(REPOSITORY_ROOT, 'hubspot.config.yml'), 'utf8');
    const yaml = text
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#') && line.trim() !== '')
      .join('\n');
    expect(yaml).toBe('accounts: []');
  });
});
