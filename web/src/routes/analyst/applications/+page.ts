import { analystApi, toApiError } from '$lib/api';
import type { PageLoad } from './$types';

const PAGE_SIZE = 25;

export const load: PageLoad = async ({ fetch, url }) => {
  const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
  try {
    return {
      page: await analystApi.applications({ offset, limit: PAGE_SIZE }, fetch),
      loadError: null,
    };
  } catch (error) {
    return { page: null, loadError: toApiError(error) };
  }
};
