/**
 * The partner inputs of a company change only through partner managers (docs/program.md#who-may-change-what).
 * The company's read (src/hubspot/crm-access.ts) gives the last accepted inputs and the differences from them;
 * here each difference is judged by who made it: the webhook's word (recorded by the intake), else HubSpot's
 * property history. A partner manager's change, made in person in HubSpot, is accepted and becomes the new
 * accepted value (a new seal); anyone else's (another user, a workflow, an import, another integration) is
 * restored, with a note on the company naming who and what.
 */
import type { ChangeAuthor, FieldChange } from '../security/app-owned.js';
import { restoreNoteText } from '../security/app-owned.js';
import type { CrmRecordLite } from '../hubspot/crm-access.js';
import type { Properties } from '../hubspot/mappers.js';
import { personOf } from '../hubspot/property-history.js';
import { PARTNER_INPUT_PROPERTIES, PARTNER_INPUTS_SEAL_PROPERTY } from '../hubspot/properties.js';
import { partnerInputsSeal } from '../security/partner-inputs-guard.js';
import type { SyncContext } from './sync-context.js';

export interface SettledPartnerInputs {
  /** The company's properties with the inputs the program uses (accepted ones). */
  properties: Properties;
  /** What to write with the company's outputs: restored inputs and the seal. */
  write: Record<string, string>;
  /** Inputs a partner manager changed, now accepted. */
  accepted: string[];
  /** Inputs put back: the note is added after the write (`note`). */
  restored: FieldChange[];
  note: string | null;
}

const INPUTS: readonly string[] = PARTNER_INPUT_PROPERTIES;

export async function settlePartnerInputs(ctx: SyncContext, record: CrmRecordLite): Promise<SettledPartnerInputs> {
  const raw = record.raw ?? record.properties;
  const foreign = record.foreign ?? [];
  if (!record.sealed) {
    // Never sealed: adopted as it is, sealed now so that from here on a change is judged. Customers (no partner
    // input at all) get no seal.
    const hasInputs = INPUTS.some((p) => (raw[p] ?? '') !== '');
    const write: Record<string, string> = hasInputs ? { [PARTNER_INPUTS_SEAL_PROPERTY]: partnerInputsSeal(ctx.sealKey, record.id, raw) } : {};
    return { properties: record.properties, write, accepted: [], restored: [], note: null };
  }
  if (foreign.length === 0) return { properties: record.properties, write: {}, accepted: [], restored: [], note: null };

  const authors = await authorsOf(ctx, record.id, foreign);
  const accepted: string[] = [];
  const restored: FieldChange[] = [];
  const values: Record<string, string> = { ...record.sealed };
  for (const change of foreign) {
    const person = change.property === PARTNER_INPUTS_SEAL_PROPERTY ? null : personOf(authors.get(change.property));
    if (person !== null && (await ctx.authority?.isPartnerManager(person))) {
      accepted.push(change.property);
      values[change.property] = change.found;
    } else restored.push(change);
  }
  const write: Record<string, string> = {};
  for (const c of restored) if (c.property !== PARTNER_INPUTS_SEAL_PROPERTY) write[c.property] = c.restored;
  const seal = partnerInputsSeal(ctx.sealKey, record.id, values);
  if (seal !== raw[PARTNER_INPUTS_SEAL_PROPERTY]) write[PARTNER_INPUTS_SEAL_PROPERTY] = seal;
  const shown = restored.filter((c) => c.property !== PARTNER_INPUTS_SEAL_PROPERTY);
  const note =
    shown.length === 0
      ? null
      : restoreNoteText({
          what: 'Partner inputs',
          rule: 'changed only by partner managers (they move commission rates and release payout holds)',
          emptyAs: 'cleared (no value was accepted before)',
          changes: shown,
          authors: [...authors.values()],
        });
  if (restored.length > 0)
    ctx.logger.warn(
      { companyId: record.id, restored: restored.map((c) => c.property) },
      'restored partner inputs changed by someone who is not a partner manager',
    );
  return { properties: { ...record.properties, ...Object.fromEntries(accepted.map((p) => [p, values[p]!])) }, write, accepted, restored, note };
}

/** Who made each change: the latest webhook report of the property, else its property history. */
async function authorsOf(ctx: SyncContext, companyId: string, changes: FieldChange[]): Promise<Map<string, ChangeAuthor>> {
  const reported = await ctx.foreignChanges.take(`company:${companyId}`);
  const out = new Map<string, ChangeAuthor>();
  for (const a of reported) out.set(a.property, a);
  const missing = changes.map((c) => c.property).filter((p) => p !== PARTNER_INPUTS_SEAL_PROPERTY && !out.has(p));
  if (missing.length > 0 && ctx.latestAuthors) {
    for (const [p, a] of await ctx.latestAuthors('companies', companyId, missing)) out.set(p, a);
  }
  return out;
}
