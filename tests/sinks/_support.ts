/** Shared pieces of the sink tests: a recording log, configs, temp dirs. */
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

/** A free loopback port with nothing listening. */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
