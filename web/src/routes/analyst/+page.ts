import { analystApi, toApiError } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
  try {
    return { recent: await analystApi.applications({ limit: 5 }, fetch), loadError: null };
  } catch (error) {
    return { recent: null, loadError: toApiError(error) };
  }
};
