/**
 * The `file` sink: appends each message to one file, created with mode 0600 in
 * a folder created with mode 0700 (docs/decisions.md, "Full report in
 * chalk.log").
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { type Sink, type SinkConfig, SinkError, type SinkLog } from "./sink.ts";
import { expandHome } from "./expand_home.ts";

const encoder = new TextEncoder();

/** A sink appending to `config.params.filename`. */
export function fileSink(config: SinkConfig, log: SinkLog): Sink {
  const raw = config.params.filename;
  if (typeof raw !== "string" || raw === "") {
    throw new SinkError(config.name, `sink config '${config.name}' needs a 'filename'`);
  }
  const expanded = expandHome(raw);
  const path = isAbsolute(expanded) ? expanded : resolve(Deno.cwd(), expanded);
  let file: Deno.FsFile | undefined;
  return {
    async deliver(message: string): Promise<void> {
      try {
        if (!file) {
          await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
          file = await Deno.open(path, { append: true, create: true, mode: 0o600 });
          log.info(`${path}: Open (sink conf='${config.name}')`);
        }
        // One write call per message: O_APPEND keeps concurrent writers' lines whole.
        const bytes = encoder.encode(message);
        let offset = 0;
        while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
      } catch (e) {
        throw new SinkError(config.name, `${path}: ${e instanceof Error ? e.message : e}`);
      }
      log.info(config.onWriteMsg ?? `${path}: Write (sink conf='${config.name}')`);
    },
    close(): Promise<void> {
      file?.close();
      file = undefined;
      return Promise.resolve();
    },
  };
}
