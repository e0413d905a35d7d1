import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EVENT_SCHEMAS,
  EventParseError,
  parseRecordedEvent,
  parseStreamName,
  streams,
  type RecordedEvent,
} from '../src';

const metadata = {
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: { kind: 'system', name: 'test' },
  occurredAt: '2026-12-03T16:05:00.000+03:00',
  schemaVersion: 1,
};

function recorded(type: string, data: unknown, meta: unknown = metadata): RecordedEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: meta,
    stream: 'application-4b0c1a1e-7d7e-4a5b-9a53-6f1f7c1f2a10',
    revision: 3n,
    position: 9007199254740993n,
    recordedAt: new Date(),
  };
}

const cancelled = {
  applicationId: '4b0c1a1e-7d7e-4a5b-9a53-6f1f7c1f2a10',
  reason: 'no longer needed',
  cancelledBy: randomUUID(),
  cancelledAt: '2026-12-03T13:05:00.000Z',
};

describe('parsing stored events', () => {
  it('returns the typed envelope with its exact positions', () => {
    const event = parseRecordedEvent(recorded('ApplicationCancelled', cancelled));
    expect(event.type).toBe('ApplicationCancelled');
    expect(event.position).toBe(9007199254740993n);
    if (event.type === 'ApplicationCancelled') expect(event.data.reason).toBe('no longer needed');
  });

  it('fails loudly on an unknown type, naming stream, position and type', () => {
    expect(() => parseRecordedEvent(recorded('OfferTeleported', {}))).toThrowError(
      'Cannot parse event OfferTeleported at application-4b0c1a1e-7d7e-4a5b-9a53-6f1f7c1f2a10 (position 9007199254740993): unknown event type',
    );
  });

  it('fails loudly on malformed data', () => {
    const error = (() => {
      try {
        parseRecordedEvent(recorded('ApplicationCancelled', { ...cancelled, cancelledBy: 'me' }));
      } catch (e) {
        return e as EventParseError;
      }
    })();
    expect(error).toBeInstanceOf(EventParseError);
    expect(error?.type).toBe('ApplicationCancelled');
    expect(error?.position).toBe(9007199254740993n);
    expect(error?.message).toMatch(/bad data/);
  });

  it('fails loudly on malformed metadata', () => {
    expect(() =>
      parseRecordedEvent(recorded('ApplicationCancelled', cancelled, { ...metadata, actor: null })),
    ).toThrowError(/bad metadata/);
  });

  it('upcasts older schema versions on read and refuses versions it cannot lift', () => {
    const old = recorded(
      'ApplicationCancelled',
      { ...cancelled, reason: undefined, why: 'legacy' },
      metadata,
    );
    expect(() => parseRecordedEvent(old, { currentVersion: 2 })).toThrowError(
      /no upcaster from schema version 1/,
    );
    const event = parseRecordedEvent(old, {
      currentVersion: 2,
      upcasters: {
        'ApplicationCancelled@1': (data) => {
          const { why, ...rest } = data as { why: string };
          return { ...rest, reason: why };
        },
      },
    });
    expect(event.type === 'ApplicationCancelled' && event.data.reason).toBe('legacy');
    expect(() =>
      parseRecordedEvent(
        recorded('ApplicationCancelled', cancelled, { ...metadata, schemaVersion: 2 }),
      ),
    ).toThrowError(/newer than this code/);
  });

  it('has a schema for every lifecycle event the issue names', () => {
    expect(Object.keys(EVENT_SCHEMAS)).toEqual(
      expect.arrayContaining([
        'MemberRegistered',
        'FirmMembershipVerified',
        'ContractSigned',
        'ApplicationSubmitted',
        'ApplicationDataCollected',
        'ApplicationScored',
        'ApplicationRejected',
        'ApplicationOpenedForBidding',
        'InformationRequested',
        'InformationProvided',
        'OfferSubmitted',
        'OfferRevised',
        'OfferWithdrawn',
        'BankDeclined',
        'BiddingClosed',
        'BiddingClosedWithoutOffers',
        'OfferSelected',
        'FirmAppliedToBank',
        'SelectionWindowLapsed',
        'ApplicationCancelled',
      ]),
    );
  });
});

describe('stream names', () => {
  it('builds and parses <category>-<id>', () => {
    const id = randomUUID();
    expect(streams.application(id)).toBe(`application-${id}`);
    expect(parseStreamName(streams.application(id))).toEqual({ category: 'application', id });
    expect(parseStreamName(streams.firm('0150015264'))).toEqual({
      category: 'firm',
      id: '0150015264',
    });
    expect(parseStreamName(streams.bank('0062'))).toEqual({ category: 'bank', id: '0062' });
    expect(parseStreamName('member-not-a-uuid')).toBeUndefined();
    expect(parseStreamName('$system')).toBeUndefined();
  });
});
