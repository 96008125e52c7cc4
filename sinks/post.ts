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
          url = new URL(location, url).toString();
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
