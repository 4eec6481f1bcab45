/**
 * Mail for the partner portal, through nodemailer (the usual Node SMTP client: pooling, TLS, auth from one URL).
 * With SMTP_URL set, messages go to that server. Without it, in local development and the sandbox, they are
 * rendered by nodemailer's JSON transport and kept in a Redis outbox the portal shows at /portal/outbox, so a
 * new user sees the whole loop without a mail server. Elsewhere, without SMTP_URL, nothing is sent and the
 * caller is told so (an invite then shows the link to the partner manager instead).
 */
import type { Redis } from 'ioredis';
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface OutboxEntry extends MailMessage {
  from: string;
  /** Epoch ms. */
  at: number;
  /** The dedupe key of the notification, when it was one. */
  key?: string;
}

export interface Mailer {
  /** 'sent' to SMTP, 'outbox' kept locally, 'disabled' when no way to deliver is configured. */
  readonly mode: 'smtp' | 'outbox' | 'disabled';
  send(message: MailMessage & { key?: string }): Promise<'sent' | 'outbox' | 'disabled'>;
  /** Newest first; empty unless mode is 'outbox'. */
  outbox(limit?: number): Promise<OutboxEntry[]>;
}

/** The outbox keeps the last messages only: it is a demo aid, not an archive. */
const OUTBOX_KEEP = 200;

export function createMailer(opts: {
  smtpUrl: string | undefined;
  from: string;
  /** Keep mail in the local outbox when there is no SMTP server (local development, sandbox). */
  outboxAllowed: boolean;
  redis: Redis;
  prefix: string;
  clock: () => number;
}): Mailer {
  const outboxKey = `${opts.prefix}:outbox`;
  if (opts.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(opts.smtpUrl);
    return {
      mode: 'smtp',
      async send(m) {
        await transport.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text });
        return 'sent';
      },
      outbox: async () => [],
    };
  }
  if (!opts.outboxAllowed) {
    return { mode: 'disabled', send: async () => 'disabled', outbox: async () => [] };
  }
  const transport = nodemailer.createTransport({ jsonTransport: true });
  return {
    mode: 'outbox',
    async send(m) {
      // Rendered by nodemailer like a real message (address checks included), then kept.
      await transport.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text });
      const entry: OutboxEntry = { from: opts.from, to: m.to, subject: m.subject, text: m.text, at: opts.clock(), ...(m.key ? { key: m.key } : {}) };
      await opts.redis
        .multi()
        .lpush(outboxKey, JSON.stringify(entry))
        .ltrim(outboxKey, 0, OUTBOX_KEEP - 1)
        .exec();
      return 'outbox';
    },
    async outbox(limit = 50) {
      const raw = await opts.redis.lrange(outboxKey, 0, limit - 1);
      return raw.map((r) => JSON.parse(r) as OutboxEntry);
    },
  };
}
