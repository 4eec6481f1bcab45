/**
 * The repository documents itself: every `docs/<page>.md#<section>` cited by a code comment or a page exists, every
 * relative Markdown link resolves inside the repository, and nothing points at the workspace folder a clone does not
 * have. It checks whatever Markdown and code exists, so pages added later are covered without touching this file.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DocIndex,
  anchorsOf,
  checkCitations,
  checkMarkdownLinks,
  checkNoOutsideReferences,
  codeFiles,
  format,
  linksOf,
  markdownFiles,
} from '../helpers/doc-links.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const index = new DocIndex(root);
/** The checker names the patterns it forbids and its test cites missing pages on purpose: both are left out. */
const checker = 'test/helpers/doc-links.ts';
const markdown = markdownFiles(root);
const code = codeFiles(root).filter((f) => f !== checker && f !== 'test/docs/links.test.ts');

describe('the repository documents itself', () => {
  it('has the pages code comments cite: the program and the HubSpot platform', () => {
    expect(markdown).toEqual(expect.arrayContaining(['README.md', 'docs/program.md', 'docs/hubspot.md']));
  });

  it('every docs/<page>.md#<section> cited in code comments exists', () => {
    expect(format(code.flatMap((f) => checkCitations(index, f)))).toEqual([]);
  });

  it('every docs/<page>.md#<section> cited in README and docs exists', () => {
    expect(format(markdown.flatMap((f) => checkCitations(index, f)))).toEqual([]);
  });

  it('every relative link in README and docs resolves to a file and section inside the repository', () => {
    expect(format(markdown.flatMap((f) => checkMarkdownLinks(index, f)))).toEqual([]);
  });

  it('no page and no comment sends a reader outside the repository', () => {
    expect(format([...markdown, ...code].flatMap((f) => checkNoOutsideReferences(index, f)))).toEqual([]);
  });
});

describe('the checker itself', () => {
  it.each([
    ['## Payouts', 'payouts'],
    ['## Who may change what', 'who-may-change-what'],
    ['### Rule 1: consultant referral', 'rule-1-consultant-referral'],
    ['## Activities, retainers and bonuses', 'activities-retainers-and-bonuses'],
    ['### The `pp_payout` object', 'the-pp_payout-object'],
    ['## [Card requests](x.md) ##', 'card-requests'],
    ["## A deal's partners (labels)", 'a-deals-partners-labels'],
  ])('GitHub anchor of %j is #%s', (heading, anchor) => {
    expect([...anchorsOf(`# Title\n\n${heading}\n`)]).toContain(anchor);
  });

  it('numbers repeated headings as GitHub does and ignores headings inside code fences', () => {
    const anchors = anchorsOf('## Holds\n\n## Holds\n\n```sh\n# not a heading\n```\n<a id="alias"></a>\n');
    expect([...anchors].sort()).toEqual(['alias', 'holds', 'holds-1']);
  });

  it('finds inline and reference links, not those in code', () => {
    const links = linksOf('See [a](a.md#x) and `[b](b.md)`.\n\n```\n[c](c.md)\n```\n[ref]: d.md\n');
    expect(links.map((l) => l.target)).toEqual(['a.md#x', 'd.md']);
  });

  it('reports a missing page, a missing section, a link outside the repository and an outside reference', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'doc-links-'));
    mkdirSync(path.join(dir, 'docs'));
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'docs', 'program.md'), '# Program\n\n## Payouts\n');
    writeFileSync(
      path.join(dir, 'README.md'),
      '[ok](docs/program.md#payouts) [gone](docs/missing.md) [bad](docs/program.md#holds) [out](../elsewhere/x.md) [self](#nowhere)\n',
    );
    writeFileSync(path.join(dir, 'src', 'a.ts'), `// docs/program.md#payouts and docs/program.md#money\n// see ../${'shared'}/x\n`);
    const fixture = new DocIndex(dir);

    expect(format(checkMarkdownLinks(fixture, 'README.md'))).toEqual([
      'README.md:1 links docs/missing.md: docs/missing.md does not exist',
      'README.md:1 links docs/program.md#holds: docs/program.md has no section #holds',
      'README.md:1 links outside the repository: ../elsewhere/x.md',
      'README.md:1 links #nowhere: README.md has no section #nowhere',
    ]);
    expect(format(checkCitations(fixture, 'src/a.ts'))).toEqual(['src/a.ts:1 cites docs/program.md#money: docs/program.md has no section #money']);
    expect(checkNoOutsideReferences(fixture, 'src/a.ts').map((p) => p.line)).toEqual([2]);
    expect(markdownFiles(dir)).toEqual(['README.md', 'docs/program.md']);
    expect(codeFiles(dir)).toEqual(['src/a.ts']);
  });
});
