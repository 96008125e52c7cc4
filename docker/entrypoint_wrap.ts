/**
 * Entrypoint wrapping decided without I/O (docs/docker.md,
 * "Entrypoint wrapping"): the effective ENTRYPOINT, CMD and SHELL of the target
 * stage (walking parent stages and finally the base image's configuration), and
 * the lines that make the image start `chalk exec -- <original>` through the
 * runtime copied under `/.chalk/`. Pure.
 */
import type { CommandForm, Dockerfile, Stage } from "./dockerfile_parse.ts";
import { copyInstruction } from "./dockerfile_rewrite.ts";
import { RUNTIME_DIR } from "./chalk_runtime_bundle.ts";
import { RUNTIME_ENV } from "../internal/container_contract.ts";
import { initEntrypoint, type InitWait } from "./init/chalk_init.ts";

/** docker's default shell for shell-form instructions. */
export const DEFAULT_SHELL: readonly string[] = ["/bin/sh", "-c"];

/** The base image's own start-up settings (`docker inspect` → Config). */
export interface ImageStartConfig {
  entrypoint?: string[];
  cmd?: string[];
  shell?: string[];
  user?: string;
}

/** What the image would run unwrapped. */
export interface EffectiveStart {
  /** Undefined: no entrypoint (`[]` and `[""]` count as none, as docker runs them). */
  entrypoint?: string[];
  cmd?: string[];
  shell: string[];
}

/** Inputs of {@link planWrap}. */
export interface WrapInputs {
  dockerfile: Dockerfile;
  stage: Stage;
  /** The base image's configuration; undefined when it is unknown (not local). */
  base: ImageStartConfig | undefined;
  /** argv words that start chalk inside the image (loader first). */
  runtimeArgv: readonly string[];
  /** Name of the runtime folder inside the build context. */
  runtimeSource: string;
  /** `docker.wrap_cmd`: wrap an image that only has a CMD. */
  wrapCmd: boolean;
  /**
   * `docker.wrap_init`: start through chalk's native init (its path in the image) rather than
   * `chalk exec`; the init starts the workload first, then chalk's reporter.
   */
  init?: { path: string; wait: InitWait };
}

/** The decision: the lines to add, or why the image stays as it is. */
export type WrapPlan =
  | { wrapped: true; lines: string[]; entrypoint: string[]; cmd?: string[] }
  | { wrapped: false; reason: string; alreadyWrapped: boolean };

/** Wrapping cannot be decided (the base image's configuration is needed but unknown). */
class UnknownBase extends Error {}

function argvOf(form: CommandForm, shell: readonly string[]): string[] {
  return form.form === "exec" ? [...form.argv] : [...shell, form.text];
}

function normalizeEntrypoint(argv: string[] | undefined): string[] | undefined {
  if (argv === undefined || argv.length === 0) return undefined;
  if (argv.length === 1 && argv[0] === "") return undefined;
  return argv;
}

function parentStage(file: Dockerfile, stage: Stage): Stage | undefined {
  const name = stage.image.toLowerCase();
  return file.stages.find((s) => s.name === name && s.index < stage.index);
}

function resolveStart(
  file: Dockerfile,
  stage: Stage,
  base: ImageStartConfig | undefined,
): EffectiveStart {
  let parentCache: EffectiveStart | undefined;
  const parent = (): EffectiveStart => {
    if (parentCache) return parentCache;
    const p = parentStage(file, stage);
    if (p) parentCache = resolveStart(file, p, base);
    else if (stage.image === "scratch") parentCache = { shell: [...DEFAULT_SHELL] };
    else if (base === undefined) throw new UnknownBase();
    else {
      parentCache = {
        entrypoint: base.entrypoint,
        cmd: base.cmd,
        shell: base.shell ?? [...DEFAULT_SHELL],
      };
    }
    return parentCache;
  };
  let shell = stage.shell;
  if (!shell) {
    try {
      shell = parent().shell;
    } catch (e) {
      // An unknown base image: assume docker's default shell (bases rarely set one).
      if (!(e instanceof UnknownBase)) throw e;
      shell = [...DEFAULT_SHELL];
    }
  }
  const entrypoint = stage.entrypoint ? argvOf(stage.entrypoint, shell) : parent().entrypoint;
  // An ENTRYPOINT in a stage resets the CMD it inherited.
  const cmd = stage.cmd ? argvOf(stage.cmd, shell) : stage.entrypoint ? undefined : parent().cmd;
  return { entrypoint, cmd, shell };
}

/**
 * The effective start-up settings of `stage`, or undefined when they depend
 * on a base image whose configuration is unknown.
 */
export function effectiveStart(
  file: Dockerfile,
  stage: Stage,
  base: ImageStartConfig | undefined,
): EffectiveStart | undefined {
  try {
    const start = resolveStart(file, stage, base);
    return { ...start, entrypoint: normalizeEntrypoint(start.entrypoint) };
  } catch (e) {
    if (e instanceof UnknownBase) return undefined;
    throw e;
  }
}

/** True when an entrypoint already starts chalk's copied runtime. */
export function isWrappedEntrypoint(entrypoint: readonly string[] | undefined): boolean {
  return entrypoint !== undefined && entrypoint.length > 0 &&
    entrypoint[0].startsWith(`${RUNTIME_DIR}/`);
}

/** Reads `Config.Entrypoint` / `Cmd` / `Shell` from `docker inspect` output. */
export function imageStartConfig(inspect: Record<string, unknown>): ImageStartConfig {
  const config = (inspect.Config ?? {}) as Record<string, unknown>;
  const list = (v: unknown): string[] | undefined =>
    Array.isArray(v) && v.every((x) => typeof x === "string") ? [...v] : undefined;
  return {
    entrypoint: list(config.Entrypoint),
    cmd: list(config.Cmd),
    shell: list(config.Shell),
    user: typeof config.User === "string" ? config.User : undefined,
  };
}

/**
 * Decides the wrapping lines: the ENV that tells chalk how to start itself,
 * the new ENTRYPOINT (+ CMD), and the COPY of the runtime (its code cache included):
 *
 * - `ENTRYPOINT [e0, e1, ...]` → `[<runtime>, "exec", "--exec-command-name", e0, "--", e1, ...]`,
 *   plus the effective CMD again (a new ENTRYPOINT would reset an inherited one);
 * - shell form `s` → the same with `[<shell>..., s]`;
 * - no ENTRYPOINT (also `[]` and `[""]`) but a CMD → `[<runtime>, "exec", "--"]` and the CMD:
 *   chalk takes the program from its first argument, so `docker run img prog args` still works;
 * - with `init`, `[<init>, <wait>, <runtime>, "__init-report", <pid slot>, "--"]` takes the place
 *   of `[<runtime>, "exec", ..., "--"]`, followed by the whole original ENTRYPOINT.
 */
export function planWrap(inputs: WrapInputs): WrapPlan {
  const skip = (reason: string, alreadyWrapped = false): WrapPlan => ({
    wrapped: false,
    reason,
    alreadyWrapped,
  });
  const start = effectiveStart(inputs.dockerfile, inputs.stage, inputs.base);
  if (!start) {
    return skip(
      `the start-up settings of base image '${inputs.stage.image}' are unknown (not available locally)`,
    );
  }
  if (isWrappedEntrypoint(start.entrypoint)) return skip("already wrapped by chalk", true);
  const runtime = [...inputs.runtimeArgv];
  const init = inputs.init && initEntrypoint(inputs.init.path, runtime, inputs.init.wait);
  let entrypoint: string[];
  if (start.entrypoint) {
    const [first, ...rest] = start.entrypoint;
    if (first.trim() === "") return skip("the ENTRYPOINT's first element is blank");
    entrypoint = init
      ? [...init, first, ...rest]
      : [...runtime, "exec", "--exec-command-name", first, "--", ...rest];
  } else if (start.cmd && start.cmd.length > 0 && start.cmd[0].trim() !== "") {
    if (!inputs.wrapCmd) return skip("no ENTRYPOINT, and docker.wrap_cmd is false");
    entrypoint = init ?? [...runtime, "exec", "--"];
  } else {
    return skip("Cannot wrap; no ENTRYPOINT or CMD found in Dockerfile");
  }
  const lines = [
    `ENV ${RUNTIME_ENV}='${JSON.stringify(runtime)}'`,
    `ENTRYPOINT ${JSON.stringify(entrypoint)}`,
  ];
  if (start.cmd) lines.push(`CMD ${JSON.stringify(start.cmd)}`);
  // The big COPY last: with the legacy builder every later step copies the whole file system.
  // The staged folder holds `.chalk` itself: copied into `/`, the folder keeps its fixed time
  // (a COPY's destination folder would get the build's time), so the layer is the same for
  // every image built with this chalk.
  lines.push(copyInstruction(inputs.runtimeSource, "/"));
  return { wrapped: true, lines, entrypoint, ...(start.cmd ? { cmd: start.cmd } : {}) };
}
