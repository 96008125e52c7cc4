/**
 * Labels and ENV lines chalk adds to an image: key and value formatting, and
 * the Dockerfile lines. Pure.
 */
import type { MarkValue } from "../codecs/mark_value.ts";
import { writeMarkValue } from "../codecs/mark_json.ts";

/** Default `docker.label_prefix`. */
export const DEFAULT_LABEL_PREFIX = "run.crashoverride.";

/**
 * Label name: prefix (a `.` appended if missing) + key, lower-cased,
 * `_` → `-`, `$` → `_`.
 *
 * @example
 * ```ts
 * formatLabelKey("COMMIT_ID"); // "run.crashoverride.commit-id"
 * ```
 */
export function formatLabelKey(key: string, prefix: string = DEFAULT_LABEL_PREFIX): string {
  const p = prefix === "" || prefix.endsWith(".") ? prefix : `${prefix}.`;
  return (p + key).toLowerCase().replaceAll("_", "-").replaceAll("$", "_");
}

/**
 * A double-quoted Dockerfile word whose value after docker's word
 * processing is `text`: the escape character, `"` and `$` are escaped;
 * control characters become JSON escapes (so the line stays one line).
 */
export function dockerQuote(text: string, escape = "\\"): string {
  let out = '"';
  for (const c of text) {
    if (c === escape || c === '"' || c === "$") out += escape + c;
    else if (c < " ") out += JSON.stringify(c).slice(1, -1);
    else out += c;
  }
  return out + '"';
}

/**
 * Label value as written in the Dockerfile: the JSON text of the value
 * (strings as they are), quoted for docker. Empty or blank values give
 * undefined (no label).
 */
export function formatLabelValue(value: MarkValue, escape = "\\"): string | undefined {
  const text = typeof value === "string" ? value : writeMarkValue(value);
  if (text.trim() === "") return undefined;
  return dockerQuote(text, escape);
}

/**
 * One `LABEL n1=v1 n2=v2 ...` line for the labels with a non-blank value
 * (one instruction: the legacy builder makes a layer step per instruction);
 * also returns the raw values. No line when no label has a value.
 */
export function labelLines(
  labels: Iterable<readonly [string, MarkValue]>,
  prefix: string = DEFAULT_LABEL_PREFIX,
  escape = "\\",
): { lines: string[]; added: Map<string, MarkValue> } {
  const pairs: string[] = [];
  const added = new Map<string, MarkValue>();
  for (const [key, value] of labels) {
    const v = formatLabelValue(value, escape);
    if (v === undefined) continue;
    pairs.push(`${formatLabelKey(key, prefix)}=${v}`);
    added.set(key, value);
  }
  return { lines: pairs.length > 0 ? [`LABEL ${pairs.join(" ")}`] : [], added };
}

/** An environment variable name chalk accepts: letters, digits, `_`, not starting with a digit. */
export function validEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/**
 * One `ENV NAME="value" ...` line for `docker.additional_env_vars`. A value `@KEY`
 * takes the collected chalk-time key (run-time `_` keys are refused).
 * Rejected names and keys are reported through `warn`.
 */
export function envLines(
  vars: Iterable<readonly [string, string]>,
  lookup: (key: string) => MarkValue | undefined,
  warn: (message: string) => void,
  escape = "\\",
): string[] {
  const pairs: string[] = [];
  for (const [name, raw] of vars) {
    if (!validEnvName(name)) {
      warn(`ENV var ${name} NOT added: invalid name`);
      continue;
    }
    let value: MarkValue = raw;
    if (raw.startsWith("@")) {
      const key = raw.slice(1);
      const found = key.startsWith("_") ? undefined : lookup(key);
      if (found === undefined) {
        warn(`ENV var ${name} NOT added: key ${key} was not collected at chalk time`);
        continue;
      }
      value = found;
    }
    const text = typeof value === "string" ? value : writeMarkValue(value);
    pairs.push(`${name.toUpperCase()}=${dockerQuote(text, escape)}`);
  }
  return pairs.length > 0 ? [`ENV ${pairs.join(" ")}`] : [];
}
