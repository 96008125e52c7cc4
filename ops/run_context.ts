/**
 * Everything one chalk invocation carries from argv to the sinks: the
 * parsed options, the logger, the output wiring, and the facts the
 * collectors need. Built once per run (`openRun`), passed to the command.
 *
 * @module
 */
import type { Logger } from "../internal/logger.ts";
import type { InvocationFacts } from "../collectors/host.ts";
import type { OutputConfig } from "../config/output_config.ts";
import type { SelfInfo } from "./self_path.ts";
import { ReportHub } from "../sinks/hub.ts";
import { ReportCache } from "../sinks/report_cache.ts";
import type { ChalkConfig } from "../config/chalk_config.ts";
import type { Template } from "../reports/templates.ts";
import { DEFAULT_REPORT_CACHE_PATH } from "../internal/state_dir.ts";
import type { ScanCounts } from "./scan_progress.ts";
import type { Codec } from "../codecs/codec.ts";
import type { GitCollector } from "../collectors/git.ts";

/** Options shared by the scanning commands. */
export interface ScanOptions {
  recursive: boolean;
  virtual: boolean;
  symlinkChalking: "skip" | "clobber" | "copy";
  skipSummaryReport: boolean;
  skipCommandReport: boolean;
}

/** One invocation of chalk. */
export interface RunContext {
  readonly command: string;
  readonly facts: InvocationFacts;
  readonly self: SelfInfo;
  readonly log: Logger;
  readonly output: OutputConfig;
  readonly hub: ReportHub;
  readonly options: ScanOptions;
  /** The evaluated configuration (base, embedded, external, flags). */
  readonly config: ChalkConfig;
  /** A mark or report template by name; throws a one-line error for unknown names. */
  readonly template: (name: string) => Template;
  /** Ignore patterns for chalking walks (`ignore_patterns`). */
  readonly ignorePatterns: readonly string[];
  /** The file codecs, as configured (`source_marks`, `zip_extensions`, ...); default: chalk's. */
  readonly codecs?: readonly Codec[];
  /**
   * Set when a named file could not be processed: the exit code becomes 1
   * (docs/decisions.md, "Exit codes").
   */
  failed: boolean;
  /**
   * The folders the run looks at, when not its search paths: a docker build's context. User key
   * callbacks of host kinds get them (`ops/user_keys.ts`).
   */
  contextDirectories?: readonly string[];
  /** What the artifact loop counted, for the closing summary line (insert, extract, delete). */
  scanCounts?: ScanCounts;
  /**
   * The run's git reader (`repositoryReader`, ops/run_time_git.ts): the marks' git keys and the report's run-time
   * twins come from one reading of each repository.
   */
  gitReader?: GitCollector;
}

/** Where undelivered reports wait for a later run. */
export interface CacheSettings {
  enabled: boolean;
  path: string;
  lockTimeoutMs: number;
  /** Without a cache, a report no sink took goes to the terminal (default true). */
  forceOutputOnFail?: boolean;
}

/** chalk's defaults: on, in the state folder, 15 s lock timeout. */
export const DEFAULT_CACHE: CacheSettings = {
  enabled: true,
  path: DEFAULT_REPORT_CACHE_PATH,
  lockTimeoutMs: 15_000,
};

/** Creates the hub with the configuration's sink configs and subscriptions. */
export function hubFor(
  output: OutputConfig,
  log: Logger,
  cache: CacheSettings = DEFAULT_CACHE,
): ReportHub {
  const reportCache = cache.enabled
    ? new ReportCache(log, { path: cache.path, lockTimeoutMs: cache.lockTimeoutMs })
    : undefined;
  const hub = new ReportHub(output.sinkConfigs, log, {
    reportCache,
    forceOutputOnFail: cache.forceOutputOnFail,
  });
  for (const [topic, sink] of output.subscriptions) hub.subscribe(topic, sink);
  return hub;
}
