import { bankApi, toApiError, type ApiError } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends, params }) => {
  depends('app:bank-request');
  const [detail, board] = await Promise.allSettled([
    bankApi.detail(params.id, fetch),
    bankApi.board(params.id, fetch),
  ]);
  const loadError: ApiError | null =
    detail.status === 'rejected'
      ? toApiError(detail.reason)
      : board.status === 'rejected'
        ? toApiError(board.reason)
        : null;
  return {
    id: params.id,
    detail: detail.status === 'fulfilled' ? detail.value : null,
    board: board.status === 'fulfilled' ? board.value : null,
    loadError,
  };
};
