// Domain failures. Each maps to one HTTP status in `lambdas/http/errors.ts`; their messages are
// written for the person who sent the request, so they go to the client as they are.

/** A failure the caller caused and can fix; anything else is an unexpected error. */
export abstract class DomainError extends Error {}

/** Invalid input: a bad URL, alias, expiry, limit or cursor (400). */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
}

/** Unknown, or not the caller's to see (404). */
export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
}

/** The alias is already someone's link (409). */
export class AliasTakenError extends DomainError {
  override readonly name = 'AliasTakenError';
}

/** Not allowed for this caller: an operator-only action, or an edit of a link an operator disabled (403). */
export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
}

/** A per-user quota or request rate is used up until `retryAfterSeconds` from now (429). */
export class LimitReachedError extends DomainError {
  override readonly name = 'LimitReachedError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
