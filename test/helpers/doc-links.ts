/**
 * The checks behind test/docs/links.test.ts: the repository must document itself, so every section a comment or a
 * page cites must exist, every relative link must resolve inside the repository, and nothing may point at the
 * workspace folder the rules were first written in (a clone does not have it). Anchors are computed as GitHub computes them
 * (github-slugger, the library GitHub's own renderer's slugs are reproduced by), so a link that works here works on
 * GitHub.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';

/** Folders whose code comments may cite docs; Markdown files are found everywhere outside these exclusions. */
export const CODE_ROOTS = ['src', 'workers', 'scripts', 'sandbox', 'extensions', 'test', 'bench'];
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage', '.hs']);
const CODE_EXTENSIONS = /\.(ts|tsx|js|mjs|cjs|jsx)$/;

/** A citation of a docs page in prose or code: `docs/program.md#payouts` (the section is optional). */
const DOC_CITATION = /\bdocs\/([\w./-]+?\.md)(?:#([\w-]+))?/g;
/** What a clean clone cannot follow: the workspace's shared folder and the files in it. */
const OUTSIDE_REFERENCES = [/\.\.\/shared\b/, /\bshared\/(program|hubspot)\//, /\bRULES\.md\b/, /\bPLATFORM\.md\b/];

export interface Problem {
  file: string;
  line: number;
  message: string;
}

/** Every file under `dir` (relative to `root`) that `keep` accepts, skipping dependency and build folders. */
export function listFiles(root: string, dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(root, rel);
    if (!existsSync(abs)) return;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (keep(child)) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

export function markdownFiles(root: string): string[] {
  return listFiles(root, '', (f) => f.endsWith('.md'));
}

export function codeFiles(root: string): string[] {
  return CODE_ROOTS.flatMap((dir) => listFiles(root, dir, (f) => CODE_EXTENSIONS.test(f)));
}

/** Fenced code blocks are blanked (keeping line numbers) so their contents are neither headings nor links. */
function withoutFences(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return '';
      }
      return inFence ? '' : line;
    })
    .join('\n');
}

/** The text GitHub slugs for a heading: inline code keeps its text, links keep their text, markup goes. */
function headingText(raw: string): string {
  return raw
    .replace(/\s+#+\s*$/, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*|\*/g, '')
    .trim();
}

/** The anchors a Markdown page offers: one per heading (GitHub's slugs, duplicates numbered) and explicit ids. */
export function anchorsOf(markdown: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  for (const line of withoutFences(markdown).split('\n')) {
    const heading = /^ {0,3}#{1,6}\s+(.*)$/.exec(line);
    if (heading?.[1] !== undefined) anchors.add(slugger.slug(headingText(heading[1])));
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) if (m[1] !== undefined) anchors.add(m[1]);
  }
  return anchors;
}

/** Markdown link targets with their line numbers (inline links and reference definitions; not inside code). */
export function linksOf(markdown: string): { target: string; line: number }[] {
  const links: { target: string; line: number }[] = [];
  withoutFences(markdown)
    .split('\n')
    .forEach((text, index) => {
      const line = text.replace(/`[^`]*`/g, 'code');
      for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) if (m[1] !== undefined) links.push({ target: m[1], line: index + 1 });
      const def = /^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(line);
      if (def?.[1] !== undefined) links.push({ target: def[1], line: index + 1 });
    });
  return links;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Reads files relative to `root`, caching each page's anchors. */
export class DocIndex {
  private readonly anchors = new Map<string, Set<string>>();
  constructor(readonly root: string) {}

  read(rel: string): string {
    return readFileSync(path.join(this.root, rel), 'utf8');
  }

  exists(rel: string): boolean {
    return existsSync(path.join(this.root, rel));
  }

  anchorsOf(rel: string): Set<string> {
    let found = this.anchors.get(rel);
    if (found === undefined) {
      found = anchorsOf(this.read(rel));
      this.anchors.set(rel, found);
    }
    return found;
  }

  /** `undefined` when `rel#anchor` exists; else what is wrong. */
  checkTarget(rel: string, anchor: string | undefined): string | undefined {
    if (!this.exists(rel)) return `${rel} does not exist`;
    if (anchor === undefined || anchor === '') return undefined;
    if (!rel.endsWith('.md')) return undefined;
    if (statSync(path.join(this.root, rel)).isDirectory()) return undefined;
    return this.anchorsOf(rel).has(anchor) ? undefined : `${rel} has no section #${anchor}`;
  }
}

/** Every `docs/<page>.md#<section>` cited in `file` (code or prose) must exist. */
export function checkCitations(index: DocIndex, file: string): Problem[] {
  const text = index.read(file);
  const problems: Problem[] = [];
  for (const m of text.matchAll(DOC_CITATION)) {
    const wrong = index.checkTarget(`docs/${m[1]}`, m[2]);
    if (wrong !== undefined) problems.push({ file, line: lineOf(text, m.index), message: `cites ${m[0]}: ${wrong}` });
  }
  return problems;
}

/** A clone has only the repository: no file may send a reader to the workspace folder beside it. */
export function checkNoOutsideReferences(index: DocIndex, file: string): Problem[] {
  const problems: Problem[] = [];
  index
    .read(file)
    .split('\n')
    .forEach((line, i) => {
      const hit = OUTSIDE_REFERENCES.find((re) => re.test(line));
      if (hit !== undefined) {
        problems.push({ file, line: i + 1, message: `points outside the repository (${hit.source}): cite docs/program.md or docs/hubspot.md instead` });
      }
    });
  return problems;
}

/** Relative links of a Markdown file resolve to files inside the repository, with their sections. */
export function checkMarkdownLinks(index: DocIndex, file: string): Problem[] {
  const problems: Problem[] = [];
  for (const { target, line } of linksOf(index.read(file))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
    const [pathPart = '', anchor] = target.split('#', 2);
    const rel = pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(pathPart)));
    if (rel.startsWith('../') || rel === '..' || path.posix.isAbsolute(rel)) {
      problems.push({ file, line, message: `links outside the repository: ${target}` });
      continue;
    }
    const wrong = index.checkTarget(rel, anchor);
    if (wrong !== undefined) problems.push({ file, line, message: `links ${target}: ${wrong}` });
  }
  return problems;
}

export function format(problems: Problem[]): string[] {
  return problems.map((p) => `${p.file}:${p.line} ${p.message}`);
}
