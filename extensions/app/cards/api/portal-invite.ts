/**
 * The company card's "Invite to portal": the partner's contacts with their portal access, and the invitation
 * (partner managers only; the backend checks). Routes: src/portal/card-routes.ts.
 */
import { z } from 'zod';
import { pathSegment, requestCardApi } from './request.js';

export interface PortalContact {
  id: string;
  name: string;
  email: string | null;
  hasAccess: boolean;
}

const contactsSchema = z.object({
  contacts: z.array(z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), hasAccess: z.boolean() })),
});
const inviteSchema = z.object({ ok: z.literal(true), message: z.string(), link: z.string().optional() });

export async function getPortalContacts(companyId: string): Promise<PortalContact[]> {
  return (await requestCardApi(`/api/cards/companies/${pathSegment(companyId)}/portal-contacts`, contactsSchema)).contacts;
}

export function invitePortalContact(companyId: string, contactId: string): Promise<z.infer<typeof inviteSchema>> {
  return requestCardApi(`/api/cards/companies/${pathSegment(companyId)}/portal-invite`, inviteSchema, { method: 'POST', body: { contactId } });
}
