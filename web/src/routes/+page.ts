import { redirect } from '@sveltejs/kit';
import { homePath, sessionUnavailable } from '$lib/session';
import type { PageLoad } from './$types';

/** The front door: the signed-in user's home, or the login page. */
export const load: PageLoad = async ({ parent }) => {
  const { me, sessionError } = await parent();
  if (me) redirect(307, homePath(me.role));
  if (sessionError) sessionUnavailable(sessionError);
  redirect(307, '/login');
};
