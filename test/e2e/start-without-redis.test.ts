/**
 * `npm start` refusing to start, as a person sees it: the real command in a child process, its exit status and
 * what it printed on stderr. A refusal names what is wrong and how to fix it, and exits non-zero at once rather
 * than retrying for ever (a process manager or CI then shows the failure).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
/** Nothing listens here: the CI script starts Redis on 6379 only. */
const NO_REDIS = 'redis://127.0.0.1:6399';
const dir = mkdtempSync(join(tmpdir(), 'pp-start-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  stderr: string;
}

/** `npm start` (tsx scripts/start.ts) with only the variables given, so no token of the machine leaks in. */
function start(vars: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, PORT: '0', ...vars },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    // A start that did not refuse would run for ever: stop it so the assertion below reports what it printed.
    const guard = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr });
    });
  });
}

describe('npm start refuses to start, and says why', () => {
  it('without Redis: exits 1 naming the address it tried and how to start Redis', async () => {
    const { code, stderr } = await start({ REDIS_URL: NO_REDIS });

    expect(code).toBe(1);
    expect(stderr.split('\n').slice(0, 3)).toEqual([
      `Refusing to start: Redis is not reachable at ${NO_REDIS}.`,
      '  Start it locally with:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379',
      '  or point REDIS_URL at a running Redis (e.g. REDIS_URL=redis://host:6379/0).',
    ]);
  }, 30_000);

  it('with an invalid environment value (PORT=eighty): exits 1 naming the variable', async () => {
    const { code, stderr } = await start({ REDIS_URL: NO_REDIS, PORT: 'eighty' });

    expect([code, stderr]).toEqual([1, 'Refusing to start: invalid environment:\n  PORT: a whole number\n']);
  }, 30_000);

  it('with an invalid PARTNER_PROGRAM_CONFIG file: exits 1 naming the key path', async () => {
    const file = join(dir, 'program.yaml');
    writeFileSync(file, 'referralTiers:\n  tier_2:\n    rateBps: fifteen\nhighPerformer:\n  bonusPoints: 2\n');

    const { code, stderr } = await start({ REDIS_URL: NO_REDIS, PARTNER_PROGRAM_CONFIG: file });

    expect(code).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`Refusing to start: invalid program configuration (${file}):`);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(':')[0])
        .sort(),
    ).toEqual(['  highPerformer.bonusPoints', '  referralTiers.tier_2.rateBps']);
    expect(lines).toContain('  highPerformer.bonusPoints: unknown key');
  }, 30_000);
});
