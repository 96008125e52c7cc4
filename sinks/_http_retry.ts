/**
 * Sending one HTTP request with chalk's retry policy: up to 2 retries with
 * exponential backoff (100 ms, 200 ms); only 2xx is success; a 4xx other than
 * 429 is not retried.
 */
import { SinkDeliveryError } from "./_delivery_error.ts";

/** How to retry and how to describe failures. */
export interface RetryOptions {
  /** The sink config name, for the error. */
  readonly sinkName: string;
  /** Prefix of the error message, e.g. `Post https://host/path`. */
  readonly describe: string;
  /** Retries after the first attempt (default 2). */
  readonly retries?: number;
  /** First backoff in ms, doubled each retry (default 100). */
  readonly backoffMs?: number;
  /** Text for a non-2xx response; must consume the body. Default `HTTP <status> <text>`. */
  readonly failureText?: (response: Response) => Promise<string>;
}

/** True for statuses that another attempt cannot fix. */
export function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 429;
}

async function defaultFailureText(response: Response): Promise<string> {
  await response.body?.cancel();
  return `HTTP ${response.status} ${response.statusText}`.trimEnd();
}

function errorText(e: unknown): string {
  if (e instanceof DOMException && e.name === "TimeoutError") return "timed out";
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : "";
    return `${e.message}${cause}`;
  }
  return String(e);
}

/**
 * Calls `send(attempt)` (attempt is 1-based) until it yields a 2xx response,
 * which is returned unread. Throws `SinkDeliveryError` otherwise.
 */
export async function sendWithRetries(
  send: (attempt: number) => Promise<Response>,
  options: RetryOptions,
): Promise<Response> {
  const retries = options.retries ?? 2;
  const failureText = options.failureText ?? defaultFailureText;
  let delay = options.backoffMs ?? 100;
  let last = "";
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (attempt > 1) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
    let response: Response;
    try {
      response = await send(attempt);
    } catch (e) {
      if (e instanceof SinkDeliveryError) throw e;
      last = errorText(e);
      continue;
    }
    if (response.status >= 200 && response.status < 300) return response;
    last = await failureText(response);
    if (isPermanentStatus(response.status)) {
      throw new SinkDeliveryError(options.sinkName, `${options.describe}: ${last}`, true);
    }
  }
  const tries = retries + 1;
  throw new SinkDeliveryError(
    options.sinkName,
    `${options.describe}: ${last} (${tries} attempt${tries === 1 ? "" : "s"})`,
    false,
  );
}
