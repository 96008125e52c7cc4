/**
 * The one artifact loop of insert, extract and delete: walk the arguments,
 * let the codecs claim each file, apply the operation to it, and collect
 * what the command report needs. A file that cannot be read or written is
 * an error line and fails the run (exit 1); the loop goes on. Modifying
 * commands first remove the temporary files that interrupted runs left in
 * each folder they touch (`ops/temp_file.ts`).
 *
 * @module
 */
import { dirname, resolve } from "../internal/posix_path.ts";
import type { MarkDict } from "../codecs/mark_value.ts";
import { errorMessage } from "../internal/errors.ts";
import { CodecRefusal } from "../codecs/codec.ts";
import type { HeldLog } from "../internal/logger.ts";
import { coalesceLogLines } from "../internal/log_lines.ts";
import type { OperationTally } from "./reporting.ts";
import type { RunContext } from "./run_context.ts";
import { FileIoError } from "./file_io_error.ts";
import { RewriteRefused } from "./rewrite_rights.ts";
import { scanArtifact, type ScannedArtifact, whyUnclaimed } from "./scan.ts";
import { TempSweeper } from "./temp_file.ts";
import { expandHome } from "../sinks/expand_home.ts";
import {
  compileIgnore,
  WalkAhead,
  walkArtifacts,
  type WalkOptions,
  type WalkReport,
} from "./walk.ts";
import type { WriteBehind } from "./write_behind.ts";
import { ScanProgress } from "./scan_progress.ts";
import { loadStreamingInflater } from "../codecs/inflate.ts";

/** What the operation made of one artifact. */
export type ArtifactOutcome =
  /** Reported in the command report (and counted as chalked). */
  | { kind: "report"; data: MarkDict }
  /** Listed in `_UNMARKED`. */
  | { kind: "unmarked" }
  /** Neither (a chalk program, for instance). */
  | { kind: "skip" }
  /**
   * Still being written on another thread (`ops/write_behind.ts`): `finish` gives the outcome
   * once `written` has settled well, logging through `log`, which keeps the walk's order.
   */
  | {
    kind: "pending";
    written: Promise<void>;
    finish(log: Pick<HeldLog, "info">): Exclude<ArtifactOutcome, { kind: "pending" }>;
  };

/** Artifacts written behind at most: each holds its new content and its report until then. */
const MAX_PENDING = 64;

/** One of insert, extract, delete, as the loop needs it. */
export interface ArtifactOperation {
  /** Insert and delete rewrite files: they honour ignore patterns and never touch chalk itself. */
  readonly modifies: boolean;
  /** True for insert: codecs then claim files they would only mark (scripts by extension). */
  readonly chalking: boolean;
  /** The noun of the failure line: `<path>: insertion failed: <reason>`. */
  readonly failure: string;
  /** The writer `apply` hands small files to: told how much of the walk lies ahead. */
  readonly writer?: WriteBehind;
  apply(scanned: ScannedArtifact): Promise<ArtifactOutcome>;
}

/** Walk settings for an operation: modifying walks skip what must not be rewritten. */
function walkOptions(ctx: RunContext, modifies: boolean): WalkOptions {
  if (!modifies) {
    return { recursive: ctx.options.recursive, ignore: [], fileLinks: "follow", selfPath: "" };
  }
  return {
    recursive: ctx.options.recursive,
    ignore: compileIgnore(ctx.ignorePatterns),
    fileLinks: ctx.options.symlinkChalking === "skip" ? "skip" : "follow",
    selfPath: ctx.self.path,
    selfTree: ctx.self.kind === "source" ? dirname(ctx.self.path) : undefined,
  };
}

function walkReport(ctx: RunContext, modifies: boolean, progress: ScanProgress): WalkReport {
  return {
    // A named path that is not there failed as much as a file that cannot be read: the summary
    // line counts both.
    error: (m) => {
      ctx.log.error(m);
      ctx.failed = true;
      progress.count("failed");
    },
    warn: (m) => ctx.log.warn(m),
    skipped: (m) => {
      ctx.log.warn(m);
      progress.count("skipped");
    },
    self: () => {
      if (!modifies) return;
      ctx.log.error(
        "Cannot use this command to modify this chalk executable. Please use 'chalk load' to modify.",
      );
    },
    selfTree: (path) => {
      ctx.failed = true;
      progress.count("failed");
      ctx.log.error(
        `${path}: is the source of this chalk (run from source); chalk does not mark itself`,
      );
    },
  };
}

function unclaimedLine(path: string): string {
  try {
    return whyUnclaimed(path);
  } catch (e) {
    return errorMessage(e);
  }
}

/** Runs `operation` over every artifact under `targets`; returns the report entries and tally. */
export async function forEachArtifact(
  ctx: RunContext,
  targets: readonly string[],
  operation: ArtifactOperation,
): Promise<{ artifacts: MarkDict[]; tally: OperationTally }> {
  const artifacts: MarkDict[] = [];
  const tally: OperationTally = { chalked: 0, unmarked: [] };
  const { modifies } = operation;
  // Progress line and closing summary (ops/scan_progress.ts): the loop only counts.
  const progress = new ScanProgress(ctx.command);
  ctx.scanCounts = progress.counts;
  const named = new Set(targets.map((t) => resolve(Deno.cwd(), expandHome(t))));
  const sweeper = modifies ? new TempSweeper(ctx.log) : undefined;
  const ahead = new WalkAhead();
  operation.writer?.lookAhead(() => ahead.entries);
  const paths = walkArtifacts(
    targets,
    walkOptions(ctx, modifies),
    walkReport(ctx, modifies, progress),
    ahead,
  );
  /** What became of one artifact: its outcome, or the error its operation threw. */
  const conclude = (
    path: string,
    log: Pick<HeldLog, "warn" | "error">,
    result: { outcome: ArtifactOutcome } | { error: unknown },
  ) => {
    if ("error" in result) {
      const e = result.error;
      if (e instanceof CodecRefusal) {
        // Claimed, but not to be marked as it is (docs/codecs.md): left alone, like a file
        // nobody may rewrite, and a failure only when named.
        log.warn(`${path}: skipped: ${e.message}`);
        tally.unmarked.push(path);
        // Named, the run exits 1: counted as failed, as a refused rewrite is (below).
        if (named.has(path)) ctx.failed = true;
        progress.count(named.has(path) ? "failed" : "skipped");
      } else if (e instanceof RewriteRefused) {
        // Not written, for a reason the user can act on: listed as unmarked, and a failure
        // only for a file named on the command line (docs/decisions.md, "Exit codes").
        log.warn(`${path}: skipped: ${e.reason}`);
        tally.unmarked.push(path);
        // Named, it is what makes the run exit 1: the summary line counts it as failed, so that
        // the line agrees with the exit code.
        if (named.has(path)) ctx.failed = true;
        progress.count(named.has(path) ? "failed" : "unchanged");
      } else {
        // The line names the file once: a reason about that very file drops its own prefix.
        const reason = e instanceof FileIoError && e.path === path ? e.reason : errorMessage(e);
        log.error(`${path}: ${operation.failure} failed: ${reason}`);
        ctx.failed = true;
        progress.count("failed");
      }
      return;
    }
    const { outcome } = result;
    progress.count(outcome.kind === "report" ? "done" : "unchanged");
    if (outcome.kind === "unmarked") tally.unmarked.push(path);
    if (outcome.kind === "report") {
      tally.chalked++;
      artifacts.push(outcome.data);
    }
  };
  // Artifacts written behind, oldest first: their lines and reports wait for them in order.
  const pending: { path: string; log: HeldLog; outcome: ArtifactOutcome & { kind: "pending" } }[] =
    [];
  const settleOldest = async () => {
    const { path, log, outcome } = pending.shift()!;
    try {
      await outcome.written;
      conclude(path, log, { outcome: outcome.finish(log) });
    } catch (error) {
      conclude(path, log, { error });
    } finally {
      log.release();
    }
  };
  const settleAll = async () => {
    operation.writer?.flush();
    while (pending.length > 0) await settleOldest();
  };
  const walk = async () => {
    for await (const path of progress.track(paths)) {
      // The same file twice (named twice, say): the second read waits for the first write.
      if (pending.some((p) => p.path === path)) await settleAll();
      sweeper?.sweep(dirname(path));
      let scanned: ScannedArtifact | undefined;
      try {
        scanned = scanArtifact(path, operation.chalking, ctx.codecs);
      } catch (e) {
        ctx.log.error(errorMessage(e));
        ctx.failed = true;
        progress.count("failed");
        continue;
      }
      if (!scanned) {
        progress.count("skipped");
        // Silence is normal for what a walk finds; a file the user named gets the reason.
        if (named.has(path)) ctx.log.warn(`${path}: skipped: ${unclaimedLine(path)}`);
        continue;
      }
      try {
        // Its hash plans may hold members too large to inflate in one call.
        if (scanned.codec.name === "zip") await loadStreamingInflater();
        const outcome = await operation.apply(scanned);
        if (outcome.kind === "pending") {
          pending.push({ path, log: ctx.log.hold(), outcome });
          if (pending.length > MAX_PENDING) await settleOldest();
        } else {
          conclude(path, ctx.log, { outcome });
        }
      } catch (error) {
        conclude(path, ctx.log, { error });
      } finally {
        scanned.file.close();
      }
    }
  };
  // A line per file: written in batches while the walk runs (internal/log_lines.ts).
  await coalesceLogLines(async () => {
    try {
      await walk();
    } finally {
      await settleAll();
    }
  });
  return { artifacts, tally };
}
