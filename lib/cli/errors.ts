// What the client tells scripts through its exit status, and the one error type that carries it.

/** Exit statuses scripts can rely on (documented in the README and the cli spec). */
export const EXIT = {
  ok: 0,
  /** Bad command line or unreadable input file: fix the invocation. */
  usage: 1,
  /** The API refused the request (4xx other than 401): not found, invalid, alias taken, quota reached… */
  refused: 2,
  /** Not logged in, the session ended, or wrong credentials: run `shorten login`. */
  auth: 3,
  /** The service could not be reached or failed (network error, 5xx, 503): try again later. */
  unavailable: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  readonly exitCode: ExitCode;
  /** The HTTP status when the API answered. */
  readonly status: number | undefined;

  constructor(message: string, exitCode: ExitCode, status?: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.status = status;
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);
export const authError = (message: string) => new CliError(message, EXIT.auth);
