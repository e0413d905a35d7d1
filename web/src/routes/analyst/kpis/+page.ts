import { analystApi, toApiError } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('app:analyst-kpis');
  try {
    return { kpis: await analystApi.kpis(fetch), loadError: null };
  } catch (error) {
    return { kpis: null, loadError: toApiError(error) };
  }
};
