/**
 * The daily registration expiry sweep (docs/program.md#deal-registration): protection ends `protectionDays` after
 * approval unless the deal is closed-won first; the deal is warned `warningDays` before (`expiring_soon`) and
 * marked `expired` at the end; a pending registration nobody decides expires after `pendingExpiryDays`.
 * Each change goes on the deal's timeline as a note.
 *
 * The engine decides (`applyRegistrationEvent` expire, `protectionStatus`); this writes only the values that
 * changed. Notes are not idempotent in HubSpot (a retried create makes a second one), so each note is claimed
 * first with a Redis marker per deal, kind and protection end: the warning is written once even when a
 * recompute already set `pp_protection_status = expiring_soon`, and a retried sweep never writes it twice.
 */
import { formatDay, DAY_MS, approvedProtectionEnd, pendingExpiresAt, protectionStatus } from '../engine/protection.js';
import { applyRegistrationEvent } from '../engine/registration.js';
import type { Registration } from '../engine/types.js';
import { searchDeals } from '../hubspot/deals.js';
import type { CrmFilter } from '../hubspot/crm-records.js';
import { registrationProperties, toDealSnapshot } from '../hubspot/mappers.js';
import { createNote } from '../hubspot/notes.js';
import { changedProperties, type ValueKind } from '../hubspot/changed-properties.js';
import { withRegistrationSeal } from '../security/registration-guard.js';
import type { SyncContext } from './sync-context.js';

export type DealExpiryOutcome = 'expired' | 'warned' | 'unchanged' | 'missing';

export interface DealExpiryResult {
  dealId: string;
  outcome: DealExpiryOutcome;
  /** Deal properties written. */
  written: string[];
  /** Timeline notes created by this run (0 or 1). */
  notes: number;
}

const REGISTRATION_KINDS: Record<string, ValueKind> = {
  pp_registration_submitted_at: 'datetime',
  pp_registration_decided_at: 'datetime',
  pp_protection_expires_at: 'datetime',
};

/** Notes are claimed for a little longer than the warning window lasts, then Redis forgets them. */
const NOTE_MARKER_SLACK_MS = 14 * DAY_MS;

/** One deal: expire or warn as its registration requires, now. */
export async function expireDealRegistration(ctx: SyncContext, dealId: string): Promise<DealExpiryResult> {
  const config = ctx.program.config;
  const now = ctx.clock();
  const record = await ctx.crm.deal(dealId);
  if (!record) return { dealId, outcome: 'missing', written: [], notes: 0 };
  const snapshot = toDealSnapshot(dealId, record.properties, { stages: await ctx.portal.stages(), customerCompanyId: null });
  const before = snapshot.registration;
  if (before === null) return { dealId, outcome: 'unchanged', written: [], notes: 0 };

  const expire = (partnerName?: string) =>
    applyRegistrationEvent(before, { type: 'expire', at: now, isClosedWon: snapshot.isClosedWon, ...(partnerName ? { partnerName } : {}) }, config);
  let change = expire();
  const registration = change.registration ?? before;
  const protection = protectionStatus(registration, snapshot, now, config);
  // The partner's name is read only for a deal that gets a note.
  const partnerName = change.changed || protection === 'expiring_soon' ? await partnerNameOf(ctx, before.partnerId) : undefined;
  if (change.changed && partnerName) change = expire(partnerName);

  let note: { kind: 'expired' | 'warning'; text: string; endsAt: number } | null = null;
  if (change.changed && change.note) {
    note = { kind: 'expired', text: change.note, endsAt: endOf(before, config) ?? now };
  } else if (protection === 'expiring_soon') {
    const endsAt = approvedProtectionEnd(registration, config) ?? now;
    const daysLeft = Math.max(0, Math.ceil((endsAt - now) / DAY_MS));
    const who = partnerName ? `${partnerName} (${registration.partnerId})` : `partner ${registration.partnerId}`;
    note = {
      kind: 'warning',
      endsAt,
      text:
        `Deal registration for ${who} expires on ${formatDay(endsAt, config.timeZone)}, in ${daysLeft} day${daysLeft === 1 ? '' : 's'}: ` +
        `its protection ends then unless the deal is closed-won first.`,
    };
  }

  let notes = 0;
  if (note && (await claimNote(ctx, dealId, note.kind, note.endsAt, now))) {
    try {
      await createNote(ctx.hs, { on: { kind: 'deal', id: dealId }, bodyHtml: noteHtml(note.text), timestamp: now });
      notes = 1;
    } catch (err) {
      // Unclaimed again so the retry writes it; a note HubSpot made but did not confirm is the one duplicate left.
      await releaseNote(ctx, dealId, note.kind, note.endsAt);
      throw err;
    }
  }

  if (note?.kind === 'warning' && ctx.notify) {
    await ctx.notify({
      type: 'protection_expiring',
      dealId,
      partnerId: registration.partnerId,
      endsOn: formatDay(note.endsAt, config.timeZone),
      daysLeft: Math.max(0, Math.ceil((note.endsAt - now) / DAY_MS)),
    });
  }

  const desired: Record<string, string> = { pp_protection_status: protection };
  if (change.changed) Object.assign(desired, registrationProperties(registration));
  const changed = changedProperties(record.raw ?? record.properties, desired, REGISTRATION_KINDS);
  const written = Object.keys(changed);
  if (written.length > 0) await ctx.crm.updateDeal({ id: dealId, properties: withRegistrationSeal(ctx.sealKey, dealId, record.sealed, changed) });
  // The app's own writes send no webhook it listens to: the commission lines that depend on the registration
  // follow through a recompute asked for here.
  if (change.changed) await ctx.enqueue([{ kind: 'deal', id: dealId }], 'registration-expired');

  const outcome: DealExpiryOutcome = change.changed ? 'expired' : note?.kind === 'warning' ? 'warned' : 'unchanged';
  return { dealId, outcome, written, notes };
}

export interface ExpirySweepResult {
  candidates: number;
  expired: number;
  warned: number;
  notes: number;
  failed: number;
}

/**
 * Every deal whose registration may need a warning or an end: approved ones within `warningDays` of the end
 * (or past it), and pending ones older than `pendingExpiryDays`. Closed-won deals are left out: their
 * protection did its job and never lapses.
 */
export async function expireRegistrations(ctx: SyncContext): Promise<ExpirySweepResult> {
  const { registration: r } = ctx.program.config;
  const now = ctx.clock();
  const closedWon = [...(await ctx.portal.stages()).closedWon];
  const open: CrmFilter[] = closedWon.length > 0 ? [{ propertyName: 'dealstage', operator: 'NOT_IN', values: closedWon }] : [];
  const status = (value: string): CrmFilter => ({ propertyName: 'pp_registration_status', operator: 'EQ', value });
  const filterGroups = [
    {
      filters: [
        status('approved'),
        { propertyName: 'pp_protection_expires_at', operator: 'LTE' as const, value: String(now + r.warningDays * DAY_MS) },
        ...open,
      ],
    },
    // Written by hand without an end date: the end is the decision plus the protection days.
    {
      filters: [
        status('approved'),
        { propertyName: 'pp_protection_expires_at', operator: 'NOT_HAS_PROPERTY' as const },
        { propertyName: 'pp_registration_decided_at', operator: 'LTE' as const, value: String(now - (r.protectionDays - r.warningDays) * DAY_MS) },
        ...open,
      ],
    },
    {
      filters: [
        status('pending'),
        { propertyName: 'pp_registration_submitted_at', operator: 'LTE' as const, value: String(now - r.pendingExpiryDays * DAY_MS) },
        ...open,
      ],
    },
  ];

  const result: ExpirySweepResult = { candidates: 0, expired: 0, warned: 0, notes: 0, failed: 0 };
  const errors: unknown[] = [];
  const seen = new Set<string>();
  for await (const page of searchDeals(ctx.hs, { filterGroups, properties: ['pp_registration_status'] })) {
    const ids = page.map((d) => d.id).filter((id) => !seen.has(id));
    ids.forEach((id) => seen.add(id));
    result.candidates += ids.length;
    const settled = await Promise.allSettled(ids.map((id) => expireDealRegistration(ctx, id)));
    for (const s of settled) {
      if (s.status === 'rejected') {
        result.failed++;
        errors.push(s.reason);
        continue;
      }
      if (s.value.outcome === 'expired') result.expired++;
      if (s.value.outcome === 'warned') result.warned++;
      result.notes += s.value.notes;
    }
  }
  if (errors.length > 0) {
    // Every deal done stays done (markers, changed-only writes): the retry redoes only the failed ones.
    throw new AggregateError(errors, `expiry sweep: ${errors.length} of ${result.candidates} deals failed`);
  }
  return result;
}

function endOf(reg: Registration, config: SyncContext['program']['config']): number | null {
  return reg.status === 'pending' ? pendingExpiresAt(reg, config) : approvedProtectionEnd(reg, config);
}

function noteKey(prefix: string, dealId: string, kind: string, endsAt: number): string {
  return `${prefix}:registration-note:${dealId}:${kind}:${endsAt}`;
}

async function claimNote(ctx: SyncContext, dealId: string, kind: string, endsAt: number, now: number): Promise<boolean> {
  const ttl = Math.max(endsAt - now, 0) + NOTE_MARKER_SLACK_MS;
  return (await ctx.redis.set(noteKey(ctx.prefix, dealId, kind, endsAt), String(now), 'PX', ttl, 'NX')) === 'OK';
}

async function releaseNote(ctx: SyncContext, dealId: string, kind: string, endsAt: number): Promise<void> {
  await ctx.redis.del(noteKey(ctx.prefix, dealId, kind, endsAt)).catch(() => undefined);
}

async function partnerNameOf(ctx: SyncContext, companyId: string): Promise<string | undefined> {
  const company = await ctx.crm.company(companyId);
  const name = company?.properties.name?.trim();
  return name ? name : undefined;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** hs_note_body is HTML: partner names are people's text and are escaped. */
function noteHtml(text: string): string {
  return `<p>${text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)}</p>`;
}
