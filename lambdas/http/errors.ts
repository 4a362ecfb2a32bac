// The one place where failures become HTTP responses.
import {
  AliasTakenError,
  DomainError,
  ForbiddenError,
  LimitReachedError,
  NotFoundError,
  ValidationError,
} from '../domain/errors.ts';
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
 * DynamoDB's answers when it is overloaded (after the SDK's own retries): the service is busy, the
 * request was fine, so 503 with Retry-After, never 500.
 */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

/** Seconds a client should wait after a 503 before trying again. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

export interface ErrorAnswer {
  statusCode: number;
  message: string;
  headers: Record<string, string>;
}

/**
 * Known failures keep their message; anything else is logged in full and answered with a bare 500,
 * so that no stack trace, table name or SDK detail ever reaches a client.
 */
export function errorAnswer(error: unknown, logger: Logger, context: Record<string, unknown> = {}): ErrorAnswer {
  if (error instanceof HttpError) return { statusCode: error.statusCode, message: error.message, headers: {} };
  if (error instanceof LimitReachedError) {
    return { statusCode: 429, message: error.message, headers: { 'retry-after': String(error.retryAfterSeconds) } };
  }
  if (error instanceof DomainError) return { statusCode: domainStatus(error), message: error.message, headers: {} };
  if (error instanceof Error && THROTTLING.has(error.name)) {
    logger.warn('throttled', { ...context, error: error.name });
    return {
      statusCode: 503,
      message: 'the service is busy, please retry shortly',
      headers: { 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) },
    };
  }
  logger.error('unexpected failure', {
    ...context,
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
  });
  return { statusCode: 500, message: 'internal error', headers: {} };
}

export function errorResponse(error: unknown, logger: Logger, context: Record<string, unknown> = {}): ApiResponse {
  const answer = errorAnswer(error, logger, context);
  return errorBody(answer.statusCode, answer.message, answer.headers);
}

function domainStatus(error: DomainError): number {
  if (error instanceof ValidationError) return 400;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof AliasTakenError) return 409;
  return 400;
}
