import {
  exporterApi,
  toApiError,
  type ApiError,
  type FirmApplicationDetail,
  type FirmBoardView,
} from '$lib/api';
import type { PageLoad } from './$types';

/**
 * The application's detail and its offer board, read in parallel. Either may fail on its own (the
 * board is missing before the read side has caught up); the page shows what it has and keeps
 * refreshing, live and over HTTP.
 */
export const load: PageLoad = async ({ params, fetch, depends }) => {
  depends('app:application');
  const [detail, board] = await Promise.allSettled([
    exporterApi.detail(params.id, fetch),
    exporterApi.board(params.id, fetch),
  ]);
  const receivedAt = Date.now();
  return {
    id: params.id,
    detail: detail.status === 'fulfilled' ? detail.value : null,
    detailError: detail.status === 'rejected' ? toApiError(detail.reason) : null,
    board: board.status === 'fulfilled' ? board.value : null,
    boardError: board.status === 'rejected' ? toApiError(board.reason) : null,
    receivedAt,
  } satisfies {
    id: string;
    detail: FirmApplicationDetail | null;
    detailError: ApiError | null;
    board: FirmBoardView | null;
    boardError: ApiError | null;
    receivedAt: number;
  };
};
