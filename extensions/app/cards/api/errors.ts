/**
 * Why a card request failed, in words a HubSpot user can act on. `status` is the HTTP status (0 when the
 * backend was not reached); `code` is the backend's error code, or one of the card's own below.
 */
export class CardApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'CardApiError';
  }

  /** The registration changed since the card loaded: refresh, then decide again. */
  get isStale(): boolean {
    return this.status === 409;
  }
}

export const UNREACHABLE = 'unreachable';
export const INVALID_RESPONSE = 'invalid_response';

/** The message to show for anything thrown while talking to the backend. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message !== '') return err.message;
  return 'Something went wrong while talking to the partner-program service.';
}
