import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/*
 * RFC 9457 problem details for the query API, shaped like the command API's (same `type` URIs,
 * `code`, and field-level `errors`), so a client handles both sides' refusals one way.
 */

export interface FieldProblem {
  /** Where the bad value is: `querystring.limit`, `params.id`. */
  readonly field: string;
  readonly reason: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly errors?: readonly FieldProblem[];
}

export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export function problem(
  status: number,
  code: string,
  title: string,
  extra: Pick<Problem, 'detail' | 'errors'> = {},
): HttpProblem {
  return new HttpProblem({
    type: `https://kefalet.example/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status,
    code,
    ...extra,
  });
}

export function validationProblem(errors: readonly FieldProblem[]): HttpProblem {
  return problem(400, 'VALIDATION_FAILED', 'The request is not valid', {
    detail: errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
    errors,
  });
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.status(p.status).type('application/problem+json').send(p);
}

/** Every failure of the scope becomes problem+json; unexpected ones are logged and hidden. */
export function installProblemHandler(scope: FastifyInstance): void {
  scope.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof HttpProblem) return sendProblem(reply, error.problem);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'querystring';
      const errors = error.validation.map((issue) => ({
        field: [where, String(issue.instancePath).replace(/^\//, '').replaceAll('/', '.')]
          .filter(Boolean)
          .join('.'),
        reason: issue.message ?? 'is not valid',
      }));
      return sendProblem(reply, validationProblem(errors).problem);
    }
    const status = (error as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const code = (error as FastifyError).code ?? 'BAD_REQUEST';
      return sendProblem(
        reply,
        problem(status, code.replace(/^FST_ERR_/, ''), error.message, { detail: error.message })
          .problem,
      );
    }
    request.log.error({ err: error }, 'unhandled error in the query API');
    return sendProblem(
      reply,
      problem(500, 'INTERNAL', 'Something went wrong on our side', {
        detail: 'The error has been logged.',
      }).problem,
    );
  });
}
