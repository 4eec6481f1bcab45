import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalescingLoader, createDispatchGate, type BatchKind, type DispatchGate } from '../../src/hubspot/dispatch-gate.js';

/** A loader whose batch calls are recorded and answered when the test says so. */
function recordingLoader(gate: DispatchGate, opts: { maxBatchSize?: number; shareWhileOpen?: boolean; kind?: BatchKind } = {}) {
  const batches: string[][] = [];
  const pending: (() => void)[] = [];
  const loader = coalescingLoader<string, string>(
    gate,
    (keys) =>
      new Promise((resolve) => {
        batches.push([...keys]);
        pending.push(() => resolve(keys.map((k) => `value of ${k}`)));
      }),
    { maxBatchSize: opts.maxBatchSize ?? 100, shareWhileOpen: opts.shareWhileOpen ?? false, ...(opts.kind ? { kind: opts.kind } : {}) },
  );
  return { loader, batches, answerAll: () => pending.splice(0).forEach((f) => f()) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('dispatch gate: batches fill under a stream of requests', () => {
  it('a lone request goes once the quiet period passes when nothing else is outstanding (a card read is not held back)', async () => {
    const gate = createDispatchGate({ quietMs: 20, maxWaitMs: 500, now: () => Date.now() });
    const { loader, batches, answerAll } = recordingLoader(gate);
    const value = loader.load('1');
    await vi.advanceTimersByTimeAsync(19);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([['1']]);
    answerAll();
    await expect(value).resolves.toBe('value of 1');
  });

  it('a stream of 250 requests 1 ms apart makes batches of 100, 100 and 50 (full, not window-sized)', async () => {
    const gate = createDispatchGate({ quietMs: 20, maxWaitMs: 500, now: () => Date.now() });
    const { loader, batches } = recordingLoader(gate);
    for (let i = 0; i < 250; i++) {
      void loader.load(String(i));
      await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(500);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it('while another call is outstanding, a small batch waits for more requests until maxWaitMs', async () => {
    const gate = createDispatchGate({ quietMs: 20, maxWaitMs: 500, now: () => Date.now() });
    const busy = recordingLoader(gate);
    const small = recordingLoader(gate);
    void busy.loader.load('x');
    await vi.advanceTimersByTimeAsync(20);
    expect(busy.batches).toHaveLength(1);

    void small.loader.load('a');
    await vi.advanceTimersByTimeAsync(100);
    void small.loader.load('b');
    await vi.advanceTimersByTimeAsync(100);
    expect(small.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(small.batches).toEqual([['a', 'b']]);
  });

  it('no more than maxInFlight calls are outstanding; a waiting batch keeps growing and goes when one returns', async () => {
    const gate = createDispatchGate({ maxInFlight: 1, quietMs: 20, maxWaitMs: 100, now: () => Date.now() });
    const { loader, batches, answerAll } = recordingLoader(gate);
    void loader.load('1');
    await vi.advanceTimersByTimeAsync(20);
    void loader.load('2');
    await vi.advanceTimersByTimeAsync(200);
    void loader.load('3');
    await vi.advanceTimersByTimeAsync(200);
    expect(batches).toEqual([['1']]);
    answerAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([['1'], ['2', '3']]);
  });

  it('reads: a key asked twice while its batch is open is one input with one answer; once sent, it is read again', async () => {
    const gate = createDispatchGate({ quietMs: 20, now: () => Date.now() });
    const { loader, batches, answerAll } = recordingLoader(gate, { maxBatchSize: 2, shareWhileOpen: true });
    const first = [loader.load('7'), loader.load('7'), loader.load('8')];
    await vi.advanceTimersByTimeAsync(0);
    // Two distinct keys fill a batch of 2 at once.
    expect(batches).toEqual([['7', '8']]);
    const later = loader.load('7');
    answerAll();
    // Goes once nothing has been outstanding for idleMs (100 ms): no maxWaitMs wait for a lone request.
    await vi.advanceTimersByTimeAsync(100);
    answerAll();
    await expect(Promise.all([...first, later])).resolves.toEqual(['value of 7', 'value of 7', 'value of 8', 'value of 7']);
    expect(batches).toEqual([['7', '8'], ['7']]);
  });

  it('writes: the same record twice in one batch stays two inputs (nothing is merged away by the loader)', async () => {
    const gate = createDispatchGate({ quietMs: 20, now: () => Date.now() });
    const { loader, batches } = recordingLoader(gate);
    void loader.load('5');
    void loader.load('5');
    await vi.advanceTimersByTimeAsync(20);
    expect(batches).toEqual([['5', '5']]);
  });
});

describe('dispatch gate: lead batches (what jobs wait on) and tail batches (what ends them)', () => {
  it('waiting for room, a lead batch goes before a tail batch that was ready first', async () => {
    const gate = createDispatchGate({ maxInFlight: 1, quietMs: 20, now: () => Date.now() });
    const busy = recordingLoader(gate, { kind: 'tail' });
    const tail = recordingLoader(gate, { maxBatchSize: 1, kind: 'tail' });
    const lead = recordingLoader(gate, { maxBatchSize: 1, kind: 'lead' });
    void busy.loader.load('x');
    await vi.advanceTimersByTimeAsync(20);
    void tail.loader.load('w');
    await vi.advanceTimersByTimeAsync(1);
    void lead.loader.load('r');
    await vi.advanceTimersByTimeAsync(1);
    // Both full, both waiting for the one slot.
    expect([tail.batches, lead.batches]).toEqual([[], []]);
    busy.answerAll();
    await vi.advanceTimersByTimeAsync(0);
    expect([tail.batches, lead.batches]).toEqual([[], [['r']]]);
  });

  it('a tail batch does not go while a lead batch is open: the jobs that lead batch holds back join it', async () => {
    const gate = createDispatchGate({ quietMs: 20, idleMs: 100, maxWaitMs: 2000, now: () => Date.now() });
    const lead = recordingLoader(gate, { kind: 'lead' });
    const tail = recordingLoader(gate, { kind: 'tail' });
    void tail.loader.load('w1');
    void lead.loader.load('r1');
    await vi.advanceTimersByTimeAsync(20);
    // The gate is idle, yet only the lead batch went.
    expect(lead.batches).toEqual([['r1']]);
    expect(tail.batches).toEqual([]);
    lead.answerAll();
    await vi.advanceTimersByTimeAsync(10);
    void tail.loader.load('w2');
    await vi.advanceTimersByTimeAsync(200);
    expect(tail.batches).toEqual([['w1', 'w2']]);
  });

  it('while other calls are outstanding, a lead batch waits at most leadMaxWaitMs and a tail batch maxWaitMs', async () => {
    const gate = createDispatchGate({ quietMs: 20, leadMaxWaitMs: 300, maxWaitMs: 1000, now: () => Date.now() });
    const busy = recordingLoader(gate);
    const lead = recordingLoader(gate, { kind: 'lead' });
    const tail = recordingLoader(gate, { kind: 'tail' });
    void busy.loader.load('x');
    await vi.advanceTimersByTimeAsync(20);
    void lead.loader.load('r');
    void tail.loader.load('w');
    await vi.advanceTimersByTimeAsync(299);
    expect(lead.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(lead.batches).toEqual([['r']]);
    await vi.advanceTimersByTimeAsync(699);
    expect(tail.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(tail.batches).toEqual([['w']]);
  });
});
