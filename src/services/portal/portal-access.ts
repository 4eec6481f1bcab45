/**
 * Who may use the partner portal (docs/program.md#partner-portal): a contact with `pp_portal_access` = true that is
 * associated with exactly one partner company (a company with `pp_partner_type` set). A contact of two partner
 * companies cannot sign in until one association is removed: a session is bound to one contact and one company.
 * Checked at sign-in and again, from HubSpot, at least every few minutes of a session.
 */
import { readContactCompanies, readContacts, updateContacts } from '../../hubspot/contacts.js';
import type { Properties } from '../../hubspot/mappers.js';
import type { PortalContext } from './portal-context.js';
import { restoreNoteText } from '../../security/app-owned.js';

export interface PortalUser {
  contactId: string;
  partnerId: string;
  partnerName: string;
  partnerType: string;
  email: string | null;
  name: string;
}

export type AccessRefusal = 'no_contact' | 'no_access' | 'no_partner' | 'two_partners';

export type AccessResult = ({ ok: true } & PortalUser) | { ok: false; reason: AccessRefusal; message: string };

const MESSAGES: Record<AccessRefusal, string> = {
  no_contact: 'This sign-in is no longer valid: the contact was not found.',
  no_access: 'Your partner portal access has ended. Ask your partner manager for a new invitation.',
  no_partner: 'You are not a contact of a partner company, so there is no portal to show. Ask your partner manager.',
  two_partners:
    'You are a contact of two partner companies, so the portal cannot tell whose referrals to show. Ask your partner manager to remove one of the associations.',
};

export const refusal = (reason: AccessRefusal): { ok: false; reason: AccessRefusal; message: string } => ({ ok: false, reason, message: MESSAGES[reason] });

export const contactName = (p: Properties, fallback: string): string =>
  [p.firstname, p.lastname]
    .map((v) => v?.trim() ?? '')
    .filter(Boolean)
    .join(' ') ||
  p.email?.trim() ||
  fallback;

/**
 * docs/program.md#who-may-change-what: `pp_portal_access` is set only by the app, when a partner manager invites the
 * contact; a CRM user setting it to true is restored, unsetting it is honoured. The app keeps its own record of
 * the grants it made (a Redis key per contact), so a `true` it did not write is not trusted: it is restored to
 * `false` in HubSpot, a note on the contact says who set it (the webhook's word, else HubSpot's property
 * history), and the contact has no access. Checked wherever access is (sign-in, link requests, the session
 * re-check) and at once when the contact's `pp_portal_access` webhook arrives. A lost Redis loses the grants:
 * contacts are then refused until re-invited, which fails safe.
 */
const grantKey = (prefix: string, contactId: string) => `${prefix}:granted:${contactId}`;

export async function recordPortalGrant(pc: PortalContext, contactId: string): Promise<void> {
  await pc.redis.set(grantKey(pc.prefix, contactId), String(pc.ctx.clock()));
}

/** What the access guard needs: the portal's Redis keys, HubSpot, the sync context (notes, who changed it). */
export type PortalAccessGuardDeps = Pick<PortalContext, 'ctx' | 'hs' | 'redis' | 'prefix' | 'logger'>;

/**
 * The contact's `pp_portal_access` as the app trusts it: `true` only when the app granted it. A `true` the app
 * did not grant is restored to `false` with a note; an unset value forgets the grant (a later `true` needs a new
 * invitation). `current` is the CRM's value.
 */
export async function guardPortalAccess(deps: PortalAccessGuardDeps, contactId: string, current: string | null | undefined): Promise<boolean> {
  if (current !== 'true') {
    await deps.redis.del(grantKey(deps.prefix, contactId));
    return false;
  }
  if ((await deps.redis.exists(grantKey(deps.prefix, contactId))) === 1) return true;
  // Who set it is read before the restore, which becomes the history's latest entry.
  const reported = await deps.ctx.foreignChanges.take(`contact:${contactId}`);
  const author =
    [...reported].reverse().find((a) => a.property === 'pp_portal_access' && a.value === 'true') ??
    (await deps.ctx.latestAuthors?.('contacts', contactId, ['pp_portal_access']))?.get('pp_portal_access');
  await updateContacts(deps.hs, [{ id: contactId, properties: { pp_portal_access: 'false' } }]);
  await deps.ctx.addNote(
    { kind: 'contact', id: contactId },
    restoreNoteText({
      what: 'Partner portal access flags (pp_portal_access)',
      rule: 'set only by the partner-program app, when a partner manager invites the contact from the partner company card',
      changes: [{ property: 'pp_portal_access', found: 'true', restored: 'false' }],
      authors: author ? [author] : [],
    }),
  );
  deps.logger.warn({ contactId }, 'pp_portal_access was set to true outside the app: restored (false); the contact must be invited by a partner manager');
  return false;
}

/** The contact's webhook job: read its access and guard it. */
export async function checkContactPortalAccess(deps: PortalAccessGuardDeps, contactId: string): Promise<{ contactId: string; access: boolean | null }> {
  const contact = (await readContacts(deps.hs, [contactId])).get(contactId);
  if (!contact) return { contactId, access: null };
  return { contactId, access: await guardPortalAccess(deps, contactId, contact.properties.pp_portal_access) };
}

export async function checkPortalAccess(pc: PortalContext, contactId: string): Promise<AccessResult> {
  const [contacts, companiesOf] = await Promise.all([readContacts(pc.hs, [contactId]), readContactCompanies(pc.hs, [contactId])]);
  const contact = contacts.get(contactId);
  if (!contact) return refusal('no_contact');
  // Unset in the CRM: honoured (the grant is forgotten); set by anyone but the app: restored, with a note.
  if (!(await guardPortalAccess(pc, contactId, contact.properties.pp_portal_access))) return refusal('no_access');
  const companyIds = companiesOf.get(contactId) ?? [];
  const companies = (await pc.ctx.crm.companies(companyIds)).flatMap((c) => (c ? [c] : []));
  const partners = companies.filter((c) => (c.properties.pp_partner_type ?? '').trim() !== '');
  if (partners.length === 0) return refusal('no_partner');
  if (partners.length > 1) return refusal('two_partners');
  const partner = partners[0]!;
  return {
    ok: true,
    contactId,
    partnerId: partner.id,
    partnerName: partner.properties.name?.trim() || `Company ${partner.id}`,
    partnerType: partner.properties.pp_partner_type!.trim(),
    email: contact.properties.email?.trim() || null,
    name: contactName(contact.properties, `Contact ${contactId}`),
  };
}
