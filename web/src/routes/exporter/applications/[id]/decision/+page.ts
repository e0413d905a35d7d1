import { api, toApiError, type ApiError, type ApplicationDecisionView } from '$lib/api';
import { decisionView, recalledDecision } from '$lib/applications';
import type { PageLoad } from './$types';

/**
 * The application as the API shows it now; failing that (the read side may not have caught up with
 * a submission made a moment ago), the answer the submission itself got in this tab.
 */
export const load: PageLoad = async ({ params, fetch, depends }) => {
  depends('app:decision');
  const recalled = recalledDecision(params.id);
  let view: ApplicationDecisionView | undefined;
  let loadError: ApiError | null = null;
  try {
    view = decisionView(await api.application(params.id, fetch), params.id);
  } catch (error) {
    loadError = toApiError(error);
  }
  if (view && !view.currency && recalled?.currency) view = { ...view, currency: recalled.currency };
  if (view && !view.decision && recalled?.decision && view.status === recalled.status) {
    view = recalled;
  }
  view ??= recalled;
  return { view: view ?? null, loadError: view ? null : loadError };
};
