/**
 * What can go wrong talking to HubSpot, as typed errors. `status` (from AppError) is the answer one of our own
 * edges gives when the error reaches it; HubSpot's own HTTP status is `hubspotStatus`. A HubSpot 4xx is our
 * request being wrong, not the card user's, so the edge answers 502 rather than echoing HubSpot's 400 or 403.
 */
import { AppError } from '../errors.js';

export interface HubSpotErrorDetails {
  /** The operation name given to `hs.request` (e.g. `deals.batchUpdate`). */
  operation: string;
  /** HubSpot's HTTP status, or `network` when no HTTP answer came back. */
  hubspotStatus: number | 'network';
  /** HubSpot's `category` (e.g. VALIDATION_ERROR, OBJECT_NOT_FOUND, RATE_LIMIT). */
  category?: string | undefined;
  /** HubSpot's `x-hubspot-correlation-id` (or body `correlationId`): quote it to HubSpot support. */
  correlationId?: string | undefined;
  /** HubSpot's error body (message, category, `errors[]` with the failed rule's context), when it sent JSON. */
  hubspotBody?: Record<string, unknown> | undefined;
  cause?: unknown;
}

export abstract class HubSpotError extends AppError {
  readonly operation: string;
  readonly hubspotStatus: number | 'network';
  readonly category: string | undefined;
  readonly correlationId: string | undefined;
  readonly hubspotBody: Record<string, unknown> | undefined;

  protected constructor(message: string, details: HubSpotErrorDetails, opts: { status: number; retryable: boolean }) {
    super(message, { status: opts.status, retryable: opts.retryable, cause: details.cause });
    this.operation = details.operation;
    this.hubspotStatus = details.hubspotStatus;
    this.category = details.category;
    this.correlationId = details.correlationId;
    this.hubspotBody = details.hubspotBody;
  }
}

/** HubSpot refused the request (4xx other than 429): retrying the same request cannot help. */
export class HubSpotClientError extends HubSpotError {
  declare readonly hubspotStatus: number;

  constructor(message: string, details: HubSpotErrorDetails & { hubspotStatus: number }) {
    super(message, details, { status: 502, retryable: false });
  }
}

/** HubSpot failed (5xx) or did not answer, and kept failing through our backoff: worth retrying later. */
export class HubSpotServerError extends HubSpotError {
  constructor(message: string, details: HubSpotErrorDetails) {
    super(message, details, { status: 502, retryable: true });
  }
}

/**
 * HubSpot answered 429 more often than we are willing to wait in-process, or hit the DAILY policy (never waited
 * for in-process: it lasts until midnight). `retryAfterMs` is how long the caller (a BullMQ worker) should park.
 */
export class HubSpotRateLimitError extends HubSpotError {
  readonly retryAfterMs: number;
  /** HubSpot's `policyName` (TEN_SECONDLY_ROLLING, DAILY, …) when it sent one. */
  readonly policy: string | undefined;

  constructor(message: string, details: HubSpotErrorDetails & { retryAfterMs: number; policy?: string | undefined }) {
    super(message, { ...details, hubspotStatus: 429 }, { status: 503, retryable: true });
    this.retryAfterMs = details.retryAfterMs;
    this.policy = details.policy;
  }
}

export interface BatchInputFailure {
  /** The input's id (record id, or the idProperty value for upserts) when HubSpot names it. */
  id: string | null;
  category: string;
  message: string;
}

/**
 * A batch call answered 207 with per-input errors. The inputs HubSpot applied stay applied (HubSpot has no
 * rollback); `succeededIds` lists them so the caller knows exactly what was written. Not retryable as is:
 * per-input errors are about the input (a deleted record, an invalid option), and a blind retry repeats them.
 */
export class HubSpotBatchError extends AppError {
  readonly operation: string;
  readonly failedIds: string[];
  readonly succeededIds: string[];
  readonly failures: BatchInputFailure[];

  constructor(operation: string, result: { failedIds: string[]; succeededIds: string[]; failures: BatchInputFailure[] }) {
    const first = result.failures[0];
    super(
      `${operation}: ${result.failedIds.length} of ${result.failedIds.length + result.succeededIds.length} inputs failed ` +
        `(${result.failedIds.join(', ')})${first ? `: ${first.category} ${first.message}` : ''}`,
      { status: 502, retryable: false },
    );
    this.operation = operation;
    this.failedIds = result.failedIds;
    this.succeededIds = result.succeededIds;
    this.failures = result.failures;
  }
}

/**
 * HubSpot refused one record's write: a portal validation rule (API 2026-09 enforces them on API writes) or a
 * value it does not accept. The other records of the same batch were written. Not retryable: the same write
 * breaks the same rule until someone changes the record or the rule.
 */
export class HubSpotRecordRefusedError extends AppError {
  constructor(
    readonly objectType: string,
    readonly recordId: string,
    readonly category: string,
    readonly reason: string,
  ) {
    // The record is the job's own subject (and in the log line), so the message is the same for every record
    // a rule refused: an operator sees one reason for many deals, not many reasons.
    super(`HubSpot refused this ${objectType}'s write (${category}): ${reason}`, { status: 502, retryable: false });
  }
}

/** The `pp_payout` custom object is not defined in this portal. */
export class PayoutSchemaMissingError extends AppError {
  constructor(objectName: string) {
    super(
      `HubSpot has no custom object schema named "${objectName}": run \`npm run provision\` against this portal ` +
        '(custom objects need an Enterprise portal and the crm.schemas.custom.write scope).',
      { status: 500, retryable: false },
    );
  }
}

/** A HubSpot answer that does not have the shape its API documents. */
export class HubSpotResponseError extends AppError {
  constructor(operation: string, issue: string) {
    super(`${operation}: unexpected HubSpot response (${issue})`, { status: 502, retryable: false });
  }
}
