/**
 * The error a request body stream fails with when the client goes away before sending all of
 * it (closed the connection, or was closed by the body timeout). Logged as what it is, never
 * as an internal error.
 *
 * @module
 */

/** The client stopped sending the request body. */
export class ClientAbortError extends Error {
  /** Builds the error with why the body ended early. */
  constructor(reason: string) {
    super(reason);
    this.name = "ClientAbortError";
  }
}
