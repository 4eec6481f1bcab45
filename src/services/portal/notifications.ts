/**
 * Email notifications to a partner's portal users (docs/program.md#partner-portal): a registration of theirs decided
 * (approved, rejected, disputed), protection expiring (the 30-day warning), a payout scheduled, put on hold or
 * paid. Hooked where those events happen (decideRegistration, the expiry sweep, the payout sync) through
 * `SyncContext.notify`; each event is sent once: its key is claimed in Redis (SET NX) before mailing, and
 * released if nothing could be sent, so a retried job or a repeated recompute never mails twice.
 * A notification never fails the work that caused it: errors are logged.
 */
import type { Redis } from 'ioredis';
import { formatMoney } from '../../engine/money.js';
import type { HubSpot } from '../../hubspot/client.js';
import { readCompanyContacts, readContactCompanies, readContacts } from '../../hubspot/contacts.js';
import type { Logger } from '../../logger.js';
import type { CrmAccess } from '../../hubspot/crm-access.js';
import type { Mailer } from './mailer.js';
import { partnerHoldReason } from './hold-reason.js';
import { contactName } from './portal-access.js';

export type PortalEvent =
  | {
      type: 'registration_decided';
      dealId: string;
      partnerId: string;
      status: 'approved' | 'rejected' | 'disputed';
      at: number;
      protectionEndsOn?: string | null;
      reason?: string | null;
    }
  | { type: 'protection_expiring'; dealId: string; partnerId: string; endsOn: string; daysLeft: number }
  | {
      type: 'payout';
      key: string;
      dealId: string;
      partnerId: string;
      status: 'scheduled' | 'on_hold' | 'paid';
      amount: number;
      currency: string;
      holdReason: string | null;
    };

export type Notify = (event: PortalEvent) => Promise<void>;

/** Dedupe keys outlive any event's repeats (a paid payout is recomputed for years). */
const SENT_KEEP_SECONDS = 3 * 365 * 86_400;

export function eventKey(e: PortalEvent): string {
  switch (e.type) {
    case 'registration_decided':
      return `registration:${e.dealId}:${e.partnerId}:${e.status}:${e.at}`;
    case 'protection_expiring':
      return `expiring:${e.dealId}:${e.partnerId}:${e.endsOn}`;
    case 'payout':
      return `payout:${e.key}:${e.status}`;
  }
}

export interface NotifierDeps {
  hs: HubSpot;
  crm: CrmAccess;
  redis: Redis;
  prefix: string;
  mailer: Mailer;
  publicBaseUrl: string;
  logger: Logger;
}

export function createNotifier(deps: NotifierDeps): Notify {
  return async (event) => {
    const key = eventKey(event);
    const sentKey = `${deps.prefix}:notified:${key}`;
    try {
      if (deps.mailer.mode === 'disabled') return;
      const claimed = await deps.redis.set(sentKey, '1', 'EX', SENT_KEEP_SECONDS, 'NX');
      if (claimed === null) return;
      let sent = 0;
      try {
        const recipients = await portalUsersOf(deps, event.partnerId);
        if (recipients.length === 0) return;
        const deal = await deps.crm.deal(event.dealId).catch(() => null);
        const dealName = deal?.properties.dealname?.trim() || `Deal ${event.dealId}`;
        const message = compose(event, dealName, deps.publicBaseUrl);
        for (const r of recipients) {
          await deps.mailer.send({ to: r.email, subject: message.subject, text: `Hello ${r.name},\n\n${message.text}`, key });
          sent++;
        }
      } finally {
        if (sent === 0) await deps.redis.del(sentKey);
      }
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message, key }, 'portal notification not sent');
    }
  };
}

/**
 * Portal users of a partner: its associated contacts with `pp_portal_access` = true, an email, and no other
 * partner company (a contact of two partner companies is not a portal user until one association goes).
 */
async function portalUsersOf(deps: NotifierDeps, partnerId: string): Promise<{ email: string; name: string }[]> {
  const contactIds = (await readCompanyContacts(deps.hs, [partnerId])).get(partnerId) ?? [];
  if (contactIds.length === 0) return [];
  const contacts = [...(await readContacts(deps.hs, contactIds)).values()].filter(
    (c) => c.properties.pp_portal_access === 'true' && c.properties.email?.trim(),
  );
  if (contacts.length === 0) return [];
  const companiesOf = await readContactCompanies(
    deps.hs,
    contacts.map((c) => c.id),
  );
  const otherIds = [...new Set([...companiesOf.values()].flat().filter((id) => id !== partnerId))];
  const others = await deps.crm.companies(otherIds);
  const otherPartners = new Set(others.flatMap((c) => (c && (c.properties.pp_partner_type ?? '').trim() !== '' ? [c.id] : [])));
  return contacts.flatMap((c) => {
    if ((companiesOf.get(c.id) ?? []).some((id) => otherPartners.has(id))) return [];
    const email = c.properties.email!.trim();
    return [{ email, name: contactName(c.properties, email) }];
  });
}

export function compose(e: PortalEvent, dealName: string, baseUrl: string): { subject: string; text: string } {
  const link = `${baseUrl}/portal/referrals/${e.dealId}`;
  const footer = `\n\nOpen the partner portal: ${baseUrl}/portal\n`;
  switch (e.type) {
    case 'registration_decided': {
      if (e.status === 'approved') {
        return {
          subject: `Registration approved: ${dealName}`,
          text: `Your registration of "${dealName}" was approved.${e.protectionEndsOn ? ` The deal is protected for you until ${e.protectionEndsOn}.` : ''}\n${link}${footer}`,
        };
      }
      if (e.status === 'rejected') {
        return {
          subject: `Registration rejected: ${dealName}`,
          text: `Your registration of "${dealName}" was rejected.${e.reason ? ` Reason: ${e.reason}` : ''}\n${link}${footer}`,
        };
      }
      return {
        subject: `Registration disputed: ${dealName}`,
        text: `Your registration of "${dealName}" collides with another partner's protected registration for the same customer. A partner manager will resolve it; payouts wait until then.\n${link}${footer}`,
      };
    }
    case 'protection_expiring':
      return {
        subject: `Protection ends in ${e.daysLeft} days: ${dealName}`,
        text: `Your registration of "${dealName}" protects the deal until ${e.endsOn} (${e.daysLeft} days left). Protection ends then unless the deal is won first.\n${link}${footer}`,
      };
    case 'payout': {
      const amount = formatMoney(e.amount, e.currency);
      if (e.status === 'scheduled')
        return { subject: `Payout scheduled: ${amount} for ${dealName}`, text: `A payout of ${amount} for "${dealName}" is scheduled.${footer}` };
      if (e.status === 'paid') return { subject: `Payout paid: ${amount} for ${dealName}`, text: `A payout of ${amount} for "${dealName}" was paid.${footer}` };
      return {
        subject: `Payout on hold: ${amount} for ${dealName}`,
        text: `A payout of ${amount} for "${dealName}" is on hold. Why: ${partnerHoldReason(e.holdReason)} Your partner manager can tell you more.${footer}`,
      };
    }
  }
}
