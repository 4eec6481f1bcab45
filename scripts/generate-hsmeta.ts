/**
 * Writes the HubSpot project's description (platform 2026.09): hsproject.json, every *-hsmeta.json (app, cards,
 * app pages, webhooks, workflow action), the cards' backend origin, and the association labels the cards name.
 * HubSpot reads *-hsmeta.json as static JSON (no variables), so the URLs are baked in here from PUBLIC_BASE_URL
 * rather than edited by hand, and every component's uid is named once (HUBSPOT_COMPONENTS), which
 * scripts/check-hubspot.ts then expects HubSpot's own parser to find. docs/hubspot-project.md checks each field
 * against HubSpot's 2026.09 templates.
 *
 *   PUBLIC_BASE_URL=https://pp.example.com npx tsx scripts/generate-hsmeta.ts
 *
 * The committed files are the output for DEFAULT_PUBLIC_BASE_URL; a test fails when they drift from it (a hand
 * edit, or a new trigger property in src/hubspot/properties.ts without a re-run).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigError } from '../src/config/errors.js';
import { ACTIVITY_OBJECT, ACTIVITY_PROPERTIES, ASSOCIATION_LABELS, COMPANY_WEBHOOK_PROPERTIES, DEAL_WEBHOOK_PROPERTIES } from '../src/hubspot/properties.js';
import { guardedRecordSubscriptions } from '../src/hubspot/webhook-subscriptions.js';

export const DEFAULT_PUBLIC_BASE_URL = 'https://partner-program.example.com';

export interface GeneratedFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  contents: string;
}

/** The developer-platform version of the project (hsproject.json); docs/hubspot-project.md says why 2026.09. */
export const PLATFORM_VERSION = '2026.09';
export const PROJECT_NAME = 'partner-program';
/** hsproject.json `srcDir`: the HubSpot project lives in extensions/, next to (not inside) the backend. */
export const PROJECT_SRC_DIR = 'extensions';

/**
 * Every component of the project: its uid (HubSpot's stable identity: renaming a uid makes HubSpot delete the
 * component and create a new one, losing e.g. card placement), the `type` written in its *-hsmeta.json, the
 * componentType HubSpot's parser turns that into, and where the file lives (relative to srcDir).
 */
export interface HubspotComponent {
  uid: string;
  /** `type` in the *-hsmeta.json file. */
  type: string;
  /** What @hubspot/project-parsing-lib's translate() makes of `type` (its intermediate representation). */
  componentType: string;
  /** The *-hsmeta.json file, relative to srcDir: HubSpot requires it at the root of its feature folder. */
  metaFile: string;
  /** Cards and pages: the React entry point HubSpot builds, as written in the file (relative to srcDir). */
  entrypoint?: string;
}

export const HUBSPOT_COMPONENTS: readonly HubspotComponent[] = [
  { uid: 'partner-program-app', type: 'app', componentType: 'APPLICATION', metaFile: 'app/app-hsmeta.json' },
  { uid: 'partner-program-deal-card', type: 'card', componentType: 'CARD', metaFile: 'app/cards/deal-card-hsmeta.json', entrypoint: '/app/cards/DealCard.tsx' },
  {
    uid: 'partner-program-company-card',
    type: 'card',
    componentType: 'CARD',
    metaFile: 'app/cards/company-card-hsmeta.json',
    entrypoint: '/app/cards/CompanyCard.tsx',
  },
  // The app home page's uid is kept from the 2025.2 home page: the same page component, now an App Pages router.
  { uid: 'partner-program-home', type: 'page', componentType: 'PAGE', metaFile: 'app/pages/pages-hsmeta.json', entrypoint: '/app/pages/Pages.tsx' },
  { uid: 'partner-program-webhooks', type: 'webhooks', componentType: 'WEBHOOKS', metaFile: 'app/webhooks/webhooks-hsmeta.json' },
  {
    uid: 'partner-program-schedule-payouts',
    type: 'workflow-action',
    componentType: 'WORKFLOW_ACTION',
    metaFile: 'app/workflow-actions/schedule-payouts-hsmeta.json',
  },
];

function component(uid: string): HubspotComponent {
  const found = HUBSPOT_COMPONENTS.find((c) => c.uid === uid);
  if (found === undefined) throw new Error(`unknown component ${uid}`);
  return found;
}

function entrypointOf(uid: string): string {
  const { entrypoint } = component(uid);
  if (entrypoint === undefined) throw new Error(`component ${uid} has no entry point`);
  return entrypoint;
}

/** The paths that the webhook receiver and the workflow action are mounted on (src/server/routes). */
export const WEBHOOK_PATH = '/webhooks/hubspot';
export const SCHEDULE_PAYOUTS_ACTION_PATH = '/hubspot/actions/schedule-payouts';

/**
 * Least privilege for what the app does, and nothing more:
 * - deals and companies: read inputs, write the computed outputs;
 * - custom objects + their schema: the pp_payout records, and provisioning the pp_payout schema;
 * - deal and company schemas: provisioning the pp_ properties and the deal→company association labels;
 * - contacts write: HubSpot's notes API is gated on it, and every registration decision is a note on the deal;
 * - automation: the "Schedule partner payouts" workflow action and its callbacks;
 * - settings.users.read: partner-manager team membership is looked up on the server, never taken from the card.
 */
export const REQUIRED_SCOPES = [
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
] as const;

/** The origin HubSpot calls: https, no path, query or fragment (the routes are fixed paths under it). */
export function parsePublicBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL is not a URL: ${JSON.stringify(value)}`, ['PUBLIC_BASE_URL']);
  }
  const problems: string[] = [];
  // HubSpot only delivers webhooks, workflow actions and hubspot.fetch calls to https targets.
  if (url.protocol !== 'https:') problems.push('must use https');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') problems.push('must be an origin only (no path, query or fragment)');
  if (url.username !== '' || url.password !== '') problems.push('must not carry credentials');
  if (problems.length > 0) {
    throw new ConfigError(`PUBLIC_BASE_URL ${JSON.stringify(value)} ${problems.join('; ')}`, ['PUBLIC_BASE_URL']);
  }
  return url.origin;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const GENERATED_HEADER = '// Generated by scripts/generate-hsmeta.ts: do not edit by hand; re-run the script instead.\n';

function hsproject(): unknown {
  return { name: PROJECT_NAME, srcDir: PROJECT_SRC_DIR, platformVersion: PLATFORM_VERSION };
}

function appHsmeta(origin: string): unknown {
  return {
    uid: component('partner-program-app').uid,
    type: 'app',
    config: {
      name: 'Partner Program',
      description:
        'Partner tiers, commission lines with reasons, deal registration and protection, and payouts on closed-won, shown on deal and company cards.',
      distribution: 'private',
      auth: {
        type: 'static',
        requiredScopes: [...REQUIRED_SCOPES],
        optionalScopes: [],
        conditionallyRequiredScopes: [],
      },
      permittedUrls: { fetch: [origin], iframe: [], img: [] },
    },
  };
}

function webhooksHsmeta(origin: string): unknown {
  const dealEvents = ['deal.creation', 'deal.deletion', 'deal.restore', 'deal.merge', 'deal.associationChange'].map((subscriptionType) => ({
    subscriptionType,
    active: true,
  }));
  const dealChanges = DEAL_WEBHOOK_PROPERTIES.map((propertyName) => ({
    subscriptionType: 'deal.propertyChange',
    propertyName,
    active: true,
  }));
  const companyChanges = COMPANY_WEBHOOK_PROPERTIES.map((propertyName) => ({
    subscriptionType: 'company.propertyChange',
    propertyName,
    active: true,
  }));
  return {
    uid: component('partner-program-webhooks').uid,
    type: 'webhooks',
    config: {
      settings: { targetUrl: `${origin}${WEBHOOK_PATH}`, maxConcurrentRequests: 10 },
      subscriptions: {
        // Custom objects have generic subscriptions only (payloads carry `object.*` and the objectTypeId).
        crmObjects: [...activitySubscriptions(), ...guardedRecordSubscriptions.crmObjects],
        // Legacy names keep `deal.*` / `company.*` in the payload's subscriptionType (src/webhooks/to-jobs.ts reads both forms).
        legacyCrmObjects: [...dealEvents, ...dealChanges, ...companyChanges, ...guardedRecordSubscriptions.legacyCrmObjects],
        hubEvents: [],
      },
    },
  };
}

/**
 * `pp_activity` (docs/activities.md#webhooks-the-sweep-and-the-race): a custom object has no legacy names, so its
 * subscriptions are generic (`object.*`) with the object's short name `p_<name>`. Creation (one created approved is
 * put back), deletion (its payout is reversed), restore, and every field the seal covers (the name is free text
 * nobody's pay depends on). src/webhooks/to-jobs.ts maps each to the activity sync job. A move to another company
 * (an association change, whose event names no object type the receiver reads) is left to the next sync.
 * @internal exported for the test that checks the list against the properties
 */
export const ACTIVITY_WEBHOOK_PROPERTIES: string[] = ACTIVITY_PROPERTIES.map((p) => p.name).filter((name) => name !== 'pp_activity_name');

function activitySubscriptions(): unknown[] {
  const objectType = `p_${ACTIVITY_OBJECT.name}`;
  const events = ['object.creation', 'object.deletion', 'object.restore'].map((subscriptionType) => ({
    subscriptionType,
    objectType,
    active: true,
  }));
  const changes = ACTIVITY_WEBHOOK_PROPERTIES.map((propertyName) => ({ subscriptionType: 'object.propertyChange', objectType, propertyName, active: true }));
  return [...events, ...changes];
}

function schedulePayoutsHsmeta(origin: string): unknown {
  return {
    uid: component('partner-program-schedule-payouts').uid,
    type: 'workflow-action',
    config: {
      actionUrl: `${origin}${SCHEDULE_PAYOUTS_ACTION_PATH}`,
      isPublished: true,
      supportedClients: [{ client: 'WORKFLOWS' }],
      objectTypes: ['DEAL'],
      inputFields: [],
      outputFields: [
        { typeDefinition: { name: 'payouts_count', type: 'number', fieldType: 'number' } },
        { typeDefinition: { name: 'payouts_total', type: 'string', fieldType: 'text' } },
        { typeDefinition: { name: 'on_hold_count', type: 'number', fieldType: 'number' } },
        // Sent with every FAIL_CONTINUE (e.g. "the deal is not closed-won"), so a workflow can branch on it.
        { typeDefinition: { name: 'failure_reason', type: 'string', fieldType: 'text' } },
      ],
      labels: {
        en: {
          actionName: 'Schedule partner payouts',
          actionDescription:
            "Freezes a closed-won deal's partner commission lines into payout records (once per deal, partner and role). Fails, and the workflow continues, when the deal is not closed-won.",
          actionCardContent: 'Schedule partner payouts for this deal',
          appDisplayName: 'Partner Program',
          outputFieldLabels: {
            payouts_count: 'Payouts scheduled',
            payouts_total: 'Payouts total (e.g. 125000.00 USD)',
            on_hold_count: 'Payouts on hold',
            failure_reason: 'Why no payouts were scheduled',
          },
        },
      },
    },
  };
}

function cardHsmeta(uid: 'partner-program-deal-card' | 'partner-program-company-card'): unknown {
  const card = component(uid);
  const byUid = {
    'partner-program-deal-card': {
      description: 'Partners on the deal, deal registration and protection, the commission preview with reasons, and payouts.',
      objectTypes: ['deals'],
    },
    'partner-program-company-card': {
      description: "The partner's tiers with reasons, qualified referrals this quarter, agreements, open registrations and payouts.",
      objectTypes: ['companies'],
    },
  } as const;
  return {
    uid: card.uid,
    type: card.type,
    config: {
      name: 'Partner program',
      description: byUid[uid].description,
      // The middle-column tab: only there do cards get the CRM components and room for the tables they show.
      location: 'crm.record.tab',
      entrypoint: entrypointOf(uid),
      objectTypes: [...byUid[uid].objectTypes],
    },
  };
}

/**
 * App Pages (2026.03+): one page component whose entry point routes between pages; no `location` (the 2025.2
 * home page's `location: "home"` is the older extension point HubSpot's 2026.03/2026.09 templates replaced).
 */
function pagesHsmeta(): unknown {
  const page = component('partner-program-home');
  return { uid: page.uid, type: page.type, config: { entrypoint: entrypointOf(page.uid) } };
}

function backendTs(origin: string): string {
  return `${GENERATED_HEADER}
/** Where the cards' hubspot.fetch calls go; listed in app-hsmeta.json permittedUrls.fetch. */
export const BACKEND_ORIGIN = ${JSON.stringify(origin)};
`;
}

function associationLabelsTs(): string {
  const labels = ASSOCIATION_LABELS.map((l) => l.label);
  return `${GENERATED_HEADER}
/** The deal → company association labels that make a company a partner on a deal (src/hubspot/properties.ts). */
export const PARTNER_ASSOCIATION_LABELS: readonly string[] = ${JSON.stringify(labels)};
`;
}

/** The contents of every generated file for one public base URL. Pure: no file system, no environment. */
export function generateHsmetaFiles(publicBaseUrl: string): GeneratedFile[] {
  const origin = parsePublicBaseUrl(publicBaseUrl);
  const meta = (uid: string) => `${PROJECT_SRC_DIR}/${component(uid).metaFile}`;
  return [
    { path: 'hsproject.json', contents: json(hsproject()) },
    { path: meta('partner-program-app'), contents: json(appHsmeta(origin)) },
    { path: meta('partner-program-deal-card'), contents: json(cardHsmeta('partner-program-deal-card')) },
    { path: meta('partner-program-company-card'), contents: json(cardHsmeta('partner-program-company-card')) },
    { path: meta('partner-program-home'), contents: json(pagesHsmeta()) },
    { path: meta('partner-program-webhooks'), contents: json(webhooksHsmeta(origin)) },
    { path: meta('partner-program-schedule-payouts'), contents: json(schedulePayoutsHsmeta(origin)) },
    { path: 'extensions/app/cards/api/backend.ts', contents: backendTs(origin) },
    { path: 'extensions/app/cards/association-labels.ts', contents: associationLabelsTs() },
  ];
}

export const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

function main(): void {
  const files = generateHsmetaFiles(process.env.PUBLIC_BASE_URL || DEFAULT_PUBLIC_BASE_URL);
  for (const file of files) {
    const target = join(REPOSITORY_ROOT, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
    console.log(`wrote ${file.path}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
