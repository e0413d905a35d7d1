import { vknProblem } from '@kefalet/events';

/** The valid VKN that starts with these 9 digits (the DOMAIN.md check digit). */
export function validVkn(first9: string): string {
  for (let check = 0; check <= 9; check++) {
    if (!vknProblem(`${first9}${check}`)) return `${first9}${check}`;
  }
  throw new Error(`no check digit makes ${first9} valid`);
}
