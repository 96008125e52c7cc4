/**
 * The `rotating_log` sink: appends each message as a line; once the file grows
 * past `max` bytes, it is rewritten through a temp file and a rename, dropping
 * at least `truncation_amount` bytes (default a quarter of `max`) from the
 * front and keeping only whole lines.
 */
import { type Sink, type SinkConfig, SinkError, type SinkLog } from "./sink.ts";
import { AppendFile } from "./_append_file.ts";
import { sizeParam, stringParam, validateSinkParams } from "./sink_params.ts";
import { osErrorReason } from "../internal/errors.ts";

const encoder = new TextEncoder();
const NEWLINE = 0x0a;

/**
 * The bytes kept after dropping at least `cut` bytes from the front of
 * `content` at a line boundary.
 *
 * @example
 * ```ts
 * keptTail(new TextEncoder().encode("aa\nbb\ncc\n"), 4); // "cc\n" as bytes
 * ```
 */
export function keptTail(content: Uint8Array, cut: number): Uint8Array {
  if (cut <= 0) return content;
  if (cut >= content.length) return new Uint8Array();
  if (content[cut - 1] === NEWLINE) return content.subarray(cut);
  const next = content.indexOf(NEWLINE, cut);
  return next < 0 ? new Uint8Array() : content.subarray(next + 1);
}

/** A size-bounded log file. */
export function rotatingLogSink(config: SinkConfig, log: SinkLog): Sink {
  validateSinkParams(config);
  const max = sizeParam(config, "max")!;
  const truncation = sizeParam(config, "truncation_amount") ?? Math.floor(max / 4);
  const out = new AppendFile(stringParam(config, "filename")!, log);
  const path = out.path;

  async function truncate(size: number): Promise<void> {
    const content = await Deno.readFile(path);
    const kept = keptTail(content, Math.max(truncation, size - max));
    const temp = `${path}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
    try {
      await Deno.writeFile(temp, kept, { mode: 0o600 });
      await Deno.rename(temp, path);
    } finally {
      await Deno.remove(temp).catch(() => {});
    }
    out.close();
    log.info(`${path}: Truncate (sink conf='${config.name}')`);
  }

  return {
    async deliver(message: string): Promise<void> {
      try {
        await out.append(encoder.encode(message.endsWith("\n") ? message : message + "\n"));
        const size = await out.size();
        if (size > max) await truncate(size);
      } catch (e) {
        throw new SinkError(config.name, `${path}: ${osErrorReason(e)}`);
      }
      log.info(config.onWriteMsg ?? `${path}: Write (sink conf='${config.name}')`);
    },
    close(): Promise<void> {
      out.close();
      return Promise.resolve();
    },
  };
}
