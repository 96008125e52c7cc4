/**
 * The few facts of a report a person scans for in a list or timeline (program,
 * pid, heartbeat number, tags...), read losslessly from its raw text.
 *
 * @module
 */

import { parseRawJson, rawMember, type RawObject, type RawValue } from "../raw_json.ts";
import { prettyJson } from "../raw_json_format.ts";

/** One labelled fact. */
export interface ReportFact {
  /** What the value is, for people. */
  label: string;
  /** The value as text. */
  value: string;
}

const HOST_KEYS: readonly [string, string][] = [
  ["_HEARTBEAT_COUNT", "heartbeat #"],
  ["_OP_EXIT_CODE", "exit code"],
  ["_OP_CHALK_COUNT", "chalks"],
  ["_OP_ARGV", "chalk argv"],
];

const CHALK_KEYS: readonly [string, string][] = [
  ["_PROCESS_PID", "pid"],
  ["_PROCESS_ARGV", "argv"],
  ["_OP_ARTIFACT_PATH", "path"],
  ["PATH_WHEN_CHALKED", "chalked at"],
  ["COMMIT_ID", "commit"],
  ["_REPO_TAGS", "tags"],
];

/** Renders a scalar or a list of scalars as short text. */
function shortText(source: string, v: RawValue): string {
  switch (v.kind) {
    case "string":
      return v.value;
    case "number":
    case "literal":
      return v.text;
    case "array":
      return v.items.map((i) => shortText(source, i)).join(" ");
    case "object":
      return v.members.map((m) => m.key).join(", ");
  }
}

function parseObject(raw: string): RawObject | null {
  try {
    const v = parseRawJson(raw);
    return v.kind === "object" ? v : null;
  } catch {
    return null;
  }
}

/** Picks the facts worth a glance from a stored report's raw text. */
export function reportFacts(raw: string): ReportFact[] {
  const report = parseObject(raw);
  if (report === null) return [];
  const facts: ReportFact[] = [];
  for (const [key, label] of HOST_KEYS) {
    const v = rawMember(report, key);
    if (v !== undefined) facts.push({ label, value: shortText(raw, v) });
  }
  const chalks = rawMember(report, "_CHALKS");
  const first = chalks?.kind === "array" ? chalks.items.find((i) => i.kind === "object") : null;
  if (first?.kind === "object") {
    for (const [key, label] of CHALK_KEYS) {
      const v = rawMember(first, key);
      if (v === undefined) continue;
      const value = shortText(raw, v);
      // The program path usually opens argv already.
      if (label === "path" && facts.some((f) => f.label === "argv" && f.value.startsWith(value))) {
        continue;
      }
      facts.push({ label, value });
    }
  }
  return facts;
}

/** The report indented for reading, every number digit kept; the text itself if unparsable. */
export function prettyReport(raw: string): string {
  try {
    return prettyJson(raw, parseRawJson(raw));
  } catch {
    return raw;
  }
}
