import { bankApi, toApiError } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('app:bank-inbox');
  try {
    return { inbox: await bankApi.inbox(fetch), loadError: null };
  } catch (error) {
    return { inbox: null, loadError: toApiError(error) };
  }
};
