import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  connectRedis,
  createApplication,
  DEFAULT_REDIS_URL,
  DEMO_PASSWORD,
  redisAnswers,
  startScaled,
  submitOffer,
  type ScaledProduct,
} from '../src/scaled';
import { login } from '../src/scenario';

/*
 * The scaled-out deployment: one write-side and two read-sides sharing Redis (read models and the
 * Socket.IO adapter). An offer sent to the write-side reaches an exporter connected to either
 * read-side, whichever read-side's projection runner applied it, exactly once, and both read-sides'
 * query APIs show the same board. Each run uses a Redis database of its own (see src/scaled.ts).
 */

const REDIS_URL = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
const redisUp = await redisAnswers(REDIS_URL);

interface OfferView {
  offerId: string;
  bankCode: string;
  rank: number | null;
}
interface BoardPayload {
  board: { offers: OfferView[]; offerCount?: number; competingOfferCount?: number };
  status: string;
  timeLeft: unknown;
}
interface BoardUpdate {
  room: string;
  version: number;
  payload: BoardPayload;
}
type Ack = { room: string; version: number; snapshot: BoardPayload } | { error: { code: string } };

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 8_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!redisUp)('live push across two read-sides over Redis', () => {
  let scaled: ScaledProduct;
  let exporter: string;
  let garanti: string;
  let halkbank: string;
  let applicationId: string;
  const sockets: Socket[] = [];

  async function watch(baseUrl: string, cookie: string) {
    const socket = io(`${baseUrl}/live`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const updates: BoardUpdate[] = [];
    socket.on('board:update', (update: BoardUpdate) => updates.push(update));
    const ack = (await socket
      .timeout(5_000)
      .emitWithAck('subscribe', { room: `application:${applicationId}` })) as Ack;
    if ('error' in ack) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
    return { ack, updates };
  }

  const board = (baseUrl: string, cookie: string) =>
    api(baseUrl, cookie, 'GET', `/api/applications/${applicationId}/board`);

  beforeAll(async () => {
    scaled = await startScaled({ readSides: 2, redisUrl: REDIS_URL });
    // sessions are signed with the shared secret: the write-side's cookie works on the read-sides
    const as = (email: string) => login(scaled.writeUrl, email, DEMO_PASSWORD);
    [exporter, garanti, halkbank] = await Promise.all([
      as('exporter@demo.test'),
      as('bank.0062@demo.test'),
      as('bank.0012@demo.test'),
    ]);
    applicationId = await createApplication(scaled.writeUrl, exporter);
    for (const readUrl of scaled.readUrls) {
      // projected up to the opening for bidding (the banks' audience comes with it)
      await waitUntil(async () => {
        const response = await board(readUrl, exporter);
        return (response.body as { status?: string } | undefined)?.status === 'BIDDING';
      }, `the application open for bidding on ${readUrl}`);
    }
  }, 90_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await scaled?.stop();
  });

  it('pushes offers sent to the write-side to exporters on both read-sides, once each', async () => {
    const [readA, readB] = scaled.readUrls as [string, string];
    const onB = await watch(readB, exporter);
    const onA = await watch(readA, exporter);
    const bankOnA = await watch(readA, halkbank);
    expect(onB.ack.snapshot.board.offers).toEqual([]);

    const first = await submitOffer(scaled.writeUrl, garanti, applicationId, {
      interestRate: '45',
    });
    await waitUntil(() => onB.updates.length >= 1, 'the first update on read-side B');
    expect(onB.updates[0]).toMatchObject({
      room: `application:${applicationId}`,
      version: onB.ack.version + 1,
    });
    expect(onB.updates[0]!.payload.board.offers).toEqual([
      expect.objectContaining({ offerId: first.offerId, bankCode: '0062', rank: 1 }),
    ]);

    // every socket has the first update before the second offer: each instance emits the updates
    // it applies itself before those relayed through Redis, so order holds only between commits
    // that far apart
    await waitUntil(
      () => [onA, bankOnA].every((w) => w.updates.length >= 1),
      'the first update on read-side A',
    );
    const second = await submitOffer(scaled.writeUrl, halkbank, applicationId, {
      interestRate: '39.75',
    });
    await waitUntil(
      () => [onA, onB, bankOnA].every((w) => w.updates.length >= 2),
      'the second update everywhere',
    );
    // a duplicate (two runners publishing one change) would show up by now
    await new Promise((r) => setTimeout(r, 300));
    for (const watcher of [onA, onB, bankOnA]) {
      expect(watcher.updates.map((u) => u.version)).toEqual([
        watcher.ack.version + 1,
        watcher.ack.version + 2,
      ]);
    }
    expect(onB.updates[1]!.payload.board.offers.map((o) => [o.bankCode, o.rank])).toEqual([
      ['0012', 1],
      ['0062', 2],
    ]);
    expect(onA.updates[1]!.payload).toEqual(onB.updates[1]!.payload);
    // R11 holds across instances: the bank's view on A has its own offer and a count
    const bankView = bankOnA.updates[1]!.payload.board;
    expect(bankView.offers.map((o) => [o.offerId, o.rank])).toEqual([[second.offerId, 1]]);
    expect(bankView.competingOfferCount).toBe(1);
    expect(JSON.stringify(bankOnA.updates).toLowerCase()).not.toContain('garanti');

    // the read models are Redis's (this run's database): one runner applied each event, so one
    // of the two sockets got it through the adapter
    const redis = await connectRedis(scaled.redisUrl);
    try {
      expect(await redis.command('GET', 'kefalet:current')).toMatch(/^\d+$/);
    } finally {
      redis.close();
    }

    // both query APIs read the same shared read model
    const [fromA, fromB] = await Promise.all([board(readA, exporter), board(readB, exporter)]);
    expect(fromA.status).toBe(200);
    expect(fromB.status).toBe(200);
    // the time left and the clock's now are counted at each answer
    const { timeLeft: _a, now: _nowA, ...boardA } = fromA.body as BoardPayload & { now: string };
    const { timeLeft: _b, now: _nowB, ...boardB } = fromB.body as BoardPayload & { now: string };
    expect(boardA).toEqual(boardB);
    expect(boardB).toEqual({
      board: onB.updates[1]!.payload.board,
      status: onB.updates[1]!.payload.status,
    });
  });
});
