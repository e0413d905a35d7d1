import { analystApi, toApiError, type EventLogFilter, type Role } from '$lib/api';
import type { PageLoad } from './$types';

const ROLES = ['exporter', 'bank', 'analyst', 'system'] as const;

/** The explorer's filters live in the URL, so a view can be linked and reloaded. */
export const load: PageLoad = async ({ fetch, url, depends }) => {
  depends('app:analyst-events');
  const param = (name: string) => url.searchParams.get(name)?.trim() || undefined;
  const role = param('actorRole');
  const limit = Number(param('limit') ?? 50);
  const filter: EventLogFilter = {
    type: param('type'),
    stream: param('stream'),
    from: param('from'),
    to: param('to'),
    actorRole: (ROLES as readonly string[]).includes(role ?? '')
      ? (role as Role | 'system')
      : undefined,
    bankCode: param('bankCode'),
    after: param('after'),
    limit: Number.isInteger(limit) && limit > 0 ? limit : 50,
  };
  try {
    return { filter, scan: await analystApi.events(filter, fetch), loadError: null };
  } catch (error) {
    return { filter, scan: null, loadError: toApiError(error) };
  }
};
