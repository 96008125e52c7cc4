/**
 * The one error type the request handler turns into an HTTP answer.
 *
 * @module
 */

/** An error with the HTTP status to answer and a one-line reason. */
export class HttpError extends Error {
  /** Builds the error. */
  constructor(
    readonly status: number,
    reason: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(reason);
    this.name = "HttpError";
  }
}
