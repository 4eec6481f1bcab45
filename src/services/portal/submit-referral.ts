/**
 * A referral submitted from the partner portal (docs/program.md#partner-portal, "Referral submission"):
 *   1. the submission token is claimed in Redis, so a form sent twice creates one deal (the second answer is
 *      the first one's deal);
 *   2. the customer company is found by domain, or created;
 *   3. the customer contact is found by email, or created (associated with the customer company);
 *   4. the deal is created in the configured pipeline and stage, in ONE request with its associations: the
 *      customer company (primary), the partner with the Referral partner label, the contact; with
 *      `pp_referral_source` = `partner_portal`;
 *   5. the registration is submitted exactly as the card's register action does it (`decideRegistration`):
 *      qualification and conflicts included, so a submission colliding with another partner's protected
 *      registration is `disputed`, and partner managers find it in their home-page queue.
 * A failure before the deal exists frees the token (the partner can send again); after, the token keeps the
 * deal id and a resend only completes the registration.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { MoneyParseError, parseMoney, toMajorString } from '../../engine/money.js';
import type { PartnerRole } from '../../engine/types.js';
import { ConflictError } from '../../errors.js';
import { searchCompanies } from '../../hubspot/companies.js';
import { searchContactsByEmail } from '../../hubspot/contacts.js';
import { collectPages } from '../../hubspot/crm-records.js';
import { createRecord } from '../../hubspot/create-record.js';
import { createNote, escapeHtml } from '../../hubspot/notes.js';
import { HUBSPOT_ASSOCIATION_TYPES } from '../../hubspot/properties.js';
import { decideRegistration } from '../decide-registration.js';
import type { PortalUser } from './portal-access.js';
import type { PortalContext } from './portal-context.js';

const SUBMISSION_KEEP_SECONDS = 7 * 86_400;

export interface ReferralForm {
  customerName: string;
  customerDomain: string;
  contactName: string;
  contactEmail: string;
  firstYearValue: string;
  currency: string;
  closeDate: string;
  referralKind: string;
  note: string;
  submissionToken: string;
}

export type FieldErrors = Partial<Record<keyof ReferralForm, string>>;

export interface ValidReferral {
  customerName: string;
  domain: string;
  contactFirstName: string;
  contactLastName: string;
  contactEmail: string;
  /** Minor units of `currency`. */
  value: number;
  currency: string;
  /** Epoch ms, the start of the day in the program's time zone. */
  closeDate: number;
  referralKind: string | null;
  note: string;
  token: string;
}

/** Referral kinds the partner type may refer (docs/program.md#commission-lines (rules 3–5)); consultants refer new business only. */
export function allowedReferralKinds(pc: PortalContext, partnerType: string): string[] {
  const rules = pc.ctx.program.config.referralRules as Record<string, Record<string, unknown> | undefined>;
  return Object.keys(rules[partnerType] ?? {});
}

export function normaliseDomain(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#].*$/, '')
    .replace(/\.$/, '');
}

const emailSchema = z.email();

/** Field-by-field validation with messages a partner can act on. */
export function validateReferral(
  pc: PortalContext,
  user: PortalUser,
  form: ReferralForm,
): { ok: true; value: ValidReferral } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const config = pc.ctx.program.config;
  const customerName = form.customerName.trim();
  if (customerName === '') errors.customerName = 'Enter the customer company’s name.';
  else if (customerName.length > 200) errors.customerName = 'Keep the name under 200 characters.';
  const domain = normaliseDomain(form.customerDomain);
  if (domain === '') errors.customerDomain = 'Enter the customer’s web domain, e.g. example.com.';
  else if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) errors.customerDomain = `“${form.customerDomain.trim()}” is not a domain; use the form example.com.`;
  const contactName = form.contactName.trim().replace(/\s+/g, ' ');
  if (contactName === '') errors.contactName = 'Enter the name of your contact at the customer.';
  const contactEmail = form.contactEmail.trim().toLowerCase();
  if (!emailSchema.safeParse(contactEmail).success) errors.contactEmail = 'Enter a business email address, e.g. name@example.com.';
  const currency = form.currency.trim().toUpperCase();
  let value: number | null = null;
  if (!config.currencies[currency]) errors.currency = `Choose one of ${Object.keys(config.currencies).join(', ')}.`;
  else {
    try {
      value = parseMoney(form.firstYearValue.replace(/[,\s]/g, ''), currency, 'estimated first-year contract value');
      if (value === null) errors.firstYearValue = 'Enter the estimated first-year contract value.';
      else if (value <= 0) errors.firstYearValue = 'The value must be more than zero.';
    } catch (err) {
      if (!(err instanceof MoneyParseError)) throw err;
      errors.firstYearValue = `Enter an amount such as 250000 or 250000.00 (${currency}).`;
    }
  }
  const day = DateTime.fromISO(form.closeDate.trim(), { zone: config.timeZone });
  const today = DateTime.fromMillis(pc.ctx.clock(), { zone: config.timeZone }).startOf('day');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.closeDate.trim()) || !day.isValid) errors.closeDate = 'Enter the expected close date as YYYY-MM-DD.';
  else if (day < today) errors.closeDate = 'The expected close date cannot be in the past.';
  const allowed = allowedReferralKinds(pc, user.partnerType);
  const kind = form.referralKind.trim();
  if (allowed.length > 0 && !allowed.includes(kind)) errors.referralKind = 'Choose the kind of referral.';
  if (allowed.length === 0 && kind !== '') errors.referralKind = 'Your partner type has no referral kinds to choose from.';
  const note = form.note.trim();
  if (note.length > 2_000) errors.note = 'Keep the note under 2,000 characters.';
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(form.submissionToken)) errors.submissionToken = 'The form expired: reload the page and send it again.';
  if (Object.keys(errors).length > 0 || value === null) return { ok: false, errors };
  const [first, ...rest] = contactName.split(' ');
  return {
    ok: true,
    value: {
      customerName,
      domain,
      contactFirstName: first ?? contactName,
      contactLastName: rest.join(' '),
      contactEmail,
      value,
      currency,
      closeDate: day.toMillis(),
      referralKind: allowed.length > 0 ? kind : null,
      note,
      token: form.submissionToken,
    },
  };
}

export interface SubmissionResult {
  dealId: string;
  /** The same token was sent before: nothing new was created. */
  repeated: boolean;
  registrationStatus: string;
  message: string;
}

export async function submitReferral(pc: PortalContext, user: PortalUser, referral: ValidReferral): Promise<SubmissionResult> {
  const key = `${pc.prefix}:submission:${user.partnerId}:${referral.token}`;
  const claimed = await pc.redis.set(key, 'claimed', 'EX', SUBMISSION_KEEP_SECONDS, 'NX');
  if (claimed === null) {
    const existing = await pc.redis.get(key);
    if (existing === null || existing === 'claimed') {
      throw new ConflictError('This referral is being submitted already; wait a moment and open Referrals.');
    }
    const registration = await register(pc, user, existing);
    return {
      dealId: existing,
      repeated: true,
      registrationStatus: registration.status,
      message: 'This form was already sent: here is the referral it created.',
    };
  }

  let dealId: string;
  try {
    dealId = await createDeal(pc, user, referral);
  } catch (err) {
    await pc.redis.del(key);
    throw err;
  }
  await pc.redis.set(key, dealId, 'KEEPTTL');
  await createNote(pc.hs, { on: { kind: 'deal', id: dealId }, bodyHtml: submissionNote(user, referral), timestamp: pc.ctx.clock() });
  const registration = await register(pc, user, dealId);
  pc.cache.forget(`partner:${user.partnerId}:`);
  return { dealId, repeated: false, registrationStatus: registration.status, message: registration.message };
}

async function createDeal(pc: PortalContext, user: PortalUser, r: ValidReferral): Promise<string> {
  const { ctx } = pc;
  const roles = await ctx.portal.roles();
  const referralTypeId = [...roles].find(([, role]) => role === ('pp_referral_partner' satisfies PartnerRole))?.[0];
  if (referralTypeId === undefined) {
    throw new Error('the Referral partner association label is missing in HubSpot: run `npm run provision`');
  }
  const customerId = await findOrCreateCustomer(pc, user, r);
  const contactId = await findOrCreateContact(pc, r, customerId);
  const deal = await createRecord(pc.hs, {
    objectType: 'deals',
    properties: {
      dealname: `${r.customerName} — referral from ${user.partnerName}`,
      pipeline: pc.settings.pipeline,
      dealstage: pc.settings.dealStage,
      amount: toMajorString(r.value, r.currency),
      pp_first_year_contract_value: toMajorString(r.value, r.currency),
      deal_currency_code: r.currency,
      closedate: new Date(r.closeDate).toISOString(),
      pp_deal_type: 'new',
      ...(r.referralKind ? { pp_referral_kind: r.referralKind } : {}),
      pp_referral_source: 'partner_portal',
    },
    associations: [
      { toId: customerId, types: [{ category: 'HUBSPOT_DEFINED', typeId: HUBSPOT_ASSOCIATION_TYPES.dealToCompanyPrimary }] },
      { toId: user.partnerId, types: [{ category: 'USER_DEFINED', typeId: referralTypeId }] },
      { toId: contactId, types: [{ category: 'HUBSPOT_DEFINED', typeId: HUBSPOT_ASSOCIATION_TYPES.dealToContact }] },
    ],
  });
  pc.logger.info({ dealId: deal.id, partnerId: user.partnerId, contactId: user.contactId }, 'portal referral: deal created');
  return deal.id;
}

/** By domain (exact, normalised); created when none has it. The partner's own company is never the customer. */
async function findOrCreateCustomer(pc: PortalContext, user: PortalUser, r: ValidReferral): Promise<string> {
  const found = await collectPages(
    searchCompanies(
      pc.hs,
      {
        filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'EQ', value: r.domain }] }],
        properties: ['domain', 'name', 'pp_partner_type'],
        pageSize: 10,
      },
      { resultCap: 10 },
    ),
  );
  const match = found.find((c) => (c.properties.domain ?? '').trim().toLowerCase() === r.domain);
  if (match?.id === user.partnerId) throw new ConflictError('That domain is your own company’s: a referral is for a customer of yours.');
  if (match) return match.id;
  const created = await createRecord(pc.hs, { objectType: 'companies', properties: { name: r.customerName, domain: r.domain } });
  return created.id;
}

async function findOrCreateContact(pc: PortalContext, r: ValidReferral, customerId: string): Promise<string> {
  const found = await searchContactsByEmail(pc.hs, r.contactEmail, ['email']);
  const match = found.find((c) => (c.properties.email ?? '').trim().toLowerCase() === r.contactEmail);
  if (match) return match.id;
  const created = await createRecord(pc.hs, {
    objectType: 'contacts',
    properties: { email: r.contactEmail, firstname: r.contactFirstName, lastname: r.contactLastName },
    associations: [{ toId: customerId, types: [{ category: 'HUBSPOT_DEFINED', typeId: HUBSPOT_ASSOCIATION_TYPES.contactToCompany }] }],
  });
  return created.id;
}

async function register(pc: PortalContext, user: PortalUser, dealId: string): Promise<{ status: string; message: string }> {
  const decision = await decideRegistration(
    { ctx: pc.ctx, managers: pc.managers, lock: pc.lock },
    {
      dealId,
      userId: `contact:${user.contactId}`,
      byName: `${user.name} of ${user.partnerName}, through the partner portal`,
      action: { action: 'register', partnerId: user.partnerId, expectedVersion: 'none' },
    },
  );
  const deal = await pc.ctx.crm.deal(dealId);
  return { status: deal?.properties.pp_registration_status ?? 'pending', message: decision.message };
}

function submissionNote(user: PortalUser, r: ValidReferral): string {
  const lines = [
    `Referral submitted by ${user.name} (contact ${user.contactId}) of ${user.partnerName} through the partner portal.`,
    `Customer: ${r.customerName} (${r.domain}); contact ${r.contactFirstName} ${r.contactLastName} <${r.contactEmail}>.`,
    ...(r.note ? [`Partner's note: ${r.note}`] : []),
  ];
  return `<p><strong>Partner program · partner portal</strong></p>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}`;
}
