/**
 * Redis connections. BullMQ workers need `maxRetriesPerRequest: null` (they block on Redis and must wait
 * through a blip); the receiver's producer connection instead fails fast so a webhook gets a 503 at once
 * when Redis is down and HubSpot retries it later.
 */
import { Redis, type RedisOptions } from 'ioredis';

export type ConnectionRole = 'producer' | 'worker';

export function createRedis(url: string, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, commandTimeout: 5000, ...extra };
  // ioredis reads host, port, password and the db number (`redis://host:6379/2`) from the URL.
  return new Redis(url, options);
}

/** One PING with a deadline: the start-up check and /readyz. */
export async function pingRedis(redis: Redis, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    });
    return (await Promise.race([redis.ping(), timeout])) === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** A throwaway connection that tells whether Redis answers at all, without retrying for ever. */
export async function redisAnswers(url: string, timeoutMs = 2000): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: timeoutMs, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return await pingRedis(probe, timeoutMs);
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
