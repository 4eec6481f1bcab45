/**
 * Who may change a `pp_activity` (docs/program.md#who-may-change-what): `pp_activity_status` and
 * `pp_activity_amount` change only through a partner manager's decision in the app (records start `submitted`; one
 * created `approved` is put back), and approval freezes type, date, amount and company. Given the record as it
 * stands and the values the app last wrote (its seal), this says what the app computes from and what it puts back.
 */
import type { Activity, ActivityStatus } from './activities.js';
import type { Minor } from './types.js';

/** The values the app last wrote on an activity: what its seal signs. */
export interface SealedActivity {
  status: ActivityStatus;
  amount: Minor | null;
  type: string;
  date: string | null;
  companyId: string | null;
}

export interface AuthorityOutcome {
  /** The record as the app trusts it: every app-owned or frozen field at the app's value. */
  trusted: Activity;
  /** Fields to put back, by engine name; empty when the record is as the app left it. */
  restore: Partial<Pick<Activity, 'status' | 'amount' | 'type' | 'date'>>;
  /** The company to associate the activity with again (an approved activity moved to another company). */
  reassociate: string | null;
  /** What someone else changed, in words, for the timeline note; empty when nothing (a first seal is no change). */
  changes: string[];
  /** The seal to write: the trusted values (null when the current seal already signs them). */
  seal: SealedActivity | null;
}

const show = (v: string | number | null): string => (v === null || v === '' ? '(empty)' : String(v));

export function checkActivityAuthority(current: Activity, sealed: SealedActivity | null): AuthorityOutcome {
  const restore: AuthorityOutcome['restore'] = {};
  const changes: string[] = [];
  if (sealed === null) {
    // Never decided in the app: it is `submitted` whatever the CRM says, with no amount.
    if (current.status !== 'submitted' && current.status !== '') {
      restore.status = 'submitted';
      changes.push(
        `pp_activity_status was set to ${show(current.status)} outside the app: put back to submitted (only a partner manager's decision in the app approves or rejects)`,
      );
    } else if (current.status === '') restore.status = 'submitted';
    if (current.amount !== null) {
      restore.amount = null;
      changes.push(`pp_activity_amount was set to ${show(current.amount)} outside the app: cleared (a partner manager sets it when approving)`);
    }
    const trusted: Activity = { ...current, status: 'submitted', amount: null };
    return { trusted, restore, reassociate: null, changes, seal: sealOf(trusted) };
  }

  if (current.status !== sealed.status) {
    restore.status = sealed.status;
    changes.push(`pp_activity_status was changed to ${show(current.status)} outside the app: put back to ${sealed.status}`);
  }
  if (current.amount !== sealed.amount) {
    restore.amount = sealed.amount;
    changes.push(`pp_activity_amount was changed to ${show(current.amount)} outside the app: put back to ${show(sealed.amount)}`);
  }
  let reassociate: string | null = null;
  const trusted: Activity = { ...current, status: sealed.status, amount: sealed.amount };
  if (sealed.status === 'approved') {
    if (current.type !== sealed.type) {
      restore.type = sealed.type;
      changes.push(`pp_activity_type was changed to ${show(current.type)} after approval: put back to ${sealed.type}`);
    }
    if (current.date !== sealed.date) {
      restore.date = sealed.date;
      changes.push(`pp_activity_date was changed to ${show(current.date)} after approval: put back to ${show(sealed.date)}`);
    }
    if (current.companyId !== sealed.companyId && sealed.companyId !== null) {
      reassociate = sealed.companyId;
      changes.push(`the activity's company was changed to ${show(current.companyId)} after approval: it stays with company ${sealed.companyId}`);
    }
    trusted.type = sealed.type;
    trusted.date = sealed.date;
    trusted.companyId = sealed.companyId;
  }
  // Before approval type, date and company are free to change; the seal then signs the new ones.
  const next = sealOf(trusted);
  return { trusted, restore, reassociate, changes, seal: sameSeal(next, sealed) ? null : next };
}

export function sealOf(a: Pick<Activity, 'status' | 'amount' | 'type' | 'date' | 'companyId'>): SealedActivity {
  return { status: a.status as ActivityStatus, amount: a.amount, type: a.type, date: a.date, companyId: a.companyId };
}

const sameSeal = (a: SealedActivity, b: SealedActivity): boolean =>
  a.status === b.status && a.amount === b.amount && a.type === b.type && a.date === b.date && a.companyId === b.companyId;
