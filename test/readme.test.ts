import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envTable, programTable } from '../src/config/docs.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every environment variable and program default exactly as the schemas define them', () => {
    const section = readme.slice(readme.indexOf('<!-- config-tables:start -->'), readme.indexOf('<!-- config-tables:end -->'));
    expect(section).toContain(envTable());
    expect(section).toContain(programTable());
  });

  it('shows the two set-up commands and the test command', () => {
    expect(readme).toMatch(/```sh\nnpm install\nnpm start\n```/);
    expect(readme).toMatch(/```sh\nnpm test\n```/);
  });

  it('documents every npm script a user runs', () => {
    const scripts = Object.keys((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts);
    for (const name of scripts.filter((s) => !['build', 'typecheck', 'test:watch', 'docs:config', 'hsmeta', 'test', 'start'].includes(s))) {
      expect(readme, `npm run ${name}`).toContain(`npm run ${name}`);
    }
  });
});
