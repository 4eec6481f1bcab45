/**
 * The partner portal's activities (docs/program.md#activities-retainers-and-bonuses): a portal user submits their
 * company's conference presentations and case studies (recorded `submitted`, waiting for a partner manager), and
 * the portal lists the company's activities with their status and payout. The company is always the session's:
 * nothing in the form names one.
 */
import { ACTIVITY_TYPE_LABELS, isActivityType } from '../../engine/activities.js';
import { formatMoney } from '../../engine/money.js';
import { activityKey } from '../../engine/payout-keys.js';
import { PayloadError } from '../../errors.js';
import { PayoutSchemaMissingError } from '../../hubspot/errors.js';
import { compareIds } from '../../hubspot/mappers.js';
import { PORTAL_ACTIVITY_TYPES, activitiesOfCompany, readPayoutGroup, submitActivity } from '../activities.js';
import { partnerHoldReason } from './hold-reason.js';
import type { PortalContext } from './portal-context.js';
import type { PortalUser } from './portal-access.js';

export interface ActivityForm {
  type: string;
  name: string;
  date: string;
  submissionToken: string;
}

export type ActivityFieldErrors = Partial<Record<keyof ActivityForm, string>>;

export interface PortalActivityView {
  id: string;
  typeLabel: string;
  name: string;
  date: string | null;
  status: string;
  /** This activity's payout, when it has one; the hold reason in words fit for a partner. */
  payout: null | { amount: string; status: string; holdReason: string | null };
}

/** The types a partner may submit, with their labels. */
export const portalActivityTypes = (): { value: string; label: string }[] => PORTAL_ACTIVITY_TYPES.map((t) => ({ value: t, label: ACTIVITY_TYPE_LABELS[t] }));

function requireActivities(pc: PortalContext): NonNullable<PortalContext['activities']> {
  if (!pc.activities) throw new PayloadError('Activities cannot be submitted on this server right now; ask your partner manager to record it.');
  return pc.activities;
}

/** Field errors in words a partner can act on; nothing here is trusted by the service, which checks again. */
export function validateActivity(form: ActivityForm, today: string): { ok: true; value: ActivityForm } | { ok: false; errors: ActivityFieldErrors } {
  const errors: ActivityFieldErrors = {};
  if (!(PORTAL_ACTIVITY_TYPES as readonly string[]).includes(form.type)) errors.type = 'Choose a conference presentation or a case study.';
  const name = form.name.trim();
  if (name === '') errors.name = 'Name the conference or the case study.';
  else if (name.length > 500) errors.name = 'Keep the name under 500 characters.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date) || Number.isNaN(Date.parse(`${form.date}T00:00:00Z`))) errors.date = 'Enter the date it happened (YYYY-MM-DD).';
  else if (form.date > today) errors.date = 'Submit an activity once it has happened.';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: { ...form, name } };
}

/** Submits for the session's company and contact; a form sent twice (same token) records one activity. */
export async function submitPartnerActivity(pc: PortalContext, user: PortalUser, form: ActivityForm): Promise<{ activityId: string; repeated: boolean }> {
  const result = await submitActivity(requireActivities(pc), {
    companyId: user.partnerId,
    contactId: user.contactId,
    type: form.type,
    name: form.name,
    date: form.date,
    submissionToken: form.submissionToken,
  });
  pc.cache.forget(`activities:${user.partnerId}`);
  return result;
}

/** The company's activities, newest first, each with its payout; empty when activities are off or not provisioned. */
export function listPartnerActivities(pc: PortalContext, partnerId: string): Promise<PortalActivityView[]> {
  return pc.cache.get(`activities:${partnerId}`, () => loadPartnerActivities(pc, partnerId));
}

async function loadPartnerActivities(pc: PortalContext, partnerId: string): Promise<PortalActivityView[]> {
  const deps = pc.activities;
  if (!deps) return [];
  let activities;
  try {
    activities = await activitiesOfCompany(deps, partnerId);
  } catch (err) {
    if (err instanceof PayoutSchemaMissingError) return [];
    throw err;
  }
  const sorted = activities.sort((a, b) => ((b.date ?? '') < (a.date ?? '') ? -1 : (b.date ?? '') > (a.date ?? '') ? 1 : compareIds(b.id, a.id))).slice(0, 100);
  const payouts = await Promise.all(sorted.map((a) => (a.status === 'submitted' ? Promise.resolve([]) : readPayoutGroup(deps, activityKey(a.id)))));
  return sorted.map((a, i) => {
    // The record for this company only: a payout frozen for another company is never shown here.
    const base = payouts[i]!.find((r) => r.key === activityKey(a.id) && r.partnerId === partnerId);
    return {
      id: a.id,
      typeLabel: isActivityType(a.type) ? ACTIVITY_TYPE_LABELS[a.type] : a.type,
      name: a.name,
      date: a.date,
      status: a.status,
      payout: base
        ? {
            amount: formatMoney(base.amount, base.currency),
            status: base.status,
            holdReason: base.status === 'on_hold' ? partnerHoldReason(base.holdReason) : null,
          }
        : null,
    };
  });
}
