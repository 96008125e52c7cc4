/**
 * Message filters a sink config can name. A filter returns the transformed
 * message.
 */
import { parseMarkJson } from "../codecs/mark_json.ts";
import { prettyJson } from "../reports/pretty_json.ts";

const encoder = new TextEncoder();

function prettyJsonFilter(message: string): string {
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

const FILTERS: Record<string, (message: string) => string> = {
  pretty_json: prettyJsonFilter,
  fix_new_line: fixNewLine,
};

/** Names of the filters chalk-ts implements. */
export const FILTER_NAMES: readonly string[] = Object.keys(FILTERS);

/** Applies the named filters in order; unknown names are rejected when configs load. */
export function applyFilters(message: string, names: readonly string[]): string {
  let out = message;
  for (const name of names) out = FILTERS[name]?.(out) ?? out;
  return out;
}
