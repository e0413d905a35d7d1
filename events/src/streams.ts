import { z } from 'zod';

/** Stream names are `<category>-<id>` (ARCHITECTURE.md). */
export const streams = {
  application: (applicationId: string) => `application-${applicationId}`,
  firm: (vkn: string) => `firm-${vkn}`,
  member: (memberId: string) => `member-${memberId}`,
  bank: (bankCode: string) => `bank-${bankCode}`,
} as const;

export type StreamCategory = keyof typeof streams;

const UUID = z.uuid();

/** Splits a stream name into its category and id; undefined for names that are not ours. */
export function parseStreamName(
  stream: string,
): { category: StreamCategory; id: string } | undefined {
  const dash = stream.indexOf('-');
  if (dash <= 0) return undefined;
  const category = stream.slice(0, dash);
  const id = stream.slice(dash + 1);
  switch (category) {
    case 'application':
    case 'member':
      return UUID.safeParse(id).success ? { category, id } : undefined;
    case 'firm':
      return /^\d{10}$/.test(id) ? { category, id } : undefined;
    case 'bank':
      return /^\d{4}$/.test(id) ? { category, id } : undefined;
    default:
      return undefined;
  }
}
