import { createHash } from 'node:crypto';

/*
 * The Offer Reference Number (R14): TRN-7K3M-Q9PX-2DC, ten Crockford base32 characters taken from a
 * SHA-256 of the application id, then one check character. Derived, not drawn, so every scheduler
 * instance that closes the bidding issues the same number.
 *
 * The check character is in the same alphabet (no '*~$=U' symbols to misread on paper): the 32
 * symbols are the elements of GF(32), and the check makes sum(α^(n−i) · c_i) zero. Every single
 * substitution and every adjacent (and jump) transposition changes that sum, so each is caught.
 */

const PREFIX = 'TRN';
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BODY_LENGTH = 10;
// x^5 + x^2 + 1, a primitive polynomial: multiplying by α = x walks all 31 non-zero elements.
const FIELD_POLYNOMIAL = 0b100101;

function timesAlpha(value: number): number {
  const shifted = value << 1;
  return shifted & 0b100000 ? shifted ^ FIELD_POLYNOMIAL : shifted;
}

/** Horner's rule in GF(32): sum(α^(n−1−i) · symbol_i); addition in GF(2^5) is XOR. */
function weightedSum(symbols: readonly number[]): number {
  return symbols.reduce((sum, symbol) => timesAlpha(sum) ^ symbol, 0);
}

function symbolsOf(text: string): number[] {
  return [...text].map((char) => ALPHABET.indexOf(char));
}

function format(body: string, check: string): string {
  const all = body + check;
  return `${PREFIX}-${all.slice(0, 4)}-${all.slice(4, 8)}-${all.slice(8)}`;
}

export function referenceNumberFor(applicationId: string): string {
  const digest = createHash('sha256').update(applicationId.toLowerCase()).digest();
  // the top 50 bits of the digest, five bits per character
  const bits = digest.readBigUInt64BE(0) >> BigInt(64 - 5 * BODY_LENGTH);
  let body = '';
  for (let i = BODY_LENGTH - 1; i >= 0; i--) {
    body += ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)];
  }
  // appending c makes the sum α·s + c; c = α·s makes it zero
  const check = ALPHABET[timesAlpha(weightedSum(symbolsOf(body)))]!;
  return format(body, check);
}

/**
 * The canonical form of what a person typed, or undefined when it is not a valid number (wrong
 * length, foreign character, failed check). Crockford's reading: any case, spaces and dashes
 * ignored, O is 0, I and L are 1. The TRN prefix may be left out.
 */
export function normaliseReferenceNumber(text: string): string | undefined {
  const compact = text
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/^TRN(?=.{11}$)/, '');
  if (compact.length !== BODY_LENGTH + 1) return undefined;
  const symbols = symbolsOf(compact.replace(/O/g, '0').replace(/[IL]/g, '1'));
  if (symbols.some((symbol) => symbol < 0) || weightedSum(symbols) !== 0) return undefined;
  const canonical = symbols.map((symbol) => ALPHABET[symbol]).join('');
  return format(canonical.slice(0, BODY_LENGTH), canonical.slice(BODY_LENGTH));
}

export function isWellFormedReferenceNumber(text: string): boolean {
  return normaliseReferenceNumber(text) !== undefined;
}
