/**
 * How the app knows the values it last wrote on a `pp_activity` without trusting the CRM (docs/activities.md,
 * "Authority"): with every write of status or amount it writes `pp_activity_seal`, an HMAC-SHA256 over the
 * record id and the values it wrote (status, amount, type, date, company), keyed by a key derived from the app's
 * client secret (HKDF, so the secret itself signs nothing else). Anyone can read the seal; nobody without the
 * secret can make one, and a seal copied from another record names another id. An edit of the seal itself is
 * therefore detected like any other edit of an app-owned field.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { z } from 'zod';
import { ACTIVITY_STATUSES } from '../engine/activities.js';
import type { SealedActivity } from '../engine/activity-authority.js';
import { safeEqual } from '../safe-equal.js';

export interface ActivitySealer {
  seal(activityId: string, values: SealedActivity): string;
  /** The sealed values, or null when the seal is missing, malformed, for another record or not the app's. */
  open(activityId: string, seal: string | null | undefined): SealedActivity | null;
}

const sealedSchema = z.strictObject({
  status: z.enum(ACTIVITY_STATUSES),
  amount: z.number().int().nullable(),
  type: z.string(),
  date: z.string().nullable(),
  companyId: z.string().nullable(),
});

export function createActivitySealer(clientSecret: string): ActivitySealer {
  const key = Buffer.from(hkdfSync('sha256', clientSecret, 'partner-program', 'pp_activity_seal v1', 32));
  const mac = (activityId: string, payload: string): string => createHmac('sha256', key).update(`${activityId}.${payload}`).digest('base64url');
  return {
    seal(activityId, values) {
      const payload = Buffer.from(JSON.stringify(sealedSchema.parse(values))).toString('base64url');
      return `v1.${payload}.${mac(activityId, payload)}`;
    },
    open(activityId, seal) {
      const [version, payload, signature, ...rest] = (seal ?? '').split('.');
      if (version !== 'v1' || !payload || !signature || rest.length > 0) return null;
      if (!safeEqual(signature, mac(activityId, payload))) return null;
      try {
        const parsed = sealedSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
  };
}
