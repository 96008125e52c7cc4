/**
 * The con4m builtin function library: definitions ({@linkcode BuiltinDef}), the host hooks
 * builtins call, the registry, and the lists of builtins.
 *
 * - {@linkcode CORE_BUILTINS}: con4m 0.2.0's builtins plus `tmp_dir`, which later con4m added.
 * - {@linkcode CHALK_PORTABLE_BUILTINS}: chalk's own builtins that need no chalk
 *   state (`parse_json`, `parse_jsonl`, `to_json`, `binary_sha256`, `dir_size`,
 *   `dir_size_under`, `is_jwt_valid`). chalk adds these plus its stateful ones
 *   (`subscribe`, `error`, `command_name`, ...) with {@linkcode defineBuiltin}.
 *
 * @example
 * ```ts
 * const reg = new BuiltinRegistry([...CORE_BUILTINS, ...CHALK_PORTABLE_BUILTINS]);
 * reg.add(defineBuiltin("version", "func() -> string", () => "0.1.0"));
 * reg.overloads("slice").length; // 3
 * ```
 *
 * @module
 */

import { Con4mDict } from "../values.ts";
import { type BuiltinDef, BuiltinError, defineBuiltin } from "./builtin_def.ts";
import { CHALK_PORTABLE_BUILTINS as CHALK_STATELESS } from "./chalk_portable.ts";
import { CONVERSION_BUILTINS } from "./conversions.ts";
import { DICT_BUILTINS } from "./dicts.ts";
import { ENV_BUILTINS } from "./env.ts";
import { FS_BUILTINS } from "./fs.ts";
import { INT_BUILTINS } from "./ints.ts";
import { INTROSPECTION_BUILTINS } from "./types_introspection.ts";
import { JSON_BUILTINS, valueToJson } from "./json.ts";
import { LIST_BUILTINS } from "./lists.ts";
import { NET_BUILTINS } from "./net.ts";
import { OS_BUILTINS } from "./os.ts";
import { PROCESS_BUILTINS } from "./process.ts";
import { STRING_BUILTINS } from "./strings.ts";

export {
  type AttrLookup,
  type BuiltinContext,
  type BuiltinDef,
  BuiltinError,
  type BuiltinImpl,
  type BuiltinResult,
  builtinType,
  defineBuiltin,
  type DefineBuiltinOptions,
  type HostHooks,
} from "./builtin_def.ts";
export { defaultHostHooks } from "./host_hooks.ts";
export { jsonLinesToValue, jsonToValue, valueToJson } from "./json.ts";
export { binaryEncode, dirSize, isJwtValid } from "./chalk_portable.ts";
export { httpRequest, type HttpRequestOptions, localIPv4, mimeToDict } from "./net.ts";

/**
 * A set of builtins keyed by name; each name may have several overloads (signatures).
 * Adding a def whose name and signature text equal an existing one is an error.
 */
export class BuiltinRegistry {
  #byName = new Map<string, BuiltinDef[]>();

  /** Create a registry holding `defs`. */
  constructor(defs: Iterable<BuiltinDef> = []) {
    for (const d of defs) this.add(d);
  }

  /** Add one builtin (an overload when the name already exists). */
  add(def: BuiltinDef): void {
    const list = this.#byName.get(def.name) ?? [];
    if (list.some((d) => d.sig === def.sig)) {
      throw new BuiltinError(`duplicate builtin: ${def.name} ${def.sig}`);
    }
    list.push(def);
    this.#byName.set(def.name, list);
  }

  /** All overloads of `name` (empty when unknown). */
  overloads(name: string): readonly BuiltinDef[] {
    return this.#byName.get(name) ?? [];
  }

  /** Is there any builtin called `name`? */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** All builtin names. */
  names(): string[] {
    return [...this.#byName.keys()];
  }

  /** Every def, grouped by name in insertion order. */
  all(): BuiltinDef[] {
    return [...this.#byName.values()].flat();
  }
}

/**
 * JSON text describing builtins: `{"name": [{"signature": ..., "doc": ..., "tags": [...]}]}`.
 */
export function functionDocJson(defs: Iterable<BuiltinDef>): string {
  const out = new Con4mDict();
  for (const d of defs) {
    const entry = new Con4mDict([["signature", d.sig], ["doc", d.doc], ["tags", [...d.tags]]]);
    const list = (out.get(d.name) ?? []) as readonly Con4mDict[];
    out.set(d.name, [...list, entry]);
  }
  return valueToJson(out);
}

const DOC_DUMP = defineBuiltin(
  "function_doc_dump",
  "func() -> string",
  () => functionDocJson(CORE_BUILTINS),
  { doc: "JSON of the core builtin signatures and docs.", tags: ["introspection"] },
);

/** con4m's core builtins. */
export const CORE_BUILTINS: readonly BuiltinDef[] = [
  ...CONVERSION_BUILTINS,
  ...STRING_BUILTINS,
  ...LIST_BUILTINS,
  ...DICT_BUILTINS,
  ...FS_BUILTINS,
  ...ENV_BUILTINS,
  ...OS_BUILTINS,
  ...PROCESS_BUILTINS,
  ...INT_BUILTINS,
  ...NET_BUILTINS,
  ...INTROSPECTION_BUILTINS,
  DOC_DUMP,
];

/** chalk's state-free builtins: JSON, hashing, directory sizes, JWT check. */
export const CHALK_PORTABLE_BUILTINS: readonly BuiltinDef[] = [
  ...JSON_BUILTINS,
  ...CHALK_STATELESS,
];
