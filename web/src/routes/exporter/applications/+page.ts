import { api, toApiError } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('app:applications');
  try {
    return { applications: await api.applications(fetch), loadError: null };
  } catch (error) {
    return { applications: null, loadError: toApiError(error) };
  }
};
