/**
 * The `presign` sink: a body-less PUT to `uri` with the core headers answers
 * with a 302/307 whose absolute `Location` is a presigned upload URL; the body
 * is then PUT there, with every response header named in `x-forward-headers`
 * copied onto the upload.
 */
import type { Sink, SinkConfig, SinkLog } from "./sink.ts";
import { bodyFacts } from "./_chalk_headers.ts";
import { attemptSignal, httpSinkBase, requestHeaders } from "./_http_client.ts";
import { sendWithRetries } from "./_http_retry.ts";
import { SinkDeliveryError } from "./_delivery_error.ts";
import { redactUrl } from "./sink_params.ts";

/** A sink uploading each message through a presigned URL obtained from `uri`. */
export function presignSink(config: SinkConfig, log: SinkLog): Sink {
  const { params, client, shown } = httpSinkBase(config);
  return {
    async deliver(message: string): Promise<void> {
      const facts = await bodyFacts(message);
      let upload: { url: string; headers: Headers } | undefined;
      const presign = async (attempt: number): Promise<Response> => {
        const headers = requestHeaders(params, facts, attempt);
        const response = await client.fetch(params.uri, {
          method: "PUT",
          headers,
          signal: attemptSignal(params),
        });
        if (response.status !== 302 && response.status !== 307) {
          if (!response.ok) return response;
          await response.body?.cancel();
          throw new SinkDeliveryError(
            config.name,
            `Presign ${shown}: expected a 302 or 307 redirect, got ${response.status}`,
            true,
          );
        }
        await response.body?.cancel();
        const location = response.headers.get("Location") ?? "";
        let url: URL;
        try {
          url = new URL(location);
        } catch {
          throw new SinkDeliveryError(
            config.name,
            `Presign ${shown}: the ${response.status} response has no absolute Location`,
            true,
          );
        }
        const uploadHeaders = new Headers({ "Content-Type": params.contentType });
        const forward = response.headers.get("x-forward-headers") ?? "";
        for (const name of forward.split(",").map((n) => n.trim()).filter((n) => n)) {
          const value = response.headers.get(name);
          if (value !== null) uploadHeaders.set(name, value);
        }
        upload = { url: url.toString(), headers: uploadHeaders };
        // Stand in for the redirect as a success so the retry loop stops here.
        return new Response(null, { status: 204 });
      };
      await sendWithRetries(presign, { sinkName: config.name, describe: `Presign ${shown}` });
      const target = upload!;
      const response = await sendWithRetries(
        () =>
          client.fetch(target.url, {
            method: "PUT",
            headers: target.headers,
            body: facts.bytes,
            signal: attemptSignal(params),
          }),
        { sinkName: config.name, describe: `Presign upload ${redactUrl(target.url)}` },
      ).catch((e: unknown) => {
        // Upload errors are always soft: the next run asks for a fresh URL.
        if (e instanceof SinkDeliveryError) {
          throw new SinkDeliveryError(config.name, e.message, false);
        }
        throw e;
      });
      await response.body?.cancel();
      const status = `${response.status} ${response.statusText}`.trimEnd();
      log.info(config.onWriteMsg ?? `Presign ${status} (sink conf='${config.name}')`);
    },
    close(): Promise<void> {
      client.close();
      return Promise.resolve();
    },
  };
}
