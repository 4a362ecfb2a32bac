// The one place where failures become HTTP responses.
import { AliasTakenError, DomainError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Logger } from '../ports.ts';
import { type ApiResponse, errorBody } from './responses.ts';

/** A failure of the request itself rather than of its content: auth, body size. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: 401 | 413,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Known failures keep their message; anything else is logged in full and answered with a bare 500,
 * so that no stack trace, table name or SDK detail ever reaches a client.
 */
export function errorResponse(error: unknown, logger: Logger, context: Record<string, unknown> = {}): ApiResponse {
  if (error instanceof HttpError) return errorBody(error.statusCode, error.message);
  if (error instanceof DomainError) return errorBody(domainStatus(error), error.message);
  logger.error('unexpected failure', {
    ...context,
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
  });
  return errorBody(500, 'internal error');
}

function domainStatus(error: DomainError): number {
  if (error instanceof ValidationError) return 400;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof AliasTakenError) return 409;
  return 400;
}
