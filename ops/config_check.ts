/**
 * Validation of a candidate configuration before chalk installs it
 * (docs/decisions.md, "chalk load"): the text must parse, type-check, run and
 * validate against chalk's schema as the embedded layer over the base
 * configuration. Problems come back as one-line `file:line:col: message`
 * strings, each followed by the source line it points at and a caret
 * (indented by two spaces).
 */
import { ConfigLoadError, loadChalkConfig } from "../config/load_config.ts";

/** Problems with `text` as an embedded configuration (empty when it is acceptable). */
export async function configProblems(text: string, source: string): Promise<string[]> {
  try {
    await loadChalkConfig({
      command: "load",
      embeddedConfig: text,
      embeddedName: source,
      noExternalConfig: true,
      strict: true,
    });
    return [];
  } catch (e) {
    if (e instanceof ConfigLoadError) return e.shown();
    throw e;
  }
}
