/**
 * What chalk adds to a build (docs/docker.md, "`docker build`"), decided
 * without I/O: the label lines from the label template and
 * `docker.custom_labels`, the ENV lines of `docker.additional_env_vars`, the
 * entrypoint wrapping lines when given, the COPY of the mark to `/chalk.json`,
 * and the rewritten Dockerfile. Pure.
 */
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import type { Template } from "../reports/templates.ts";
import { type Dockerfile, type Stage, targetStage } from "./dockerfile_parse.ts";
import { copyInstruction, insertAfterLine } from "./dockerfile_rewrite.ts";
import { DEFAULT_LABEL_PREFIX, envLines, formatLabelKey, labelLines } from "./labels.ts";

/** The `docker.*` settings of the configuration that shape a build. */
export interface DockerSettings {
  /** `docker.label_prefix`. */
  labelPrefix: string;
  /** `docker.label_template`: keys that become labels when collected. */
  labelTemplate: Template | undefined;
  /** `docker.custom_labels`. */
  customLabels: ReadonlyMap<string, string>;
  /** `docker.additional_env_vars`. */
  additionalEnvVars: ReadonlyMap<string, string>;
  /** `docker.update_dockerignore`. */
  updateDockerignore: boolean;
}

/** Inputs of {@link planBuild}. */
export interface PlanInputs {
  dockerfileText: string;
  dockerfile: Dockerfile;
  target?: string;
  /** Collected chalk-time data (host and artifact keys). */
  collected: MarkDict;
  settings: DockerSettings;
  /** Name of the mark file inside the build context; none for a virtual build (no COPY). */
  markFileName?: string;
  /** COPY may use `--chmod` (BuildKit). */
  chmod: boolean;
  /** Entrypoint wrapping lines, placed after the ENV lines and before the mark's COPY. */
  wrapLines?: readonly string[];
  warn: (message: string) => void;
}

/** The decided changes. */
export interface BuildPlan {
  stage: Stage;
  /** Label name (raw key) → value, as DOCKER_CHALK_ADDED_LABELS records them. */
  addedLabels: Map<string, MarkValue>;
  /** The names of the labels the added `LABEL` line sets. */
  labelNames: string[];
  /** Every added line, in order (DOCKER_CHALK_ADDED_TO_DOCKERFILE). */
  addedLines: string[];
  /** The Dockerfile docker is given (DOCKER_FILE_CHALKED). */
  newDockerfile: string;
}

/** Mode of `/chalk.json` in the image. */
export const MARK_MODE = 0o444;

/**
 * Decides the added lines and the new Dockerfile.
 *
 * @throws {DockerfileError} when the target stage does not exist.
 */
export function planBuild(inputs: PlanInputs): BuildPlan {
  const { settings, collected } = inputs;
  const stage = targetStage(inputs.dockerfile, inputs.target);
  const escape = inputs.dockerfile.escape;
  const labels: [string, MarkValue][] = [...settings.customLabels];
  for (const key of settings.labelTemplate?.keys ?? []) {
    const v = collected.get(key);
    if (v !== undefined) labels.push([key, v]);
  }
  const prefix = settings.labelPrefix || DEFAULT_LABEL_PREFIX;
  const { lines: labelText, added } = labelLines(labels, prefix, escape);
  const env = envLines(
    settings.additionalEnvVars,
    (k) => collected.get(k),
    inputs.warn,
    escape,
  );
  const copy = inputs.markFileName === undefined ? [] : [copyInstruction(
    inputs.markFileName,
    "/chalk.json",
    inputs.chmod ? MARK_MODE.toString(8).padStart(4, "0") : undefined,
  )];
  const openLine = stage.instructions[stage.instructions.length - 1].openContinuation;
  const addedLines = [...labelText, ...env, ...inputs.wrapLines ?? [], ...copy];
  return {
    stage,
    addedLabels: added,
    labelNames: [...added.keys()].map((key) => formatLabelKey(key, prefix)),
    addedLines,
    newDockerfile: insertAfterLine(
      inputs.dockerfileText,
      stage.endLine,
      addedLines,
      openLine === undefined ? undefined : { line: openLine, escape },
    ),
  };
}

/** Default settings (as the original's: prefix `run.crashoverride.`, template `chalk_labels`). */
export function defaultDockerSettings(labelTemplate: Template | undefined): DockerSettings {
  return {
    labelPrefix: DEFAULT_LABEL_PREFIX,
    labelTemplate,
    customLabels: new Map(),
    additionalEnvVars: new Map(),
    updateDockerignore: true,
  };
}
