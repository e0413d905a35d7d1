import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLive, type LiveClient } from '../../read-side/src/live/client';
import type { RoomView } from '@kefalet/events';
import { startProduct } from '../src/product';
import {
  api,
  createApplication,
  DEMO_PASSWORD,
  reviseOffer,
  submitOffer,
  type OfferResult,
  type TermsOverrides,
} from '../src/scaled';
import { login } from '../src/scenario';

/*
 * Live push of the offer board end to end (R11, R13), against the embedded product as `npm start`
 * runs it, over the documented wire protocol: Socket.IO namespace /live, `subscribe` with an
 * acknowledgement carrying the snapshot and its version, then `board:update` messages.
 */

interface OfferView {
  offerId: string;
  bankCode: string;
  bankName: string;
  rank: number | null;
  version: number;
  effectiveAnnualCost: string;
  totalCost: string;
  computedTotalRepayment: string;
  representativeName: string;
  interestRate: string;
}
interface FirmBoard {
  offers: OfferView[];
  offerCount: number;
  best: { offerId: string; bankCode: string } | null;
}
interface BankBoard {
  offers: OfferView[];
  competingOfferCount: number;
}
interface BoardPayload<B> {
  board: B;
  status: string;
}
interface BoardUpdate<B> {
  room: string;
  version: number;
  payload: BoardPayload<B>;
}
type Ack<B> =
  | { room: string; version: number; snapshot: BoardPayload<B> }
  | { error: { code: string; message: string } };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

// Garanti's terms are made distinctive, so any of them in another bank's messages is a leak.
const GARANTI_TERMS = {
  interestRate: '47.1375',
  totalRepaymentAmount: '1912345.67',
  branchCode: '4711',
  representativeName: 'Defne Kalaycıoğlu',
  phone: '+90 212 318 18 18',
  email: 'defne.kalaycioglu@garanti.test',
} satisfies TermsOverrides;
const HALKBANK_TERMS = {
  interestRate: '38.5',
  totalRepaymentAmount: '1820000.00',
  representativeName: 'Murat Demir',
  email: 'murat.demir@halkbank.test',
} satisfies TermsOverrides;
const AKBANK_TERMS = {
  interestRate: '44',
  representativeName: 'Elif Kaya',
  email: 'elif.kaya@akbank.test',
} satisfies TermsOverrides;

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('live push of the offer board (embedded product)', () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let baseUrl: string;
  const cookies = { exporter: '', exporter2: '', garanti: '', halkbank: '', akbank: '' };
  let applicationId: string;
  let room: string;
  const sockets: Socket[] = [];
  const clients: LiveClient[] = [];

  /** A raw socket.io-client connection; rejects with the server's reason when refused. */
  function connect(cookie: string | undefined): Promise<Socket> {
    const socket = io(`${baseUrl}/live`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: cookie === undefined ? {} : { cookie },
    });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
  }

  async function subscribe<B>(socket: Socket, name: string): Promise<Ack<B>> {
    return (await socket.timeout(5_000).emitWithAck('subscribe', { room: name })) as Ack<B>;
  }

  function snapshotOf<B>(ack: Ack<B>): {
    room: string;
    version: number;
    snapshot: BoardPayload<B>;
  } {
    if ('error' in ack) throw new Error(`subscribe refused: ${JSON.stringify(ack.error)}`);
    return ack;
  }

  /** Everything a socket receives, in order. */
  function record(socket: Socket) {
    const messages: { event: string; data: unknown }[] = [];
    socket.onAny((event: string, data: unknown) => messages.push({ event, data }));
    return {
      messages,
      /** The board updates so far, once there are at least `count`. */
      async updates<B>(count: number): Promise<BoardUpdate<B>[]> {
        const updates = () =>
          messages.filter((m) => m.event === 'board:update').map((m) => m.data as BoardUpdate<B>);
        await waitUntil(() => updates().length >= count, `${count} board updates`);
        return updates();
      },
    };
  }

  beforeAll(async () => {
    // memory read models, the embedded default, whatever REDIS_URL the environment has
    product = await startProduct({ REDIS_URL: '' });
    baseUrl = product.baseUrl;
    const emails = {
      exporter: 'exporter@demo.test',
      exporter2: 'exporter2@demo.test',
      garanti: 'bank.0062@demo.test',
      halkbank: 'bank.0012@demo.test',
      akbank: 'bank.0046@demo.test',
    };
    await Promise.all(
      Object.entries(emails).map(async ([who, email]) => {
        cookies[who as keyof typeof cookies] = await login(baseUrl, email, DEMO_PASSWORD);
      }),
    );
    applicationId = await createApplication(baseUrl, cookies.exporter);
    room = `application:${applicationId}`;
    // projected up to the opening for bidding (the banks' audience comes with it)
    await waitUntil(async () => {
      const board = await api(
        baseUrl,
        cookies.exporter,
        'GET',
        `/api/applications/${applicationId}/board`,
      );
      return (board.body as { status?: string } | undefined)?.status === 'BIDDING';
    }, 'the application open for bidding on the read-side');
  }, 90_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const socket of sockets) socket.close();
    await product?.stop();
  });

  let garantiOffer: OfferResult;
  let halkbankOffer: OfferResult;

  it('pushes each offer to the exporter, re-ranked by cost, versions one by one; a bank sees only its own', async () => {
    const exporterSocket = await connect(cookies.exporter);
    const exporterLog = record(exporterSocket);
    const bankSocket = await connect(cookies.halkbank);
    const bankLog = record(bankSocket);

    const exporterAck = snapshotOf(await subscribe<FirmBoard>(exporterSocket, room));
    expect(exporterAck.room).toBe(room);
    expect(exporterAck.snapshot.board.offers).toEqual([]);
    const bankAck = snapshotOf(await subscribe<BankBoard>(bankSocket, room));
    expect(bankAck.snapshot.board).toMatchObject({ offers: [], competingOfferCount: 0 });

    // Garanti bids first: the only offer, rank 1
    garantiOffer = await submitOffer(baseUrl, cookies.garanti, applicationId, GARANTI_TERMS);
    const [first] = await exporterLog.updates<FirmBoard>(1);
    expect(first!.room).toBe(room);
    expect(first!.version).toBe(exporterAck.version + 1);
    expect(first!.payload.board.offers).toEqual([
      expect.objectContaining({
        offerId: garantiOffer.offerId,
        bankCode: '0062',
        bankName: 'Garanti BBVA',
        rank: 1,
        representativeName: GARANTI_TERMS.representativeName,
      }),
    ]);
    expect(first!.payload.board.best).toMatchObject({ bankCode: '0062' });

    // Halkbank undercuts it: re-ranked, Halkbank first, Garanti second
    halkbankOffer = await submitOffer(baseUrl, cookies.halkbank, applicationId, HALKBANK_TERMS);
    const exporterUpdates = await exporterLog.updates<FirmBoard>(2);
    const second = exporterUpdates[1]!;
    expect(second.version).toBe(first!.version + 1);
    const offers = second.payload.board.offers;
    expect(offers.map((o) => [o.bankCode, o.rank])).toEqual([
      ['0012', 1],
      ['0062', 2],
    ]);
    expect(Number(offers[0]!.effectiveAnnualCost)).toBeLessThan(
      Number(offers[1]!.effectiveAnnualCost),
    );
    expect(second.payload.board).toMatchObject({
      offerCount: 2,
      best: { offerId: halkbankOffer.offerId, bankCode: '0012' },
    });

    // Halkbank's socket in the same room: one update per offer, its own offer with its rank, and
    // the number of competing offers, never Garanti's
    const bankUpdates = await bankLog.updates<BankBoard>(2);
    expect(bankUpdates.map((u) => u.version)).toEqual([bankAck.version + 1, bankAck.version + 2]);
    expect(bankUpdates[0]!.payload.board).toMatchObject({ offers: [], competingOfferCount: 1 });
    expect(bankUpdates[1]!.payload.board.competingOfferCount).toBe(1);
    expect(bankUpdates[1]!.payload.board.offers).toEqual([
      expect.objectContaining({ offerId: halkbankOffer.offerId, bankCode: '0012', rank: 1 }),
    ]);

    // R11 on everything the bank's socket got, and on its HTTP view of the board
    const httpView = await api(
      baseUrl,
      cookies.halkbank,
      'GET',
      `/api/applications/${applicationId}/board`,
    );
    expect(httpView.status).toBe(200);
    const garanti = offers[1]!;
    const received = JSON.stringify([bankAck, bankLog.messages, httpView.body]);
    expect(received).not.toContain(garantiOffer.offerId);
    expect(received.toLowerCase()).not.toContain('garanti');
    // ids are random hex: masked so only a real bank code can match
    expect(received.replace(UUID, '<id>')).not.toContain('0062');
    // each value as the firm's board carries it, so a leak in that form would be caught
    const firmText = JSON.stringify(second);
    for (const value of [
      GARANTI_TERMS.interestRate,
      GARANTI_TERMS.totalRepaymentAmount,
      GARANTI_TERMS.branchCode,
      GARANTI_TERMS.representativeName,
      GARANTI_TERMS.phone,
      GARANTI_TERMS.email,
      garanti.totalCost,
      garanti.computedTotalRepayment,
    ]) {
      expect(firmText).toContain(value);
      expect(received).not.toContain(value);
    }
    // while its own offer is there in full
    expect(received).toContain(HALKBANK_TERMS.representativeName);
    expect(received).toContain(HALKBANK_TERMS.email);
    expect(new Set(bankLog.messages.map((m) => m.event))).toEqual(new Set(['board:update']));
    exporterSocket.close();
    bankSocket.close();
  });

  it('shows an offer that arrived while the exporter was disconnected once it reconnects', async () => {
    const client = await connectLive<BoardPayload<FirmBoard>>(baseUrl, cookies.exporter, {
      socket: { reconnection: false },
    });
    clients.push(client);
    const ack = snapshotOf((await client.subscribe(room)) as Ack<FirmBoard>);
    expect(ack.snapshot.board.offers.map((o) => o.bankCode)).toEqual(['0012', '0062']);

    const resyncs: string[] = [];
    const states: RoomView<BoardPayload<FirmBoard>>[] = [];
    client.on('resync', (_room, reason) => resyncs.push(reason));
    client.on('state', (view) => states.push(view));
    client.socket.disconnect();

    const akbankOffer = await submitOffer(baseUrl, cookies.akbank, applicationId, AKBANK_TERMS);
    // the read-side has applied it before the client comes back
    await waitUntil(async () => {
      const board = await api(
        baseUrl,
        cookies.exporter,
        'GET',
        `/api/applications/${applicationId}/board`,
      );
      const { offers } = (board.body as BoardPayload<FirmBoard>).board;
      return offers.some((o) => o.offerId === akbankOffer.offerId);
    }, 'the offer on the HTTP board');
    expect(states).toEqual([]);

    client.socket.connect();
    await waitUntil(() => states.some((s) => !s.pending), 'the fresh snapshot');
    expect(resyncs).toEqual(['reconnect']);
    const view = states.find((s) => !s.pending)!;
    expect(view.version).toBe(ack.version + 1);
    expect(view.state.board.offers.map((o) => [o.bankCode, o.rank, o.offerId])).toEqual([
      ['0012', 1, halkbankOffer.offerId],
      ['0046', 2, akbankOffer.offerId],
      ['0062', 3, garantiOffer.offerId],
    ]);
  });

  it("refuses the room to another firm's exporter", async () => {
    const socket = await connect(cookies.exporter2);
    const log = record(socket);
    const ack = await subscribe<FirmBoard>(socket, room);
    expect(ack).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    // nothing of the room reaches it either, when the board changes next
    const watcher = await connect(cookies.exporter);
    const watcherLog = record(watcher);
    snapshotOf(await subscribe<FirmBoard>(watcher, room));
    await reviseOffer(baseUrl, cookies.garanti, applicationId, garantiOffer.offerId, {
      ...GARANTI_TERMS,
      interestRate: '46',
    });
    await watcherLog.updates(1);
    expect(log.messages).toEqual([]);
  });

  it('refuses a connection without a valid session cookie', async () => {
    await expect(connect(undefined)).rejects.toThrow('unauthorised');
    const [name] = cookies.exporter.split('=');
    await expect(connect(`${name}=forged.signature`)).rejects.toThrow('unauthorised');
  });
});
