import { api, toApiError } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('app:inbox');
  try {
    return { messages: await api.demoInbox(fetch), loadError: null };
  } catch (error) {
    return { messages: null, loadError: toApiError(error) };
  }
};
