/**
 * The three ways to a sign-in link (docs/program.md#partner-portal):
 *   - a partner asks for one by email: sent only to a portal user, and the answer never says whether the
 *     address is known (`requestSignInLink`);
 *   - a partner manager invites a contact of the partner from the company card: the app sets
 *     `pp_portal_access` = true (only the app sets it) and mails the link (`inviteContact`);
 *   - `npm run portal:invite -- <contactId>` prints a link for a contact that already has access.
 */
import { ForbiddenError, NotFoundError, PayloadError } from '../../errors.js';
import { readContactCompanies, readContacts, searchContactsByEmail, updateContacts } from '../../hubspot/contacts.js';
import { notAManagerMessage } from '../partner-managers.js';
import { checkPortalAccess, contactName, recordPortalGrant, type AccessResult } from './portal-access.js';
import type { PortalContext } from './portal-context.js';
import { issueSignInLink, type IssuedLink } from './sign-in-links.js';

export function signInMail(name: string, partnerName: string, link: IssuedLink, reason: string) {
  return {
    subject: `Your sign-in link to the ${partnerName} partner portal`,
    text:
      `Hello ${name},\n\n${reason}\n\nSign in: ${link.url}\n\n` +
      `The link works once and expires in 30 minutes. If you did not ask for it, you can ignore this message.\n`,
  };
}

/** Sends a link when `email` belongs to a portal user; says nothing either way. */
export async function requestSignInLink(pc: PortalContext, rawEmail: string): Promise<void> {
  const email = rawEmail.trim().toLowerCase();
  const contacts = await searchContactsByEmail(pc.hs, email);
  for (const contact of contacts) {
    if ((contact.properties.email ?? '').trim().toLowerCase() !== email) continue;
    const access = await checkPortalAccess(pc, contact.id);
    if (!access.ok || !access.email) {
      pc.logger.info({ contactId: contact.id, reason: access.ok ? 'no email' : access.reason }, 'portal sign-in link not sent');
      continue;
    }
    const link = await issueSignInLink(pc, contact.id, 'email');
    await pc.mailer.send({ to: access.email, ...signInMail(access.name, access.partnerName, link, 'You asked for a link to sign in to the partner portal.') });
  }
}

export interface InviteResult {
  contactId: string;
  email: string | null;
  /** Shown to the partner manager when the link could not be mailed (or always, for the command). */
  link: IssuedLink;
  mailed: boolean;
  message: string;
}

/**
 * A partner manager invites `contactId`, a contact of partner `companyId`. The manager check comes first
 * (nothing is read for a non-manager); then the contact must be associated with that partner company.
 */
export async function inviteContact(pc: PortalContext, input: { companyId: string; contactId: string; userId: string }): Promise<InviteResult> {
  const check = await pc.managers.check(input.userId);
  if (!check.isManager) throw new ForbiddenError(notAManagerMessage(check, input.userId, pc.managers.hint));
  const [contacts, companiesOf, company] = await Promise.all([
    readContacts(pc.hs, [input.contactId]),
    readContactCompanies(pc.hs, [input.contactId]),
    pc.ctx.crm.company(input.companyId),
  ]);
  const contact = contacts.get(input.contactId);
  if (!contact) throw new NotFoundError(`Contact ${input.contactId} was not found in HubSpot.`);
  if (!company || !(company.properties.pp_partner_type ?? '').trim()) {
    throw new PayloadError(`Company ${input.companyId} is not a partner (it has no partner type), so it has no portal.`);
  }
  if (!(companiesOf.get(input.contactId) ?? []).includes(input.companyId)) {
    throw new PayloadError(`Contact ${input.contactId} is not associated with company ${input.companyId}: associate the contact with the partner first.`);
  }
  // The grant is recorded first: an access check between the two steps then finds a value it can trust.
  await recordPortalGrant(pc, input.contactId);
  if (contact.properties.pp_portal_access !== 'true') {
    await updateContacts(pc.hs, [{ id: input.contactId, properties: { pp_portal_access: 'true' } }]);
  }
  const access = await checkPortalAccess(pc, input.contactId);
  if (!access.ok) throw new PayloadError(access.message.replace(/^You are/, 'The contact is').replace(/^Your/, 'The contact’s'));
  const link = await issueSignInLink(pc, input.contactId, `user:${input.userId}`);
  let mailed = false;
  if (access.email) {
    const outcome = await pc.mailer.send({
      to: access.email,
      ...signInMail(
        access.name,
        access.partnerName,
        link,
        `${access.partnerName}'s partner manager invited you to the partner portal: register referrals, follow them and see your commissions and payouts.`,
      ),
    });
    mailed = outcome !== 'disabled';
  }
  const name = contactName(contact.properties, `Contact ${input.contactId}`);
  return {
    contactId: input.contactId,
    email: access.email,
    link,
    mailed,
    message: mailed
      ? `${name} is invited: a sign-in link was sent to ${access.email}.`
      : `${name} is invited. No mail could be sent (${access.email ? 'no SMTP server is configured' : 'the contact has no email'}): give them this link, which works once within 30 minutes.`,
  };
}

/** `npm run portal:invite`: a link for a contact that already has access (the command does not grant it). */
export async function commandLink(pc: PortalContext, contactId: string): Promise<{ access: AccessResult; link: IssuedLink | null }> {
  const access = await checkPortalAccess(pc, contactId);
  if (!access.ok) return { access, link: null };
  return { access, link: await issueSignInLink(pc, contactId, 'command') };
}
