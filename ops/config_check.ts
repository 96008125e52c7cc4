/**
 * Validation of a candidate configuration before chalk installs it
 * (docs/decisions.md, "chalk load"): the text must parse, type-check, run and
 * validate against chalk's schema as the embedded layer over the base
 * configuration. Problems come back as one-line `file:line:col: message`
 * strings, each followed by the source line it points at and a caret
 * (indented by two spaces).
 */
import { ConfigLoadError, loadChalkConfig } from "../config/load_config.ts";

/** What {@linkcode checkConfig} found. */
export interface ConfigCheck {
  /** Why `text` is refused (empty when it is acceptable). */
  problems: string[];
  /** Features it turns on that chalk-ts does not implement, one line each (config/unimplemented.ts). */
  unimplemented: string[];
}

/** Checks `text` as an embedded configuration. */
export async function checkConfig(text: string, source: string): Promise<ConfigCheck> {
  try {
    const config = await loadChalkConfig({
      command: "load",
      embeddedConfig: text,
      embeddedName: source,
      noExternalConfig: true,
      strict: true,
    });
    return { problems: [], unimplemented: config.unimplementedFeatures() };
  } catch (e) {
    if (e instanceof ConfigLoadError) return { problems: e.shown(), unimplemented: [] };
    throw e;
  }
}
