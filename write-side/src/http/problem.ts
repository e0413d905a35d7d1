import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import {
  DuplicateEventIdError,
  InvalidValueError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '@kefalet/events';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError, type z } from 'zod';
import { CommandRefused, type RefusalKind } from '../domain/decider';

/** One field-level reason: `field` is a dotted path into the request body (or query, params). */
export interface FieldProblem {
  readonly field: string;
  readonly reason: string;
}

/** RFC 9457 problem details; `code` is our stable machine-readable name for the problem. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly code: string;
  readonly errors?: readonly FieldProblem[];
  readonly [extension: string]: unknown;
}

const STATUS: Record<RefusalKind, number> = {
  'not-found': 404,
  forbidden: 403,
  conflict: 409,
  invalid: 422,
};

export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export function problem(
  status: number,
  code: string,
  title: string,
  extra: Partial<Problem> = {},
): HttpProblem {
  return new HttpProblem({
    type: `https://kefalet.example/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status,
    code,
    ...extra,
  });
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.status(p.status).type('application/problem+json').send(p);
}

function zodIssuesToFields(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldProblem[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    let reason = issue.message;
    if (issue.code === 'unrecognized_keys') {
      reason = `unknown field(s): ${issue.keys.join(', ')}`;
    }
    return { field: [prefix, path].filter(Boolean).join('.') || '(body)', reason };
  });
}

export function validationProblem(errors: FieldProblem[]): HttpProblem {
  return problem(400, 'VALIDATION_FAILED', 'The request is not valid', {
    detail: errors.map((e) => `${e.field}: ${e.reason}`).join('; '),
    errors,
  });
}

/** One error handler for the whole API: every failure becomes problem+json, never a bare 500 body. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem(404, 'NOT_FOUND', 'No such route', { detail: `${request.method} ${request.url}` })
        .problem,
    ),
  );

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof HttpProblem) return sendProblem(reply, error.problem);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = (error as FastifyError).validationContext ?? 'body';
      const errors = error.validation.map((v) => ({
        field:
          [
            where === 'body' ? '' : where,
            String(v.instancePath).replace(/^\//, '').replaceAll('/', '.'),
          ]
            .filter(Boolean)
            .join('.') || '(body)',
        reason:
          v.keyword === 'unrecognized_keys'
            ? `unknown field(s): ${(v.params.keys as string[]).join(', ')}`
            : (v.message ?? 'is not valid'),
      }));
      return sendProblem(reply, validationProblem(errors).problem);
    }
    if (error instanceof ZodError) {
      return sendProblem(reply, validationProblem(zodIssuesToFields(error.issues)).problem);
    }
    if (error instanceof InvalidValueError) {
      return sendProblem(
        reply,
        validationProblem([{ field: error.field, reason: error.reason }]).problem,
      );
    }
    if (error instanceof CommandRefused) {
      return sendProblem(
        reply,
        problem(STATUS[error.kind], error.code, error.message, {
          // extensions first: they must never override the problem's own members
          ...(error.details ?? {}),
          detail: error.message,
          ...(error.field ? { errors: [{ field: error.field, reason: error.message }] } : {}),
        }).problem,
      );
    }
    if (error instanceof WrongExpectedRevisionError) {
      return sendProblem(
        reply,
        problem(
          409,
          'CONCURRENT_CHANGE',
          'Someone changed this at the same time; reload and retry',
          {
            detail: error.message,
          },
        ).problem,
      );
    }
    if (error instanceof DuplicateEventIdError) {
      // a retry whose first answer was lost: its events (ids derived from the key) are in the log
      return sendProblem(
        reply,
        problem(409, 'ALREADY_DONE', 'This request was already carried out', {
          detail: 'Reload to see its result.',
        }).problem,
      );
    }
    if (error instanceof StreamNotFoundError) {
      return sendProblem(reply, problem(404, 'NOT_FOUND', 'Not found').problem);
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      // fastify's own client errors: bad JSON, __proto__ keys, too large, wrong content type
      const code = (error as FastifyError).code ?? 'BAD_REQUEST';
      return sendProblem(
        reply,
        problem(status, code.replace(/^FST_ERR_CTP_/, ''), error.message, { detail: error.message })
          .problem,
      );
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      reply,
      problem(500, 'INTERNAL', 'Something went wrong on our side', {
        detail: 'The error has been logged.',
      }).problem,
    );
  });
}
