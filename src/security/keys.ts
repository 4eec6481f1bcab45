/**
 * Keys derived from the app's client secret, one per purpose (HKDF-SHA256, RFC 5869). The client secret itself
 * only ever checks HubSpot's signatures: a value the app signs for its own use (a download link, a seal on the
 * CRM values it owns) is signed with a key that cannot be turned back into the secret, and that signs nothing
 * else, so a signature made for one purpose is never accepted for another.
 */
import { hkdfSync } from 'node:crypto';

/** Every purpose the app derives a key for; a new use gets a new name here, never an existing key. */
export type KeyPurpose = 'export-link' | 'crm-seal';

/** A fixed, public salt: HKDF needs none for a high-entropy secret, but naming the app keeps keys apart from other apps'. */
const SALT = 'hubspot-partner-program/keys/v1';

const cache = new Map<string, Buffer>();

export function deriveKey(clientSecret: string, purpose: KeyPurpose): Buffer {
  const id = `${purpose}\u0000${clientSecret}`;
  let key = cache.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', clientSecret, SALT, `pp:${purpose}`, 32));
    if (cache.size > 16) cache.clear();
    cache.set(id, key);
  }
  return key;
}
