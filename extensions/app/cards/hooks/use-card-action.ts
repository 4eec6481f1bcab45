import { useCallback, useState } from 'react';
import { runCardAction } from '../api/activities.js';

export type CardActionState = { status: 'idle' } | { status: 'submitting' } | { status: 'failed'; title: string; message: string };

/**
 * One activity or bonus action at a time. On success `onSuccess` gets the backend's message (the caller shows it
 * and reloads); on failure the state carries the backend's refusal, with `title` naming what did not go through.
 */
export function useCardAction(onSuccess: (message: string) => void): {
  actionState: CardActionState;
  run: (title: string, action: () => Promise<{ message: string }>) => Promise<void>;
  dismiss: () => void;
} {
  const [actionState, setActionState] = useState<CardActionState>({ status: 'idle' });
  const run = useCallback(
    async (title: string, action: () => Promise<{ message: string }>) => {
      setActionState({ status: 'submitting' });
      const outcome = await runCardAction(action);
      if (outcome.ok) {
        setActionState({ status: 'idle' });
        onSuccess(outcome.message);
      } else {
        setActionState({ status: 'failed', title, message: outcome.message });
      }
    },
    [onSuccess],
  );
  const dismiss = useCallback(() => setActionState({ status: 'idle' }), []);
  return { actionState, run, dismiss };
}
