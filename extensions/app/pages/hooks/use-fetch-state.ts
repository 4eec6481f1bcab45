/**
 * The home page's twin of cards/hooks/use-fetch-state.ts. HubSpot bundles pages/ with its own node_modules,
 * so a hook imported from cards/ would run against the cards' copy of React and break; only plain modules
 * (cards/api, cards/format) are shared across the two bundles.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createLatestLoader, type FetchState } from '../../cards/api/fetch-state.js';

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
