/** Shared pieces of the sink tests: a recording log, configs, temp dirs, a local HTTP server. */
import type { SinkConfig, SinkLog } from "../../sinks/sink.ts";

/** A SinkLog keeping every line with its level. */
export class RecordingLog implements SinkLog {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(`info: ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn: ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
  count(level: string, part: string): number {
    return this.lines.filter((l) => l.startsWith(`${level}: `) && l.includes(part)).length;
  }
  text(): string {
    return this.lines.join("\n");
  }
}

/** A sink config with the given type and params. */
export function sinkConfig(
  name: string,
  sink: string,
  params: Record<string, unknown>,
  extra: Partial<SinkConfig> = {},
): SinkConfig {
  return { name, sink, enabled: true, filters: [], params, ...extra };
}

/** A report message as ops/reporting.ts publishes it. */
export function reportMessage(fields: Record<string, unknown>): string {
  return `[ ${JSON.stringify(fields)} ]\n`;
}

/** One request the test server received. */
export interface Received {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

/** What the test server answers: a status, optionally after a delay. */
export type Responder = (req: Received) => Response | Promise<Response>;

/** A Deno.serve server on a loopback port that can be stopped and restarted on that port. */
export class TestServer {
  readonly received: Received[] = [];
  responder: Responder = () => new Response("ok");
  #server?: Deno.HttpServer;
  port = 0;
  readonly #tls?: { cert: string; key: string };

  constructor(tls?: { cert: string; key: string }) {
    this.#tls = tls;
  }

  get url(): string {
    return `${this.#tls ? "https" : "http"}://127.0.0.1:${this.port}/report`;
  }

  start(): Promise<void> {
    const { promise, resolve } = Promise.withResolvers<void>();
    const handler = async (request: Request): Promise<Response> => {
      const received: Received = {
        method: request.method,
        path: new URL(request.url).pathname,
        headers: request.headers,
        body: await request.text(),
      };
      this.received.push(received);
      return await this.responder(received);
    };
    const options = {
      hostname: "127.0.0.1",
      port: this.port,
      onListen: (addr: Deno.NetAddr) => {
        this.port = addr.port;
        resolve();
      },
    };
    this.#server = this.#tls
      ? Deno.serve({ ...options, cert: this.#tls.cert, key: this.#tls.key }, handler)
      : Deno.serve(options, handler);
    return promise;
  }

  async stop(): Promise<void> {
    await this.#server?.shutdown();
    this.#server = undefined;
  }
}

/** A fresh temp dir, removed by the returned disposer. */
export async function tempDir(): Promise<{ path: string; [Symbol.asyncDispose](): Promise<void> }> {
  const path = await Deno.makeTempDir({ prefix: "chalk_sinks_" });
  return {
    path,
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    },
  };
}

/** Hex SHA-256 of a string. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
