import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createLatestLoader, type FetchState } from '../api/fetch-state.js';

/**
 * Loads once per `key` (the record id) and on `reload()`. `load` may change identity on every render; the
 * latest one is used without restarting the fetch.
 */
export function useFetchState<T>(load: () => Promise<T>, key: string): { state: FetchState<T>; reload: () => void } {
  const [state, setState] = useState<FetchState<T>>({ status: 'loading' });
  const loader = useMemo(() => createLatestLoader<T>(setState), []);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => loader.load(() => loadRef.current()), [loader]);
  useEffect(() => {
    reload();
    return () => loader.cancel();
  }, [key, reload, loader]);
  return { state, reload };
}
