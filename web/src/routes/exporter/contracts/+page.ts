import { api, toApiError } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('app:contracts');
  const demo = api.demo(fetch);
  try {
    return { contracts: await api.contracts(fetch), loadError: null, demo: await demo };
  } catch (error) {
    return { contracts: null, loadError: toApiError(error), demo: await demo };
  }
};
