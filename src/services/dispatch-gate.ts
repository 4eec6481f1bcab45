/**
 * Lets batches grow while HubSpot is busy. A loader's batch is sent when its short window ends, but only once
 * fewer than `maxInFlight` batch calls of this process are outstanding; while the shared rate limiter holds
 * calls back, new requests keep joining the waiting batches instead of forming many small ones. Under a burst
 * this is what turns thousands of requests into tens of calls.
 */
export interface DispatchGate {
  /** For a DataLoader `batchScheduleFn`: run `dispatch` after the window, once the gate has room. */
  schedule(dispatch: () => void): void;
  /** Wrap a batch call so the gate counts it while it is outstanding. */
  run<T>(call: () => Promise<T>): Promise<T>;
}

export function createDispatchGate(opts: { maxInFlight?: number; windowMs?: number } = {}): DispatchGate {
  const maxInFlight = opts.maxInFlight ?? 4;
  const windowMs = opts.windowMs ?? 20;
  let inFlight = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    while (inFlight < maxInFlight && waiting.length > 0) {
      inFlight++;
      waiting.shift()!();
    }
  };

  return {
    schedule(dispatch) {
      setTimeout(() => {
        waiting.push(dispatch);
        release();
      }, windowMs);
    },
    async run(call) {
      try {
        return await call();
      } finally {
        inFlight--;
        release();
      }
    },
  };
}
