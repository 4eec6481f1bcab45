/**
 * Verify, then parse, then validate: the one way a HubSpot-signed body (webhook batch, workflow action
 * execution, card action) becomes typed data. Not JSON, or not the schema → PayloadError (400, HubSpot does not
 * retry a 4xx) with at most five issues, so a malformed request never reaches a service.
 */
import type { z } from 'zod';
import { PayloadError } from '../errors.js';

export interface ParseJsonBodyMessages {
  /** @defaultValue 'the body is not JSON' */
  notJson?: string;
  /** The message for a body that is JSON but not the schema; receives the issues as `path: message`. */
  invalid(issues: string[], error: z.ZodError): string;
}

export function parseJsonBody<S extends z.ZodType>(raw: Buffer | string | undefined, schema: S, messages: ParseJsonBodyMessages): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(typeof raw === 'string' ? raw : (raw ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    throw new PayloadError(messages.notJson ?? 'the body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
  throw new PayloadError(messages.invalid(issues, parsed.error), issues);
}
