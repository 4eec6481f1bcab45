import { useCallback, useState } from 'react';
import type { RegistrationActionName, RegistrationActionRequest } from '../api/contract.js';
import { runRegistrationAction } from '../api/run-registration-action.js';

export type RegistrationActionState =
  { status: 'idle' } | { status: 'submitting'; action: RegistrationActionName } | { status: 'failed'; message: string; stale: boolean };

/**
 * One registration action at a time. On success `onSuccess` gets the backend's message (the card then
 * refetches); on failure the state carries the message to show.
 */
export function useRegistrationAction(onSuccess: (message: string) => void): {
  actionState: RegistrationActionState;
  submit: (dealId: string, request: RegistrationActionRequest) => Promise<void>;
  dismiss: () => void;
} {
  const [actionState, setActionState] = useState<RegistrationActionState>({ status: 'idle' });
  const submit = useCallback(
    async (dealId: string, request: RegistrationActionRequest) => {
      setActionState({ status: 'submitting', action: request.action });
      const outcome = await runRegistrationAction(dealId, request);
      if (outcome.ok) {
        setActionState({ status: 'idle' });
        onSuccess(outcome.message);
      } else {
        setActionState({ status: 'failed', message: outcome.message, stale: outcome.stale });
      }
    },
    [onSuccess],
  );
  const dismiss = useCallback(() => setActionState({ status: 'idle' }), []);
  return { actionState, submit, dismiss };
}
