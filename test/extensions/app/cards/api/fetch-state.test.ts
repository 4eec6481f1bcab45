import { describe, expect, it } from 'vitest';
import { createLatestLoader, type FetchState } from '../../../../../extensions/app/cards/api/fetch-state.js';
import { CardApiError } from '../../../../../extensions/app/cards/api/errors.js';
import { deferred } from '../../../fixtures/fake-backend.js';

const flush = () => new Promise((settle) => setTimeout(settle, 0));

function recorder() {
  const states: FetchState<string>[] = [];
  return { states, loader: createLatestLoader<string>((s) => states.push(s)) };
}

describe('createLatestLoader: only the latest request sets the card state', () => {
  it('a load goes loading → success', async () => {
    const { states, loader } = recorder();
    loader.load(async () => 'deal 101');
    await flush();
    expect(states).toEqual([{ status: 'loading' }, { status: 'success', data: 'deal 101' }]);
  });

  it('a failure becomes an error with the message to show', async () => {
    const { states, loader } = recorder();
    loader.load(() => Promise.reject(new CardApiError('HubSpot did not answer in time.', 503, 'hubspot_unavailable')));
    await flush();
    expect(states).toEqual([{ status: 'loading' }, { status: 'error', message: 'HubSpot did not answer in time.' }]);
  });

  it('an earlier load that answers after a later one is ignored', async () => {
    const { states, loader } = recorder();
    const first = deferred<string>();
    loader.load(() => first.promise);
    loader.load(async () => 'new deal');
    await flush();
    first.resolve('old deal');
    await flush();
    expect(states).toEqual([{ status: 'loading' }, { status: 'loading' }, { status: 'success', data: 'new deal' }]);
  });

  it('an earlier load that fails after a later one succeeded does not turn the card into an error', async () => {
    const { states, loader } = recorder();
    let failFirst!: (e: Error) => void;
    loader.load(() => new Promise<string>((_resolve, reject) => (failFirst = reject)));
    loader.load(async () => 'new deal');
    await flush();
    failFirst(new Error('socket hang up'));
    await flush();
    expect(states).toEqual([{ status: 'loading' }, { status: 'loading' }, { status: 'success', data: 'new deal' }]);
  });

  it('after cancel (unmount, another record) nothing in flight is applied', async () => {
    const { states, loader } = recorder();
    const pending = deferred<string>();
    loader.load(() => pending.promise);
    loader.cancel();
    pending.resolve('deal 101');
    await flush();
    expect(states).toEqual([{ status: 'loading' }]);
  });
});
