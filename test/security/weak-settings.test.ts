/**
 * Attack (issue 11, item 8): settings that weaken security are refused at start-up, naming the key. An operator
 * (or a copied .env) sets a short ADMIN_TOKEN that can be guessed, or widens the signature window so a captured
 * request can be replayed for an hour: the process must not start. And the download links the card hands out
 * are signed with a key derived for that purpose, so a link's signature is never a signature with the client
 * secret (which proves HubSpot sent a request) and a value signed for one purpose never passes for another.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { ConfigError } from '../../src/config/errors.js';
import { deriveKey } from '../../src/security/keys.js';
import { createExportLink, verifyExportLink } from '../../src/security/export-link.js';

function refusal(env: Record<string, string | undefined>): string {
  try {
    loadEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the settings were accepted');
}

describe('start-up refuses weak settings, naming the key', () => {
  it.each([
    { key: 'ADMIN_TOKEN', env: { ADMIN_TOKEN: 'hunter2' } },
    { key: 'ADMIN_TOKEN', env: { ADMIN_TOKEN: 'a'.repeat(31) } },
    { key: 'SIGNATURE_TOLERANCE_MS', env: { SIGNATURE_TOLERANCE_MS: '600001' } },
    { key: 'SIGNATURE_TOLERANCE_MS', env: { SIGNATURE_TOLERANCE_MS: '3600000' } },
  ])('$key = $env is refused', ({ key, env }) => {
    expect(refusal(env)).toContain(`${key}:`);
  });

  it('the limits themselves are accepted', () => {
    const env = loadEnv({ ADMIN_TOKEN: 'a'.repeat(32), SIGNATURE_TOLERANCE_MS: '600000' });
    expect([env.ADMIN_TOKEN?.length, env.SIGNATURE_TOLERANCE_MS]).toEqual([32, 600_000]);
  });
});

describe('keys derived per purpose (HKDF from the client secret)', () => {
  const secret = 'client-secret-of-the-app';
  it('differ from the secret and from each other, and are stable', () => {
    const link = deriveKey(secret, 'export-link');
    const seal = deriveKey(secret, 'crm-seal');
    expect(link.equals(Buffer.from(secret))).toBe(false);
    expect(link.equals(seal)).toBe(false);
    expect(deriveKey(secret, 'export-link').equals(link)).toBe(true);
    expect(deriveKey('another-secret', 'export-link').equals(link)).toBe(false);
  });

  it('a link signed with the client secret itself is not a valid link', () => {
    const now = 1_764_000_000_000;
    const query = { from: '2026-10-01', to: '2026-10-31', by: '7001' };
    const url = new URL(createExportLink({ publicBaseUrl: 'https://pp.example.com', secret, query, now }));
    const expires = Number(url.searchParams.get('expires'));
    expect(verifyExportLink(query, expires, url.searchParams.get('sig')!, secret, now)).toBe(true);
    const canonical = `from=2026-10-01&to=2026-10-31&status=&partnerId=&by=7001&expires=${expires}`;
    const withSecret = createHmac('sha256', secret).update(canonical).digest('base64url');
    expect(verifyExportLink(query, expires, withSecret, secret, now)).toBe(false);
  });

  it('a link that claims to live longer than links are made for is refused', () => {
    const now = 1_764_000_000_000;
    const query = { from: '2026-10-01', to: '2026-10-31', by: '7001' };
    const url = new URL(createExportLink({ publicBaseUrl: 'https://pp.example.com', secret, query, now, ttlMs: 30 * 86_400_000 }));
    expect(verifyExportLink(query, Number(url.searchParams.get('expires')), url.searchParams.get('sig')!, secret, now)).toBe(false);
  });
});
