/**
 * The `post` sink: POSTs each message to an HTTP or HTTPS endpoint with chalk's
 * core headers, retrying transient failures.
 */
import type { Sink, SinkConfig, SinkLog } from "./sink.ts";
import { bodyFacts } from "./_chalk_headers.ts";
import { attemptSignal, httpSinkBase, requestHeaders } from "./_http_client.ts";
import { sendWithRetries } from "./_http_retry.ts";
import { SinkDeliveryError } from "./_delivery_error.ts";

const MAX_REDIRECTS = 3;

/** Headers that carry credentials: a redirect to another origin does not get them. */
const CREDENTIAL_HEADERS = ["Authorization", "Proxy-Authorization", "Cookie"];

/**
 * Where a 307/308 from `from` sends the report: an http(s) URL (never `file:` and the like,
 * which Deno's fetch would open), https when `from` was (a redirect does not bypass
 * `disallow_http`, and reports do not leave TLS). To another origin the credentials stay
 * behind, as browsers and curl do: the `Authorization` of an auth_config or of `headers` was
 * meant for the configured endpoint.
 */
function redirectTarget(
  sink: string,
  shown: string,
  from: string,
  location: string,
  headers: Headers,
): string {
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    throw new SinkDeliveryError(sink, `Post ${shown}: redirect to a malformed Location`, true);
  }
  const origin = new URL(from);
  const downgrade = origin.protocol === "https:" && to.protocol !== "https:";
  if ((to.protocol !== "http:" && to.protocol !== "https:") || downgrade) {
    throw new SinkDeliveryError(
      sink,
      `Post ${shown}: refused a redirect to a ${to.protocol.replace(/:$/, "")} URL`,
      true,
    );
  }
  if (to.origin !== origin.origin) { for (const h of CREDENTIAL_HEADERS) headers.delete(h); }
  return to.toString();
}

/** A sink POSTing each message to `config.params.uri`. */
export function postSink(config: SinkConfig, log: SinkLog): Sink {
  const { params, client, shown } = httpSinkBase(config);
  return {
    async deliver(message: string): Promise<void> {
      const facts = await bodyFacts(message);
      const send = async (attempt: number): Promise<Response> => {
        const headers = requestHeaders(params, facts, attempt);
        let url = params.uri;
        for (let hop = 0;; hop++) {
          const response = await client.fetch(url, {
            method: "POST",
            headers,
            body: facts.bytes,
            signal: attemptSignal(params),
          });
          const location = response.headers.get("Location");
          // Only method-preserving redirects keep the report; 301/302/303 would turn it into a GET.
          if ((response.status !== 307 && response.status !== 308) || !location) return response;
          await response.body?.cancel();
          if (hop >= MAX_REDIRECTS) {
            throw new SinkDeliveryError(config.name, `Post ${shown}: too many redirects`, false);
          }
          url = redirectTarget(config.name, shown, url, location, headers);
        }
      };
      const response = await sendWithRetries(send, {
        sinkName: config.name,
        describe: `Post ${shown}`,
      });
      await response.body?.cancel();
      const status = `${response.status} ${response.statusText}`.trimEnd();
      log.info(config.onWriteMsg ?? `Post ${status} (sink conf='${config.name}')`);
    },
    close(): Promise<void> {
      client.close();
      return Promise.resolve();
    },
  };
}
