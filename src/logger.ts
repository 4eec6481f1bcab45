/**
 * Structured JSON logs (pino). Secrets never reach a log line: tokens and signatures are redacted by path.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'partner-program', ...bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'accessToken',
        'token',
        'clientSecret',
        'secret',
        'headers.authorization',
        'req.headers.authorization',
        'req.headers["x-hubspot-signature"]',
        'req.headers["x-hubspot-signature-v3"]',
        '*.accessToken',
        '*.clientSecret',
      ],
      censor: '[redacted]',
    },
  });
}

/** For tests and tools that want silence. */
export const silentLogger: Logger = pino({ level: 'silent' });
