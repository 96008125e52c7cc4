/**
 * chalk's configuration stack built from the corpus in place, shared by the conformance test and
 * the layered mode of `bench/con4m_fuzz.ts`.
 *
 * @module
 */

import * as path from "node:path";
import type { BuiltinDef } from "../../con4m/builtins/builtin_def.ts";
import { CHALK_PORTABLE_BUILTINS, CORE_BUILTINS } from "../../con4m/builtins/mod.ts";
import { type ComponentLoader, defaultComponentLoader } from "../../con4m/components.ts";
import { parseCon4m } from "../../con4m/parser.ts";
import { CORPUS_DIR } from "../_shared.ts";
import { restoreStack } from "../../con4m/snapshot.ts";
import {
  ConfigStack,
  type ConfigStackOptions,
  type StepResult,
  stubBuiltin,
} from "../../con4m/stack.ts";

/** The corpus directory (read in place, never copied; see ../_shared.ts). */
export const CORPUS: string = CORPUS_DIR;
/** What `[[configs]]` stands for in chalk's test configs. */
export const TPL_DIR: string = path.join(CORPUS, "chalk/tests/configs");

/** chalk's stateful builtins, stubbed: configs only need them to exist. */
export const CHALK_STUBS: readonly string[] = [
  "version() -> string",
  "subscribe(string, string) -> bool",
  "unsubscribe(string, string) -> bool",
  "error(string)",
  "warn(string)",
  "info(string)",
  "trace(string)",
  "command_argv() -> list[string]",
  "command_name() -> string",
  "auth_headers(string) -> dict[string, string]",
  "memoize(string, func () -> string) -> string",
  "docker_exe() -> string",
  "canonicalize_tool(string, `x) -> `x",
  "copy_report_template_keys(string, string)",
];

/**
 * What chalk HEAD's con4m has beyond the corpus's 57c9086 getopts spec (docs/con4m.md,
 * "Compatibility notes"): `comma_delimited` in `flag_multi_arg`, and `getopts_root` written for
 * Python-style `slice()` (the 57c9086 text relies on the old end-inclusive slice).
 */
export const GETOPTS_PATCH = `object flag_multi_arg {
  field comma_delimited {
    type: bool
    default: true
  }
}

func getopts_root(path) {
  parts := path.split(".")
  ix := 0
  for i from 0 to len(parts) {
    if parts[i] == "getopts" {
      ix := i
    }
  }
  return parts.slice(0, ix + 1).join(".")
}
`;

/** chalk's base files, concatenated into one compilation unit. */
export const BASE_UNIT: readonly string[] = [
  "base_init",
  "base_callbacks",
  "base_keyspecs",
  "base_plugins",
  "base_sinks",
  "base_auths",
  "base_chalk_templates",
  "base_report_templates",
  "base_outconf",
  "base_sinkconfs",
  "dockercmd",
  "buildkitcmd",
];
/** chalk's later built-in layers. */
export const LATER_LAYERS: readonly string[] = [
  "getopts",
  "ioconfig",
  "sbomconfig",
  "sastconfig",
  "secretscannerconfig",
  "crashoverride",
];

/** A corpus file's text with `[[configs]]` rendered. */
export function readCorpus(rel: string): string {
  return Deno.readTextFileSync(path.join(CORPUS, rel)).replaceAll("[[configs]]", TPL_DIR);
}

/** Reads local components with `[[configs]]` rendered; no network. */
export const corpusLoader: ComponentLoader = {
  ...defaultComponentLoader(parseCon4m),
  readFile: async (f) => (await Deno.readTextFile(f)).replaceAll("[[configs]]", TPL_DIR),
  fetchUrl: () => Promise.reject(new Error("network is not available in tests")),
};

/** Options for {@linkcode newChalkStack}. */
export interface ChalkStackOptions {
  /** Builtins (default: core + portable). chalk's stateful ones are added as stubs. */
  builtins?: readonly BuiltinDef[];
  /** Hook overrides (stderr is silenced by default). */
  hooks?: ConfigStackOptions["hooks"];
  /** Restore from this snapshot instead of starting empty. */
  snapshot?: string;
}

/** A stack with chalk's builtins (stubbed where stateful) and the corpus loader. */
export function newChalkStack(opts: ChalkStackOptions = {}): ConfigStack {
  const o: ConfigStackOptions = {
    builtins: opts.builtins ?? [...CORE_BUILTINS, ...CHALK_PORTABLE_BUILTINS],
    loader: corpusLoader,
    hooks: { writeStderr: () => {}, ...opts.hooks },
  };
  const stack = opts.snapshot === undefined ? new ConfigStack(o) : restoreStack(opts.snapshot, o);
  for (const s of CHALK_STUBS) stack.addBuiltin(stubBuiltin(s));
  return stack;
}

/**
 * Load chalk's spec and built-in layers from the corpus into `stack` with full checks (as
 * `chalk load` does); returns each file's step result (the base files share one).
 */
export async function loadChalkLayers(stack: ConfigStack): Promise<Map<string, StepResult>> {
  const results = new Map<string, StepResult>();
  const getopts = "con4m/builtin-specs/getopts.c42spec";
  results.set(getopts, await stack.loadSpec(readCorpus(getopts), getopts));
  results.set("getopts-patch", await stack.loadSpec(GETOPTS_PATCH, "getopts-patch.c42spec"));
  const spec = "chalk/src-configs/chalk.c42spec";
  results.set(spec, await stack.loadSpec(readCorpus(spec), spec));
  const unit = BASE_UNIT.map((n) => readCorpus(`chalk/src-configs/${n}.c4m`)).join("\n");
  const base = await stack.loadConfig(unit, "base.c4m");
  for (const n of BASE_UNIT) results.set(`chalk/src-configs/${n}.c4m`, base);
  for (const n of LATER_LAYERS) {
    const f = `chalk/src-configs/${n}.c4m`;
    results.set(f, await stack.loadConfig(readCorpus(f), f));
  }
  return results;
}
