/**
 * Log lines are readable at a terminal and machine-readable everywhere else (LOG_FORMAT), and redaction holds in
 * both formats.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../src/config/env.js';
import { createLogger, resolveLogFormat, type LogFormat } from '../src/logger.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('resolveLogFormat', () => {
  it.each<[LogFormat, boolean, Record<string, string>, 'json' | 'pretty']>([
    ['auto', true, {}, 'pretty'],
    ['auto', false, {}, 'json'],
    ['auto', true, { VITEST: 'true' }, 'json'],
    ['auto', true, { NODE_ENV: 'test' }, 'json'],
    ['json', true, {}, 'json'],
    ['pretty', false, {}, 'pretty'],
  ])('%s with a terminal=%s and env %o → %s', (format, isTTY, env, expected) => {
    expect(resolveLogFormat(format, { isTTY }, env)).toBe(expected);
  });
});

describe('createLogger', () => {
  it('json: one object per line, secrets redacted', () => {
    const out = capture();
    createLogger('info', { role: 'worker' }, { format: 'json', destination: out.stream }).info({ accessToken: 'pat-na1-secret' }, 'deal recomputed');
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'deal recomputed', role: 'worker', accessToken: '[redacted]', level: 30 });
  });

  it('pretty: a readable line with the level and message, not JSON, secrets still redacted', () => {
    const out = capture();
    createLogger('info', {}, { format: 'pretty', destination: out.stream }).warn({ dealId: '10016', token: 'pat-na1-secret' }, 'payout held');
    const text = out.text();
    expect(text).toMatch(/WARN.*payout held/);
    expect(text).toContain('dealId: "10016"');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('pat-na1-secret');
    expect(() => JSON.parse(text)).toThrow();
  });
});

describe('LOG_FORMAT', () => {
  it('defaults to auto and refuses an unknown format, naming the variable', () => {
    expect(loadEnv({}).LOG_FORMAT).toBe('auto');
    expect(loadEnv({ LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(() => loadEnv({ LOG_FORMAT: 'xml' })).toThrow('LOG_FORMAT');
  });
});
