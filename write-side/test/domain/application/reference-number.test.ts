import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  isWellFormedReferenceNumber,
  normaliseReferenceNumber,
  referenceNumberFor,
} from '../../../src/domain/application';
import { APPLICATION_ID, REFERENCE_NUMBER } from './fixtures';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const FORMAT = /^TRN-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}$/;

/** Pseudo-random but repeatable v4 uuids, so a rare collision could never make the test flaky. */
function sampleUuid(seed: number): string {
  const hex = createHash('sha256').update(`sample-${seed}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const compact = (number: string) => number.replace(/^TRN-/, '').replace(/-/g, '');

describe('referenceNumberFor (R14)', () => {
  it('is derived from the application id alone, in the TRN-XXXX-XXXX-XXC format', () => {
    expect(referenceNumberFor(APPLICATION_ID)).toBe(REFERENCE_NUMBER);
    expect(referenceNumberFor(APPLICATION_ID.toUpperCase())).toBe(REFERENCE_NUMBER);
    expect(REFERENCE_NUMBER).toMatch(FORMAT);
    expect(isWellFormedReferenceNumber(REFERENCE_NUMBER)).toBe(true);
  });

  it('gives 100,000 applications 100,000 different well-formed numbers', () => {
    const numbers = new Set<string>();
    for (let i = 0; i < 100_000; i++) numbers.add(referenceNumberFor(sampleUuid(i)));
    expect(numbers.size).toBe(100_000);
    for (const number of [...numbers].slice(0, 1_000)) {
      expect(number).toMatch(FORMAT);
      expect(isWellFormedReferenceNumber(number)).toBe(true);
    }
  });
});

describe('the check character', () => {
  const samples = [
    REFERENCE_NUMBER,
    ...Array.from({ length: 50 }, (_, i) => referenceNumberFor(sampleUuid(i))),
  ];

  it('catches every single wrong character', () => {
    for (const number of samples) {
      const chars = [...compact(number)];
      chars.forEach((original, position) => {
        for (const wrong of ALPHABET) {
          if (wrong === original) continue;
          const typed = chars.with(position, wrong).join('');
          expect(isWellFormedReferenceNumber(typed), `${number} -> ${typed}`).toBe(false);
        }
      });
    }
  });

  it('catches every swap of two neighbours, and of two characters one apart', () => {
    for (const number of samples) {
      const chars = [...compact(number)];
      for (const distance of [1, 2]) {
        for (let i = 0; i + distance < chars.length; i++) {
          if (chars[i] === chars[i + distance]) continue;
          const typed = chars
            .with(i, chars[i + distance]!)
            .with(i + distance, chars[i]!)
            .join('');
          expect(isWellFormedReferenceNumber(typed), `${number} -> ${typed}`).toBe(false);
        }
      }
    }
  });
});

describe('normaliseReferenceNumber', () => {
  // a number with 0s and 1s in it: TRN-C3J4-C00F-511
  const withDigits = referenceNumberFor(sampleUuid(86));

  it('reads what people type: any case, spaces, dashes or none, with or without TRN', () => {
    const body = compact(REFERENCE_NUMBER);
    for (const typed of [
      REFERENCE_NUMBER.toLowerCase(),
      ` ${body.slice(0, 4)} ${body.slice(4, 8)} ${body.slice(8)} `,
      body,
      `trn${body}`,
      `TRN - ${body.slice(0, 6)}-${body.slice(6)}`,
    ]) {
      expect(normaliseReferenceNumber(typed), typed).toBe(REFERENCE_NUMBER);
    }
  });

  it('reads O as 0 and I or L as 1, as Crockford base32 does', () => {
    expect(withDigits).toMatch(/[01]/);
    const typed = withDigits
      .replace(/0/g, 'O')
      .replace(/1/g, (_, i: number) => (i % 2 ? 'I' : 'l'));
    expect(normaliseReferenceNumber(typed)).toBe(withDigits);
  });

  it('rejects what is not a reference number', () => {
    for (const typed of [
      '',
      'TRN-',
      'TRN-MZ9C-YZ7V-88',
      'TRN-MZ9C-YZ7V-88YY',
      'TRN-MZ9C-YZ7V-8UY',
      'TRN-MZ9C-YZ7V-8*Y',
      'XYZ-MZ9C-YZ7V-88Y',
    ]) {
      expect(normaliseReferenceNumber(typed), typed).toBeUndefined();
      expect(isWellFormedReferenceNumber(typed)).toBe(false);
    }
  });
});
