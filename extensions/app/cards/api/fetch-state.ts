/**
 * The state of one card fetch as a single tagged union, and the rule that only the latest request may set it:
 * a Retry or a refetch after an action can overtake a slow earlier response, which must then be dropped.
 * Plain TypeScript so the cards and the app home page (separate bundles, separate Reacts) share it.
 */
import { errorMessage } from './errors.js';

export type FetchState<T> = { status: 'loading' } | { status: 'success'; data: T } | { status: 'error'; message: string };

export interface LatestLoader<T> {
  /** Starts a load; the outcome of any load started before it is ignored from now on. */
  load(run: () => Promise<T>): void;
  /** Ignores every load in flight (the component unmounted or now shows another record). */
  cancel(): void;
}

export function createLatestLoader<T>(apply: (state: FetchState<T>) => void): LatestLoader<T> {
  let latest = 0;
  return {
    load(run) {
      const id = ++latest;
      apply({ status: 'loading' });
      run().then(
        (data) => {
          if (id === latest) apply({ status: 'success', data });
        },
        (err: unknown) => {
          if (id === latest) apply({ status: 'error', message: errorMessage(err) });
        },
      );
    },
    cancel() {
      latest++;
    },
  };
}
