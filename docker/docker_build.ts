/**
 * `chalk docker build` (docs/docker.md, "`docker build`"): read and parse the
 * Dockerfile, collect the chalk-time keys, put the mark next to the build
 * context as `chalk.json.chalk` (the one documented temporary file), give
 * docker the rewritten Dockerfile on stdin, then inspect the image and report.
 * Everything chalk changes in the context is undone afterwards, also on failure
 * and on SIGINT/SIGTERM/SIGHUP.
 */
import { basename, isAbsolute, join, resolve } from "../internal/posix_path.ts";
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { chalkRand, randomChalkId } from "../codecs/identity.ts";
import { writeMarkJson } from "../codecs/mark_json.ts";
import { chalkTimeHostKeys } from "../collectors/host.ts";
import { composeMark } from "../ops/compose_mark.ts";
import { RepoFacts } from "../ops/repo_facts.ts";
import { repositoryReader } from "../ops/run_time_git.ts";
import { prepareReports, publishReports } from "../ops/reporting.ts";
import type { RunContext } from "../ops/run_context.ts";
import { type BuildArgs, isRemoteContext, parseBuildArgs } from "./docker_args.ts";
import type { DockerClient } from "./docker_client.ts";
import type { BuildFeatures } from "./build_features.ts";
import { type Dockerfile, parseDockerfile, type Stage, targetStage } from "./dockerfile_parse.ts";
import { ADDED_BLOCK_END, ADDED_BLOCK_START } from "./dockerfile_rewrite.ts";
import { type BuildPlan, type DockerSettings, MARK_MODE, planBuild } from "./build_plan.ts";
import { imageKeys } from "./inspect_keys.ts";
import { missingAdditions } from "./mark_landed.ts";
import { exportsFilesOnly } from "./build_outputs.ts";
import { parseImageRef } from "./image_ref.ts";
import { attestPushedReferences, dockerSigner } from "./attest_image.ts";
import type { VerifyKey } from "../trust/signing_key.ts";
import { markPublicKey } from "../ops/signing_identity.ts";
import { WrappedDockerFailed } from "./fail_safe.ts";
import { SIGNAL_NUMBERS, TERMINATING_SIGNALS } from "./passthrough.ts";
import { EarlyDocker, wrappedBuildArgs } from "./early_docker.ts";
import type { PrestartedBuild } from "./prestart.ts";
import {
  type ChalkRuntime,
  collectRuntime,
  RUNTIME_DIR,
  RUNTIME_INIT,
  runtimeBytes,
  RuntimeUnavailableError,
  stageRuntime,
} from "./chalk_runtime_bundle.ts";
import { imageStartConfig, planWrap } from "./entrypoint_wrap.ts";
import type { InitWait } from "./init/chalk_init.ts";
import { CodeCacheError, runtimeCodeCache } from "./runtime_code_cache.ts";
import { expandUserPath, STATE_DIR } from "../internal/state_dir.ts";
import { UserKeys } from "../ops/user_keys.ts";

/** A reason chalk cannot wrap this build (the fail-safe then runs it plainly). */
export class ChalkBuildError extends Error {
  /** Builds the one-line error. */
  constructor(reason: string) {
    super(reason);
    this.name = "ChalkBuildError";
  }
}

/** One wrapped build. */
export interface BuildRequest {
  client: DockerClient;
  /** `["build"]` or `["buildx", "build"]` (with buildx's own flags). */
  verb: readonly string[];
  /** Arguments after the verb. */
  rest: readonly string[];
  /** The Dockerfile text when it came on stdin (`-f -`). */
  stdinDockerfile?: Uint8Array;
  settings: DockerSettings;
  /** May still be coming: `docker buildx version` runs while chalk reads git and the base image. */
  features: BuildFeatures | Promise<BuildFeatures>;
  /** docker started before the configuration loaded (prestart.ts), adopted when it matches. */
  prestarted?: PrestartedBuild;
}

/** Undo steps run once, in reverse order. */
class Undo {
  readonly #steps: (() => void)[] = [];
  add(step: () => void): void {
    this.#steps.push(step);
  }
  run(): void {
    while (this.#steps.length > 0) {
      try {
        this.#steps.pop()!();
      } catch {
        // Best effort: the remaining steps still run.
      }
    }
  }
}

function hostPlatform(): string {
  const arch = { x86_64: "amd64", aarch64: "arm64" }[Deno.build.arch] ?? Deno.build.arch;
  return `linux/${arch}`;
}

function readDockerfile(args: BuildArgs, contextDir: string, stdin?: Uint8Array) {
  if (args.file === "-") {
    if (!stdin) throw new ChalkBuildError("Dockerfile on stdin could not be read");
    return { path: "-", text: new TextDecoder().decode(stdin) };
  }
  const path = args.file === undefined ? join(contextDir, "Dockerfile") : resolve(args.file);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new ChalkBuildError(`${path}: Dockerfile not found (${(e as Error).name})`);
  }
  // BuildKit pairs `<Dockerfile>.dockerignore` with the file it names; a Dockerfile on
  // stdin would lose that pairing and change what the context holds.
  try {
    Deno.statSync(`${path}.dockerignore`);
    throw new ChalkBuildError(
      `${path}.dockerignore: Dockerfile-specific ignore files are not supported`,
    );
  } catch (e) {
    if (e instanceof ChalkBuildError) throw e;
  }
  return { path, text };
}

/** The FROM image of a stage, following `FROM <earlier stage>` chains. */
function baseImageOf(file: Dockerfile, stage: Stage): string {
  let image = stage.image;
  for (let hops = 0; hops < file.stages.length; hops++) {
    const parent = file.stages.find((s) => s.name === image.toLowerCase() && s.index < stage.index);
    if (!parent) break;
    image = parent.image;
  }
  return image;
}

function baseImageKeys(image: string, data: MarkDict): void {
  if (image === "scratch") return;
  const ref = parseImageRef(image);
  data.set("DOCKER_BASE_IMAGE", image);
  data.set("DOCKER_BASE_IMAGE_REGISTRY", ref.registry);
  data.set("DOCKER_BASE_IMAGE_REPO", ref.repo);
  data.set("DOCKER_BASE_IMAGE_NAME", ref.repo.replace(/^library\//, ""));
  if (ref.tag) data.set("DOCKER_BASE_IMAGE_TAG", ref.tag);
  if (ref.digest) data.set("DOCKER_BASE_IMAGE_DIGEST", ref.digest);
}

/** A file name in `dir` starting with `base` that does not exist yet (more `.chalk` appended). */
function freeName(dir: string, base: string): string {
  let name = base;
  for (;;) {
    try {
      Deno.lstatSync(join(dir, name));
      name += ".chalk";
    } catch {
      return name;
    }
  }
}

/** `--build-arg` values (a bare name reads the environment) over the automatic platform args. */
function buildArgValues(args: BuildArgs): Map<string, string | undefined> {
  const build = hostPlatform();
  const target = args.platforms[0] ?? Deno.env.get("DOCKER_DEFAULT_PLATFORM") ?? build;
  const out = new Map<string, string | undefined>();
  for (const [prefix, platform] of [["BUILD", build], ["TARGET", target]] as const) {
    const [os, arch, variant] = platform.split("/");
    out.set(`${prefix}PLATFORM`, platform);
    out.set(`${prefix}OS`, os);
    out.set(`${prefix}ARCH`, arch);
    out.set(`${prefix}VARIANT`, variant ?? "");
  }
  for (const [k, v] of args.buildArgs) out.set(k, v ?? Deno.env.get(k));
  return out;
}

/** What user key callbacks are told the image is: its first tag ("" when untagged). */
function imageName(args: BuildArgs): string {
  return args.tags[0] ?? "";
}

/** Chalk-time artifact keys of the build (before the plan adds its own). */
async function collectBuildKeys(
  ctx: RunContext,
  args: BuildArgs,
  contextDir: string,
  dockerfile: { path: string; text: string },
  parsed: Dockerfile,
  stage: Stage,
): Promise<MarkDict> {
  const data: MarkDict = new Map();
  data.set("CHALK_ID", randomChalkId());
  data.set("CHALK_VERSION", ctx.facts.version);
  data.set("CHALK_RAND", chalkRand());
  data.set("ARTIFACT_TYPE", "Docker Image");
  data.set("DOCKERFILE_PATH", dockerfile.path);
  data.set("DOCKER_FILE", dockerfile.text);
  data.set("DOCKER_CONTEXT", contextDir);
  data.set("DOCKER_TAGS", [...args.tags]);
  const platforms = args.platforms.length > 0
    ? args.platforms
    : [stage.platform || Deno.env.get("DOCKER_DEFAULT_PLATFORM") || hostPlatform()];
  data.set("DOCKER_PLATFORM", platforms[0]);
  data.set("DOCKER_PLATFORMS", [...platforms]);
  const labels: MarkDict = new Map([...stage.labels, ...args.labels]);
  if (labels.size > 0) data.set("DOCKER_LABELS", labels);
  if (args.target !== undefined) data.set("DOCKER_TARGET", args.target);
  if (args.buildContexts.size > 0) {
    data.set("DOCKER_ADDITIONAL_CONTEXTS", new Map(args.buildContexts));
  }
  baseImageKeys(baseImageOf(parsed, stage), data);
  const repos = new RepoFacts(repositoryReader(ctx));
  const git = await repos.git(join(contextDir, "Dockerfile"), (m) => ctx.log.warn(m));
  // VCS_DIR_WHEN_CHALKED among them only when the repository has a commit.
  for (const [k, v] of git?.keys ?? []) data.set(k, v);
  const vcsDir = git?.keys.get("VCS_DIR_WHEN_CHALKED");
  if (typeof vcsDir === "string" && dockerfile.path.startsWith(vcsDir + "/")) {
    data.set("DOCKERFILE_PATH_WITHIN_VCTL", dockerfile.path.slice(vcsDir.length + 1));
  }
  return data;
}

/**
 * Appends `!*.chalk` to the context's `.dockerignore`; the original comes back on undo, with its
 * modification and access times. A symbolic link is never written through (its target may lie
 * outside the context and belong to others): BuildKit here reads the link itself, not its target,
 * so the mark is not ignored and the file stays as it is; the legacy builder cannot take a
 * Dockerfile chalk gives it beside such a link (docker fails "archive/tar: write too long"), so
 * chalk refuses and the build runs plainly.
 */
function openDockerignore(contextDir: string, undo: Undo, buildkit: boolean): void {
  const path = join(contextDir, ".dockerignore");
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw new ChalkBuildError(`${path}: cannot read (${(e as Error).message})`);
  }
  if (info.isSymlink) {
    if (buildkit) return;
    throw new ChalkBuildError(
      `${path}: .dockerignore is a symbolic link; with one the legacy builder fails on any ` +
        "Dockerfile but the context's own (archive/tar: write too long), chalk's rewritten one included",
    );
  }
  let original: Uint8Array;
  try {
    original = Deno.readFileSync(path);
  } catch (e) {
    throw new ChalkBuildError(`${path}: cannot read (${(e as Error).message})`);
  }
  const text = new TextDecoder().decode(original);
  const sep = text === "" || text.endsWith("\n") ? "" : "\n";
  undo.add(() => {
    Deno.writeFileSync(path, original);
    // An unchanged file keeps its times: make and other tools see no edit.
    if (info.atime && info.mtime) Deno.utimeSync(path, info.atime, info.mtime);
  });
  Deno.writeTextFileSync(path, `${text}${sep}${ADDED_BLOCK_START}\n!*.chalk\n${ADDED_BLOCK_END}\n`);
}

/**
 * Entrypoint wrapping (docs/docker.md, "Entrypoint wrapping") when
 * `docker.wrap_entrypoint` is on: the runtime is staged in the context as
 * `chalk-runtime.chalk/` (removed on undo) and the lines to add are returned.
 * Whenever wrapping is impossible the build goes on unwrapped after an error
 * line (visible at the default `docker_log_level`); it never fails because of
 * it.
 */
/**
 * The native init's part of the wrap plan (`docker.wrap_init`), or nothing: off, or no init is
 * built for this architecture (then said once, and the image starts through `chalk exec`).
 */
function wrapInit(
  ctx: RunContext,
  runtime: ChalkRuntime,
): { init?: { path: string; wait: InitWait } } {
  if (!ctx.config.docker.wrapInit) return {};
  if (!runtime.init) {
    ctx.log.warn(
      `docker.wrap_init: chalk has no native init for ${Deno.build.arch}; the image starts through chalk exec`,
    );
    return {};
  }
  const wait = {
    ms: ctx.config.exec.reportWaitMs,
    quiet: ctx.config.chosenLogLevel() === "none",
  };
  return { init: { path: RUNTIME_INIT, wait } };
}

async function prepareWrap(
  ctx: RunContext,
  client: DockerClient,
  features: BuildFeatures | Promise<BuildFeatures>,
  parsed: Dockerfile,
  stage: Stage,
  data: MarkDict,
  contextDir: string,
  undo: Undo,
): Promise<string[]> {
  if (!ctx.config.docker.wrapEntrypoint) return [];
  const cannot = (reason: string): string[] => {
    // Shown at the default docker log level (error): the user asked for wrapping.
    ctx.log.error(
      `docker: cannot wrap ENTRYPOINT due to: ${reason}; the image is built without wrapping`,
    );
    return [];
  };
  if (!ctx.config.exec.commandNameFromArgs) {
    return cannot("exec.command_name_from_args is false");
  }
  const host = hostPlatform();
  const platforms = (data.get("DOCKER_PLATFORMS") ?? []) as string[];
  const foreign = platforms.filter((p) => p.replace(/\/v\d+$/, "") !== host);
  if (foreign.length > 0) {
    return cannot(
      `target platform ${foreign.join(", ")} is not this host's (${host}), ` +
        "and chalk can only copy its own runtime",
    );
  }
  const baseImage = baseImageOf(parsed, stage);
  const isStage = parsed.stages.some((s) => s.name === baseImage.toLowerCase());
  const inspect = baseImage === "scratch" || isStage
    ? undefined
    : await client.inspect(baseImage, "image").catch(() => undefined);
  let runtime: Awaited<ReturnType<typeof collectRuntime>>;
  try {
    runtime = await collectRuntime(ctx.self);
  } catch (e) {
    if (e instanceof RuntimeUnavailableError) return cannot(e.message);
    throw e;
  }
  const runtimeSource = freeName(contextDir, "chalk-runtime.chalk");
  const plan = planWrap({
    dockerfile: parsed,
    stage,
    base: inspect ? imageStartConfig(inspect) : undefined,
    runtimeArgv: runtime.argv,
    runtimeSource,
    wrapCmd: ctx.config.docker.wrapCmd,
    ...wrapInit(ctx, runtime),
  });
  if (!plan.wrapped) {
    if (plan.alreadyWrapped) {
      ctx.log.info("docker: the base image's entrypoint is already wrapped by chalk");
      return [];
    }
    return cannot(plan.reason);
  }
  try {
    runtime.files.push(
      ...await runtimeCodeCache({
        client,
        runtime,
        programPath: ctx.self.path,
        buildkit: (await features).buildkit,
        root: expandUserPath(`${STATE_DIR}/runtime-cache`),
      }),
    );
  } catch (e) {
    if (!(e instanceof CodeCacheError)) throw e;
    ctx.log.warn(
      `docker: no code cache for chalk's runtime (each start compiles it): ${e.message}`,
    );
  }
  const dir = join(contextDir, runtimeSource);
  undo.add(() => Deno.removeSync(dir, { recursive: true }));
  stageRuntime(runtime, join(dir, basename(RUNTIME_DIR)));
  ctx.log.info(
    `docker: wrapping ENTRYPOINT (${
      (runtimeBytes(runtime) / 1e6).toFixed(1)
    } MB of chalk runtime under /.chalk)`,
  );
  return plan.lines;
}

/** The build as docker was asked for it: arguments, context and Dockerfile, parsed. */
interface BuildInput {
  args: BuildArgs;
  contextDir: string;
  dockerfile: ReturnType<typeof readDockerfile>;
  parsed: Dockerfile;
  stage: Stage;
}

/** Reads what the build names; a ChalkBuildError (before docker ran) when chalk cannot wrap it. */
function buildInput(req: BuildRequest): BuildInput {
  const args = parseBuildArgs(req.rest);
  if (args.context === undefined) throw new ChalkBuildError("no build context given");
  if (args.context === "-" || isRemoteContext(args.context)) {
    throw new ChalkBuildError(`build context '${args.context}' is not supported by chalk`);
  }
  const contextDir = resolve(args.context);
  try {
    if (!Deno.statSync(contextDir).isDirectory) throw new Error("not a directory");
  } catch {
    throw new ChalkBuildError(`${contextDir}: build context is not a directory`);
  }
  const dockerfile = readDockerfile(args, contextDir, req.stdinDockerfile);
  const parsed = parseDockerfile(dockerfile.text, buildArgValues(args));
  return { args, contextDir, dockerfile, parsed, stage: targetStage(parsed, args.target) };
}

/**
 * Remembers a terminating signal that arrives while chalk has changed the
 * user's context, so that the changes are undone before chalk ends.
 */
class SignalLatch {
  signalled: Deno.Signal | undefined;
  readonly #listeners: (readonly [Deno.Signal, () => void])[];

  constructor() {
    this.#listeners = TERMINATING_SIGNALS.map((sig) => {
      const f = () => {
        this.signalled ??= sig;
      };
      Deno.addSignalListener(sig, f);
      return [sig, f] as const;
    });
  }

  close(): void {
    for (const [sig, f] of this.#listeners) Deno.removeSignalListener(sig, f);
  }
}

/** Writes the mark file into the context (never over an existing file); `undo` removes it. */
function writeMarkFile(path: string, markText: string, undo: Undo): void {
  try {
    Deno.writeTextFileSync(path, markText, { createNew: true, mode: MARK_MODE });
  } catch (e) {
    // A half-written file of ours goes; a file that appeared meanwhile is not ours.
    if (!(e instanceof Deno.errors.AlreadyExists)) undo.add(() => Deno.removeSync(path));
    throw e;
  }
  undo.add(() => Deno.removeSync(path));
  Deno.chmodSync(path, MARK_MODE);
}

/** A build chalk has prepared: the Dockerfile docker gets, the build's keys, the mark. */
interface MarkedBuild {
  plan: BuildPlan;
  data: MarkDict;
  mark: MarkDict;
  markText: string;
}

/**
 * Collects the build's keys, plans the new Dockerfile and puts the mark into
 * the context. A virtual build (`--virtual`) gets the labels only: no
 * `/chalk.json`, no ENV lines, no wrapping, nothing written into the context;
 * its mark goes to the `virtual` topic once the build succeeded.
 */
async function markBuild(
  ctx: RunContext,
  req: BuildRequest,
  input: BuildInput,
  host: MarkDict,
  undo: Undo,
  publicKey: VerifyKey | undefined,
): Promise<MarkedBuild> {
  const { args, contextDir, dockerfile, parsed, stage } = input;
  const virtual = ctx.options.virtual;
  const markFileName = virtual ? undefined : freeName(contextDir, "chalk.json.chalk");
  const markTemplate = ctx.template(ctx.output.outconf.build?.markTemplate ?? "mark_default");
  const userKeys = UserKeys.for(ctx, "build", markTemplate);
  await userKeys?.addHostKeys(host, "chalk");
  const data = await collectBuildKeys(ctx, args, contextDir, dockerfile, parsed, stage);
  await userKeys?.addArtifactKeys(data, "chalk", imageName(args));
  // The labels (`docker.label_template`) are chosen from these: user keys can be among them.
  const collected: MarkDict = new Map([...host, ...data]);
  if (virtual && ctx.config.docker.wrapEntrypoint) {
    ctx.log.warn("docker: cannot wrap the entry point in virtual chalking mode");
  }
  const wrapLines = virtual
    ? []
    : await prepareWrap(ctx, req.client, req.features, parsed, stage, data, contextDir, undo);
  const plan: BuildPlan = planBuild({
    dockerfileText: dockerfile.text,
    dockerfile: parsed,
    target: args.target,
    collected,
    settings: virtual ? { ...req.settings, additionalEnvVars: new Map() } : req.settings,
    markFileName,
    chmod: (await req.features).buildkit,
    wrapLines,
    warn: (m) => ctx.log.warn(m),
  });
  data.set("DOCKER_CHALK_ADDED_LABELS", plan.addedLabels as Map<string, MarkValue>);
  data.set("DOCKER_CHALK_ADDED_TO_DOCKERFILE", plan.addedLines);
  data.set("DOCKER_FILE_CHALKED", plan.newDockerfile);
  const mark = composeMark(host, data, markTemplate, publicKey);
  const markText = writeMarkJson(mark);
  data.set("_VIRTUAL", virtual);
  if (markFileName !== undefined) {
    writeMarkFile(join(contextDir, markFileName), markText, undo);
    if (req.settings.updateDockerignore) {
      openDockerignore(contextDir, undo, (await req.features).buildkit);
    }
  }
  return { plan, data, mark, markText };
}

/** A virtual build's mark, on topic `virtual` (`./virtual-chalk.json` by default). */
async function publishVirtualMark(ctx: RunContext, markText: string): Promise<void> {
  try {
    await ctx.hub.publish("virtual", markText);
    ctx.log.info("docker: virtual chalk created.");
  } catch (e) {
    ctx.log.error(`docker: the virtual chalk could not be written: ${(e as Error).message}`);
  }
}

/**
 * Reports a finished build; a reporting failure is an error line, never docker's status. An
 * image without chalk's labels or mark is not reported as chalked: one error line says so.
 */
async function reportBuild(
  ctx: RunContext,
  req: BuildRequest,
  input: BuildInput,
  iidfile: string | undefined,
  host: MarkDict,
  built: { data: MarkDict; plan: BuildPlan },
): Promise<void> {
  const { data, plan } = built;
  if (exportsFilesOnly(input.args.outputs)) {
    ctx.log.info(
      "docker: the build exports files, not an image: the mark is /chalk.json among them",
    );
  } else if (iidfile !== undefined) {
    const image = await collectImageKeys(ctx, req.client, resolve(iidfile), input.args, data);
    const missing = image && missingAdditions(
      { labels: plan.labelNames, markCopy: !ctx.options.virtual },
      { labels: imageLabels(image.inspect), newestStep: image.history?.[0] },
    );
    if (missing) {
      ctx.log.error(
        `docker: image ${image.id} was built, but chalk's mark did not land in it: ${missing}; ` +
          "it is not reported as chalked",
      );
      return;
    }
  }
  ctx.log.info(`docker: image chalked with CHALK_ID ${data.get("CHALK_ID")}`);
  data.set("_OP_ARTIFACT_TYPE", "Docker Image");
  data.set("_OP_ARTIFACT_CONTEXT", "build");
  try {
    await UserKeys.for(ctx, "build")?.addArtifactKeys(data, "run", imageName(input.args));
    await publishReports(ctx, "build", host, [data], { chalked: 1, unmarked: [] });
  } catch (e) {
    ctx.log.error(`docker: reporting failed: ${(e as Error).message}`);
  }
}

/**
 * Runs a wrapped build and reports; returns docker's exit status.
 *
 * @throws {ChalkBuildError} before docker ran, when chalk cannot wrap the build.
 * @throws {WrappedDockerFailed} when the wrapped build failed (the fail-safe reruns it plainly).
 */
export async function chalkBuild(ctx: RunContext, req: BuildRequest): Promise<number> {
  try {
    return await markAndBuild(ctx, req);
  } finally {
    // Before the fail-safe runs docker plainly, a docker started early and not used goes.
    await req.prestarted?.dispose();
  }
}

async function markAndBuild(ctx: RunContext, req: BuildRequest): Promise<number> {
  const input = buildInput(req);
  ctx.contextDirectories = [input.contextDir];
  // The mark names chalk's public key even when the private key does not load, so that a later
  // push with the password can attest the image; only a pushing build needs the private key.
  const publicKey = markPublicKey(ctx);
  const attests = publicKey !== undefined && input.args.push && !ctx.options.virtual;
  const signer = attests ? dockerSigner(ctx) : undefined;
  const host = chalkTimeHostKeys(ctx.facts);
  const pre = req.prestarted;
  // Temp space first: if chalk cannot even create it, nothing in the context was touched.
  const temp = pre?.temp ?? await Deno.makeTempDir({ prefix: "chalk-" });
  // Changes to the user's context, undone as soon as docker is done with them.
  const undo = new Undo();
  const latch = new SignalLatch();
  const filesOnly = exportsFilesOnly(input.args.outputs);
  const iidfile = input.args.iidfile ?? (filesOnly ? undefined : join(temp, "iid"));
  const args = wrappedBuildArgs(req.verb, input.args, join(temp, "iid"));
  let docker: EarlyDocker;
  const adopted = pre?.takeOver(req.client, args);
  if (adopted) docker = adopted;
  else {
    await pre?.early.abort();
    docker = new EarlyDocker(req.client, args);
    // With BuildKit docker starts now and reads the Dockerfile once the mark is in the context.
    docker.startWhen(req.features);
  }
  try {
    const { plan, data, mark, markText } = await markBuild(ctx, req, input, host, undo, publicKey);
    if (latch.signalled) return 128 + (SIGNAL_NUMBERS[latch.signalled] ?? 0);
    const building = docker.run(new TextEncoder().encode(plan.newDockerfile));
    // While docker builds, chalk would only wait: the report's fixed parts are read meanwhile.
    prepareReports(ctx, "build");
    const status = await building;
    if (latch.signalled) return status;
    undo.run();
    if (status !== 0) throw new WrappedDockerFailed("build", status);
    if (ctx.options.virtual) await publishVirtualMark(ctx, markText);
    else if (signer) {
      await attestPushedReferences(ctx, signer, mark, input.args.tags, data);
    }
    await reportBuild(ctx, req, input, iidfile, host, { data, plan });
    return status;
  } finally {
    // A docker started early that never got its Dockerfile goes, unread, before the fail-safe.
    await docker.abort();
    undo.run();
    latch.close();
    try {
      Deno.removeSync(temp, { recursive: true });
    } catch {
      // Only chalk's own iidfile is in there; a leftover temp folder harms nobody.
    }
  }
}

/** `Config.Labels` of an inspected image. */
function imageLabels(inspect: Record<string, unknown>): Record<string, unknown> {
  const config = inspect.Config as { Labels?: Record<string, unknown> | null } | undefined;
  return config?.Labels ?? {};
}

/**
 * After a successful build: image id from the iidfile, then `docker inspect` and the image's
 * history (warnings only); the local image, when there is one to look at.
 */
async function collectImageKeys(
  ctx: RunContext,
  client: DockerClient,
  iidfile: string,
  args: BuildArgs,
  data: MarkDict,
): Promise<
  { id: string; inspect: Record<string, unknown>; history: string[] | undefined } | undefined
> {
  let id: string;
  try {
    id = Deno.readTextFileSync(isAbsolute(iidfile) ? iidfile : resolve(iidfile)).trim();
  } catch {
    ctx.log.warn(
      "docker: build did not produce image for chalk to inspect. Did you forget to use either --load or --push?",
    );
    return undefined;
  }
  const [inspect, history] = await Promise.all([
    client.inspect(id, "image").catch(() => undefined),
    client.history(id).catch(() => undefined),
  ]);
  if (!inspect) {
    ctx.log.warn(`docker: image ${id} could not be inspected${args.push ? " (pushed only)" : ""}`);
    const bare = id.replace(/^sha256:/, "");
    data.set("_CURRENT_HASH", bare);
    data.set("_IMAGE_ID", bare);
    return undefined;
  }
  for (const [k, v] of imageKeys(inspect)) data.set(k, v);
  return { id, inspect, history };
}
