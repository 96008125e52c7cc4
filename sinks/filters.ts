/**
 * Message filters a sink config can name. A filter returns the transformed
 * message.
 */
import { parseMarkJson } from "../codecs/mark_json.ts";
import type { MarkValue } from "../codecs/mark_value.ts";
import { prettyJson } from "../reports/pretty_json.ts";

const encoder = new TextEncoder();

/** The last message chalk wrote from a value it still holds (see {@link rememberWritten}). */
let written: { text: string; value: MarkValue } | undefined;

/**
 * Tells `pretty_json` that `text` is `value` as chalk's own writer put it, so that indenting
 * that very message needs no second parse (a report of 2,000 artifacts: ~30 ms, the text
 * encoded and read back). Used only for values that read back as themselves (checked when
 * indented: most messages never are): finite numbers, and strings without lone surrogates (the
 * text's encoding replaces those).
 */
export function rememberWritten(text: string, value: MarkValue): void {
  written = { text, value };
}

function readsBackAsItself(value: MarkValue): boolean {
  switch (typeof value) {
    case "string":
      return value.isWellFormed();
    case "number":
      return Number.isFinite(value);
    case "bigint":
    case "boolean":
      return true;
  }
  if (value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!readsBackAsItself(value[i])) return false;
    return true;
  }
  // forEach: no entry pair allocated per key (a report holds thousands of them).
  let ok = true;
  value.forEach((v, k) => {
    if (ok && !(k.isWellFormed() && readsBackAsItself(v))) ok = false;
  });
  return ok;
}

function prettyJsonFilter(message: string): string {
  // Identical strings compare by reference first: a message passed on unchanged costs nothing.
  if (written !== undefined && written.text === message && readsBackAsItself(written.value)) {
    return prettyJson(written.value);
  }
  try {
    const bytes = encoder.encode(message);
    let start = 0;
    while (start < bytes.length && (bytes[start] === 0x20 || bytes[start] === 0x0a)) start++;
    return prettyJson(parseMarkJson(bytes, start).value);
  } catch {
    return message;
  }
}

function fixNewLine(message: string): string {
  return message.endsWith("\n") ? message : message + "\n";
}

/** The message as one collapsed group of a GitHub Actions log (its `::group::` command). */
function githubLogGroup(message: string): string {
  return ["::group::Chalk Report", message.replace(/\n+$/, ""), "::endgroup::"].join("\n");
}

/**
 * The message as one collapsed section of a GitLab CI log. GitLab takes only whole Unix
 * seconds in the section markers.
 */
function gitlabLogSection(message: string): string {
  const ts = Math.floor(Date.now() / 1000);
  const esc = "\x1b[0K";
  return [
    `${esc}section_start:${ts}:chalk_report[collapsed=true]\r${esc}Chalk Report`,
    message.replace(/\n+$/, ""),
    `${esc}section_end:${ts}:chalk_report\r${esc}`,
  ].join("\n");
}

const FILTERS: Record<string, (message: string) => string> = {
  pretty_json: prettyJsonFilter,
  fix_new_line: fixNewLine,
  github_log_group: githubLogGroup,
  gitlab_log_section: gitlabLogSection,
};

/** Names of the filters chalk-ts implements. */
export const FILTER_NAMES: readonly string[] = Object.keys(FILTERS);

/** Applies the named filters in order; unknown names are rejected when configs load. */
export function applyFilters(message: string, names: readonly string[]): string {
  let out = message;
  for (const name of names) out = FILTERS[name]?.(out) ?? out;
  return out;
}
