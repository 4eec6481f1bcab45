import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHubspotProject, type CheckOptions } from '../../scripts/check-hubspot.js';
import { HUBSPOT_COMPONENTS, REPOSITORY_ROOT } from '../../scripts/generate-hsmeta.js';

const NODE_MODULES = join(REPOSITORY_ROOT, 'node_modules');
// HubSpot's build runs Vite over real files: slow on a busy machine, never a timing assertion.
const BUILD_TIMEOUT = 240_000;

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the project (hsproject.json + extensions/, no node_modules) with one deliberate change. */
function projectCopy(change: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'hubspot-project-'));
  copies.push(dir);
  cpSync(join(REPOSITORY_ROOT, 'hsproject.json'), join(dir, 'hsproject.json'));
  cpSync(join(REPOSITORY_ROOT, 'extensions'), join(dir, 'extensions'), {
    recursive: true,
    filter: (source) => !source.split(/[\\/]/).includes('node_modules'),
  });
  change(dir);
  return dir;
}

const edit = (dir: string, path: string, f: (text: string) => string) => writeFileSync(join(dir, path), f(readFileSync(join(dir, path), 'utf8')));
const editJson = (dir: string, path: string, f: (json: any) => unknown) => edit(dir, path, (text) => `${JSON.stringify(f(JSON.parse(text)), null, 2)}\n`);

const check = (projectDir: string, options: Partial<CheckOptions> = {}) => checkHubspotProject({ projectDir, nodeModulesDir: NODE_MODULES, ...options });

describe('scripts/check-hubspot.ts (npm run check:hubspot)', () => {
  it(
    'the real project passes: HubSpot parses every component and builds every card and page entry point',
    async () => {
      const report = await check(REPOSITORY_ROOT);

      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.components).toEqual(Object.fromEntries(HUBSPOT_COMPONENTS.map((c) => [c.uid, c.componentType])));
      expect(report.builds.map((b) => b.entrypoint).sort()).toEqual(['/app/cards/CompanyCard.tsx', '/app/cards/DealCard.tsx', '/app/pages/Pages.tsx']);
      for (const build of report.builds) expect(build.bundleBytes).toBeGreaterThan(10_000);
    },
    BUILD_TIMEOUT,
  );

  it(
    "a card importing a file that does not exist fails HubSpot's build of that card",
    async () => {
      const dir = projectCopy((d) =>
        edit(d, 'extensions/app/cards/DealCard.tsx', (t) => `import { Missing } from './components/deal/NoSuchSection.js';\nvoid Missing;\n${t}`),
      );
      // Kept until afterAll: Rollup may still be reading it after the failed build returned.
      const report = await check(dir, { builds: ['partner-program-deal-card'], keepStaging: true });
      copies.push(report.stagingDir);

      expect(report.ok).toBe(false);
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toContain("HubSpot's build of /app/cards/DealCard.tsx (partner-program-deal-card) failed");
      expect(report.problems[0]).toContain('NoSuchSection');
    },
    BUILD_TIMEOUT,
  );

  it(
    'a card importing a package its own package.json does not declare fails, although the repository has it installed',
    async () => {
      const dir = projectCopy((d) => edit(d, 'extensions/app/cards/CompanyCard.tsx', (t) => `import { DateTime } from 'luxon';\nvoid DateTime.now();\n${t}`));
      const report = await check(dir, { builds: ['partner-program-company-card'], keepStaging: true });
      copies.push(report.stagingDir);

      expect(report.ok).toBe(false);
      expect(report.problems.join('\n')).toContain("HubSpot's build of /app/cards/CompanyCard.tsx (partner-program-company-card) failed");
      expect(report.problems.join('\n')).toContain('luxon');
    },
    BUILD_TIMEOUT,
  );

  it.each([
    {
      name: 'an hsmeta file that is not JSON',
      change: (d: string) => edit(d, 'extensions/app/cards/deal-card-hsmeta.json', (t) => t.replace('"type": "card",', '"type": "card"')),
      // The parser's own wording of the JSON error differs between Node versions.
      problems: [
        expect.stringMatching(/^app\/cards\/deal-card-hsmeta\.json yields no component: it is not valid JSON \(.+\)$/),
        'component partner-program-deal-card (app/cards/deal-card-hsmeta.json) is missing',
      ],
    },
    {
      name: 'an hsmeta file without a uid',
      change: (d: string) => editJson(d, 'extensions/app/workflow-actions/schedule-payouts-hsmeta.json', ({ uid: _uid, ...rest }) => rest),
      problems: [
        'component partner-program-schedule-payouts (app/workflow-actions/schedule-payouts-hsmeta.json) is missing',
        'app/workflow-actions/schedule-payouts-hsmeta.json has no uid',
      ],
    },
    {
      name: 'two components with one uid',
      change: (d: string) => editJson(d, 'extensions/app/cards/company-card-hsmeta.json', (j) => ({ ...j, uid: 'partner-program-deal-card' })),
      problems: [expect.stringMatching(/^HubSpot's parser refused the project: .*partner-program-deal-card/)],
    },
    {
      name: 'a misspelt config field',
      change: (d: string) =>
        editJson(d, 'extensions/app/cards/company-card-hsmeta.json', (j) => ({ ...j, config: { ...j.config, entryPoint: j.config.entrypoint } })),
      problems: ['app/cards/company-card-hsmeta.json (partner-program-company-card): unexpected config field "entryPoint"'],
    },
    {
      name: 'the 2025.2 home location on the page',
      change: (d: string) => editJson(d, 'extensions/app/pages/pages-hsmeta.json', (j) => ({ ...j, config: { ...j.config, location: 'home' } })),
      problems: ['app/pages/pages-hsmeta.json (partner-program-home): config.location is the 2025.2 home page; App Pages (2026.03+) have no location'],
    },
    {
      name: 'a changed uid',
      change: (d: string) => editJson(d, 'extensions/app/webhooks/webhooks-hsmeta.json', (j) => ({ ...j, uid: 'webhooks' })),
      problems: [
        'component partner-program-webhooks (app/webhooks/webhooks-hsmeta.json) is missing',
        'app/webhooks/webhooks-hsmeta.json (webhooks) is not a component of this project (scripts/generate-hsmeta.ts HUBSPOT_COMPONENTS)',
      ],
    },
    {
      name: 'a second webhooks component (an app has one)',
      change: (d: string) =>
        editJson(d, 'extensions/app/webhooks/webhooks-hsmeta.json', (j) => {
          writeFileSync(join(d, 'extensions/app/webhooks/more-hsmeta.json'), JSON.stringify({ ...j, uid: 'more-webhooks' }));
          return j;
        }),
      problems: [
        'app/webhooks/more-hsmeta.json (more-webhooks) is not a component of this project (scripts/generate-hsmeta.ts HUBSPOT_COMPONENTS)',
        'an app has one webhooks component; found more-webhooks, partner-program-webhooks',
      ],
    },
    {
      name: 'an hsmeta file in a folder HubSpot does not read',
      change: (d: string) => writeFileSync(join(d, 'extensions/app/cards/components/extra-hsmeta.json'), '{}'),
      problems: ['app/cards/components/extra-hsmeta.json is in a folder HubSpot does not read, so it is ignored'],
    },
    {
      name: 'a webhook target that is not https',
      change: (d: string) =>
        editJson(d, 'extensions/app/webhooks/webhooks-hsmeta.json', (j) => ({
          ...j,
          config: { ...j.config, settings: { ...j.config.settings, targetUrl: 'http://x.test/w' } },
        })),
      problems: ['app/webhooks/webhooks-hsmeta.json (partner-program-webhooks): config.settings.targetUrl must be an https URL'],
    },
    {
      name: 'an entry point that does not exist',
      change: (d: string) => rmSync(join(d, 'extensions/app/pages/Pages.tsx')),
      problems: ['app/pages/pages-hsmeta.json (partner-program-home): entry point /app/pages/Pages.tsx does not exist'],
    },
    {
      name: 'the previous platform version',
      change: (d: string) => editJson(d, 'hsproject.json', (j) => ({ ...j, platformVersion: '2025.2' })),
      problems: ['hsproject.json platformVersion is "2025.2", expected "2026.09"'],
    },
    {
      name: 'a platform version HubSpot does not know',
      change: (d: string) => editJson(d, 'hsproject.json', (j) => ({ ...j, platformVersion: '2026.9' })),
      problems: ['hsproject.json platformVersion is "2026.9", expected "2026.09"', 'HubSpot\'s parser does not know platform version "2026.9"'],
    },
    {
      name: 'a card package pinning another SDK version than the one installed',
      change: (d: string) =>
        editJson(d, 'extensions/app/cards/package.json', (j) => ({ ...j, dependencies: { ...j.dependencies, '@hubspot/ui-extensions': '0.16.0' } })),
      problems: [
        'extensions/app/cards/package.json pins @hubspot/ui-extensions 0.16.0 but 0.17.0 is installed; pin the same exact version in both package.json files',
      ],
    },
  ])('fails on $name, naming the file and the problem', async ({ change, problems }) => {
    const report = await check(projectCopy(change), { builds: 'none' });

    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(problems);
  });

  it('an unchanged copy passes the same parse-only check (the failures above come from their one change)', async () => {
    const report = await check(
      projectCopy(() => {}),
      { builds: 'none' },
    );
    expect(report.problems).toEqual([]);
    expect(Object.keys(report.components)).toHaveLength(HUBSPOT_COMPONENTS.length);
  });
});
