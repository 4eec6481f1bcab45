/**
 * The company card's "Invite to portal" (HubSpot-signed card requests, verified like the registration actions):
 *
 *   GET  /api/cards/companies/:companyId/portal-contacts  → { contacts: [{ id, name, email, hasAccess }] }
 *   POST /api/cards/companies/:companyId/portal-invite    { contactId } → { ok, message, link? }
 *
 * Only partner managers invite (403 before anything is read). Inviting sets `pp_portal_access` = true on the
 * contact (the app is its only setter) and mails a one-time sign-in link; when no mail can be sent the link is
 * returned for the manager to pass on.
 */
import { Router } from 'express';
import { z } from 'zod';
import { PayloadError } from '../errors.js';
import { readCompanyContacts, readContacts } from '../hubspot/contacts.js';
import type { Runtime } from '../runtime.js';
import { inviteContact } from '../services/portal/invite.js';
import { contactName } from '../services/portal/portal-access.js';
import type { PortalContext } from '../services/portal/portal-context.js';
import { rawBody } from '../server/middleware/raw-body.js';
import { verifyHubSpot, type SignatureSettings } from '../server/middleware/verify-hubspot.js';
import { cardIdentity, identityOf, requireUser } from '../server/cards/request-identity.js';
import { createPortalContext } from './routes.js';

const inviteSchema = z.object({ contactId: z.string().regex(/^\d+$/, 'a numeric HubSpot contact id') });

export function portalCardRoutes(rt: Runtime, deps: { signature: SignatureSettings; context?: PortalContext }): Router {
  const pc = deps.context ?? createPortalContext(rt);
  const router = Router();
  const base = '/api/cards/companies/:companyId';
  const guard = [...rawBody(16 * 1024), verifyHubSpot(deps.signature), cardIdentity({ portalId: rt.env.HUBSPOT_PORTAL_ID })];

  router.get(`${base}/portal-contacts`, ...guard, async (req, res) => {
    const companyId = idParam(String(req.params['companyId']));
    res.setHeader('Cache-Control', 'no-store');
    const ids = (await readCompanyContacts(pc.hs, [companyId])).get(companyId) ?? [];
    const contacts = await readContacts(pc.hs, ids.slice(0, 100));
    res.json({
      contacts: [...contacts.values()].map((c) => ({
        id: c.id,
        name: contactName(c.properties, `Contact ${c.id}`),
        email: c.properties.email ?? null,
        hasAccess: c.properties.pp_portal_access === 'true',
      })),
    });
  });

  router.post(`${base}/portal-invite`, ...guard, async (req, res) => {
    const companyId = idParam(String(req.params['companyId']));
    const userId = requireUser(identityOf(res));
    let json: unknown;
    try {
      json = JSON.parse((req.rawBody ?? Buffer.alloc(0)).toString('utf8'));
    } catch {
      throw new PayloadError('The invitation request is not JSON.');
    }
    const parsed = inviteSchema.safeParse(json);
    if (!parsed.success) throw new PayloadError(`Name the contact to invite (contactId: ${parsed.error.issues[0]?.message ?? 'missing'}).`);
    const result = await inviteContact(pc, { companyId, contactId: parsed.data.contactId, userId });
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ok: true, message: result.message, ...(result.mailed ? {} : { link: result.link.url }) });
  });
  return router;
}

function idParam(raw: string | undefined): string {
  if (raw === undefined || !/^\d+$/.test(raw)) throw new PayloadError(`"${raw ?? ''}" is not a HubSpot company id.`);
  return raw;
}
