/**
 * Between `node:http` and the server's fetch-style handler: an `IncomingMessage` becomes a
 * `Request` whose body streams with back-pressure (and fails with {@linkcode ClientAbortError}
 * when the client goes away), and a `Response` is written back to the `ServerResponse`.
 *
 * The server runs on `node:http` rather than `Deno.serve` because only the former lets the
 * server see each connection: header and body timeouts and the connection cap need that
 * (docs/server.md, "Limits").
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { ClientAbortError } from "./client_abort.ts";

function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Uint8Array) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once("end", () => controller.close());
      req.once("close", () => {
        if (!req.complete) {
          controller.error(
            new ClientAbortError("client closed the connection before the end of the body"),
          );
        }
      });
      req.once("error", (e) => controller.error(new ClientAbortError(e.message)));
    },
    pull() {
      req.resume();
    },
    cancel() {
      // The handler stopped reading (413): drop the rest and close after answering.
      req.resume();
    },
  }, { highWaterMark: 4 });
}

/** The `Request` for `req`; `origin` is the server's own `scheme://host:port`. */
export function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i], raw[i + 1]);
    } catch { /* a header value fetch refuses: ignore it */ }
  }
  const method = req.method ?? "GET";
  const target = req.url ?? "/";
  const url = target.startsWith("/") ? origin + target : `${origin}/`;
  const hasBody = method !== "GET" && method !== "HEAD";
  if (!hasBody) req.resume();
  return new Request(url, {
    method,
    headers,
    body: hasBody ? bodyStream(req) : null,
    // @ts-ignore: `duplex` is required for streamed bodies but missing from the lib types.
    duplex: "half",
  });
}

/** Writes `response` to `res`; a body the handler did not read closes the connection after. */
export async function sendResponse(
  res: ServerResponse,
  response: Response,
  options: { closeAfter: boolean },
): Promise<void> {
  const body = response.body === null
    ? new Uint8Array(0)
    : new Uint8Array(await response.arrayBuffer());
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.setHeader("content-length", String(body.byteLength));
  if (options.closeAfter) res.setHeader("connection", "close");
  res.end(body);
}
