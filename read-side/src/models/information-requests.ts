import type { DomainEvent, InformationRequest } from '@kefalet/events';

export type { InformationRequest } from '@kefalet/events';

/** The requests after `event`; the same array when the event is not about them. */
export function nextInformationRequests(
  requests: readonly InformationRequest[],
  event: DomainEvent,
): readonly InformationRequest[] {
  switch (event.type) {
    case 'InformationRequested': {
      const { requestId, bankCode, question, requestedAt } = event.data;
      return [
        ...requests,
        { requestId, bankCode, question, requestedAt, answer: null, answeredAt: null },
      ];
    }
    case 'InformationProvided': {
      const { requestId, answer, answeredAt } = event.data;
      return requests.map((request) =>
        request.requestId === requestId ? { ...request, answer, answeredAt } : request,
      );
    }
    default:
      return requests;
  }
}
