/**
 * chalk's own folder, `~/.local/chalk`, holds full reports (environment,
 * paths, hosts): chalk creates it with mode 0700 and its files with 0600, and
 * tightens a folder or file there that an earlier tool or a umask left
 * readable by others. Log files the configuration puts elsewhere keep the
 * modes their owner gave them. Private to `sinks/`.
 *
 * @module
 */
import { dirname } from "../internal/posix_path.ts";
import { expandHome } from "./expand_home.ts";
import type { SinkLog } from "./sink.ts";
import { osErrorReason } from "../internal/errors.ts";

/** chalk's own folder. */
export const CHALK_HOME = "~/.local/chalk";

/** Drops group and other permissions from `path` (`want` is its private mode). */
function tighten(path: string, want: number, what: string, log: SinkLog): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch {
    return;
  }
  const mode = (info.mode ?? 0) & 0o777;
  if ((mode & 0o077) === 0) return;
  const shown = `0${mode.toString(8)}`;
  if (info.uid !== Deno.uid()) {
    log.warn(`${path}: ${what} is readable by others (mode ${shown}) and not ours to change`);
    return;
  }
  try {
    Deno.chmodSync(path, want);
    log.info(`${path}: ${what} was open to others (mode ${shown}); now 0${want.toString(8)}`);
  } catch (e) {
    log.warn(`${path}: ${what} is readable by others (mode ${shown}): ${osErrorReason(e)}`);
  }
}

/** Tightens `file` and its folder when they are chalk's own (see the module doc). */
export function tightenChalkHome(file: string, log: SinkLog): void {
  const home = expandHome(CHALK_HOME);
  if (dirname(file) !== home) return;
  tighten(home, 0o700, "chalk's folder", log);
  tighten(file, 0o600, "the report log", log);
}
