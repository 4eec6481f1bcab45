/**
 * Who may use the partner portal (docs/program.md#partner-portal): a contact with `pp_portal_access` = true that is
 * associated with exactly one partner company (a company with `pp_partner_type` set). A contact of two partner
 * companies cannot sign in until one association is removed: a session is bound to one contact and one company.
 * Checked at sign-in and again, from HubSpot, at least every few minutes of a session.
 */
import { readContactCompanies, readContacts, updateContacts } from '../../hubspot/contacts.js';
import type { Properties } from '../../hubspot/mappers.js';
import type { PortalContext } from './portal-context.js';

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
 * the grants it made (a Redis key per contact), so a `true` it did not write is not trusted: it is cleared in
 * HubSpot (the value the app last wrote: none) and the contact has no access. Checked wherever access is
 * (sign-in, link requests, the session re-check). A lost Redis loses the grants: contacts are then refused
 * until re-invited, which fails safe.
 */
const grantKey = (pc: PortalContext, contactId: string) => `${pc.prefix}:granted:${contactId}`;

export async function recordPortalGrant(pc: PortalContext, contactId: string): Promise<void> {
  await pc.redis.set(grantKey(pc, contactId), String(pc.ctx.clock()));
}

export async function checkPortalAccess(pc: PortalContext, contactId: string): Promise<AccessResult> {
  const [contacts, companiesOf] = await Promise.all([readContacts(pc.hs, [contactId]), readContactCompanies(pc.hs, [contactId])]);
  const contact = contacts.get(contactId);
  if (!contact) return refusal('no_contact');
  if (contact.properties.pp_portal_access !== 'true') {
    // Unset in the CRM: honoured, and the app's grant is forgotten (a later `true` needs a new invitation).
    await pc.redis.del(grantKey(pc, contactId));
    return refusal('no_access');
  }
  if ((await pc.redis.exists(grantKey(pc, contactId))) === 0) {
    await updateContacts(pc.hs, [{ id: contactId, properties: { pp_portal_access: '' } }]);
    pc.logger.warn({ contactId }, 'pp_portal_access was set to true outside the app: restored (cleared); the contact must be invited by a partner manager');
    return refusal('no_access');
  }
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
