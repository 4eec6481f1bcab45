/**
 * Checks the HubSpot project (hsproject.json + extensions/) with HubSpot's own tools, offline:
 *
 * 1. stages a copy of the project the way an upload sees it: only hsproject.json and srcDir, and every folder
 *    with a package.json gets its own node_modules holding exactly the packages it declares (what
 *    `hs project install-deps` installs), linked from this repository's node_modules, so a card that imports
 *    a package its package.json does not declare fails here as it would on upload;
 * 2. parses it with @hubspot/project-parsing-lib's translate() (the parser the CLI runs before an upload) and
 *    checks the result against HUBSPOT_COMPONENTS: every component present once, with its uid, type and file,
 *    no *-hsmeta.json unparsed or skipped, and the config fields this project relies on;
 * 3. builds every card and page entry point with @hubspot/ui-extensions-dev-server's remoteBuild (the build
 *    HubSpot runs on upload) into the staging directory.
 *
 * HubSpot's schema validation (`hs project validate`) needs an authenticated account, so it is not run here;
 * docs/hubspot-project.md lists what this check does and does not prove.
 *
 *   npm run check:hubspot     (exit 1 and every problem listed when something is wrong)
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Components } from '@hubspot/project-parsing-lib/constants';
import { isKnownPlatformVersion } from '@hubspot/project-parsing-lib/projects';
import { mapToUserFacingType } from '@hubspot/project-parsing-lib/transform';
import { translate, type IntermediateRepresentationNode } from '@hubspot/project-parsing-lib/translate';
import { validateUid } from '@hubspot/project-parsing-lib/uid';
import { remoteBuild } from '@hubspot/ui-extensions-dev-server/build';
import { HUBSPOT_COMPONENTS, PLATFORM_VERSION, REPOSITORY_ROOT, type HubspotComponent } from './generate-hsmeta.js';

export interface CheckOptions {
  /** The directory holding hsproject.json. */
  projectDir: string;
  /** Where the packages the card and page folders declare are installed (this repository's node_modules). */
  nodeModulesDir: string;
  /** The components the project must consist of (default: the generator's list). */
  expected?: readonly HubspotComponent[];
  platformVersion?: string;
  /** Which card and page entry points to build: all (default), none, or those of the given uids. */
  builds?: 'all' | 'none' | readonly string[];
  /** Keep the staging directory (with the built bundles) instead of deleting it. */
  keepStaging?: boolean;
  log?: (line: string) => void;
}

export interface BuiltEntryPoint {
  uid: string;
  entrypoint: string;
  bundleBytes: number;
  ms: number;
}

export interface CheckReport {
  ok: boolean;
  problems: string[];
  /** uid → componentType, as HubSpot's parser read them. */
  components: Record<string, string>;
  builds: BuiltEntryPoint[];
  stagingDir: string;
  parseMs: number;
  buildMs: number;
  totalMs: number;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isHttpsUrl = (value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
};
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * The config fields each component type may carry, from HubSpot's 2026.09 templates plus the documented fields
 * this project uses (docs/hubspot-project.md): a misspelt field (`entryPoint`) would be ignored by HubSpot or
 * refused by its schema on upload; here it fails before that.
 */
const CONFIG_FIELDS: Record<string, readonly string[]> = {
  APPLICATION: ['name', 'description', 'distribution', 'auth', 'permittedUrls', 'support'],
  CARD: ['name', 'description', 'location', 'entrypoint', 'objectTypes'],
  PAGE: ['entrypoint'],
  WEBHOOKS: ['settings', 'subscriptions'],
  WORKFLOW_ACTION: [
    'actionUrl',
    'isPublished',
    'supportedClients',
    'objectTypes',
    'inputFields',
    'outputFields',
    'labels',
    'objectRequestOptions',
    'executionRules',
  ],
};

const CARD_LOCATIONS = ['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar'];

/** The project-specific shape checks of one component's config; each returns the problems it finds. */
function configProblems(componentType: string, config: Json): string[] {
  const problems: string[] = [];
  const allowed = CONFIG_FIELDS[componentType];
  if (allowed !== undefined) {
    for (const key of Object.keys(config)) {
      // A page's `location` gets its own message below.
      if (!allowed.includes(key) && !(componentType === 'PAGE' && key === 'location')) problems.push(`unexpected config field "${key}"`);
    }
  }
  switch (componentType) {
    case 'APPLICATION': {
      if (typeof config.name !== 'string' || config.name === '') problems.push('config.name is missing');
      if (config.distribution !== 'private' && config.distribution !== 'marketplace') problems.push('config.distribution must be "private" or "marketplace"');
      const auth = config.auth;
      if (!isObject(auth) || (auth.type !== 'static' && auth.type !== 'oauth')) problems.push('config.auth.type must be "static" or "oauth"');
      else if (!isStringArray(auth.requiredScopes) || auth.requiredScopes.length === 0) problems.push('config.auth.requiredScopes must list the scopes');
      const permitted = config.permittedUrls;
      if (!isObject(permitted) || !Array.isArray(permitted.fetch) || !permitted.fetch.every(isHttpsUrl)) {
        problems.push('config.permittedUrls.fetch must list https origins');
      }
      break;
    }
    case 'CARD':
      if (typeof config.name !== 'string' || config.name === '') problems.push('config.name is missing');
      if (typeof config.location !== 'string' || !CARD_LOCATIONS.includes(config.location))
        problems.push(`config.location must be one of ${CARD_LOCATIONS.join(', ')}`);
      if (!isStringArray(config.objectTypes) || config.objectTypes.length === 0) problems.push('config.objectTypes must list the record types');
      break;
    case 'PAGE':
      // 2026.03+ App Pages have no location; `location: "home"` is the 2025.2 home page.
      if ('location' in config) problems.push('config.location is the 2025.2 home page; App Pages (2026.03+) have no location');
      break;
    case 'WEBHOOKS': {
      const settings = config.settings;
      if (!isObject(settings) || !isHttpsUrl(settings.targetUrl)) problems.push('config.settings.targetUrl must be an https URL');
      else if (typeof settings.maxConcurrentRequests !== 'number') problems.push('config.settings.maxConcurrentRequests must be a number');
      const subs = config.subscriptions;
      if (!isObject(subs)) {
        problems.push('config.subscriptions is missing');
        break;
      }
      for (const group of ['crmObjects', 'legacyCrmObjects', 'hubEvents'] as const) {
        const list = subs[group];
        if (!Array.isArray(list)) {
          problems.push(`config.subscriptions.${group} must be a list`);
          continue;
        }
        list.forEach((sub: unknown, i) => {
          if (!isObject(sub) || typeof sub.subscriptionType !== 'string' || typeof sub.active !== 'boolean') {
            problems.push(`config.subscriptions.${group}[${i}] needs a subscriptionType and active`);
          } else if (group === 'crmObjects' && typeof sub.objectType !== 'string') {
            problems.push(`config.subscriptions.crmObjects[${i}] needs an objectType`);
          } else if (group === 'legacyCrmObjects' && !/^[a-z_]+\.[A-Za-z]+$/.test(sub.subscriptionType)) {
            problems.push(`config.subscriptions.legacyCrmObjects[${i}] subscriptionType ${JSON.stringify(sub.subscriptionType)} is not "<object>.<event>"`);
          }
        });
      }
      break;
    }
    case 'WORKFLOW_ACTION': {
      if (!isHttpsUrl(config.actionUrl)) problems.push('config.actionUrl must be an https URL');
      if (!Array.isArray(config.supportedClients) || config.supportedClients.length === 0) problems.push('config.supportedClients is missing');
      if (!isStringArray(config.objectTypes) || config.objectTypes.length === 0) problems.push('config.objectTypes must list the record types');
      const labels = config.labels;
      if (!isObject(labels) || !isObject(labels.en) || typeof labels.en.actionName !== 'string') problems.push('config.labels.en.actionName is missing');
      break;
    }
    default:
      break;
  }
  return problems;
}

/** Every *-hsmeta.json under dir (node_modules excluded), relative to dir with forward slashes. */
function findHsmetaFiles(dir: string, base = dir): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findHsmetaFiles(path, base));
    else if (entry.name.endsWith('-hsmeta.json')) found.push(relative(base, path).split('\\').join('/'));
  }
  return found.sort();
}

/** Folders under dir (node_modules excluded) that hold a package.json: what HubSpot installs and builds from. */
function findPackageDirs(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || !entry.isDirectory()) continue;
    found.push(...findPackageDirs(join(dir, entry.name)));
  }
  if (existsSync(join(dir, 'package.json'))) found.push(dir);
  return found;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Copies hsproject.json and srcDir into a fresh directory, then gives each package folder a node_modules of
 * links to exactly the packages (at exactly the versions) its package.json declares.
 */
function stageProject(projectDir: string, srcDir: string, nodeModulesDir: string, stagingDir: string, problems: string[]): void {
  cpSync(join(projectDir, 'hsproject.json'), join(stagingDir, 'hsproject.json'));
  cpSync(join(projectDir, srcDir), join(stagingDir, srcDir), {
    recursive: true,
    filter: (source) => !source.split(/[\\/]/).includes('node_modules'),
  });
  for (const packageDir of findPackageDirs(join(stagingDir, srcDir))) {
    const where = relative(stagingDir, packageDir).split('\\').join('/');
    let manifest: unknown;
    try {
      manifest = readJson(join(packageDir, 'package.json'));
    } catch (err) {
      problems.push(`${where}/package.json is not valid JSON: ${(err as Error).message}`);
      continue;
    }
    const dependencies = isObject(manifest) && isObject(manifest.dependencies) ? manifest.dependencies : {};
    for (const [name, version] of Object.entries(dependencies)) {
      const installed = join(nodeModulesDir, name);
      if (!existsSync(join(installed, 'package.json'))) {
        problems.push(`${where}/package.json declares ${name}, which is not installed in ${nodeModulesDir} (run npm ci)`);
        continue;
      }
      const installedVersion = (readJson(join(installed, 'package.json')) as { version?: string }).version;
      if (installedVersion !== version) {
        // HubSpot installs the declared version: building against another one would prove nothing about it.
        problems.push(
          `${where}/package.json pins ${name} ${String(version)} but ${installedVersion ?? 'no version'} is installed; pin the same exact version in both package.json files`,
        );
        continue;
      }
      const link = join(packageDir, 'node_modules', name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(installed, link, 'dir');
    }
  }
}

/** Parses the staged project with HubSpot's parser and checks its intermediate representation. */
async function checkParsedProject(
  srcPath: string,
  platformVersion: string,
  expected: readonly HubspotComponent[],
  problems: string[],
): Promise<Record<string, IntermediateRepresentationNode>> {
  let nodes: Record<string, IntermediateRepresentationNode> = {};
  const skipped = new Set<string>();
  try {
    const { intermediateRepresentation, skippedHsMetaFiles } = await translate(
      { projectSourceDir: srcPath, platformVersion },
      // Schema validation fetches HubSpot's schemas with an account: offline, the checks below stand in for it.
      { skipValidation: true },
    );
    nodes = intermediateRepresentation.intermediateNodesIndexedByUid;
    for (const file of skippedHsMetaFiles) {
      const where = file.split('\\').join('/');
      skipped.add(where);
      problems.push(`${where} is in a folder HubSpot does not read, so it is ignored`);
    }
  } catch (err) {
    problems.push(`HubSpot's parser refused the project: ${(err as Error).message}`);
    return nodes;
  }

  // A file HubSpot could not parse (bad JSON, no uid) yields no node at all: find those by their files.
  const parsedFiles = new Set(Object.values(nodes).map((n) => n.metaFilePath));
  for (const file of findHsmetaFiles(srcPath)) {
    if (parsedFiles.has(file) || skipped.has(file)) continue;
    let reason = 'HubSpot could not read it';
    try {
      const content = readJson(join(srcPath, file));
      if (!isObject(content) || typeof content.uid !== 'string' || content.uid === '') reason = 'it has no uid';
    } catch (err) {
      reason = `it is not valid JSON (${(err as Error).message})`;
    }
    problems.push(`${file} yields no component: ${reason}`);
  }

  const appUid = expected.find((c) => c.componentType === 'APPLICATION')?.uid;
  for (const want of expected) {
    const node = nodes[want.uid];
    if (node === undefined) {
      problems.push(`component ${want.uid} (${want.metaFile}) is missing`);
      continue;
    }
    if (node.componentType !== want.componentType) problems.push(`${want.uid} is a ${node.componentType}, expected ${want.componentType}`);
    if (node.metaFilePath !== want.metaFile) problems.push(`${want.uid} is defined in ${node.metaFilePath}, expected ${want.metaFile}`);
  }
  const singular = new Map<string, string[]>();
  for (const [uid, node] of Object.entries(nodes)) {
    if (typeof node.uid !== 'string' || node.uid === '') {
      problems.push(`${node.metaFilePath} has no uid`);
      continue;
    }
    const where = `${node.metaFilePath} (${uid})`;
    if (!expected.some((c) => c.uid === uid)) problems.push(`${where} is not a component of this project (scripts/generate-hsmeta.ts HUBSPOT_COMPONENTS)`);
    const uidProblem = validateUid(uid);
    if (uidProblem !== undefined) problems.push(`${where}: ${uidProblem}`);
    // HubSpot's own placement rule: a component's file sits at the root of its type's folder.
    const userFacingType = mapToUserFacingType(node.componentType);
    const component = (Components as Record<string, { dir: string; parentComponent?: string; singularComponent?: boolean } | undefined>)[userFacingType];
    if (component === undefined) {
      problems.push(`${where}: HubSpot knows no component type "${userFacingType}"`);
      continue;
    }
    const parentDir = component.parentComponent !== undefined ? (Components as Record<string, { dir: string }>)[component.parentComponent]?.dir : undefined;
    const expectedDir = parentDir !== undefined ? posix.join(parentDir, component.dir) : component.dir;
    if (posix.dirname(node.metaFilePath) !== expectedDir) problems.push(`${where}: a ${userFacingType} belongs in ${expectedDir}/`);
    if (component.singularComponent) singular.set(userFacingType, [...(singular.get(userFacingType) ?? []), uid]);
    if (component.parentComponent === 'app' && (node.componentDeps as Record<string, unknown>).app !== appUid) {
      problems.push(`${where} is not attached to the app ${appUid ?? '(none)'}`);
    }
    if (!isObject(node.config)) {
      problems.push(`${where} has no config`);
      continue;
    }
    for (const problem of configProblems(node.componentType, node.config)) problems.push(`${where}: ${problem}`);
  }
  for (const [type, uids] of singular) if (uids.length > 1) problems.push(`an app has one ${type} component; found ${uids.sort().join(', ')}`);
  return nodes;
}

/** Builds every card and page entry point with HubSpot's upload build, from its own package folder. */
async function buildEntryPoints(
  srcPath: string,
  stagingDir: string,
  nodes: Record<string, IntermediateRepresentationNode>,
  problems: string[],
  log: (line: string) => void,
  which: 'all' | 'none' | readonly string[],
  onBuildFailed: () => void,
): Promise<BuiltEntryPoint[]> {
  const jobs: { uid: string; entrypoint: string; root: string; entryFile: string }[] = [];
  for (const [uid, node] of Object.entries(nodes)) {
    if (node.componentType !== 'CARD' && node.componentType !== 'PAGE') continue;
    const entrypoint = isObject(node.config) ? node.config.entrypoint : undefined;
    if (typeof entrypoint !== 'string' || !entrypoint.startsWith('/')) {
      problems.push(`${node.metaFilePath} (${uid}): config.entrypoint must be a path from srcDir starting with "/"`);
      continue;
    }
    const root = join(srcPath, posix.dirname(node.metaFilePath));
    const entryFile = join(srcPath, entrypoint);
    if (!existsSync(entryFile)) {
      problems.push(`${node.metaFilePath} (${uid}): entry point ${entrypoint} does not exist`);
      continue;
    }
    if (relative(root, entryFile).startsWith('..')) {
      problems.push(`${node.metaFilePath} (${uid}): entry point ${entrypoint} is outside ${posix.dirname(node.metaFilePath)}/`);
      continue;
    }
    if (!existsSync(join(root, 'package.json'))) {
      problems.push(`${posix.dirname(node.metaFilePath)}/ has no package.json: HubSpot installs a card's or page's dependencies from it`);
      continue;
    }
    if (which === 'all' || (which !== 'none' && which.includes(uid))) jobs.push({ uid, entrypoint, root, entryFile });
  }
  // Side by side rather than one after another: Vite's builds are async, and on a busy CI machine the three
  // finish in about the time of the slowest (docs/hubspot-project.md has the figures).
  const results = await Promise.all(
    jobs.map(async ({ uid, entrypoint, root, entryFile }): Promise<BuiltEntryPoint | undefined> => {
      const outputDir = join(stagingDir, 'build', uid);
      const started = performance.now();
      try {
        // logLevel "error": Rollup's warnings about comments inside zod's published files would drown the output.
        await remoteBuild({ root, entryPoint: entryFile, outputDir, logLevel: 'error' });
      } catch (err) {
        onBuildFailed();
        problems.push(`HubSpot's build of ${entrypoint} (${uid}) failed: ${(err as Error).message.split('\n').slice(0, 6).join('\n')}`);
        return undefined;
      }
      const ms = Math.round(performance.now() - started);
      const bundle = join(
        outputDir,
        entrypoint
          .split('/')
          .pop()!
          .replace(/\.(tsx|ts|jsx)$/, '.js'),
      );
      if (!existsSync(bundle) || statSync(bundle).size === 0) {
        problems.push(`HubSpot's build of ${entrypoint} (${uid}) wrote no bundle`);
        return undefined;
      }
      log(`built ${entrypoint} (${uid}): ${Math.round(statSync(bundle).size / 1024)} KiB in ${ms} ms`);
      return { uid, entrypoint, bundleBytes: statSync(bundle).size, ms };
    }),
  );
  return results.filter((r): r is BuiltEntryPoint => r !== undefined);
}

const removeAtExitDirs = new Set<string>();
function removeAtExit(dir: string): void {
  if (removeAtExitDirs.size === 0) {
    process.once('exit', () => {
      for (const d of removeAtExitDirs) rmSync(d, { recursive: true, force: true });
    });
  }
  removeAtExitDirs.add(dir);
}

export async function checkHubspotProject(options: CheckOptions): Promise<CheckReport> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const expected = options.expected ?? HUBSPOT_COMPONENTS;
  const wantVersion = options.platformVersion ?? PLATFORM_VERSION;
  const problems: string[] = [];
  const stagingDir = mkdtempSync(join(tmpdir(), 'check-hubspot-'));
  let buildFailed = false;
  const report = (nodes: Record<string, IntermediateRepresentationNode>, builds: BuiltEntryPoint[], parseMs: number, buildMs: number): CheckReport => {
    if (!options.keepStaging) {
      // After a failed build Rollup's other module transforms may still be reading the staged files (Vite rejects
      // on the first error without waiting for them): remove that staging directory when the process exits
      // (callers that exit abruptly, like test workers, pass keepStaging and remove report.stagingDir later).
      if (buildFailed) removeAtExit(stagingDir);
      else rmSync(stagingDir, { recursive: true, force: true });
    }
    return {
      ok: problems.length === 0,
      problems,
      components: Object.fromEntries(Object.entries(nodes).map(([uid, n]) => [uid, n.componentType])),
      builds,
      stagingDir,
      parseMs,
      buildMs,
      totalMs: Math.round(performance.now() - started),
    };
  };

  let project: unknown;
  try {
    project = readJson(join(options.projectDir, 'hsproject.json'));
  } catch (err) {
    problems.push(`hsproject.json cannot be read: ${(err as Error).message}`);
    return report({}, [], 0, 0);
  }
  const srcDir = isObject(project) && typeof project.srcDir === 'string' ? project.srcDir : undefined;
  const platformVersion = isObject(project) && typeof project.platformVersion === 'string' ? project.platformVersion : undefined;
  if (!isObject(project) || typeof project.name !== 'string' || project.name === '') problems.push('hsproject.json has no name');
  if (srcDir === undefined || !existsSync(join(options.projectDir, srcDir))) {
    problems.push(`hsproject.json srcDir ${JSON.stringify(srcDir)} is not a folder of the project`);
    return report({}, [], 0, 0);
  }
  if (platformVersion !== wantVersion) problems.push(`hsproject.json platformVersion is ${JSON.stringify(platformVersion)}, expected "${wantVersion}"`);
  if (platformVersion === undefined || !isKnownPlatformVersion(platformVersion)) {
    problems.push(`HubSpot's parser does not know platform version ${JSON.stringify(platformVersion)}`);
    return report({}, [], 0, 0);
  }

  stageProject(options.projectDir, srcDir, options.nodeModulesDir, stagingDir, problems);
  const srcPath = resolve(stagingDir, srcDir);

  const parseStarted = performance.now();
  const nodes = await checkParsedProject(srcPath, platformVersion, expected, problems);
  const parseMs = Math.round(performance.now() - parseStarted);
  log(`parsed ${Object.keys(nodes).length} components with @hubspot/project-parsing-lib (platform ${platformVersion}) in ${parseMs} ms`);

  const buildStarted = performance.now();
  const builds = await buildEntryPoints(srcPath, stagingDir, nodes, problems, log, options.builds ?? 'all', () => {
    buildFailed = true;
  });
  const buildMs = Math.round(performance.now() - buildStarted);
  return report(nodes, builds, parseMs, buildMs);
}

async function main(): Promise<void> {
  const result = await checkHubspotProject({
    projectDir: REPOSITORY_ROOT,
    nodeModulesDir: join(REPOSITORY_ROOT, 'node_modules'),
    log: (line) => console.log(line),
  });
  for (const [uid, type] of Object.entries(result.components)) console.log(`  ${type.padEnd(16)} ${uid}`);
  console.log(
    `check:hubspot ${result.ok ? 'passed' : 'FAILED'} in ${result.totalMs} ms (parse ${result.parseMs} ms, ${result.builds.length} builds ${result.buildMs} ms)`,
  );
  if (!result.ok) {
    for (const problem of result.problems) console.error(`  - ${problem}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 1;
  });
}
