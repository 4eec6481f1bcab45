/**
 * Partner activities (docs/activities.md): recording one (CRM, company card, partner portal), a partner manager's
 * decision (approve with the retainer amount, or reject with a reason that goes on the company's timeline), and the
 * sync the webhook and the reconciliation sweep run: restore what someone else changed in the app-owned fields,
 * then make the activity's `pp_payout` (`activity:<id>`) match the trusted record.
 *
 * Every decision and every sync of one activity runs under that activity's lock, so the card and a webhook racing
 * (or two managers clicking) read and write one after the other; the payout upserts on its key, and a repeat diffs
 * to nothing: approving twice pays once.
 */
import type { Redis } from 'ioredis';
import { ACTIVITY_TYPE_LABELS, activityPayout, isActivityType, outsideRange, retainerRange, type Activity, type ActivityType } from '../engine/activities.js';
import { checkActivityAuthority, sealOf } from '../engine/activity-authority.js';
import { formatMoney, parseMoney } from '../engine/money.js';
import { activityKey, adjustmentKey } from '../engine/payout-keys.js';
import { diffPayouts } from '../engine/payouts.js';
import type { PayoutRecord } from '../engine/types.js';
import { ConflictError, ForbiddenError, NotFoundError, PayloadError } from '../errors.js';
import {
  associateActivity,
  createActivity,
  readActivities,
  readActivityCompanies,
  readCompanyActivityIds,
  resolveActivityObjectType,
  searchActivitiesByStatus,
  updateActivities,
} from '../hubspot/activities.js';
import { createNote, escapeHtml } from '../hubspot/notes.js';
import type { HubSpot } from '../hubspot/client.js';
import { activityProperties, compareIds, toActivity, toPartnerCompany, toPayoutRecord } from '../hubspot/mappers.js';
import { readPayoutsByKeys } from '../hubspot/payouts.js';
import type { Runtime } from '../runtime.js';
import { activitySealer, type ActivitySealer } from '../security/activity-guard.js';
import { createRedisDecisionLock, type DecisionLock } from '../stores/decision-lock.js';
import { notAManagerMessage, type PartnerManagers } from './partner-managers.js';
import type { SyncContext } from './sync-context.js';

export interface ActivityDeps {
  ctx: SyncContext;
  hs: HubSpot;
  /** Per-activity lock (createRedisDecisionLock(…, 'activity')). */
  lock: DecisionLock;
  sealer: ActivitySealer;
  /** Needed for decisions only. */
  managers?: PartnerManagers;
  /** Remembers portal submission tokens, so a form sent twice records one activity. */
  redis?: Redis;
  prefix?: string;
}

/** Runs `fn` under the activity's lock, waiting briefly when another decision or sync holds it (they are short). */
async function underLock<T>(deps: ActivityDeps, activityId: string, fn: () => Promise<T>, tries = 50): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.lock.run([activityId], fn);
    } catch (err) {
      if (!(err instanceof ConflictError) || attempt >= tries || !String(err.message).includes(`activity ${activityId}`)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

interface LoadedActivity {
  activity: Activity;
  seal: string | null;
}

async function loadActivity(deps: ActivityDeps, type: string, activityId: string): Promise<LoadedActivity | null> {
  const [records, companies] = await Promise.all([readActivities(deps.hs, type, [activityId]), readActivityCompanies(deps.hs, type, [activityId])]);
  const record = records.get(activityId);
  if (!record) return null;
  const activity = toActivity(activityId, record.properties, companies.get(activityId) ?? [], deps.ctx.program.config.portalCurrency);
  return { activity, seal: record.properties.pp_activity_seal ?? null };
}

// ── recording ────────────────────────────────────────────────────────────────────────────────────────────

export interface RecordActivityInput {
  companyId: string;
  type: string;
  name: string;
  /** ISO day. */
  date: string;
  /** Who recorded it: `user:<id>` (card) or `contact:<contactId>` (portal). */
  recordedBy: string;
  /** Retainers: the annual amount proposed (the partner manager sets the amount when approving); goes in the note. */
  proposedAmount?: string | null;
  /** Goes in the note on the company's timeline. */
  note?: string;
}

function validateRecord(input: RecordActivityInput): void {
  if (!isActivityType(input.type)) throw new PayloadError(`"${input.type}" is not an activity type (one of ${Object.keys(ACTIVITY_TYPE_LABELS).join(', ')}).`);
  if (input.name.trim() === '') throw new PayloadError('An activity needs a name: the conference, the case study title or the campaign.');
  if (input.name.length > 500) throw new PayloadError('Keep the activity name under 500 characters.');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date) || Number.isNaN(Date.parse(`${input.date}T00:00:00Z`))) {
    throw new PayloadError(`"${input.date}" is not a date (YYYY-MM-DD).`);
  }
}

/**
 * A retainer's proposed amount, checked against the configured range now so the recorder learns early; the
 * record itself stays without an amount until a partner manager approves it (docs/program.md#who-may-change-what).
 */
function proposedAmount(deps: ActivityDeps, input: RecordActivityInput): string {
  const currency = deps.ctx.program.config.portalCurrency;
  const amount = parseAmount(input.proposedAmount, currency);
  if (amount === null) return '';
  if (input.type !== 'retainer') throw new PayloadError('Only retainers carry an amount; the other activities pay their configured fee.');
  const range = retainerRange(deps.ctx.program.config);
  if (typeof range !== 'string') {
    const out = outsideRange(amount, range, currency, 'The retainer');
    if (out !== null) throw new PayloadError(out);
  }
  return ` Proposed annual amount: ${formatMoney(amount, currency)}.`;
}

/** Records an activity as `submitted` (sealed as such), associated with the partner company, with a note. */
export async function recordActivity(deps: ActivityDeps, input: RecordActivityInput): Promise<{ activityId: string }> {
  validateRecord(input);
  const proposed = proposedAmount(deps, input);
  const remark = input.note?.trim() ? ` Note: ${input.note.trim().slice(0, 2_000)}` : '';
  const company = await deps.ctx.crm.company(input.companyId);
  if (!company) throw new NotFoundError(`Company ${input.companyId} was not found in HubSpot.`);
  const type = await resolveActivityObjectType(deps.hs);
  const values = { type: input.type, name: input.name.trim(), date: input.date, status: 'submitted' as const, amount: null };
  // The record id is not known before the create: the seal follows in a second write, as the sync would add it.
  const activityId = await createActivity(deps.hs, type, activityProperties(values, deps.ctx.program.config.portalCurrency), input.companyId);
  const seal = deps.sealer.seal(activityId, sealOf({ ...values, companyId: input.companyId }));
  await updateActivities(deps.hs, type, [{ id: activityId, properties: { pp_activity_seal: seal } }]);
  await note(
    deps,
    input.companyId,
    `Activity recorded by ${input.recordedBy}: ${describe({ ...values, id: activityId }, deps.ctx.program.config.portalCurrency)}. Waiting for a partner manager's decision.${proposed}${remark}`,
  );
  return { activityId };
}

/** What a partner may submit from the portal: its own presentations and case studies. */
export const PORTAL_ACTIVITY_TYPES: readonly ActivityType[] = ['conference_presentation', 'case_study'];

/**
 * For the partner portal: a portal user submits one of their company's presentations or case studies. The portal
 * has already bound the session to `contactId` and `companyId`. A form sent twice (same `submissionToken`)
 * records one activity and answers its id again.
 */
export async function submitActivity(
  deps: ActivityDeps,
  input: { companyId: string; contactId: string; type: string; name: string; date: string; submissionToken: string },
): Promise<{ activityId: string; repeated: boolean }> {
  if (!(PORTAL_ACTIVITY_TYPES as readonly string[]).includes(input.type)) {
    throw new PayloadError('Partners submit their conference presentations and case studies; other activities are recorded by your partner manager.');
  }
  if (!deps.redis || !deps.prefix) throw new Error('submitActivity needs redis and prefix to remember submission tokens');
  if (!/^[\w-]{8,128}$/.test(input.submissionToken)) throw new PayloadError('The form is missing its submission token: reload it and send it again.');
  const key = `${deps.prefix}:activity:submission:${input.companyId}:${input.submissionToken}`;
  const claimed = await deps.redis.set(key, 'pending', 'EX', 7 * 86_400, 'NX');
  if (claimed !== 'OK') {
    const id = await deps.redis.get(key);
    if (id && id !== 'pending') return { activityId: id, repeated: true };
    throw new ConflictError('This form is being sent right now; it is recorded once. Reload the page in a moment.');
  }
  try {
    const { activityId } = await recordActivity(deps, { ...input, recordedBy: `contact:${input.contactId} (partner portal)` });
    await deps.redis.set(key, activityId, 'EX', 7 * 86_400);
    return { activityId, repeated: false };
  } catch (err) {
    await deps.redis.del(key);
    throw err;
  }
}

// ── decisions ────────────────────────────────────────────────────────────────────────────────────────────

export type ActivityDecision = { action: 'approve'; amount?: string | null; reason?: string } | { action: 'reject'; reason: string };

export interface ActivityDecisionResult {
  message: string;
  status: Activity['status'];
  changed: boolean;
}

/** A partner manager approves or rejects an activity (card or home page). */
export async function decideActivity(
  deps: ActivityDeps,
  input: { activityId: string; userId: string; decision: ActivityDecision },
): Promise<ActivityDecisionResult> {
  if (!deps.managers) throw new Error('decideActivity needs the partner-manager check');
  const check = await deps.managers.check(input.userId);
  if (!check.isManager)
    throw new ForbiddenError(
      notAManagerMessage(check, input.userId, deps.managers.hint).replace('approve, reject or resolve registrations', 'decide on activities'),
    );
  const { decision } = input;
  if (decision.action === 'reject' && decision.reason.trim() === '')
    throw new PayloadError("A rejection needs a reason: it is recorded on the partner's timeline.");
  const type = await resolveActivityObjectType(deps.hs);
  const config = deps.ctx.program.config;

  return underLock(deps, input.activityId, async () => {
    const loaded = await loadActivity(deps, type, input.activityId);
    if (!loaded) throw new NotFoundError(`Activity ${input.activityId} was not found in HubSpot: it may have been deleted.`);
    const trusted = await enforceAuthority(deps, type, loaded);
    const target = decision.action === 'approve' ? 'approved' : 'rejected';
    if (trusted.status === target) {
      return { message: `Activity ${input.activityId} is already ${target}.`, status: trusted.status, changed: false };
    }
    if (trusted.companyId === null) {
      throw new ConflictError('The activity must be associated with exactly one partner company before a decision: fix its company association in HubSpot.');
    }
    let amount = trusted.amount;
    if (decision.action === 'approve') {
      if (trusted.type === 'retainer') {
        const range = retainerRange(config);
        if (typeof range === 'string') throw new ConflictError(`Cannot approve a retainer: ${range}.`);
        const parsed = parseAmount(decision.amount, config.portalCurrency);
        if (parsed === null) {
          throw new PayloadError(
            `A retainer needs its annual amount, between ${formatMoney(range.min, config.portalCurrency)} and ${formatMoney(range.max, config.portalCurrency)}.`,
          );
        }
        const out = outsideRange(parsed, range, config.portalCurrency, 'The retainer');
        if (out !== null) throw new PayloadError(out);
        amount = parsed;
      } else {
        if (decision.amount !== undefined && decision.amount !== null && decision.amount.trim() !== '') {
          throw new PayloadError(
            `Only retainers carry an amount; a ${ACTIVITY_TYPE_LABELS[trusted.type as ActivityType] ?? trusted.type} pays its configured fee.`,
          );
        }
        amount = null;
      }
    }
    const decided: Activity = { ...trusted, status: target, amount };
    await updateActivities(deps.hs, type, [
      {
        id: input.activityId,
        properties: {
          ...activityProperties({ status: decided.status, amount: decided.amount }, config.portalCurrency),
          pp_activity_seal: deps.sealer.seal(input.activityId, sealOf(decided)),
        },
      },
    ]);
    const reason = decision.reason?.trim() ? ` Reason: ${decision.reason.trim()}` : '';
    await note(deps, decided.companyId!, `Activity ${target} by user ${input.userId}: ${describe(decided, config.portalCurrency)}.${reason}`);
    const payout = await syncPayout(deps, decided, `activity ${target} by user ${input.userId}`);
    await deps.ctx.enqueue([{ kind: 'company', id: decided.companyId! }], 'activity-decided');
    return { message: `Activity ${target}.${payout ? ` ${payout}` : ''}`, status: decided.status, changed: true };
  });
}

function parseAmount(raw: string | null | undefined, currency: string): number | null {
  if (raw === undefined || raw === null || raw.trim() === '') return null;
  try {
    return parseMoney(raw.replace(/[$,\s]/g, ''), currency, 'amount');
  } catch {
    throw new PayloadError(`"${raw}" is not an amount.`);
  }
}

// ── sync (webhook, sweep) ────────────────────────────────────────────────────────────────────────────────

export interface SyncActivityResult {
  activityId: string;
  status: 'synced' | 'deleted';
  restored: string[];
  payout: string | null;
}

/** Webhook and sweep: restore what someone else changed, then make the payout match. Idempotent. */
export async function syncActivity(deps: ActivityDeps, activityId: string, why: string): Promise<SyncActivityResult> {
  const type = await resolveActivityObjectType(deps.hs);
  return underLock(deps, activityId, async () => {
    const loaded = await loadActivity(deps, type, activityId);
    if (!loaded) {
      // Deleted: like a deal leaving closed-won, its unpaid payout is reversed and a paid one adjusted.
      const existing = await readPayoutGroup(deps, activityKey(activityId));
      const payout = await applyDesired(deps, existing, null, `activity deleted (${why})`);
      const partnerId = existing[0]?.partnerId;
      if (partnerId) await deps.ctx.enqueue([{ kind: 'company', id: partnerId }], 'activity-deleted');
      return { activityId, status: 'deleted', restored: [], payout };
    }
    const before = loaded.activity;
    const trusted = await enforceAuthority(deps, type, loaded);
    const payout = await syncPayout(deps, trusted, why);
    if (trusted.companyId) await deps.ctx.enqueue([{ kind: 'company', id: trusted.companyId }], 'activity-changed');
    return { activityId, status: 'synced', restored: restoredFields(before, trusted), payout };
  });
}

function restoredFields(before: Activity, trusted: Activity): string[] {
  const fields: string[] = [];
  if (before.status !== trusted.status) fields.push('pp_activity_status');
  if (before.amount !== trusted.amount) fields.push('pp_activity_amount');
  if (before.type !== trusted.type) fields.push('pp_activity_type');
  if (before.date !== trusted.date) fields.push('pp_activity_date');
  return fields;
}

/**
 * Puts back what someone other than the app changed (with a note saying who changed what), and writes a fresh seal
 * when the trusted values moved (a first seal, or a type or date edited before approval). Answers the trusted record.
 */
async function enforceAuthority(deps: ActivityDeps, type: string, loaded: LoadedActivity): Promise<Activity> {
  const { activity } = loaded;
  let sealed = deps.sealer.open(activity.id, loaded.seal);
  if (sealed === null && loaded.seal) {
    // The seal itself was edited: the payout record is the evidence of an approval the app made.
    const base = (await readPayoutGroup(deps, activityKey(activity.id))).find((r) => r.key === activityKey(activity.id));
    if (base && base.status !== 'reversed') {
      sealed = {
        status: 'approved',
        amount: activity.type === 'retainer' ? base.amount : null,
        type: activity.type,
        date: activity.date,
        companyId: base.partnerId,
      };
    }
  }
  const outcome = checkActivityAuthority(activity, sealed);
  const properties = activityProperties(outcome.restore, deps.ctx.program.config.portalCurrency);
  if (outcome.seal) properties.pp_activity_seal = deps.sealer.seal(activity.id, outcome.seal);
  if (Object.keys(properties).length > 0) {
    await updateActivities(deps.hs, type, [{ id: activity.id, properties }]);
  }
  if (outcome.reassociate) await associateActivity(deps.hs, type, activity.id, outcome.reassociate);
  const noteCompany = outcome.trusted.companyId ?? activity.companyId;
  if (outcome.changes.length > 0 && noteCompany) {
    await note(deps, noteCompany, `Activity ${activity.id} ("${activity.name}"): changed outside the app and restored. ${outcome.changes.join('; ')}.`);
  }
  return outcome.trusted;
}

/** The payout the trusted activity should have, written; answers a sentence about it (null when none is involved). */
async function syncPayout(deps: ActivityDeps, activity: Activity, why: string): Promise<string | null> {
  const existing = await readPayoutGroup(deps, activityKey(activity.id));
  let desired: PayoutRecord | null = null;
  let reason = '';
  if (activity.status === 'approved' && activity.companyId) {
    const company = await deps.ctx.crm.company(activity.companyId);
    if (company) {
      const frozen = existing.find((r) => r.key === activityKey(activity.id) && r.status !== 'reversed');
      const result = activityPayout({
        activity,
        partner: toPartnerCompany(activity.companyId, company.properties),
        config: deps.ctx.program.config,
        programVersion: deps.ctx.program.version,
        // Holds follow the partner, the freeze date does not: a record keeps the instant it was first frozen.
        now: frozen?.frozenAt ?? deps.ctx.clock(),
      });
      desired = result.record;
      reason = result.reason;
    }
  }
  if (desired === null && existing.length === 0) return reason ? `It pays nothing: ${reason}.` : null;
  return applyDesired(deps, existing, desired === null ? null : [desired], why);
}

async function applyDesired(deps: ActivityDeps, existing: PayoutRecord[], desired: PayoutRecord[] | null, why: string): Promise<string | null> {
  if (existing.length === 0 && (desired === null || desired.length === 0)) return null;
  const diff = diffPayouts(existing, desired, { now: deps.ctx.clock(), why, programVersion: deps.ctx.program.version });
  const toSave = [...diff.create, ...diff.update];
  if (toSave.length > 0) await deps.ctx.payouts.save(toSave);
  const latest = new Map(existing.map((r) => [r.key, r]));
  for (const r of toSave) latest.set(r.key, r);
  const base = [...latest.values()].find((r) => r.kind === 'activity');
  if (!base) return null;
  const money = formatMoney(base.amount, base.currency);
  return base.status === 'on_hold' ? `Payout ${money} on hold: ${base.holdReason}.` : `Payout ${money} ${base.status}.`;
}

/** A payout and its adjustments, read by key (consistent: search lags writes). Adjustments are numbered from 1 without gaps. */
export async function readPayoutGroup(deps: Pick<ActivityDeps, 'ctx' | 'hs'>, baseKey: string): Promise<PayoutRecord[]> {
  const type = await deps.ctx.payouts.objectType();
  const out: PayoutRecord[] = [];
  const PAGE = 25;
  for (let from = 0; ; from += PAGE) {
    const keys = Array.from({ length: PAGE }, (_, i) => (from + i === 0 ? baseKey : adjustmentKey(baseKey, from + i)));
    const read = await readPayoutsByKeys(deps.hs, type, keys);
    for (const r of read.values()) {
      const rec = toPayoutRecord(r.properties);
      if (rec) out.push(rec);
    }
    if (!read.has(keys.at(-1)!)) return out;
  }
}

// ── lists ────────────────────────────────────────────────────────────────────────────────────────────────

/** The company's activities as the app trusts them (app-owned fields at their sealed values). */
export async function activitiesOfCompany(deps: Pick<ActivityDeps, 'ctx' | 'hs' | 'sealer'>, companyId: string): Promise<Activity[]> {
  const type = await resolveActivityObjectType(deps.hs);
  const ids = await readCompanyActivityIds(deps.hs, type, companyId);
  if (ids.length === 0) return [];
  const [records, companies] = await Promise.all([readActivities(deps.hs, type, ids), readActivityCompanies(deps.hs, type, ids)]);
  const out: Activity[] = [];
  for (const id of ids) {
    const r = records.get(id);
    if (!r) continue;
    const a = toActivity(id, r.properties, companies.get(id) ?? [], deps.ctx.program.config.portalCurrency);
    const trusted = checkActivityAuthority(a, deps.sealer.open(id, r.properties.pp_activity_seal)).trusted;
    // An approved activity stays with the company it was approved for; one moved away since is that company's.
    if (trusted.companyId === companyId || (trusted.companyId === null && a.companyId === null)) out.push({ ...trusted, companyId });
  }
  return out;
}

/**
 * Activities waiting for a partner manager's decision across the portal (the home page), oldest first (ids grow
 * with creation), at most `limit`. Only the app's own (sealed) status counts: a status typed into the CRM puts
 * nothing in the queue, and search lags writes, so each record's current values decide.
 */
export async function activitiesAwaitingDecision(deps: Pick<ActivityDeps, 'ctx' | 'hs' | 'sealer'>, limit: number): Promise<Activity[]> {
  const type = await resolveActivityObjectType(deps.hs);
  const found: string[] = [];
  for await (const page of searchActivitiesByStatus(deps.hs, type, ['submitted'])) {
    found.push(...page.map((r) => r.id));
    if (found.length >= limit) break;
  }
  const ids = found.slice(0, limit);
  if (ids.length === 0) return [];
  const [records, companies] = await Promise.all([readActivities(deps.hs, type, ids), readActivityCompanies(deps.hs, type, ids)]);
  const out: Activity[] = [];
  for (const id of ids) {
    const r = records.get(id);
    if (!r) continue;
    const a = toActivity(id, r.properties, companies.get(id) ?? [], deps.ctx.program.config.portalCurrency);
    const trusted = checkActivityAuthority(a, deps.sealer.open(id, r.properties.pp_activity_seal)).trusted;
    if (trusted.status === 'submitted') out.push(trusted);
  }
  return out.sort((a, b) => compareIds(a.id, b.id));
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────

function describe(a: Pick<Activity, 'id' | 'type' | 'name' | 'date' | 'amount'>, currency: string): string {
  const label = isActivityType(a.type) ? ACTIVITY_TYPE_LABELS[a.type] : a.type;
  return `${label} "${a.name}"${a.date ? ` (${a.date})` : ''}${a.amount !== null && !Number.isNaN(a.amount) ? `, ${formatMoney(a.amount, currency)}` : ''}, activity ${a.id}`;
}

async function note(deps: ActivityDeps, companyId: string, text: string): Promise<void> {
  await createNote(deps.hs, { on: { kind: 'company', id: companyId }, bodyHtml: `<p>${escapeHtml(text)}</p>`, timestamp: deps.ctx.clock() });
}

/**
 * What the activity services need on this runtime; null without the client secret (seals cannot be checked).
 * `via`: the context and client to work through (the partner portal uses its own share of the rate limit).
 */
export function activityDeps(rt: Runtime, managers?: PartnerManagers, via: Pick<ActivityDeps, 'ctx' | 'hs'> = rt): ActivityDeps | null {
  const secret = rt.env.HUBSPOT_CLIENT_SECRET;
  if (!secret) return null;
  return {
    ctx: via.ctx,
    hs: via.hs,
    lock: createRedisDecisionLock(rt.producerRedis, rt.env.QUEUE_PREFIX, undefined, 'activity'),
    sealer: activitySealer(via.ctx.sealKey),
    redis: rt.producerRedis,
    prefix: rt.env.QUEUE_PREFIX,
    ...(managers ? { managers } : {}),
  };
}
