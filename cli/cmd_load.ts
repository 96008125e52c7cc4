/**
 * `chalk load <file|URL|default>` (D10, D11, commands-runtime §4.4): the
 * configuration text replaces the one embedded in the running program.
 * Nothing is replaced until the new configuration validated and the
 * candidate program ran; then the program is swapped atomically.
 */
import { basename, dirname, join, resolve } from "node:path";
import type { MarkDict } from "../codecs/mark_value.ts";
import { writeMarkJson } from "../codecs/mark_json.ts";
import { chalkIdFromHash, chalkRand } from "../codecs/identity.ts";
import { chalkTimeHostKeys } from "../collectors/host.ts";
import { composeMark } from "./cmd_insert.ts";
import { fetchConfigText } from "./config_source.ts";
import { configProblems } from "./config_check.ts";
import { replaceFile, sha256Hex } from "./file_io.ts";
import { publishReports } from "./reporting.ts";
import type { RunContext } from "./run_context.ts";
import { embeddedConfig, IMPLEMENTATION_NAME, scanSelf } from "./self_mark.ts";

/** Options of `load`. */
export interface LoadOptions {
  /** Where to write the reconfigured program instead of replacing the running one. */
  output?: string;
}

/** A load that must stop with a usage/configuration exit code (2). */
export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LoadError";
  }
}

function writableDir(dir: string): boolean {
  const probe = join(dir, `.chalk-probe-${crypto.randomUUID()}`);
  try {
    Deno.writeFileSync(probe, new Uint8Array());
    Deno.removeSync(probe);
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

async function runCandidate(path: string): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(path, {
      args: ["__check-config"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    if (out.success) return undefined;
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").filter((l) => l)[0];
    return err ?? `exit code ${out.code}`;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Runs `load`. */
export async function runLoad(
  ctx: RunContext,
  args: readonly string[],
  options: LoadOptions = {},
): Promise<void> {
  const [source] = args;
  if (ctx.self.kind === "source") {
    throw new LoadError(
      "chalk load rewrites the built program: run it from dist/chalk (deno task build), not from source",
    );
  }
  const self = scanSelf(ctx.self);
  if (!self) throw new LoadError(`${ctx.self.path}: chalk cannot read its own program file`);
  const current = self.found?.mark;
  const isDefault = source === "default";
  const text = isDefault ? undefined : await fetchConfigText(source).catch((e) => {
    throw new LoadError((e as Error).message);
  });

  if (isDefault && embeddedConfig(current) === undefined) {
    ctx.log.info("Chalk is already using the default configuration. Nothing to load.");
    return;
  }
  if (text !== undefined) {
    ctx.log.info(`${source}: Validating configuration.`);
    const problems = await configProblems(text, source);
    if (problems.length > 0) throw new LoadError(problems.join("\n"));
  } else {
    ctx.log.info("Installing the default configuration file.");
  }

  // The new mark: every private `$` key carried over, the configuration replaced.
  const data: MarkDict = new Map();
  const hash = sha256Hex(self.codec.unchalkedHashInput(self.file.bytes, self.facts));
  data.set("PRE_CHALK_HASH", sha256Hex([self.file.bytes]));
  data.set("CHALK_ID", chalkIdFromHash(hash));
  data.set("HASH", hash);
  data.set("PATH_WHEN_CHALKED", ctx.self.path);
  data.set("ARTIFACT_TYPE", self.type);
  data.set("CHALK_VERSION", ctx.facts.version);
  data.set("CHALK_RAND", chalkRand());
  for (const [k, v] of current ?? []) if (k.startsWith("$")) data.set(k, v);
  const count = current?.get("$CHALK_LOAD_COUNT");
  data.set("$CHALK_LOAD_COUNT", typeof count === "bigint" ? count + 1n : 1n);
  data.set("$CHALK_IMPLEMENTATION_NAME", IMPLEMENTATION_NAME);
  if (text === undefined) data.delete("$CHALK_CONFIG");
  else data.set("$CHALK_CONFIG", text);

  const host = chalkTimeHostKeys(ctx.facts);
  const markText = writeMarkJson(
    composeMark(host, data, ctx.template(ctx.output.outconf.load?.markTemplate ?? "mark_default")),
  );
  const chunks = self.codec.insert(self.file.bytes, markText, self.facts);

  // Where the reconfigured program goes: over self, or beside it when self is read-only.
  let target = options.output ? resolve(options.output) : ctx.self.path;
  if (!options.output && !fileWritable(target)) {
    const cwd = Deno.cwd();
    target = cwd === dirname(ctx.self.path) || !writableDir(cwd)
      ? `${ctx.self.path}.new`
      : join(cwd, basename(ctx.self.path));
    ctx.log.warn(`${ctx.self.path}: unable to modify file.`);
    ctx.log.warn(`Attempting to write a copy of the binary with the new config to: ${target}`);
  }

  // Validate by running the candidate itself before it replaces anything.
  const candidate = join(dirname(target), `.${basename(target)}.chalk-load-${crypto.randomUUID()}`);
  try {
    replaceFile(candidate, chunks, { ...self.file, mode: self.file.mode | 0o100 });
    const failure = await runCandidate(candidate);
    if (failure) throw new LoadError(`the new configuration does not start: ${failure}`);
    replaceFile(target, chunks, { ...self.file, mode: self.file.mode | 0o111 });
  } finally {
    try {
      Deno.removeSync(candidate);
    } catch { /* already gone */ }
  }
  if (text !== undefined) ctx.log.info(`${source}: Configuration successfully validated.`);
  ctx.log.info(`Configuration replaced in binary: ${target}`);
  data.set("_CURRENT_HASH", sha256Hex(chunks));
  data.set("_OP_ARTIFACT_TYPE", self.type);
  await publishReports(ctx, "load", host, [data], { chalked: 1, unmarked: [] });
}
