/**
 * The Redis adapter of the read-model store port (node-redis v6), for the scaled-out mode.
 *
 * Keys, under the prefix:
 *   current            the id of the version queries read
 *   seq                the last version id handed out
 *   versions           set of live version ids (the current one and rebuilds in progress)
 *   v:<id>:cp          hash projection -> checkpoint (decimal string)
 *   v:<id>:c:<coll>    hash document id -> JSON
 *   v:<id>:i:<index>   sorted set of members by score
 *
 * Every write and every read of the current version is one Lua script: a batch checks the version is
 * live and the checkpoints unchanged before writing anything (one round trip, no WATCH retries); a
 * query resolves `current` and reads under it in one step. Scripts that resolve `current` reach keys
 * they do not declare, so this adapter needs a standalone Redis (or one Cluster slot), not a Cluster.
 */
import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import { serialiseBatch } from './batch';
import type {
  Batch,
  BatchOutcome,
  IndexEntry,
  RangeOptions,
  ReadModelReader,
  ReadModelStore,
  ReadModelVersion,
  ScoreBounds,
} from './port';

export interface RedisReadModelStoreOptions {
  /** Defaults to redis://127.0.0.1:6379. */
  readonly url?: string;
  /** Put before every key, e.g. 'kefalet:rm:'. */
  readonly prefix: string;
  /** Connection errors (node-redis reconnects by itself). Defaults to console.error. */
  readonly onError?: (error: Error) => void;
}

const APPLY = script(`
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return 'stale' end
local moves = tonumber(ARGV[2])
for i = 0, moves - 1 do
  local at = 3 + i * 3
  if (redis.call('HGET', KEYS[2], ARGV[at]) or '0') ~= ARGV[at + 1] then return 'stale' end
end
for i = 0, moves - 1 do
  local at = 3 + i * 3
  redis.call('HSET', KEYS[2], ARGV[at], ARGV[at + 2])
end
local at = 3 + moves * 3
for k = 3, #KEYS do
  local kind, field, value = ARGV[at], ARGV[at + 1], ARGV[at + 2]
  if kind == 'put' then redis.call('HSET', KEYS[k], field, value)
  elseif kind == 'delete' then redis.call('HDEL', KEYS[k], field)
  elseif kind == 'index' then redis.call('ZADD', KEYS[k], value, field)
  else redis.call('ZREM', KEYS[k], field) end
  at = at + 3
end
return 'applied'`);

// ARGV: the key's text before the version id, after it, the command, its arguments.
const READ_CURRENT = script(`
local version = redis.call('GET', KEYS[1])
if not version then return false end
return redis.call(ARGV[3], ARGV[1] .. version .. ARGV[2], unpack(ARGV, 4))`);

const CURRENT = script(`
local version = redis.call('GET', KEYS[1])
if version then return version end
version = tostring(redis.call('INCR', KEYS[2]))
redis.call('SADD', KEYS[3], version)
redis.call('SET', KEYS[1], version)
return version`);

const CREATE = script(`
local version = tostring(redis.call('INCR', KEYS[1]))
redis.call('SADD', KEYS[2], version)
return version`);

// Returns {1, previous id or ''} when swapped, {0, ''} when the version is not live.
const SWAP = script(`
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return {0, ''} end
local previous = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1])
if not previous or previous == ARGV[1] then return {1, ''} end
redis.call('SREM', KEYS[2], previous)
return {1, previous}`);

const DROP = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end
redis.call('SREM', KEYS[2], ARGV[1])
return 1`);

export async function openRedisReadModelStore(
  options: RedisReadModelStoreOptions,
): Promise<ReadModelStore> {
  const { prefix } = options;
  const client = createClient({ url: options.url ?? 'redis://127.0.0.1:6379' });
  client.on('error', options.onError ?? ((error) => console.error('Redis read models:', error)));
  await client.connect();

  const key = {
    current: `${prefix}current`,
    seq: `${prefix}seq`,
    versions: `${prefix}versions`,
    version: (id: string) => `${prefix}v:${id}:`,
  };
  const send = <T>(args: readonly string[]) => client.sendCommand<T>(args);
  const run = async <T>(lua: Script, keys: readonly string[], args: readonly string[] = []) => {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await send<T>(['EVALSHA', lua.sha, ...tail]);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return send<T>(['EVAL', lua.source, ...tail]);
    }
  };

  /** Runs a read command on one key of a version, or of the current version when `id` is undefined. */
  const readOf =
    (id: string | undefined) =>
    <T>(suffix: string, command: string, ...args: string[]): Promise<T | null> =>
      id === undefined
        ? run<T | null>(
            READ_CURRENT,
            [key.current],
            [`${prefix}v:`, `:${suffix}`, command, ...args],
          )
        : send<T | null>([command, key.version(id) + suffix, ...args]);

  const handle = (id: string): ReadModelVersion => ({
    id,
    ...reader(readOf(id)),
    applyBatch: (batch) => applyBatch(id, batch),
  });

  async function applyBatch(id: string, batch: Batch): Promise<BatchOutcome> {
    const json = serialiseBatch(batch);
    const base = key.version(id);
    const keys = [key.versions, `${base}cp`];
    const args = [id, String(batch.checkpoints.length)];
    for (const move of batch.checkpoints) {
      args.push(move.projection, String(move.from), String(move.to));
    }
    batch.ops.forEach((op, at) => {
      if (op.type === 'put' || op.type === 'delete') {
        keys.push(`${base}c:${op.collection}`);
        args.push(op.type, op.id, json.get(at) ?? '');
      } else {
        keys.push(`${base}i:${op.index}`);
        args.push(op.type, op.member, op.type === 'index' ? String(op.score) : '');
      }
    });
    return run<BatchOutcome>(APPLY, keys, args);
  }

  async function deleteVersion(id: string): Promise<void> {
    // Nothing writes into a retired version any more, so one pass over its keys removes them all.
    const match = `${globEscape(key.version(id))}*`;
    let cursor = '0';
    do {
      const [next, keys] = await send<[string, string[]]>([
        'SCAN',
        cursor,
        'MATCH',
        match,
        'COUNT',
        '1000',
      ]);
      if (keys.length > 0) await send(['UNLINK', ...keys]);
      cursor = next;
    } while (cursor !== '0');
  }

  return {
    ...reader(readOf(undefined)),
    async current() {
      return handle(await run<string>(CURRENT, [key.current, key.seq, key.versions]));
    },
    async createVersion() {
      return handle(await run<string>(CREATE, [key.seq, key.versions]));
    },
    async swap(version) {
      const [swapped, previous] = await run<[number, string]>(
        SWAP,
        [key.current, key.versions],
        [version.id],
      );
      if (swapped === 0) throw new Error(`Read-model version ${version.id} is retired`);
      if (previous !== '') await deleteVersion(previous);
    },
    async drop(version) {
      const dropped = await run<number>(DROP, [key.current, key.versions], [version.id]);
      if (dropped === 0) throw new Error(`Cannot drop the current version ${version.id}`);
      await deleteVersion(version.id);
    },
    async close() {
      await client.close();
    },
  };
}

type Read = <T>(suffix: string, command: string, ...args: string[]) => Promise<T | null>;

function reader(read: Read): ReadModelReader {
  const parse = <T>(text: string | null | undefined) =>
    text === null || text === undefined ? undefined : (JSON.parse(text) as T);
  return {
    async get<T>(collection: string, id: string) {
      return parse<T>(await read<string>(`c:${collection}`, 'HGET', id));
    },
    async getMany<T>(collection: string, ids: readonly string[]) {
      if (ids.length === 0) return [];
      const texts = await read<(string | null)[]>(`c:${collection}`, 'HMGET', ...ids);
      return ids.map((_, at) => parse<T>(texts?.[at]));
    },
    async range(index: string, { min, max, reverse, offset = 0, limit }: RangeOptions = {}) {
      const [low, high] = [bound(min, '-inf'), bound(max, '+inf')];
      const flat = await read<string[]>(
        `i:${index}`,
        'ZRANGE',
        ...(reverse ? [high, low, 'BYSCORE', 'REV'] : [low, high, 'BYSCORE']),
        ...['LIMIT', String(offset), String(limit ?? -1), 'WITHSCORES'],
      );
      const entries: IndexEntry[] = [];
      for (let at = 0; flat && at < flat.length; at += 2) {
        entries.push({ member: flat[at]!, score: Number(flat[at + 1]) });
      }
      return entries;
    },
    async count(index: string, { min, max }: ScoreBounds = {}) {
      return (
        (await read<number>(`i:${index}`, 'ZCOUNT', bound(min, '-inf'), bound(max, '+inf'))) ?? 0
      );
    },
    async checkpoint(projection: string) {
      return BigInt((await read<string>('cp', 'HGET', projection)) ?? '0');
    },
  };
}

function bound(score: number | undefined, unbounded: string): string {
  if (score === undefined) return unbounded;
  return Number.isFinite(score) ? String(score) : score > 0 ? '+inf' : '-inf';
}

interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
