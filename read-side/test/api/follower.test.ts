import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerReadSide } from '../../src/app';
import { startCheckpointFollower } from '../../src/runner';
import { projections } from '../../src/projections';
import {
  APP,
  appendAll,
  as,
  marketplace,
  NOW,
  SECRET,
  silentLogger,
  startReadSide,
  type TestReadSide,
} from './helper';

/*
 * READ_SIDE_PROJECTIONS=off: a read-side that serves queries from read models another instance
 * keeps, and is ready once that instance's checkpoints reach the log's end.
 */

const { events } = marketplace();

describe('a read-side that does not project', () => {
  let projecting: TestReadSide;
  afterEach(() => projecting.close());

  it('waits for the stored checkpoints, answers queries from them, and publishes nothing', async () => {
    const cut = 8;
    projecting = await startReadSide(events.slice(0, cut));
    const app = Fastify({ logger: false });
    const reader = await registerReadSide(app, {
      store: projecting.store,
      readModels: projecting.readModels,
      sessionSecret: SECRET,
      clock: { now: () => NOW },
      logger: silentLogger,
      project: false,
    });
    try {
      await app.ready();
      let changes = 0;
      reader.onChange(() => changes++);
      await reader.waitFor(BigInt(cut));
      expect(reader.status()).toMatchObject({ position: BigInt(cut), running: true });

      const caughtUp = reader.waitFor(BigInt(events.length));
      await appendAll(projecting.store, events.slice(cut));
      await caughtUp;
      expect(reader.status()).toMatchObject({
        position: BigInt(events.length),
        lastLogPosition: BigInt(events.length),
        lagEvents: 0n,
      });
      const board = await app.inject({
        method: 'GET',
        url: `/api/applications/${APP}/board`,
        headers: as.exporter,
      });
      expect(board.json().status).toBe('BIDDING_CLOSED');
      expect(changes).toBe(0);
    } finally {
      await app.close();
    }
    // it never wrote: the projecting instance's runner is still the only one, and caught up
    expect(projecting.readSide.status()).toMatchObject({ position: BigInt(events.length) });
  });

  it('rejects waiting once stopped', async () => {
    projecting = await startReadSide(events.slice(0, 3));
    const follower = startCheckpointFollower({
      store: projecting.store,
      readModels: projecting.readModels,
      projections,
      pollMs: 10,
    });
    const never = follower.waitFor(1_000n);
    await follower.stop();
    await expect(never).rejects.toThrow(/stopped/);
    expect(follower.status().running).toBe(false);
  });
});
