import { requireRole } from '$lib/session';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ parent, url }) => {
  const user = requireRole(await parent(), url, 'analyst');
  return { user };
};
