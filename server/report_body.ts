/**
 * Turns the text of a `POST /report` body into the rows the store keeps:
 * one report row per report, one chalk row per chalk of an `insert`/`build`
 * report, and one mention per `_CHALKS` entry of any report.
 *
 * Raw texts are sliced from the body, so numbers keep every digit.
 *
 * @module
 */

import { createHash } from "node:crypto";
import {
  parseRawJson,
  type RawMember,
  rawMember,
  type RawObject,
  rawStringMember,
  rawText,
} from "./raw_json.ts";
import { imageRefs } from "./image_refs.ts";
import { canonicalJson, objectFromMembers } from "./raw_json_format.ts";
import { errorMessage } from "../internal/errors.ts";

/** Operations whose `_CHALKS` become rows of `GET /chalks` (as in the original server). */
export const CHALK_ROW_OPERATIONS: ReadonlySet<string> = new Set(["insert", "build"]);

/** What a chalk says about its artifact, as the store indexes it. */
export interface ArtifactFields {
  /** `COMMIT_ID`. */
  commitId: string | null;
  /** `BRANCH`. */
  branch: string | null;
  /** `ORIGIN_URI`. */
  originUri: string | null;
  /** `PATH_WHEN_CHALKED`, else `_OP_ARTIFACT_PATH`. */
  artifactPath: string | null;
  /** `ARTIFACT_TYPE`, else `_OP_ARTIFACT_TYPE`. */
  artifactType: string | null;
  /** Image names and tags, comma-separated (container images only). */
  imageRefs: string | null;
}

/** A row of the `chalks` table: one chalk mark, chalk keys merged with its report's keys. */
export interface ChalkRecord extends ArtifactFields {
  /** Identity of the row (primary key). */
  metadataId: string;
  /** `METADATA_HASH`, when present. */
  metadataHash: string | null;
  /** `CHALK_ID`. */
  chalkId: string;
  /** Index of the chalk in its report's `_CHALKS`. */
  position: number;
  /** The merged object's JSON text. */
  raw: string;
}

/** One `_CHALKS` entry of a report, as indexed for search and timelines. */
export interface MentionRecord extends ArtifactFields {
  /** `CHALK_ID`, when present. */
  chalkId: string | null;
  /** `METADATA_ID`, when present. */
  metadataId: string | null;
  /** `_INSTANCE_CONTAINER_ID` (the container the chalked program ran in). */
  containerId: string | null;
  /** `_PROCESS_PID`, as written. */
  pid: string | null;
}

/** One report ready to store. */
export interface ReportRecord {
  /** SHA-256 (hex) of the report's canonical JSON text: equal reports share it. */
  identity: string;
  /** `_OPERATION`, lower-cased. */
  operation: string;
  /** `_ACTION_ID`. */
  actionId: string | null;
  /** `_EXEC_ID` (shared by an exec report and its heartbeats). */
  execId: string | null;
  /** `_TIMESTAMP` in ms, when it is a safe integer. */
  timestampMs: number | null;
  /** `_DATETIME`. */
  datetime: string | null;
  /** `_OP_HOSTNAME`, else `_OP_NODENAME`. */
  hostname: string | null;
  /** The report object's text exactly as received. */
  raw: string;
  /** Rows for the `chalks` table (insert and build reports only). */
  chalks: ChalkRecord[];
  /** Every object in `_CHALKS`. */
  mentions: MentionRecord[];
  /** Chalks of an insert/build report lacking `CHALK_ID` or `METADATA_ID` (not stored). */
  chalksSkipped: number;
}

/** What a body holds. */
export interface ParsedReportBody {
  /** The reports to store, in body order. */
  reports: ReportRecord[];
  /** Objects without a string `_OPERATION`; not stored (as in the original server). */
  skipped: number;
}

/** Thrown when a body cannot be accepted; the message is a one-line reason. */
export class ReportBodyError extends Error {
  /** Builds the error. */
  constructor(reason: string) {
    super(reason);
    this.name = "ReportBodyError";
  }
}

/**
 * Parses a report body: a JSON array of report objects (what chalk sends) or a
 * single report object.
 *
 * @throws {ReportBodyError} for malformed JSON or an item that is not an object.
 */
export function parseReportBody(text: string): ParsedReportBody {
  let root;
  try {
    root = parseRawJson(text);
  } catch (e) {
    throw new ReportBodyError(errorMessage(e));
  }
  let objects: RawObject[];
  if (root.kind === "object") {
    objects = [root];
  } else if (root.kind === "array") {
    objects = root.items.map((item, i) => {
      if (item.kind !== "object") {
        throw new ReportBodyError(`report ${i} is a JSON ${item.kind}, not an object`);
      }
      return item;
    });
  } else {
    throw new ReportBodyError(`body is a JSON ${root.kind}; expected an array of reports`);
  }
  const reports: ReportRecord[] = [];
  let skipped = 0;
  for (const obj of objects) {
    const record = reportRecord(text, obj);
    if (record) reports.push(record);
    else skipped++;
  }
  return { reports, skipped };
}

function reportRecord(source: string, report: RawObject): ReportRecord | null {
  const op = rawStringMember(report, "_OPERATION");
  if (op === undefined) return null;
  const operation = op.toLowerCase();
  const identity = createHash("sha256").update(canonicalJson(source, report)).digest("hex");
  const ts = rawMember(report, "_TIMESTAMP");
  let timestampMs: number | null = null;
  if (ts?.kind === "number") {
    const n = Number(ts.text);
    if (Number.isSafeInteger(n)) timestampMs = n;
  }
  const record: ReportRecord = {
    identity,
    operation,
    actionId: rawStringMember(report, "_ACTION_ID") ?? null,
    execId: rawStringMember(report, "_EXEC_ID") ?? null,
    timestampMs,
    datetime: rawStringMember(report, "_DATETIME") ?? null,
    hostname: rawStringMember(report, "_OP_HOSTNAME") ??
      rawStringMember(report, "_OP_NODENAME") ?? null,
    raw: rawText(source, report),
    chalks: [],
    mentions: [],
    chalksSkipped: 0,
  };
  const chalks = rawMember(report, "_CHALKS");
  if (chalks?.kind !== "array") return record;
  const reportMembers = report.members.filter((m) => m.key !== "_CHALKS");
  for (const [position, item] of chalks.items.entries()) {
    if (item.kind !== "object") continue;
    const mention = mentionRecord(item);
    record.mentions.push(mention);
    if (!CHALK_ROW_OPERATIONS.has(operation)) continue;
    if (mention.chalkId === null || mention.metadataId === null) {
      record.chalksSkipped++;
      continue;
    }
    record.chalks.push({
      ...mention,
      chalkId: mention.chalkId,
      metadataId: mention.metadataId,
      metadataHash: rawStringMember(item, "METADATA_HASH") ?? null,
      position,
      raw: objectFromMembers(source, mergeMembers(item.members, reportMembers)),
    });
  }
  return record;
}

function mentionRecord(chalk: RawObject): MentionRecord {
  const s = (key: string): string | null => rawStringMember(chalk, key) ?? null;
  const pid = rawMember(chalk, "_PROCESS_PID");
  return {
    chalkId: s("CHALK_ID"),
    metadataId: s("METADATA_ID"),
    commitId: s("COMMIT_ID"),
    branch: s("BRANCH"),
    originUri: s("ORIGIN_URI"),
    artifactPath: s("PATH_WHEN_CHALKED") ?? s("_OP_ARTIFACT_PATH"),
    artifactType: s("ARTIFACT_TYPE") ?? s("_OP_ARTIFACT_TYPE"),
    imageRefs: imageRefs(chalk).join(", ") || null,
    containerId: s("_INSTANCE_CONTAINER_ID"),
    pid: pid?.kind === "number" ? pid.text : null,
  };
}

/**
 * `{...chalk, ...report}` on member lists: chalk keys first, report values
 * replacing chalk values in place, then the report's other keys in order.
 */
function mergeMembers(chalk: readonly RawMember[], report: readonly RawMember[]): RawMember[] {
  const out: RawMember[] = [];
  const index = new Map<string, number>();
  for (const m of [...chalk, ...report]) {
    const at = index.get(m.key);
    if (at === undefined) {
      index.set(m.key, out.length);
      out.push(m);
    } else {
      out[at] = m;
    }
  }
  return out;
}
