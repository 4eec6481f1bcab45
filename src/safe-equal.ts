/**
 * Constant-time comparison of two secrets or signatures (signatures, the admin token, download links): the time it
 * takes never tells an attacker how much of a guess was right.
 */
import { timingSafeEqual } from 'node:crypto';

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  // timingSafeEqual needs equal lengths; compare against itself so the failing path costs the same.
  if (left.length !== right.length) {
    timingSafeEqual(right, right);
    return false;
  }
  return timingSafeEqual(left, right);
}
