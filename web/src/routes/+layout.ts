import { api, toApiError, type ApiError, type User } from '$lib/api';
import { ME_DEPENDENCY } from '$lib/session';
import type { LayoutLoad } from './$types';

// The app is client-rendered: all data comes from the API on the same origin, with the session cookie.
export const ssr = false;

export const load: LayoutLoad = async ({ fetch, depends }) => {
  depends(ME_DEPENDENCY);
  let me: User | null = null;
  let sessionError: ApiError | null = null;
  try {
    me = await api.me(fetch);
  } catch (error) {
    sessionError = toApiError(error);
  }
  return { me, sessionError };
};
