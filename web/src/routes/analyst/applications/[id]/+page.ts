import { analystApi, toApiError, type EventSummary } from '$lib/api';
import type { PageLoad } from './$types';

/** Guards against a runaway loop; an application has a few dozen events. */
const MAX_PAGES = 20;

export const load: PageLoad = async ({ fetch, params }) => {
  const events: EventSummary[] = [];
  try {
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const scan = await analystApi.events(
        { stream: `application-${params.id}`, limit: 500, after },
        fetch,
      );
      events.push(...scan.items);
      if (!scan.nextCursor) break;
      after = scan.nextCursor;
    }
    return { id: params.id, events, loadError: null };
  } catch (error) {
    return { id: params.id, events, loadError: toApiError(error) };
  }
};
