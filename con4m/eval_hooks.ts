/**
 * The attribute-tree side of {@linkcode HostHooks}: what introspection builtins (`sections`,
 * `attr_get`, `add_override`, `function_exists`, `format`...) see. During spec validation they look
 * at the config being validated, not the spec's own tree.
 *
 * @module
 */

import { Attribute, AttrScope, splitPath } from "./attributes.ts";
import type { AttrLookup, HostHooks } from "./builtins/builtin_def.ts";
import type { EvalState } from "./eval_state.ts";
import { typeOfValue } from "./eval_expr.ts";
import { copyType, parseType, type Type, unify } from "./types.ts";
import type { CallbackValue, Con4mValue } from "./values.ts";

function scopeAt(root: AttrScope, path: string): AttrScope | undefined {
  const item = root.lookup(splitPath(path));
  return item instanceof AttrScope ? item : undefined;
}

function deepCopy(src: AttrScope, dst: AttrScope): void {
  for (const [k, v] of src.contents) {
    if (v instanceof AttrScope) deepCopy(v, dst.ensureScope([k]));
    else {
      const a = dst.ensureAttr([k], copyType(v.type));
      a.value = v.value;
      a.override = v.override;
      a.locked = v.locked;
      a.lockOnWrite = v.lockOnWrite;
    }
  }
}

/** Install an override on attribute `path` of `root`; false when refused. */
export function installOverride(
  root: AttrScope,
  path: string,
  value: Con4mValue,
  type: Type,
): boolean {
  const parts = splitPath(path);
  if (parts.length === 0) return false;
  const item = root.lookup(parts);
  if (item instanceof AttrScope) return false;
  if (item instanceof Attribute) {
    if (item.locked || item.override !== undefined) return false;
    if (!unify(item.type, type)) return false;
    item.override = value;
    return true;
  }
  try {
    const a = root.ensureAttr(parts, type);
    a.override = value;
    return true;
  } catch {
    return false;
  }
}

/** Does `cb` name a function of `state` whose signature fits (when one is given)? */
export function callbackExists(state: EvalState, cb: CallbackValue): boolean {
  let sig: Type | undefined;
  if (cb.sigText !== undefined && cb.sigText !== "") {
    try {
      sig = parseType(cb.sigText.startsWith("(") ? `func${cb.sigText}` : cb.sigText);
    } catch {
      sig = undefined;
    }
  }
  return state.functions.find(cb.name, sig) !== undefined;
}

/**
 * Hooks for builtins running in `state`: `base` supplies the system hooks (environment,
 * stderr, ...), the attribute hooks read `state.lookupRoot`.
 */
export function stateHooks(state: EvalState, base: HostHooks): HostHooks {
  const target = (): EvalState => state.introspectionTarget ?? state;
  return {
    ...base,
    lookupAttr(path: string): AttrLookup {
      const item = target().root.lookup(splitPath(path));
      if (item === undefined) return { kind: "missing" };
      if (item instanceof AttrScope) return { kind: "section" };
      return { kind: "attr", type: item.type, value: item.effective };
    },
    sections(path: string): string[] {
      return scopeAt(target().root, path)?.sectionNames() ?? [];
    },
    fields(path: string): string[] {
      return scopeAt(target().root, path)?.fieldNames() ?? [];
    },
    addOverride(path: string, value: Con4mValue, type: Type): boolean {
      return installOverride(target().root, path, value, type);
    },
    copyObject(from: string, to: string): boolean {
      const parts = splitPath(from);
      const src = scopeAt(target().root, from);
      if (src === undefined || src.parent === undefined || parts.length === 0) return false;
      if (src.parent.contents.has(to)) return false;
      deepCopy(src, src.parent.ensureScope([to]));
      return true;
    },
    functionExists(cb: CallbackValue): boolean {
      return callbackExists(target(), cb) || callbackExists(state, cb);
    },
    formatLookup(name: string): { value: Con4mValue; type: Type } | undefined {
      const ctx = state.currentCtx;
      const parts = splitPath(name);
      const fromRoot = state.root.lookup(parts);
      if (fromRoot instanceof Attribute && fromRoot.effective !== undefined) {
        return { value: fromRoot.effective, type: fromRoot.type };
      }
      if (ctx !== undefined) {
        const local = ctx.section.lookup(parts);
        if (local instanceof Attribute && local.effective !== undefined) {
          return { value: local.effective, type: local.type };
        }
        const v = ctx.frame.lookup(name);
        if (v !== undefined && v.value !== undefined) {
          return { value: v.value, type: v.type ?? typeOfValue(v.value) };
        }
      }
      return undefined;
    },
  };
}
