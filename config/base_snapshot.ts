/**
 * The base configuration, restored from its build-time snapshot (docs/decisions.md,
 * "Base configuration is a snapshot"): `restoreBaseStack` rebuilds the con4m stack of chalk's
 * schema and base files at start-up without parsing anything. The snapshot is compiled by
 * `deno task base-config` (scripts/base_config.ts) into `config/base_snapshot.generated.ts`.
 *
 * @module
 */
import { CHALK_PORTABLE_BUILTINS, CORE_BUILTINS } from "../con4m/builtins/mod.ts";
import type { BuiltinDef } from "../con4m/builtins/builtin_def.ts";
import { restoreStack, type SnapshotParts } from "../con4m/snapshot.ts";
import { chalkChecker } from "./legacy_spellings.ts";
import type { ConfigStack } from "../con4m/stack.ts";
import { CHALK_VERSION } from "../internal/version.ts";
import { chalkBuiltins, type ChalkHostEnv } from "./chalk_builtins.ts";
import { type Subscription, SubscriptionTable } from "./subscription_table.ts";

/** A compiled base configuration: the con4m stack snapshot and the base subscriptions. */
export interface BaseSnapshot {
  /** `snapshotStack` output, or its parts. */
  stack: string | SnapshotParts;
  /** Subscriptions the base files made, in order. */
  subscriptions: Subscription[];
  /** Every template's keys, space-separated, by template name (`ChalkConfigParts.baseTemplateKeys`). */
  templateKeys?: Readonly<Record<string, string>>;
}

/** A host environment for running configuration at build time (no command, logs kept). */
export function newChalkHostEnv(init: Partial<ChalkHostEnv> = {}): ChalkHostEnv {
  return {
    commandName: "",
    commandArgv: [],
    version: CHALK_VERSION,
    subscriptions: new SubscriptionTable(),
    templateCopies: [],
    log: () => {},
    ...init,
  };
}

/** Every builtin a chalk configuration can call, bound to `env`. */
export function allBuiltins(env: ChalkHostEnv): BuiltinDef[] {
  return [...CORE_BUILTINS, ...CHALK_PORTABLE_BUILTINS, ...chalkBuiltins(env)];
}

/** A restored base stack and the subscription table it starts with. */
export interface RestoredBase {
  /** The stack: schema, base configuration, validated. */
  stack: ConfigStack;
  /** The host environment its builtins are bound to (subscriptions preloaded). */
  env: ChalkHostEnv;
  /** The snapshot's template keys, when it has them. */
  templateKeys?: Readonly<Record<string, string>>;
}

/**
 * Rebuild the base stack from a snapshot (by default the generated one), with chalk's
 * builtins bound to `env`; the base subscriptions are added to `env.subscriptions`.
 */
export async function restoreBaseStack(
  env: ChalkHostEnv,
  snap?: BaseSnapshot,
): Promise<RestoredBase> {
  const data = snap ?? await generatedSnapshot();
  const stack = restoreStack(data.stack, { builtins: allBuiltins(env), checker: chalkChecker });
  for (const [t, s] of data.subscriptions) env.subscriptions.subscribe(t, s);
  return { stack, env, templateKeys: data.templateKeys };
}

async function generatedSnapshot(): Promise<BaseSnapshot> {
  const mod = await import("./base_snapshot.generated.ts");
  return {
    stack: { stack: mod.BASE_SNAPSHOT, validation: mod.BASE_VALIDATION, spec: mod.BASE_SPEC },
    subscriptions: mod.BASE_SUBSCRIPTIONS.map(([t, s]) => [t, s] as const),
    templateKeys: mod.BASE_TEMPLATE_KEYS,
  };
}
