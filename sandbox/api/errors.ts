/**
 * HubSpot-shaped API errors. Every error the sandbox answers has HubSpot's body
 * (`{ status: 'error', message, correlationId, category, ... }`), because the app's HubSpot layer branches on
 * `category`, `subCategory` and `policyName` exactly as it will against the real API.
 */
import { randomUUID } from 'node:crypto';

export type ErrorCategory =
  'VALIDATION_ERROR' | 'OBJECT_NOT_FOUND' | 'OBJECT_ALREADY_EXISTS' | 'CONFLICT' | 'INVALID_AUTHENTICATION' | 'RATE_LIMIT' | 'MISSING_SCOPES';

export class SandboxApiError extends Error {
  constructor(
    readonly status: number,
    readonly category: ErrorCategory,
    message: string,
    readonly extra: { subCategory?: string; context?: Record<string, string[]>; errors?: ErrorDetail[] } = {},
  ) {
    super(message);
    this.name = 'SandboxApiError';
  }
}

/**
 * A write refused by one of the portal's validation rules (enforced on API writes from 2026-09): HubSpot's
 * changelog shows a 400 VALIDATION_ERROR with the rule in `errors[]`. Whether the answer names the record is
 * not documented, so it does not (the app must find the record itself).
 */
export class ValidationRuleError extends SandboxApiError {
  constructor(
    readonly recordId: string | null,
    readonly ruleMessage: string,
    property: string,
  ) {
    super(400, 'VALIDATION_ERROR', 'One or more validation rules were not met', {
      errors: [{ message: ruleMessage, code: 'VALIDATION_RULE_FAILED', context: { propertyName: [property] } }],
    });
  }
}

export interface ErrorDetail {
  message: string;
  code?: string;
  in?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
}

/** A per-input failure inside a 207 batch answer (HubSpot's `StandardError`). */
export interface StandardError {
  status: 'error';
  category: string;
  subCategory?: string;
  message: string;
  context: Record<string, string[]>;
  errors: ErrorDetail[];
  links: Record<string, string>;
}

export function errorBody(err: SandboxApiError, correlationId: string = randomUUID()): Record<string, unknown> {
  return {
    status: 'error',
    message: err.message,
    correlationId,
    category: err.category,
    ...(err.extra.subCategory === undefined ? {} : { subCategory: err.extra.subCategory }),
    ...(err.extra.context === undefined ? {} : { context: err.extra.context }),
    ...(err.extra.errors === undefined ? {} : { errors: err.extra.errors }),
  };
}

export function notFound(message: string, context?: Record<string, string[]>): SandboxApiError {
  return new SandboxApiError(404, 'OBJECT_NOT_FOUND', message, context ? { context } : {});
}

export function invalid(message: string, errors?: ErrorDetail[]): SandboxApiError {
  return new SandboxApiError(400, 'VALIDATION_ERROR', message, errors ? { errors } : {});
}

/** One entry of HubSpot's "Property values were not valid" message. */
export interface PropertyValueIssue {
  name: string;
  /** HubSpot's error code: PROPERTY_DOESNT_EXIST, INVALID_OPTION, INVALID_DOUBLE, INVALID_DATE, READ_ONLY_VALUE … */
  error: string;
  message: string;
}

/**
 * HubSpot rejects the whole write with one message that embeds the per-property issues as JSON text; apps
 * that log it need nothing else, apps that parse it find `error` and `name` as in production.
 */
export function propertyValuesInvalid(issues: PropertyValueIssue[], portalId: number): SandboxApiError {
  const embedded = issues.map((i) => ({
    isValid: false,
    message: i.message,
    error: i.error,
    name: i.name,
    localizedErrorMessage: i.message,
    portalId,
  }));
  return new SandboxApiError(400, 'VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(embedded)}`);
}

export function standardError(category: string, message: string, context: Record<string, string[]>, subCategory?: string): StandardError {
  return {
    status: 'error',
    category,
    ...(subCategory === undefined ? {} : { subCategory }),
    message,
    context,
    errors: [],
    links: {},
  };
}
