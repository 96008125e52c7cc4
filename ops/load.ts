/**
 * `load <file|URL|default>` (docs/decisions.md, "chalk load"): the
 * configuration text replaces the one embedded in the running program.
 * Nothing is replaced until the new configuration validated and the
 * candidate program ran; then the program is swapped atomically.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "../internal/posix_path.ts";
import type { MarkDict } from "../codecs/mark_value.ts";
import { writeMarkJson } from "../codecs/mark_json.ts";
import { chalkRand } from "../codecs/identity.ts";
import { chalkTimeHostKeys } from "../collectors/host.ts";
import { composeMark } from "./compose_mark.ts";
import { fetchConfigText, type FetchLimits } from "./config_source.ts";
import { checkConfig } from "./config_check.ts";
import { Replacement } from "./file_io.ts";
import { type Marking, planMarking, setHashKeys } from "./plan_marking.ts";
import { createTemp, discardTemp, TempSweeper } from "./temp_file.ts";
import { EXIT, UsageError } from "../internal/errors.ts";
import type { ScannedArtifact } from "./scan.ts";
import { publishReports } from "./reporting.ts";
import type { RunContext } from "./run_context.ts";
import { embeddedConfig, IMPLEMENTATION_NAME, scanSelf } from "./self_mark.ts";

/** Options of `load`. */
export interface LoadOptions {
  /** Where to write the reconfigured program instead of replacing the running one. */
  output?: string;
  /** Deadline, size cap and redirects for the source (default `DEFAULT_FETCH_LIMITS`). */
  fetch?: FetchLimits;
}

/** A load that must stop with a usage/configuration exit code (2). */
export class LoadError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = "LoadError";
  }
}

function writableDir(dir: string): boolean {
  try {
    // A temporary file like any other: a later run removes it if this one is killed.
    discardTemp(createTemp(join(dir, "probe")));
    return true;
  } catch {
    return false;
  }
}

function fileWritable(path: string): boolean {
  try {
    const mode = Deno.statSync(path).mode ?? 0o644;
    // The owner bit is what a user changed with chmod; root ignores it, so honour it explicitly.
    return (mode & 0o200) !== 0 && writableDir(dirname(path));
  } catch {
    return false;
  }
}

/**
 * The candidate's check runs its embedded configuration alone: a `chalk.c4m` the search would find
 * is not part of what is being installed, and errors only, uncoloured, so that the first line is
 * the reason.
 */
const CANDIDATE_CHECK = ["--no-use-external-config", "--log-level=error", "--no-color"];

/** Why the candidate program at `path` does not start, or undefined when it does. */
async function runCandidate(path: string): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(path, {
      args: [...CANDIDATE_CHECK, "__check-config"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    if (out.success) return undefined;
    const lines = new TextDecoder().decode(out.stderr).split("\n").filter((l) => l.trim());
    const error = lines.find((l) => l.startsWith("error:"));
    if (error !== undefined) return error.slice("error:".length).trim();
    return lines[0]?.trim() ?? `exit code ${out.code}`;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The new self mark's data: every private `$` key carried over, then `update` applied. */
function selfMarkData(
  ctx: RunContext,
  self: ScannedArtifact,
  update: (data: MarkDict) => void,
): MarkDict {
  const current = self.found?.mark;
  const data: MarkDict = new Map();
  // The hash keys come first; planMarking gives their values.
  data.set("PRE_CHALK_HASH", "");
  data.set("CHALK_ID", "");
  data.set("HASH", "");
  data.set("PATH_WHEN_CHALKED", ctx.self.path);
  data.set("ARTIFACT_TYPE", self.type);
  data.set("CHALK_VERSION", ctx.facts.version);
  data.set("CHALK_RAND", chalkRand());
  for (const [k, v] of current ?? []) if (k.startsWith("$")) data.set(k, v);
  const count = current?.get("$CHALK_LOAD_COUNT");
  data.set("$CHALK_LOAD_COUNT", typeof count === "bigint" ? count + 1n : 1n);
  data.set("$CHALK_IMPLEMENTATION_NAME", IMPLEMENTATION_NAME);
  update(data);
  return data;
}

/** Where the reconfigured program goes: over self, or beside it when self is read-only. */
function destinationOf(ctx: RunContext, output: string | undefined): string {
  // An empty path is a slip (`-o ""`, `--output=`), not a request to replace the program itself.
  if (output === "") throw new LoadError("--output: the path is empty");
  if (output !== undefined) return resolve(output);
  const self = ctx.self.path;
  if (fileWritable(self)) return self;
  const cwd = Deno.cwd();
  const target = cwd === dirname(self) || !writableDir(cwd)
    ? `${self}.new`
    : join(cwd, basename(self));
  ctx.log.warn(`${self}: unable to modify file.`);
  ctx.log.warn(`Attempting to write a copy of the binary with the new config to: ${target}`);
  return target;
}

/**
 * Writes the new program beside `target`, runs it, and only then renames it
 * over `target`. Over the running program it keeps the owner; a copy
 * elsewhere belongs to whoever runs `load`.
 */
async function installProgram(
  target: string,
  marking: Marking,
  self: ScannedArtifact,
  overSelf: boolean,
): Promise<void> {
  // The mode stays exactly as it was (decisions.md D10): a program run as `deno chalk`, with no
  // execute bit at all, gets the owner's alone, without which its candidate could not be run.
  const mode = (self.file.mode & 0o111) !== 0 ? self.file.mode : self.file.mode | 0o100;
  const owner = overSelf ? self.file : { uid: null, gid: null };
  const replacement = Replacement.begin(target);
  try {
    (await replacement.writePlan(marking.plan!, { mark: marking.markBytes }, self.file))
      .keep({ ...owner, mode })
      .readOnly();
    const failure = await runCandidate(replacement.path);
    if (failure) throw new LoadError(`the new configuration does not start: ${failure}`);
    replacement.commit();
  } finally {
    replacement.discard();
  }
}

/** Fetches and validates the configuration `source` names (undefined: the default). */
async function newConfigText(
  ctx: RunContext,
  source: string,
  limits: FetchLimits | undefined,
): Promise<string | undefined> {
  if (source === "default") {
    ctx.log.info("Installing the default configuration file.");
    return undefined;
  }
  const text = await fetchConfigText(source, limits);
  ctx.log.info(`${source}: Validating configuration.`);
  const { problems, unimplemented } = await checkConfig(text, source);
  if (problems.length > 0) throw new LoadError(problems.join("\n"));
  for (const line of unimplemented) ctx.log.warn(`${source}: ${line}`);
  return text;
}

/** What a rewrite of chalk's own mark changes, and how it is reported. */
export interface SelfRewrite {
  /** The operation reported (`load`, `setup`). */
  operation: "load" | "setup";
  /** Changes the new self mark's data (private `$` keys already carried over). */
  update: (data: MarkDict) => void;
  /** Where to write the rewritten program instead of replacing the running one. */
  output?: string;
  /** Logged once the new program is in place, before the path line. */
  done?: string;
  /** Sweeps the target's folder of interrupted runs' temporary files (one of its own if none). */
  sweeper?: TempSweeper;
}

/**
 * Rewrites the running program's own mark (the self-rewrite `load` and
 * `setup` share): the candidate is written beside the target, run once, and
 * only then renamed over it; then the operation is reported. `self` (when
 * given) stays open for the caller to close.
 */
export async function rewriteSelf(
  ctx: RunContext,
  rewrite: SelfRewrite,
  self?: ScannedArtifact,
): Promise<void> {
  const artifact = self ?? selfArtifact(ctx);
  try {
    const data = selfMarkData(ctx, artifact, rewrite.update);
    const host = chalkTimeHostKeys(ctx.facts);
    const name = ctx.output.outconf[rewrite.operation]?.markTemplate ?? "mark_default";
    const template = ctx.template(name);
    const marking = await planMarking(artifact, (hashes) => {
      setHashKeys(data, hashes);
      return writeMarkJson(composeMark(host, data, template));
    });
    const target = destinationOf(ctx, rewrite.output);
    (rewrite.sweeper ?? new TempSweeper(ctx.log)).sweep(dirname(target));
    await installProgram(target, marking, artifact, target === ctx.self.path);
    if (rewrite.done) ctx.log.info(rewrite.done);
    ctx.log.info(`Configuration replaced in binary: ${target}`);
    data.set("_CURRENT_HASH", marking.current);
    data.set("_OP_ARTIFACT_TYPE", artifact.type);
    await publishReports(ctx, rewrite.operation, host, [data], { chalked: 1, unmarked: [] });
  } finally {
    if (!self) artifact.file.close();
  }
}

/** The running program as an artifact that can be rewritten, or a LoadError saying why not. */
export function selfArtifact(ctx: RunContext): ScannedArtifact {
  if (ctx.self.kind === "source") {
    throw new LoadError(
      `chalk ${ctx.command} rewrites the built program: run it from dist/chalk (deno task build), not from source`,
    );
  }
  const self = scanSelf(ctx.self);
  if (!self) throw new LoadError(`${ctx.self.path}: chalk cannot read its own program file`);
  return self;
}

/** Runs `load`; returns the exit status. */
export async function loadConfig(
  ctx: RunContext,
  source: string,
  options: LoadOptions = {},
): Promise<number> {
  const self = selfArtifact(ctx);
  // Every load, a refused or a no-op one too, removes what a killed load left beside the program.
  const sweeper = new TempSweeper(ctx.log);
  sweeper.sweep(dirname(ctx.self.path));
  try {
    // With --output the user asked for a program at that path: it is written even when this one
    // already runs the default configuration (`chalk load default -o fresh` then finds `fresh`).
    if (
      source === "default" && embeddedConfig(self.found?.mark) === undefined &&
      options.output === undefined
    ) {
      ctx.log.info("Chalk is already using the default configuration. Nothing to load.");
      return EXIT.ok;
    }
    const text = await newConfigText(ctx, source, options.fetch);
    await rewriteSelf(ctx, {
      operation: "load",
      output: options.output,
      sweeper,
      update: (data) => {
        if (text === undefined) data.delete("$CHALK_CONFIG");
        else data.set("$CHALK_CONFIG", text);
      },
      ...(text === undefined ? {} : { done: `${source}: Configuration successfully validated.` }),
    }, self);
    return EXIT.ok;
  } finally {
    self.file.close();
  }
}
