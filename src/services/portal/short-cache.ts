/**
 * A short in-process cache for the portal's HubSpot reads: a partner reloading a page does not read its deals
 * again for a few seconds, and concurrent loads of the same view share one read. Entries are dropped after a
 * write the partner made (a submission), so what they just did shows at once.
 */
export interface ShortCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Forget every entry whose key starts with `prefix`. */
  forget(prefix: string): void;
}

export function createShortCache(opts: { ttlMs: number; clock: () => number; maxEntries?: number }): ShortCache {
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();
  const max = opts.maxEntries ?? 1_000;
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const now = opts.clock();
      const hit = entries.get(key);
      if (hit && now - hit.at < opts.ttlMs) return hit.value as Promise<T>;
      const value = load();
      entries.set(key, { at: now, value });
      // A failed load is not kept: the next request tries again.
      value.catch(() => entries.get(key)?.value === value && entries.delete(key));
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
      return value;
    },
    forget(prefix) {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
  };
}
