import { z } from 'zod';
import { InvalidValueError } from './errors';

/** The reason a VKN is invalid, or undefined when it is valid (DOMAIN.md gives the algorithm). */
export function vknProblem(text: unknown): string | undefined {
  if (typeof text !== 'string' || text === '') return 'must be a 10-digit tax number';
  if (!/^\d{10}$/.test(text)) return 'must be exactly 10 digits';
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const p = 9 - i;
    const c1 = (Number(text[i]) + p) % 10;
    if (c1 !== 0) {
      const c2 = (c1 * 2 ** p) % 9;
      sum += c2 === 0 ? 9 : c2;
    }
  }
  const check = (10 - (sum % 10)) % 10;
  return check === Number(text[9]) ? undefined : 'check digit does not match';
}

/** The reason a TCKN (national id) is invalid, or undefined when it is valid. */
export function tcknProblem(text: unknown): string | undefined {
  if (typeof text !== 'string' || text === '') return 'must be an 11-digit national id number';
  if (!/^\d{11}$/.test(text)) return 'must be exactly 11 digits';
  const d = [...text].map(Number);
  if (d[0] === 0) return 'must not start with 0';
  const odd = d[0]! + d[2]! + d[4]! + d[6]! + d[8]!;
  const even = d[1]! + d[3]! + d[5]! + d[7]!;
  const d10 = (((odd * 7 - even) % 10) + 10) % 10;
  if (d10 !== d[9]) return 'check digits do not match';
  const d11 = d.slice(0, 10).reduce((a, b) => a + b, 0) % 10;
  return d11 === d[10] ? undefined : 'check digits do not match';
}

/** Turkish IBAN: 26 characters, "TR", ISO 13616 mod-97. Spaces are tolerated and removed. */
export function ibanProblem(text: unknown): string | undefined {
  if (typeof text !== 'string' || text.trim() === '') return 'must be a TR IBAN';
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (!compact.startsWith('TR')) return 'must start with TR';
  if (!/^TR\d{24}$/.test(compact)) return 'must be TR followed by 24 digits (26 characters)';
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  const numeric = rearranged.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder === 1 ? undefined : 'check digits do not match';
}

export function mersisProblem(text: unknown): string | undefined {
  if (typeof text !== 'string' || text === '') return 'must be a 16-digit MERSIS number';
  return /^\d{16}$/.test(text) ? undefined : 'must be exactly 16 digits';
}

/** MERSIS numbers are commonly "0" + VKN + 5 digits: a pattern, not a checksum, so only a warning. */
export function mersisWarning(mersis: string, vkn: string): string | undefined {
  return mersis.slice(1, 11) === vkn
    ? undefined
    : 'does not follow the usual 0 + VKN + 5 digits pattern';
}

function check(problem: (text: unknown) => string | undefined) {
  return (text: unknown, field: string): string => {
    const reason = problem(text);
    if (reason) throw new InvalidValueError(field, reason);
    return text as string;
  };
}

export const parseVkn = check(vknProblem);
export const parseTckn = check(tcknProblem);
export const parseMersis = check(mersisProblem);
export function parseIban(text: unknown, field: string): string {
  check(ibanProblem)(text, field);
  return (text as string).replace(/\s+/g, '').toUpperCase();
}

function refined(problem: (text: unknown) => string | undefined) {
  return z.string().superRefine((text, ctx) => {
    const reason = problem(text);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  });
}

export const VknSchema = refined(vknProblem);
export const TcknSchema = refined(tcknProblem);
export const MersisSchema = refined(mersisProblem);
export const IbanSchema = refined(ibanProblem);
