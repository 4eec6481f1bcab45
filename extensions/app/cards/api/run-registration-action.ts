import type { RegistrationActionRequest } from './contract.js';
import { CardApiError, errorMessage } from './errors.js';
import { postRegistrationAction } from './post-registration-action.js';

export type RegistrationActionOutcome =
  | { ok: true; message: string }
  /** `stale`: the registration changed since the card loaded (409): offer a refresh rather than a retry. */
  | { ok: false; message: string; stale: boolean };

/** Posts a registration action and never throws: the outcome is what the card shows. */
export async function runRegistrationAction(dealId: string, request: RegistrationActionRequest): Promise<RegistrationActionOutcome> {
  try {
    const result = await postRegistrationAction(dealId, request);
    return { ok: true, message: result.message };
  } catch (err) {
    return { ok: false, message: errorMessage(err), stale: err instanceof CardApiError && err.isStale };
  }
}
