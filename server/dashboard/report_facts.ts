/**
 * The few facts of a report a person scans for in a list or timeline (program,
 * pid, heartbeat number, tags...), read losslessly from its raw text.
 *
 * @module
 */

import { imageRefs } from "../image_refs.ts";
import {
  parseRawJson,
  rawMember,
  type RawObject,
  rawStringMember,
  type RawValue,
} from "../raw_json.ts";
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
  ["_INSTANCE_CONTAINER_ID", "container"],
  ["COMMIT_ID", "commit"],
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

/**
 * Picks the facts worth a glance from a stored report's raw text. Artifact facts come from the
 * `_CHALKS` entry of `chalkId` (the chalk a page or row is about), else from the first one.
 */
export function reportFacts(raw: string, chalkId: string | null = null): ReportFact[] {
  const report = parseObject(raw);
  if (report === null) return [];
  const facts: ReportFact[] = [];
  for (const [key, label] of HOST_KEYS) {
    const v = rawMember(report, key);
    if (v !== undefined) facts.push({ label, value: shortText(raw, v) });
  }
  const chalks = rawMember(report, "_CHALKS");
  const items = chalks?.kind === "array"
    ? chalks.items.filter((i): i is RawObject => i.kind === "object")
    : [];
  const chalk = items.find((i) => chalkId !== null && rawStringMember(i, "CHALK_ID") === chalkId) ??
    items[0];
  if (chalk !== undefined) {
    for (const [key, label] of CHALK_KEYS) {
      const v = rawMember(chalk, key);
      if (v === undefined) continue;
      const value = shortText(raw, v);
      // The program path usually opens argv already.
      if (label === "path" && facts.some((f) => f.label === "argv" && f.value.startsWith(value))) {
        continue;
      }
      facts.push({ label, value });
    }
    const images = imageRefs(chalk);
    if (images.length > 0) facts.push({ label: "image", value: images.join(", ") });
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
