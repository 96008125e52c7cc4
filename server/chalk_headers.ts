/**
 * Checks the core headers newer chalk `post` sinks send (docs/server.md, "Chalk's core headers"):
 * `X-Content-Length` and `X-Chalk-Digest-Sha256` must match the body when present. Older chalks
 * (the tutorial era) send none of them, which is accepted.
 *
 * @module
 */

import { createHash } from "node:crypto";

/** Thrown when a chalk core header contradicts the body; the message is one line. */
export class ChalkHeaderError extends Error {
  /** Builds the error. */
  constructor(reason: string) {
    super(reason);
    this.name = "ChalkHeaderError";
  }
}

/** The chalk core headers of one request, as sent (all optional). */
export interface ChalkHeaders {
  /** `X-Chalk-Version`. */
  version: string | null;
  /** `X-Chalk-Operation`. */
  operation: string | null;
  /** `X-Chalk-Action-Id`. */
  actionId: string | null;
  /** `X-Chalk-Attempt` (1-based). */
  attempt: string | null;
}

/**
 * Verifies length and digest headers against `body` and returns the informative ones.
 *
 * @throws {ChalkHeaderError} when `X-Content-Length` or `X-Chalk-Digest-Sha256` is
 * present and does not match.
 */
export function checkChalkHeaders(headers: Headers, body: Uint8Array): ChalkHeaders {
  const length = headers.get("x-content-length");
  if (length !== null) {
    const trimmed = length.trim();
    if (!/^[0-9]+$/.test(trimmed)) {
      throw new ChalkHeaderError(`X-Content-Length is not a number: ${JSON.stringify(length)}`);
    }
    if (Number(trimmed) !== body.byteLength) {
      throw new ChalkHeaderError(
        `X-Content-Length says ${trimmed} bytes but the body has ${body.byteLength}`,
      );
    }
  }
  const digest = headers.get("x-chalk-digest-sha256");
  if (digest !== null) {
    const actual = createHash("sha256").update(body).digest("hex");
    if (digest.trim().toLowerCase() !== actual) {
      throw new ChalkHeaderError(
        `X-Chalk-Digest-Sha256 does not match the body (body digest is ${actual})`,
      );
    }
  }
  return {
    version: headers.get("x-chalk-version"),
    operation: headers.get("x-chalk-operation"),
    actionId: headers.get("x-chalk-action-id"),
    attempt: headers.get("x-chalk-attempt"),
  };
}
