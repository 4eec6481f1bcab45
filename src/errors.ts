/**
 * One error family for the whole app. `status` is the HTTP answer an edge gives for it; `retryable` tells a
 * worker whether BullMQ should try again (false → UnrecoverableError, the job stays visible as failed).
 */
export class AppError extends Error {
  readonly status: number;
  readonly retryable: boolean;

  constructor(message: string, opts: { status?: number; retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.status = opts.status ?? 500;
    this.retryable = opts.retryable ?? false;
  }
}

/** A request whose HubSpot signature is missing, forged or too old. */
export class SignatureError extends AppError {
  constructor(message: string) {
    super(message, { status: 401 });
  }
}

/** A body that is not what the endpoint accepts. */
export class PayloadError extends AppError {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message, { status: 400 });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(message, { status: 404 });
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(message, { status: 403 });
  }
}

/** The record changed since the caller read it (a stale card action). */
export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, { status: 409 });
  }
}

/** Redis did not take the work: the caller (HubSpot) should retry later. */
export class QueueUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super(message, { status: 503, retryable: true, cause });
  }
}
