import { api, toApiError } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('app:packages');
  try {
    return { packages: await api.packages(fetch), loadError: null };
  } catch (error) {
    return { packages: null, loadError: toApiError(error) };
  }
};
