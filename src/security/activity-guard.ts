/**
 * A `pp_activity`'s status and amount are the app's, and approval freezes its type, date and company
 * (docs/program.md#who-may-change-what, docs/activities.md "Authority"). With every write of them the app
 * writes `pp_activity_seal`: the seal of app-owned fields (src/security/app-owned.ts) over the values it wrote,
 * scoped to the record (`pp_activity:<id>`), so a seal copied from another activity does not open here and an
 * edit of the seal itself is found like any other edit. What to put back is decided by the engine
 * (src/engine/activity-authority.ts) from the values this guard opens.
 */
import { ACTIVITY_STATUSES } from '../engine/activities.js';
import type { SealedActivity } from '../engine/activity-authority.js';
import { openSeal, sealValues, type OwnedValues } from './app-owned.js';

const activityScope = (activityId: string): string => `pp_activity:${activityId}`;

export interface ActivitySealer {
  seal(activityId: string, values: SealedActivity): string;
  /** The sealed values, or null when the seal is missing, malformed, for another record or not the app's. */
  open(activityId: string, seal: string | null | undefined): SealedActivity | null;
}

const STATUSES: ReadonlySet<string> = new Set(ACTIVITY_STATUSES);

/** The seal holds strings (app-owned.ts); "" stands for null, amounts are integer minor units. */
function toOwned(v: SealedActivity): OwnedValues {
  if (!STATUSES.has(v.status)) throw new Error(`cannot seal activity status "${v.status}"`);
  if (v.amount !== null && !Number.isSafeInteger(v.amount)) throw new Error(`cannot seal activity amount ${v.amount}: not integer minor units`);
  return { status: v.status, amount: v.amount === null ? '' : String(v.amount), type: v.type, date: v.date ?? '', companyId: v.companyId ?? '' };
}

function fromOwned(o: OwnedValues): SealedActivity | null {
  const { status, amount, type, date, companyId } = o;
  if (status === undefined || !STATUSES.has(status) || amount === undefined || type === undefined || date === undefined || companyId === undefined) return null;
  if (amount !== '' && !/^-?\d+$/.test(amount)) return null;
  return {
    status: status as SealedActivity['status'],
    amount: amount === '' ? null : Number(amount),
    type,
    date: date === '' ? null : date,
    companyId: companyId === '' ? null : companyId,
  };
}

/** `key`: the app's seal key (deriveKey(secret, 'crm-seal'), the sync context's `sealKey`). */
export function activitySealer(key: Buffer): ActivitySealer {
  return {
    seal: (activityId, values) => sealValues(key, activityScope(activityId), toOwned(values)),
    open: (activityId, seal) => {
      const opened = openSeal(key, activityScope(activityId), seal);
      return opened === null ? null : fromOwned(opened);
    },
  };
}
