/**
 * User keys at work (the original's `conffile` plugin): a configuration's `X_` / `_X_` keyspecs
 * with a `value` or `callback` fill their keys when their `kind` is collected: chalk-time host
 * keys once per chalking run, chalk-time artifact keys per artifact marked (both reach the mark
 * when its template uses them, and the reports), run-time artifact keys per artifact reported,
 * run-time host keys per report. A key is computed only when a template of the operation uses it
 * and nothing collected it already; a callback that fails is one warning line and the key is left
 * out. Callbacks get the artifact's path, or for host keys the context directories joined by `:`.
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import {
  computeUserKey,
  type KeyKind,
  type UserKeyResult,
  type UserKeySpec,
} from "../config/user_keys.ts";
import { dirname, resolve } from "../internal/posix_path.ts";
import { expandHome } from "../sinks/expand_home.ts";
import type { Template } from "../reports/templates.ts";
import { reportTemplateNames } from "./report_templates.ts";
import type { RunContext } from "./run_context.ts";

/** When a key is collected: at chalking time or when reporting. */
export type Phase = "chalk" | "run";

const HOST_KIND: Record<Phase, KeyKind> = { chalk: "ChalkTimeHost", run: "RunTimeHost" };
const ARTIFACT_KIND: Record<Phase, KeyKind> = {
  chalk: "ChalkTimeArtifact",
  run: "RunTimeArtifact",
};

/** Commands whose arguments are where they look (the original's context directories). */
const SEARCH_PATH_COMMANDS = new Set(["insert", "extract", "delete"]);

/**
 * The folders the run looks at: those docker build sets (its context), else the search paths of
 * insert, extract and delete (a file stands for its folder); none for other commands.
 */
export function contextDirectories(ctx: RunContext): readonly string[] {
  if (ctx.contextDirectories !== undefined) return ctx.contextDirectories;
  if (!SEARCH_PATH_COMMANDS.has(ctx.command)) return [];
  const paths = ctx.facts.commandArgs.length > 0 ? ctx.facts.commandArgs : ["."];
  return paths.map((p) => {
    const path = resolve(Deno.cwd(), expandHome(p));
    try {
      return Deno.statSync(path).isFile ? dirname(path) : path;
    } catch {
      return path;
    }
  });
}

/** The user keys one operation fills. */
export class UserKeys {
  readonly #ctx: RunContext;
  readonly #specs: readonly UserKeySpec[];
  /** A `value` is the same for every artifact: computed (and warned about) once. */
  readonly #constants = new Map<string, UserKeyResult>();

  private constructor(ctx: RunContext, specs: readonly UserKeySpec[]) {
    this.#ctx = ctx;
    this.#specs = specs;
  }

  /**
   * The user keys `operation` fills: those its report templates (command and custom) or
   * `markTemplate` use. Undefined when there is none (the common case, without a cost).
   */
  static for(ctx: RunContext, operation: string, markTemplate?: Template): UserKeys | undefined {
    const all = ctx.config.userKeys;
    if (all.length === 0) return undefined;
    const templates = markTemplate ? [markTemplate] : [];
    for (const name of reportTemplateNames(ctx, operation)) {
      try {
        templates.push(ctx.template(name));
      } catch { /* publishReports says it */ }
    }
    const used = all.filter((spec) => templates.some((t) => t.keys.has(spec.name)));
    return used.length === 0 ? undefined : new UserKeys(ctx, used);
  }

  /** Adds the host keys of `phase` that `host` lacks. */
  async addHostKeys(host: MarkDict, phase: Phase): Promise<void> {
    const specs = this.#of(HOST_KIND[phase], host);
    if (specs.length === 0) return;
    const arg = contextDirectories(this.#ctx).join(":");
    for (const spec of specs) await this.#add(host, spec, arg, "");
  }

  /** Adds the keys of `phase` that `data` lacks, about the artifact `name` (its path). */
  async addArtifactKeys(data: MarkDict, phase: Phase, name: string): Promise<void> {
    for (const spec of this.#of(ARTIFACT_KIND[phase], data)) {
      await this.#add(data, spec, name, name === "" ? "" : `${name}: `);
    }
  }

  #of(kind: KeyKind, into: MarkDict): UserKeySpec[] {
    return this.#specs.filter((spec) => spec.kind === kind && !into.has(spec.name));
  }

  async #add(into: MarkDict, spec: UserKeySpec, arg: string, prefix: string): Promise<void> {
    let result = this.#constants.get(spec.name);
    if (result === undefined) {
      result = await computeUserKey(this.#ctx.config.runtime, spec, arg);
      if (spec.value !== undefined) this.#constants.set(spec.name, result);
      if (!result.ok) this.#ctx.log.warn(`${prefix}key ${spec.name} left out: ${result.reason}`);
    }
    if (result.ok) into.set(spec.name, result.value);
  }
}
