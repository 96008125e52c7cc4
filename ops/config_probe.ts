/**
 * The configuration texts a run would evaluate on top of chalk's base configuration, found
 * without con4m (docs/architecture.md, "Start-up"): the text embedded in this program's mark,
 * then `--config-file` or the first `chalk.c4m` on the default config path. The fast paths
 * (`version`, `exec`, docker pass-through) run without evaluating any configuration only when
 * these texts cannot change what they do; otherwise chalk takes its full path.
 *
 * @module
 */
import { findMarkInBytes } from "../codecs/find_mark.ts";
import {
  DEFAULT_CONFIG_FILENAME,
  DEFAULT_CONFIG_PATH,
  externalConfigFiles,
} from "../config/external_config.ts";
import { readBundleMark } from "./bundle_mark.ts";
import type { SelfInfo } from "./self_path.ts";

/** Configuration names that move the external configuration file. */
export const CONFIG_MOVERS: readonly string[] = ["config_path", "config_filename"];

/** Which layers the command line lets load (`--config-file`, `--no-use-*-config`). */
export interface ProbeOptions {
  configFile?: string;
  useEmbeddedConfig?: boolean;
  useExternalConfig?: boolean;
  home?: string;
}

/** The text of the configuration embedded in a bundle or source self; "" for none. */
async function embeddedText(self: SelfInfo): Promise<string | undefined> {
  if (self.kind === "source") return "";
  // A compiled binary keeps its mark in an ELF section: its codec is not worth loading here.
  if (self.kind !== "bundle") return undefined;
  try {
    // Asynchronously, as readBundleMark says why; the whole file only when its end is not the
    // build's.
    const mark = (await readBundleMark(self.path) ??
      { mark: findMarkInBytes(await Deno.readFile(self.path))?.mark }).mark;
    const text = mark?.get("$CHALK_CONFIG");
    return typeof text === "string" ? text : "";
  } catch {
    return undefined;
  }
}

/**
 * The configuration texts the run would load (empty: only the base configuration), or
 * undefined when they cannot be known without the full loader (a compiled self, an unreadable
 * file, a configuration that moves the config path).
 */
export async function probeConfigTexts(
  self: SelfInfo,
  opts: ProbeOptions,
): Promise<string[] | undefined> {
  const texts: string[] = [];
  if (opts.useEmbeddedConfig !== false) {
    const embedded = await embeddedText(self);
    if (embedded === undefined) return undefined;
    if (embedded !== "") texts.push(embedded);
  }
  if (texts.some((t) => mentions(t, CONFIG_MOVERS))) return undefined;
  let external: string | undefined = opts.configFile;
  if (external === undefined && opts.useExternalConfig !== false) {
    const home = opts.home ?? Deno.env.get("HOME");
    for (const found of externalConfigFiles(DEFAULT_CONFIG_PATH, DEFAULT_CONFIG_FILENAME, home)) {
      external = found.file;
      break;
    }
  }
  if (external !== undefined) {
    try {
      texts.push(Deno.readTextFileSync(external));
    } catch {
      return undefined;
    }
  }
  return texts;
}

/**
 * True when `text` names any of `names` as a word. con4m has no way to reach an attribute or a
 * builtin without naming it, so a text that names none of them cannot change them.
 */
export function mentions(text: string, names: readonly string[]): boolean {
  return names.some((n) => new RegExp(`(^|[^A-Za-z0-9_])${n}($|[^A-Za-z0-9_])`).test(text));
}
