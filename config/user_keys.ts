/**
 * User keys, as the original's `conffile` plugin fills them: a configuration's own keyspecs
 * (`X_...`, `_X_...`) that give a constant `value` or a `callback` computing one. This module
 * reads them from the evaluated configuration and computes one key's value; `ops/user_keys.ts`
 * decides when (by `kind`) and where (mark, report) they go.
 *
 * @module
 */

import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { errorMessage } from "../internal/errors.ts";
import { Attribute, AttrScope } from "../con4m/attributes.ts";
import type { Con4mRuntime } from "../con4m/runtime.ts";
import { prune, type Type, typeToString } from "../con4m/types.ts";
import {
  type Con4mValue,
  formatItem,
  formatValue,
  isDict,
  isList,
  isTypespec,
} from "../con4m/values.ts";
import { valueHasType } from "../con4m/value_type.ts";

/** When a key is collected (the `kind` enum of `chalk.c42spec`). */
export type KeyKind = "ChalkTimeHost" | "ChalkTimeArtifact" | "RunTimeArtifact" | "RunTimeHost";

/** The enum's values in order: `kind: RunTimeArtifact` holds 2. */
const KINDS: readonly KeyKind[] = [
  "ChalkTimeHost",
  "ChalkTimeArtifact",
  "RunTimeArtifact",
  "RunTimeHost",
];

/** A user keyspec with a value to give. */
export interface UserKeySpec {
  readonly name: string;
  readonly kind: KeyKind;
  /** The keyspec's `type`: what the value must be. */
  readonly type: Type;
  /** `value`, when set: it is used rather than the callback, as in the original. */
  readonly value?: Con4mValue;
  /** Path of the `callback` attribute, when the keyspec has one and no `value`. */
  readonly callbackPath?: string;
}

/**
 * The user keyspecs (not `standard`) that set `value` or `callback`, in definition order. The
 * base configuration defines none (`tests/config/user_keys_test.ts` keeps it so), which lets a
 * run without a user layer skip the walk over every keyspec.
 */
export function userKeySpecs(rt: Con4mRuntime): UserKeySpec[] {
  const specs: UserKeySpec[] = [];
  const keyspecs = rt.lookup("keyspec");
  if (!(keyspecs instanceof AttrScope)) return specs;
  // Read from each section itself: paths from the root, for ~550 keyspecs, cost milliseconds.
  for (const [name, section] of keyspecs.contents) {
    if (!(section instanceof AttrScope)) continue;
    const field = (f: string) => {
      const attr = section.contents.get(f);
      return attr instanceof Attribute ? attr.effective : undefined;
    };
    if (field("standard") === true) continue;
    const value = field("value");
    const callback = field("callback");
    if (value === undefined && callback === undefined) continue;
    const kind = KINDS[Number(field("kind") ?? -1n)];
    const type = field("type");
    // Validation requires both; a keyspec still half-built (as `chalk load` checks it) is left out.
    if (kind === undefined || type === undefined || !isTypespec(type)) continue;
    specs.push({
      name,
      kind,
      type: type.type,
      ...(value !== undefined ? { value } : { callbackPath: `keyspec.${name}.callback` }),
    });
  }
  return specs;
}

/** A key's value, or why it has none. */
export type UserKeyResult = { ok: true; value: MarkValue } | { ok: false; reason: string };

/**
 * The value of `spec`: its `value`, else what its callback returns when called with `arg` (an
 * artifact's path, or the context directories joined by `:`). A callback that fails, names no
 * function, returns nothing, or returns a value of another type than the keyspec's gives a reason.
 */
export async function computeUserKey(
  rt: Con4mRuntime,
  spec: UserKeySpec,
  arg: string,
): Promise<UserKeyResult> {
  let value = spec.value;
  if (value === undefined) {
    const path = spec.callbackPath!;
    const name = callbackName(rt, spec);
    let called;
    try {
      called = await rt.callCallback(path, [arg]);
    } catch (e) {
      return { ok: false, reason: `callback ${name} failed: ${oneLine(errorMessage(e))}` };
    }
    if (!called.found) return { ok: false, reason: `callback ${name}: no such function` };
    if (called.value === undefined) {
      return { ok: false, reason: `callback ${name} returned no value` };
    }
    value = called.value;
  }
  if (!valueHasType(value, spec.type)) {
    const source = spec.value === undefined
      ? `callback ${callbackName(rt, spec)} returned`
      : "value";
    const type = typeToString(prune(spec.type));
    return { ok: false, reason: `${source} ${oneLine(formatItem(value))} is not of type ${type}` };
  }
  return { ok: true, value: toMarkValue(value) };
}

function callbackName(rt: Con4mRuntime, spec: UserKeySpec): string {
  return rt.findCallback(spec.callbackPath ?? "")?.name ?? "?";
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, " ");
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
}

/** A con4m value as a mark holds it (as `to_json` writes it: dict keys as text, NaN as null). */
function toMarkValue(v: Con4mValue): MarkValue {
  if (v === null) return null;
  switch (typeof v) {
    case "bigint":
    case "boolean":
    case "string":
      return v;
    case "number":
      return Number.isFinite(v) ? v : null;
  }
  if (isList(v)) return v.map(toMarkValue);
  if (isDict(v)) {
    const out: MarkDict = new Map();
    for (const [k, x] of v.entries()) {
      out.set(typeof k === "string" ? k : formatValue(k), toMarkValue(x));
    }
    return out;
  }
  return formatValue(v);
}
