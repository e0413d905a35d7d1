import type { DomainEvent } from '@kefalet/events';
import { evolveDetail, type ApplicationDetail } from './application-detail';

/**
 * The application as it stood at `at`: its events replayed in log order up to the first that
 * occurred later. A prefix of the log, never a selection from it, so the state is one that existed.
 * Undefined when the application was not yet submitted then.
 */
export function applicationStateAt(
  events: readonly DomainEvent[],
  at: Date,
): ApplicationDetail | undefined {
  const inOrder = [...events].sort((a, b) =>
    a.position < b.position ? -1 : a.position > b.position ? 1 : 0,
  );
  let detail: ApplicationDetail | undefined;
  for (const event of inOrder) {
    if (Date.parse(event.metadata.occurredAt) > at.getTime()) break;
    detail = evolveDetail(detail, event);
  }
  return detail;
}
