/**
 * The partner-manager page's version of cards/hooks/use-registration-action.ts: the page decides on many deals,
 * so its state also names the deal being submitted or that failed.
 */
import { useCallback, useState } from 'react';
import type { RegistrationActionName, RegistrationActionRequest } from '../../cards/api/contract.js';
import { runRegistrationAction } from '../../cards/api/run-registration-action.js';

export type RegistrationActionState =
  | { status: 'idle' }
  | { status: 'submitting'; dealId: string; action: RegistrationActionName }
  | { status: 'failed'; dealName: string; message: string; stale: boolean };

export function useRegistrationAction(onSuccess: (message: string) => void): {
  actionState: RegistrationActionState;
  submit: (deal: { id: string; name: string }, request: RegistrationActionRequest) => Promise<void>;
  dismiss: () => void;
} {
  const [actionState, setActionState] = useState<RegistrationActionState>({ status: 'idle' });
  const submit = useCallback(
    async (deal: { id: string; name: string }, request: RegistrationActionRequest) => {
      setActionState({ status: 'submitting', dealId: deal.id, action: request.action });
      const outcome = await runRegistrationAction(deal.id, request);
      if (outcome.ok) {
        setActionState({ status: 'idle' });
        onSuccess(outcome.message);
      } else {
        setActionState({ status: 'failed', dealName: deal.name, message: outcome.message, stale: outcome.stale });
      }
    },
    [onSuccess],
  );
  const dismiss = useCallback(() => setActionState({ status: 'idle' }), []);
  return { actionState, submit, dismiss };
}
