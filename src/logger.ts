/**
 * Structured logs (pino). Secrets never reach a log line: tokens and signatures are redacted by path.
 *
 * The format is LOG_FORMAT: `json` (one object per line, for log collectors), `pretty` (one coloured line per
 * event, pino-pretty, for people), or `auto`: pretty when stdout is a terminal and no test runner is running,
 * JSON otherwise. Redaction happens before either format sees a line.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** The values of LOG_FORMAT (src/config/env.ts). */
export type LogFormat = 'auto' | 'json' | 'pretty';

/** What `auto` means: pretty for a person at a terminal, JSON for pipes, files, collectors and test runs. */
export function resolveLogFormat(
  format: LogFormat,
  stdout: { isTTY?: boolean } = process.stdout,
  env: Record<string, string | undefined> = process.env,
): 'json' | 'pretty' {
  if (format !== 'auto') return format;
  const underTest = env.VITEST !== undefined || env.NODE_ENV === 'test';
  return stdout.isTTY === true && !underTest ? 'pretty' : 'json';
}

export interface LoggerOutput {
  format?: LogFormat;
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
}

export function createLogger(level: string, bindings: Record<string, unknown> = {}, output: LoggerOutput = {}): Logger {
  const options: LoggerOptions = {
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
  };
  // A destination other than stdout is a file or a pipe, never a terminal.
  const format = resolveLogFormat(output.format ?? 'auto', output.destination === undefined ? process.stdout : {});
  if (format === 'json') return output.destination === undefined ? pino(options) : pino(options, output.destination);
  // In-process and synchronous (no transport worker thread): a line is on the terminal before the process exits.
  const stream = pretty({
    colorize: output.destination === undefined ? pretty.isColorSupported : false,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    sync: true,
    ...(output.destination === undefined ? {} : { destination: output.destination }),
  });
  return pino(options, stream);
}

/** For tests and tools that want silence. */
export const silentLogger: Logger = pino({ level: 'silent' });
