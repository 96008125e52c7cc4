/**
 * The `file` sink: appends each message to one file, created with mode 0600 in
 * a folder created with mode 0700 (docs/decisions.md, "Full report in
 * chalk.log").
 */
import { type Sink, type SinkConfig, SinkError, type SinkLog } from "./sink.ts";
import { AppendFile } from "./_append_file.ts";
import { osErrorReason } from "../internal/errors.ts";

const encoder = new TextEncoder();

/**
 * The file a `file` or `rotating_log` sink config appends to, as its sink resolves it (`~`
 * expanded, relative to the working folder); `undefined` for other sinks.
 */
export function appendedFilePath(config: SinkConfig): string | undefined {
  const filename = config.params.filename;
  if (config.sink !== "file" && config.sink !== "rotating_log") return undefined;
  return typeof filename === "string" && filename !== ""
    ? new AppendFile(filename).path
    : undefined;
}

/** A sink appending to `config.params.filename`. */
export function fileSink(config: SinkConfig, log: SinkLog): Sink {
  const raw = config.params.filename;
  if (typeof raw !== "string" || raw === "") {
    throw new SinkError(config.name, `sink config '${config.name}' needs a 'filename'`);
  }
  const out = new AppendFile(raw, log);
  return {
    async deliver(message: string): Promise<void> {
      try {
        if (await out.append(encoder.encode(message))) {
          log.info(`${out.path}: Open (sink conf='${config.name}')`);
        }
      } catch (e) {
        throw new SinkError(config.name, `${out.path}: ${osErrorReason(e)}`);
      }
      log.info(config.onWriteMsg ?? `${out.path}: Write (sink conf='${config.name}')`);
    },
    close(): Promise<void> {
      out.close();
      return Promise.resolve();
    },
  };
}
