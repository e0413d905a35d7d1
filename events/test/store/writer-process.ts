/**
 * A second process appending to the same SQLite file, for the multi-process tests:
 *
 *   node --import tsx writer-process.ts <file> <stream> <count> [<shared stream> <shared every>]
 *
 * Prints `ready`, waits for a line on stdin (so both writers start together), then appends
 * `count` events one by one to <stream>, and one to <shared stream> with 'any' after every
 * <shared every>-th. Ends by printing a JSON summary `{ appended, shared, errors,
 * slowestAppendMs }`; exits 1 if any append failed.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { openSqliteEventStore } from '../../src/store/sqlite';

const [file, stream, countArg, sharedStream, sharedEveryArg] = process.argv.slice(2);
if (!file || !stream || !countArg)
  throw new Error('usage: <file> <stream> <count> [<shared> <every>]');
const count = Number(countArg);
const sharedEvery = Number(sharedEveryArg ?? 0);

const store = openSqliteEventStore({ file });
const errors: string[] = [];
let appended = 0;
let shared = 0;
let slowestAppendMs = 0;

const event = (index: number) => ({
  id: randomUUID(),
  type: 'WriterAppended',
  data: { pid: process.pid, index },
  metadata: {},
});

process.stdout.write('ready\n');
await once(process.stdin, 'data');
process.stdin.pause();

for (let index = 0; index < count; index++) {
  try {
    const startedAt = performance.now();
    await store.append(stream, [event(index)], {
      expectedRevision: index === 0 ? 'no-stream' : BigInt(index - 1),
    });
    slowestAppendMs = Math.max(slowestAppendMs, performance.now() - startedAt);
    appended += 1;
    if (sharedStream && sharedEvery > 0 && index % sharedEvery === 0) {
      await store.append(sharedStream, [event(index)], { expectedRevision: 'any' });
      shared += 1;
    }
  } catch (error) {
    errors.push(String(error));
  }
}

await store.close();
process.stdout.write(
  `${JSON.stringify({ appended, shared, errors, slowestAppendMs: Math.round(slowestAppendMs) })}\n`,
);
process.exitCode = errors.length > 0 ? 1 : 0;
