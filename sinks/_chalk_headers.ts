/**
 * The core headers chalk adds to every HTTP upload (as the original's
 * `addChalkCoreHeaders`): version, operation, action id, length, SHA-256 digest
 * of the body and the 1-based attempt number.
 */
import { CHALK_VERSION } from "../internal/version.ts";
import { toHex } from "../internal/hex.ts";

/** What the core headers describe: one body about to be sent. */
export interface BodyFacts {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly sha256Hex: string;
  readonly operation?: string;
  readonly actionId?: string;
}

function firstReport(message: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(message);
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    return typeof first === "object" && first !== null
      ? first as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

/** Encodes the message and extracts what the core headers need. */
export async function bodyFacts(message: string): Promise<BodyFacts> {
  const bytes = new TextEncoder().encode(message);
  const sha256Hex = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
  const report = firstReport(message);
  const operation = typeof report?._OPERATION === "string" ? report._OPERATION : undefined;
  const actionId = typeof report?._ACTION_ID === "string" ? report._ACTION_ID : undefined;
  return { bytes, sha256Hex, operation, actionId };
}

/** Sets the core headers on `headers`, replacing same-named user headers. */
export function setCoreHeaders(headers: Headers, facts: BodyFacts, attempt: number): void {
  headers.set("X-Chalk-Version", CHALK_VERSION);
  if (facts.operation !== undefined) headers.set("X-Chalk-Operation", facts.operation);
  if (facts.actionId !== undefined) headers.set("X-Chalk-Action-Id", facts.actionId);
  headers.set("X-Content-Length", String(facts.bytes.length));
  headers.set("X-Chalk-Digest-Sha256", facts.sha256Hex);
  headers.set("X-Chalk-Attempt", String(attempt));
}
