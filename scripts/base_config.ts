/**
 * Compiles chalk's base configuration into a snapshot: runs the schema (`getopts.c42spec`,
 * `chalk.c42spec`) and the base files (`config/base/*.c4m`) through a con4m stack,
 * validating every step fully, and writes the result to `config/base_snapshot.generated.ts`.
 * Run `deno task base-config` after editing the schema or a base file; a test fails while
 * the committed file is stale.
 *
 * @module
 */
import * as path from "node:path";
import { formatCon4mError } from "../con4m/errors.ts";
import { type SnapshotParts, snapshotStack, splitSnapshot } from "../con4m/snapshot.ts";
import { ConfigStack } from "../con4m/stack.ts";
import { Con4mRuntime } from "../con4m/runtime.ts";
import { keyProblems } from "../config/key_checks.ts";
import { allBuiltins, type BaseSnapshot, newChalkHostEnv } from "../config/base_snapshot.ts";
import type { ChalkHostEnv } from "../config/chalk_builtins.ts";
import { ChalkConfig } from "../config/chalk_config.ts";

const HERE = path.join(import.meta.dirname!, "..", "config");

/** The schema files, in load order (relative to `config/`). */
export const SPEC_FILES: readonly string[] = ["getopts.c42spec", "chalk.c42spec"];

/** The base configuration files, in load order (relative to `config/`). */
export const BASE_FILES: readonly string[] = [
  "base/init.c4m",
  "base/keyspecs.c4m",
  "base/templates.c4m",
  "base/tools.c4m",
  "base/sinkconfs.c4m",
  "base/outconf.c4m",
  "base/wiring.c4m",
];

/** Path of the generated module holding the snapshot. */
export const GENERATED_PATH: string = path.join(HERE, "base_snapshot.generated.ts");

/** The base configuration failed to compile (a bug in the schema or a base file). */
export class BaseConfigError extends Error {
  /** One `file:line:col: message` line per problem. */
  readonly lines: readonly string[];

  /** Create an error from its message lines. */
  constructor(lines: readonly string[]) {
    super(lines.join("\n"));
    this.name = "BaseConfigError";
    this.lines = lines;
  }
}

/** A stack holding only chalk's schema (getopts + chalk specs), fully validated. */
export async function schemaStack(env: ChalkHostEnv): Promise<ConfigStack> {
  const stack = new ConfigStack({ builtins: allBuiltins(env), hooks: { writeStderr: () => {} } });
  for (const f of SPEC_FILES) {
    const text = await Deno.readTextFile(path.join(HERE, f));
    const r = await stack.loadSpec(text, `config/${f}`);
    if (!r.ok) {
      throw new BaseConfigError(r.errors.map((e) => formatCon4mError(e)));
    }
  }
  return stack;
}

/** Compile the schema and base files into a snapshot (build time only). */
export async function compileBaseSnapshot(): Promise<BaseSnapshot> {
  const env = newChalkHostEnv({
    log: (level, message) => {
      if (level === "error") throw new BaseConfigError([`base configuration: ${message}`]);
    },
  });
  const stack = await schemaStack(env);
  for (const f of BASE_FILES) {
    const text = await Deno.readTextFile(path.join(HERE, f));
    const r = await stack.loadConfig(text, `config/${f}`, { check: "full" });
    const errors = r.ok ? keyProblems(new Con4mRuntime(stack)) : r.errors;
    if (errors.length > 0) {
      throw new BaseConfigError(errors.map((e) => `config/${f}: ${formatCon4mError(e)}`));
    }
  }
  // chalk never prints the base sources (dump shows the embedded configuration only), so
  // the snapshot leaves them out.
  for (const layer of stack.layers) layer.source = "";
  return {
    stack: splitSnapshot(snapshotStack(stack)),
    subscriptions: env.subscriptions.list(),
    templateKeys: templateKeys(
      new ChalkConfig({ stack, env, layers: [] }),
    ),
  };
}

/**
 * Templates only a user configuration names (chalk's Crash Override samples): a run without one
 * reads them from the stack, and every start is spared their keys (~10 KB).
 */
export const USER_LAYER_TEMPLATES: ReadonlySet<string> = new Set(["crashoverride"]);

/**
 * Every template's keys, space-separated (a string per template: start-up creates ~40 strings, and
 * a run splits the few it reads), read from the configuration as a run without one of its own
 * would.
 */
export function templateKeys(config: ChalkConfig): Record<string, string> {
  const names = new Set([...config.templateNames("mark"), ...config.templateNames("report")]);
  return Object.fromEntries(
    [...names].filter((name) => !USER_LAYER_TEMPLATES.has(name))
      .map((name) => [name, [...config.template(name).keys].join(" ")]),
  );
}

/**
 * A JSON text as a JS string literal of ASCII only: characters past ASCII (inside its JSON
 * strings) become `\uXXXX` escapes, which the text's JSON.parse reads back. One such character
 * made the whole 316 KB literal a two-byte string, twice as slow to compile at every start.
 */
function asciiLiteral(json: string): string {
  return JSON.stringify(
    json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  );
}

/** The text of `base_snapshot.generated.ts` for `snap`. */
export function generatedModuleText(snap: BaseSnapshot): string {
  const parts: SnapshotParts = typeof snap.stack === "string"
    ? splitSnapshot(snap.stack)
    : snap.stack;
  return [
    "// Generated by `deno task base-config` (scripts/base_config.ts). Do not edit.",
    "",
    "/** Subscriptions made by the base configuration. */",
    `export const BASE_SUBSCRIPTIONS: readonly (readonly [string, string])[] = ${
      JSON.stringify(snap.subscriptions)
    };`,
    "",
    "/** The base configuration's con4m stack snapshot (con4m/snapshot.ts, `SnapshotParts`). */",
    `export const BASE_SNAPSHOT: string = ${asciiLiteral(parts.stack)};`,
    "",
    "/** The snapshot's validation state, restored when first used. */",
    `export const BASE_VALIDATION: string = ${asciiLiteral(parts.validation)};`,
    "",
    "/** The snapshot's spec, restored when first used. */",
    `export const BASE_SPEC: string | null = ${
      parts.spec === null ? "null" : asciiLiteral(parts.spec)
    };`,
    "",
    "/** Every template's keys in the base configuration, by template name. */",
    `export const BASE_TEMPLATE_KEYS: Readonly<Record<string, string>> = ${
      JSON.stringify(snap.templateKeys ?? {})
    };`,
    "",
  ].join("\n");
}

if (import.meta.main) {
  try {
    const snap = await compileBaseSnapshot();
    const text = generatedModuleText(snap);
    await Deno.writeTextFile(GENERATED_PATH, text);
    console.log(`${path.relative(Deno.cwd(), GENERATED_PATH)}: ${text.length} bytes`);
  } catch (e) {
    if (!(e instanceof BaseConfigError)) throw e;
    for (const line of e.lines) console.error(line);
    Deno.exit(1);
  }
}
