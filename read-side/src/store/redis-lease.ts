/**
 * The projection lease in Redis (READ_SIDE_PROJECTIONS=auto): one key holding the holder's id with
 * an expiry. Taking it is SET NX PX; renewing and releasing check the holder first, in one script.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { ProjectionLease } from '../runner/lease';

export interface RedisLeaseOptions {
  readonly url: string;
  /** The lease's key, e.g. 'kefalet:projector'. */
  readonly key: string;
  /** Defaults to 10 s. */
  readonly ttlMs?: number;
  readonly onError?: (error: Error) => void;
}

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export async function openRedisLease(
  options: RedisLeaseOptions,
): Promise<ProjectionLease & { readonly holder: string; close(): Promise<void> }> {
  const { key } = options;
  const ttlMs = options.ttlMs ?? 10_000;
  const holder = randomUUID();
  const client = createClient({ url: options.url });
  client.on('error', options.onError ?? ((error) => console.error('Redis lease:', error)));
  await client.connect();
  const send = <T>(args: string[]) => client.sendCommand<T>(args);
  return {
    holder,
    ttlMs,
    async acquire() {
      if ((await send<string | null>(['SET', key, holder, 'NX', 'PX', String(ttlMs)])) === 'OK') {
        return true;
      }
      // already ours (a renewal that came late)
      return (await send<number>(['EVAL', RENEW, '1', key, holder, String(ttlMs)])) === 1;
    },
    async renew() {
      return (await send<number>(['EVAL', RENEW, '1', key, holder, String(ttlMs)])) === 1;
    },
    async release() {
      await send(['EVAL', RELEASE, '1', key, holder]);
    },
    async close() {
      await client.close();
    },
  };
}
