/**
 * The partner portal's pages: server-rendered HTML (no client bundle, no CDN), written as template functions
 * where every value passes `esc`. Accessible by construction: one h1 per page, labelled fields with their
 * errors tied by aria-describedby, a skip link, keyboard-usable native controls, tables that stack on phones.
 */
import type { FieldErrors, ReferralForm } from '../services/portal/submit-referral.js';
import type { OutboxEntry } from '../services/portal/mailer.js';
import type { PayoutView, PortalHome, ReferralView } from '../services/portal/partner-view.js';
import type { ActivityFieldErrors, ActivityForm, PortalActivityView } from '../services/portal/activities.js';

export const esc = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export interface PageContext {
  title: string;
  /** Signed in: who and for which partner. */
  user?: { name: string; partnerName: string } | undefined;
  csrf?: string | undefined;
  current?: 'home' | 'referrals' | 'new' | 'activity' | 'payouts' | undefined;
  outbox?: boolean;
  flash?: string | undefined;
}

export function layout(p: PageContext, body: string): string {
  const nav = p.user
    ? `<nav aria-label="Portal"><ul>${[
        ['home', '/portal', 'Home'],
        ['referrals', '/portal/referrals', 'Referrals'],
        ['new', '/portal/referrals/new', 'Submit a referral'],
        ['activity', '/portal/activities/new', 'Submit an activity'],
        ['payouts', '/portal/payouts', 'Payouts'],
      ]
        .map(([key, href, label]) => `<li><a href="${href}"${p.current === key ? ' aria-current="page"' : ''}>${label}</a></li>`)
        .join('')}</ul></nav>
      <form class="who" method="post" action="/portal/sign-out"><span>${esc(p.user.name)} · ${esc(p.user.partnerName)}</span>
        <input type="hidden" name="_csrf" value="${esc(p.csrf)}"> <button class="link" type="submit">Sign out</button></form>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)} · Partner portal</title><link rel="stylesheet" href="/portal/assets/portal.css"></head>
<body><a class="skip" href="#main">Skip to content</a>
<header class="top"><strong>Partner portal</strong>${nav}</header>
<main id="main">${p.flash ? `<p class="flash" role="status">${esc(p.flash)}</p>` : ''}${body}
${p.outbox ? '<p class="small muted">Sandbox: mail is kept in the <a href="/portal/outbox">outbox</a>, not sent.</p>' : ''}</main></body></html>`;
}

const badge = (value: string, text = value.replace(/_/g, ' ')): string => `<span class="badge s-${esc(value)}">${esc(text)}</span>`;

export function signInPage(p: PageContext & { message?: string; problem?: string }): string {
  return layout(
    { ...p, title: 'Sign in' },
    `<h1>Sign in</h1>
${p.problem ? `<p class="problem" role="alert">${esc(p.problem)}</p>` : ''}
${p.message ? `<p class="flash" role="status">${esc(p.message)}</p>` : ''}
<div class="card"><p>Enter the email address your partner manager invited. We send a sign-in link that works once, for 30 minutes. There are no passwords.</p>
<form method="post" action="/portal/sign-in" novalidate>
<input type="hidden" name="_csrf" value="${esc(p.csrf)}">
<div class="field"><label for="email">Email address</label><input id="email" name="email" type="email" autocomplete="email" required></div>
<button type="submit">Email me a sign-in link</button></form></div>`,
  );
}

export function confirmSignInPage(p: PageContext & { token: string }): string {
  return layout(
    { ...p, title: 'Sign in' },
    `<h1>Sign in to the partner portal</h1><div class="card"><p>This link signs you in once. Continue?</p>
<form method="post" action="/portal/auth/${esc(p.token)}"><input type="hidden" name="_csrf" value="${esc(p.csrf)}">
<button type="submit" id="continue">Sign in</button></form></div>`,
  );
}

function activitiesSection(activities: PortalActivityView[], canSubmit: boolean): string {
  const table =
    activities.length === 0
      ? '<p class="muted">No activities yet.</p>'
      : `<table class="stack" id="activity-list"><thead><tr><th>Activity</th><th>Date</th><th>Status</th><th class="num">Payout</th><th>Note</th></tr></thead><tbody>${activities
          .map(
            (a) =>
              `<tr data-activity-id="${esc(a.id)}"><td data-label="Activity">${esc(a.typeLabel)}: ${esc(a.name)}</td><td data-label="Date">${esc(a.date ?? '—')}</td><td data-label="Status">${badge(a.status)}</td><td class="num" data-label="Payout">${a.payout ? `${esc(a.payout.amount)} ${badge(a.payout.status)}` : '—'}</td><td data-label="Note">${esc(a.payout?.holdReason ?? '')}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<h2 id="activities">Your activities</h2>${table}${canSubmit ? '<p><a class="button" href="/portal/activities/new">Submit a presentation or case study</a></p>' : ''}`;
}

export function homePage(
  p: PageContext,
  h: PortalHome,
  extra: { activities: PortalActivityView[]; canSubmit: boolean } = { activities: [], canSubmit: false },
): string {
  const s = h.standing;
  const tier = (name: string, t: { value: string | null; reason: string }) =>
    `<div class="card"><h2>${name}</h2><p>${t.value ? badge(t.value) : '<span class="muted">none</span>'}</p><p class="small muted">${esc(t.reason)}</p></div>`;
  const totals =
    h.totals.length === 0
      ? '<p class="muted">No commissions yet.</p>'
      : `<table class="stack"><thead><tr><th>Status</th><th class="num">Amount</th><th class="num">Count</th><th>Why</th></tr></thead><tbody>${h.totals
          .map(
            (t) =>
              `<tr><td data-label="Status">${esc(t.label)}</td><td class="num" data-label="Amount">${esc(t.amount)}</td><td class="num" data-label="Count">${t.count}</td><td data-label="Why">${esc(t.detail ?? '')}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return layout(
    { ...p, title: 'Home', current: 'home' },
    `<h1>${esc(h.partner.name)}</h1>
${h.agreements.agreementSigned ? '' : '<p class="notice">We do not have your signed partner agreement: payouts are held until it is on file.</p>'}
<div class="grid">
<div class="card"><h2>Qualified referrals, ${esc(h.quarterLabel)}</h2><p id="referral-minimum" style="font-size:1.3rem;font-weight:700">${esc(h.minimumText ?? `${s.referralsThisQuarter} this quarter`)}</p>
<p class="small muted">${h.minimumText ? 'Referrals created this quarter, new business, at or above your tier’s minimum deal size.' : 'Quarterly minimums apply to consultant partners with a referral tier.'}</p></div>
<div class="card"><h2>High performer</h2><p>${s.highPerformer.value ? badge('approved', 'high performer') : badge('pending', 'not yet')}</p><p class="small">${esc(h.highPerformerText)}</p></div>
</div>
<h2>Your tiers</h2><div class="grid">${tier('Referral tier', s.referralTier)}${tier('Co-marketing tier', s.coMarketingTier)}${tier('Co-selling tier', s.coSellingTier)}</div>
<h2>Commissions</h2>${totals}
<p><a class="button" href="/portal/referrals/new">Submit a referral</a></p>
${activitiesSection(extra.activities, extra.canSubmit)}`,
  );
}

function protectionCell(r: ReferralView): string {
  if (!r.registration) return '<span class="muted">not registered</span>';
  if (!r.registration.own) return '<span class="muted">registered by another partner</span>';
  const ends = r.protectionEndsOn
    ? `<br><span class="small">until ${esc(r.protectionEndsOn)}${r.daysLeft !== null ? ` · ${r.daysLeft} days left` : ''}</span>`
    : '';
  return `${badge(r.registration.status)} ${badge(r.protection)}${ends}`;
}

export function referralsPage(p: PageContext, referrals: ReferralView[]): string {
  const rows = referrals
    .map(
      (
        r,
      ) => `<tr data-deal-id="${esc(r.dealId)}"><td data-label="Deal"><a href="/portal/referrals/${esc(r.dealId)}">${esc(r.dealName)}</a><br><span class="small muted">${esc(r.roles.join(' · '))}</span></td>
<td data-label="Customer">${esc(r.customerName ?? '—')}</td><td data-label="Stage">${badge(r.stage)}</td><td data-label="Registration">${protectionCell(r)}</td>
<td class="num" data-label="Your commission">${r.lines.map((l) => esc(l.amount)).join('<br>') || '—'}</td></tr>`,
    )
    .join('');
  return layout(
    { ...p, title: 'Referrals', current: 'referrals' },
    `<h1>Your referrals</h1><p><a class="button" href="/portal/referrals/new">Submit a referral</a></p>
${referrals.length === 0 ? '<p class="muted">No deals yet.</p>' : `<table class="stack" id="referrals"><thead><tr><th>Deal</th><th>Customer</th><th>Stage</th><th>Registration &amp; protection</th><th class="num">Your commission</th></tr></thead><tbody>${rows}</tbody></table>`}`,
  );
}

export function referralPage(p: PageContext, r: ReferralView): string {
  const reg = r.registration;
  return layout(
    { ...p, title: r.dealName, current: 'referrals' },
    `<h1>${esc(r.dealName)}</h1>
<div class="card"><p><strong>Customer:</strong> ${esc(r.customerName ?? '—')}<br><strong>Stage:</strong> ${badge(r.stage)}<br><strong>Your role:</strong> ${esc(r.roles.join(' · '))}${r.createdOn ? `<br><strong>Created:</strong> ${esc(r.createdOn)}` : ''}</p></div>
<h2>Registration and protection</h2><div class="card" id="registration">${protectionCell(r)}${reg?.own && reg.reason ? `<p class="small">${esc(reg.reason)}</p>` : ''}</div>
<h2>Your commission</h2>${
      r.lines.length === 0
        ? '<p class="muted">No commission lines.</p>'
        : `<table class="stack"><thead><tr><th>Role</th><th class="num">Amount</th><th>Why</th></tr></thead><tbody>${r.lines
            .map(
              (l) =>
                `<tr><td data-label="Role">${esc(l.role)} ${l.status === 'payable' ? '' : badge(l.status === 'zero' ? 'rejected' : 'pending', l.status)}</td><td class="num" data-label="Amount">${esc(l.amount)}</td><td data-label="Why">${esc(l.reason)}</td></tr>`,
            )
            .join('')}</tbody></table>`
    }
<p><a href="/portal/referrals">All referrals</a></p>`,
  );
}

const KIND_LABELS: Record<string, string> = {
  software_integration: 'Software integration',
  joint_solution: 'Joint solution',
  customer_expansion: 'Customer expansion',
  technical_consultation: 'Technical consultation',
  member_referral: 'Member referral',
  educational_event: 'Educational event',
  research_collaboration: 'Research collaboration',
  vendor_show: 'Vendor show',
  c_level_referral: 'C-level referral',
};

/**
 * One labelled form control with its hint and error, linked for screen readers (`aria-describedby`,
 * `aria-invalid`): the referral and activity forms share it.
 */
function formField<K extends string>(errors: Partial<Record<K, string>>) {
  return (name: K, label: string, input: string, hint?: string): string => {
    const err = errors[name];
    const describedBy = [hint ? `${name}-hint` : '', err ? `${name}-error` : ''].filter(Boolean).join(' ');
    const control = input.replace(
      /^<(input|select|textarea)/,
      (m) => `${m} id="${name}" name="${name}"${err ? ' aria-invalid="true"' : ''}${describedBy ? ` aria-describedby="${describedBy}"` : ''}`,
    );
    return `<div class="field"><label for="${name}">${label}</label>${control}${hint ? `<p class="hint" id="${name}-hint">${hint}</p>` : ''}${err ? `<p class="error" id="${name}-error">${esc(err)}</p>` : ''}</div>`;
  };
}

/** The list of fields to fix, each a link to its field, above a form sent back with errors. */
function errorSummary(errors: Partial<Record<string, string>>): string {
  const list = Object.entries(errors).filter((e): e is [string, string] => typeof e[1] === 'string');
  if (list.length === 0) return '';
  return `<div class="problem" role="alert"><p><strong>Please fix ${list.length === 1 ? 'this field' : `these ${list.length} fields`}:</strong></p><ul>${list.map(([k, v]) => `<li><a href="#${esc(k)}">${esc(v)}</a></li>`).join('')}</ul></div>`;
}

export function newReferralPage(
  p: PageContext & { form: ReferralForm; errors: FieldErrors; kinds: string[]; currencies: string[]; problem?: string | undefined },
): string {
  const { form, errors } = p;
  const field = formField<keyof ReferralForm>(errors);
  return layout(
    { ...p, title: 'Submit a referral', current: 'new' },
    `<h1>Submit a referral</h1>
<p class="notice"><strong>Business contact data only.</strong> Do not enter patient information or any health data about individuals.</p>
${p.problem ? `<p class="problem" role="alert">${esc(p.problem)}</p>` : ''}
${errorSummary(errors)}
<form class="card" method="post" action="/portal/referrals" novalidate>
<input type="hidden" name="_csrf" value="${esc(p.csrf)}"><input type="hidden" name="submissionToken" value="${esc(form.submissionToken)}">
${field('customerName', 'Customer company name', `<input type="text" autocomplete="organization" value="${esc(form.customerName)}" required>`)}
${field('customerDomain', 'Customer web domain', `<input type="text" inputmode="url" value="${esc(form.customerDomain)}" required>`, 'e.g. example.com — we use it to find the company.')}
${field('contactName', 'Customer contact name', `<input type="text" value="${esc(form.contactName)}" required>`)}
${field('contactEmail', 'Customer contact business email', `<input type="email" value="${esc(form.contactEmail)}" required>`)}
${field('firstYearValue', 'Estimated first-year contract value', `<input type="text" inputmode="decimal" value="${esc(form.firstYearValue)}" required>`, 'In the currency below, without symbols: 250000 or 250000.00.')}
${field('currency', 'Currency', `<select>${p.currencies.map((c) => `<option${c === form.currency ? ' selected' : ''}>${esc(c)}</option>`).join('')}</select>`)}
${field('closeDate', 'Expected close date', `<input type="date" value="${esc(form.closeDate)}" required>`)}
${p.kinds.length > 0 ? field('referralKind', 'Kind of referral', `<select><option value="">Choose…</option>${p.kinds.map((k) => `<option value="${esc(k)}"${k === form.referralKind ? ' selected' : ''}>${esc(KIND_LABELS[k] ?? k)}</option>`).join('')}</select>`) : ''}
${field('note', 'Note for our team (optional)', `<textarea maxlength="2000">${esc(form.note)}</textarea>`, 'Business context only — no patient information.')}
<button type="submit" id="submit-referral">Submit referral</button></form>`,
  );
}

export function newActivityPage(
  p: PageContext & { form: ActivityForm; errors: ActivityFieldErrors; types: { value: string; label: string }[]; problem?: string | undefined },
): string {
  const { form, errors } = p;
  const field = formField<keyof ActivityForm>(errors);
  return layout(
    { ...p, title: 'Submit an activity', current: 'activity' },
    `<h1>Submit an activity</h1>
<p>Your conference presentations and case studies. A partner manager approves each one; other activities are recorded by your partner manager.</p>
${p.problem ? `<p class="problem" role="alert">${esc(p.problem)}</p>` : ''}
${errorSummary(errors)}
<form class="card" method="post" action="/portal/activities" novalidate>
<input type="hidden" name="_csrf" value="${esc(p.csrf)}"><input type="hidden" name="submissionToken" value="${esc(form.submissionToken)}">
${field('type', 'Kind of activity', `<select><option value="">Choose…</option>${p.types.map((t) => `<option value="${esc(t.value)}"${t.value === form.type ? ' selected' : ''}>${esc(t.label)}</option>`).join('')}</select>`)}
${field('name', 'Name', `<input type="text" maxlength="500" value="${esc(form.name)}" required>`, 'The conference and your talk, or the case study title.')}
${field('date', 'Date', `<input type="date" value="${esc(form.date)}" required>`, 'When you presented, or when the case study was published.')}
<button type="submit" id="submit-activity">Submit activity</button></form>`,
  );
}

export function payoutsPage(p: PageContext & { from: string; to: string }, payouts: PayoutView[]): string {
  return layout(
    { ...p, title: 'Payouts', current: 'payouts' },
    `<h1>Your payouts</h1>
<form class="card" method="get" action="/portal/payouts/statement.csv"><h2>Statement (CSV)</h2>
<div class="grid"><div class="field"><label for="from">From</label><input id="from" name="from" type="date" value="${esc(p.from)}" required></div>
<div class="field"><label for="to">To</label><input id="to" name="to" type="date" value="${esc(p.to)}" required></div></div>
<button type="submit">Download statement</button></form>
${
  payouts.length === 0
    ? '<p class="muted">No payouts yet: a payout is created when a deal you are on is won.</p>'
    : `<table class="stack" id="payouts"><thead><tr><th>Deal</th><th>Role</th><th>Status</th><th class="num">Amount</th><th>Frozen</th><th>Note</th></tr></thead><tbody>${payouts
        .map(
          (x) =>
            `<tr><td data-label="Deal">${esc(x.dealName ?? x.dealId)}</td><td data-label="Role">${esc(x.role)}</td><td data-label="Status">${badge(x.status)}</td><td class="num" data-label="Amount">${esc(x.amount)}</td><td data-label="Frozen">${esc(x.frozenOn)}</td><td data-label="Note">${esc(x.holdReason ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table>`
}`,
  );
}

export function outboxPage(p: PageContext, mail: OutboxEntry[]): string {
  return layout(
    { ...p, title: 'Outbox' },
    `<h1>Sandbox outbox</h1><p class="muted">Mail the portal would have sent, newest first. With SMTP_URL set it goes to your mail server instead.</p>
${mail.length === 0 ? '<p>No mail yet.</p>' : mail.map((m) => `<article class="card"><h2>${esc(m.subject)}</h2><p class="small muted">To ${esc(m.to)} · ${esc(new Date(m.at).toISOString())}</p><pre class="mail">${linkify(m.text)}</pre></article>`).join('')}`,
  );
}

const linkify = (text: string): string => esc(text).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>');

export function messagePage(p: PageContext & { heading: string; message: string; status?: 'problem' | 'flash' }): string {
  return layout(
    p,
    `<h1>${esc(p.heading)}</h1><p class="${p.status ?? 'problem'}" role="alert">${esc(p.message)}</p><p><a href="${p.user ? '/portal' : '/portal/sign-in'}">Continue</a></p>`,
  );
}
