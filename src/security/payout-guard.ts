/**
 * Payout records are the app's (docs/program.md#who-may-change-what), except finance's status steps
 * scheduled → approved → paid. Each record carries a seal of the values the app last wrote or accepted
 * (`pp_payout_seal`, src/security/app-owned.ts); a read takes the record as sealed, so an edited key, deal,
 * partner, role or amount never makes the record count for another line, and a freeze never creates a second
 * record for a line whose record was edited: the line is the sealed key.
 *
 * Status: a status that differs from the seal by a forward step finance may take (scheduled → approved,
 * approved → paid, scheduled → paid) is reported as `step`; the payout store asks who took it (the webhook's
 * sourceId, else HubSpot's property history) and accepts it, resealed, only from a configured finance user.
 * Any other status change (on_hold → approved, reversed → paid, anything backwards) is a change to restore,
 * like every other field that differs from the seal. Records written before seals existed are adopted as they
 * are and sealed at their next write.
 */
import type { PayoutRecord, PayoutStatus } from '../engine/types.js';
import { payoutProperties, toPayoutRecord, type Properties } from '../hubspot/mappers.js';
import { checkOwned, sealValues, type FieldChange } from './app-owned.js';
import { sameValue } from '../hubspot/changed-properties.js';

export const PAYOUT_SEAL_PROPERTY = 'pp_payout_seal';
const SCOPE = 'pp_payout';

const FINANCE_STEPS: ReadonlySet<string> = new Set(['scheduled>approved', 'approved>paid', 'scheduled>paid']);

/** A status change finance may make (who made it is checked by the payout store: only finance users may). */
export function isFinanceStep(from: PayoutStatus | string, to: PayoutStatus | string): boolean {
  return FINANCE_STEPS.has(`${from}>${to}`);
}

const NUMBER_FIELDS = new Set(['pp_amount', 'pp_basis', 'pp_rate_bps', 'pp_flat_fee']);

export interface GuardedPayout {
  /** The record as the app sealed it. */
  record: PayoutRecord;
  /** Fields that differ from the seal, to restore (pp_status included, until a finance user's step is accepted). */
  changes: FieldChange[];
  /** The status differs from the seal by a step finance may take: accepted only when a finance user took it. */
  step: { from: PayoutStatus; to: PayoutStatus } | null;
}

export function guardPayout(key: Buffer, props: Properties): GuardedPayout | null {
  const seal = props[PAYOUT_SEAL_PROPERTY];
  if (!seal) {
    const legacy = toPayoutRecord(props);
    return legacy && { record: legacy, changes: [], step: null };
  }
  const fields = Object.keys(props).filter((p) => p.startsWith('pp_') && p !== PAYOUT_SEAL_PROPERTY);
  const check = checkOwned({
    key,
    scope: SCOPE,
    properties: [...new Set([...fields, 'pp_payout_key', 'pp_status', 'pp_amount', 'pp_deal_id', 'pp_partner_id', 'pp_role'])],
    current: props,
    seal,
    same: (p, a, b) => sameValue(a, b, NUMBER_FIELDS.has(p) ? 'number' : p === 'pp_frozen_at' ? 'datetime' : 'text'),
  });
  if (check.seal !== 'valid') {
    // A broken seal is a foreign change of the seal itself: nothing of the record is trusted but its CRM values
    // are all there is; the record is kept out of the engine's sight (no line is paid from it).
    return null;
  }
  const record = toPayoutRecord(check.trusted);
  if (!record) return null;
  const status = check.changes.find((c) => c.property === 'pp_status');
  const step = status && isFinanceStep(status.restored, status.found) ? { from: status.restored as PayoutStatus, to: status.found as PayoutStatus } : null;
  return { record, changes: check.changes, step };
}

/** The properties to write for a record, with its seal. */
export function sealedPayoutProperties(key: Buffer, r: PayoutRecord): Record<string, string> {
  const props = payoutProperties(r);
  return { ...props, [PAYOUT_SEAL_PROPERTY]: sealValues(key, SCOPE, props) };
}
