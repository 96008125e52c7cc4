/**
 * Type and attribute introspection builtins: `typeof`, `typecmp`, `sections`, `fields`,
 * `attr_exists`, `attr_get`, `attr_type`, `attr_typecmp`, `attr_split`, `function_exists`,
 * `add_override`, `copy_object`. The attribute tree is reached through {@linkcode HostHooks} (the
 * runtime picks which tree).
 *
 * @module
 */

import { copyType, prune, resolveType, tVoid, type Type, typeToString, unifies } from "../types.ts";
import { type CallbackValue, type TypespecValue, typespecValue } from "../values.ts";
import { argStr } from "./_args.ts";
import { type BuiltinDef, BuiltinError, defineBuiltin } from "./builtin_def.ts";

const TAGS = ["introspection"];
const def = (name: string, sig: string, impl: BuiltinDef["impl"], doc: string): BuiltinDef =>
  defineBuiltin(name, sig, impl, { doc, tags: TAGS });

/** Do two types unify? Neither is changed (both are copied first). */
export function typesMatch(a: Type, b: Type): boolean {
  return unifies(copyType(a), copyType(b));
}

/** The introspection builtins. */
export const INTROSPECTION_BUILTINS: readonly BuiltinDef[] = [
  def(
    "typeof",
    "func(`a) -> typespec",
    (_a, ctx) => typespecValue(resolveType(ctx.argTypes[0] ?? tVoid)),
    "The static type of the argument expression.",
  ),
  def(
    "typecmp",
    "func(typespec, typespec) -> bool",
    (a) => typesMatch((a[0] as TypespecValue).type, (a[1] as TypespecValue).type),
    "Do the two types unify?",
  ),
  def(
    "sections",
    "func(string) -> list[string]",
    (a, ctx) => ctx.host.sections(argStr(a, 0)),
    "Names of the sub-sections under a dotted path ([] if none).",
  ),
  def(
    "fields",
    "func(string) -> list[string]",
    (a, ctx) => ctx.host.fields(argStr(a, 0)),
    "Names of the attributes under a dotted path.",
  ),
  def(
    "attr_exists",
    "func(string) -> bool",
    (a, ctx) => ctx.host.lookupAttr(argStr(a, 0)).kind !== "missing",
    "Does a section or attribute exist at the dotted path?",
  ),
  def(
    "attr_get",
    "func(string, typespec[`t]) -> `t",
    (a, ctx) => {
      const path = argStr(a, 0);
      const expected = (a[1] as TypespecValue).type;
      const found = ctx.host.lookupAttr(path);
      if (found.kind === "missing") throw new BuiltinError(`Field not found: ${path}`);
      if (found.kind === "section") {
        throw new BuiltinError(`Got a section (expected attribute) for: ${path}`);
      }
      if (!typesMatch(found.type, expected)) {
        throw new BuiltinError(
          `Typecheck failed for: ${path} (attr type: ${typeToString(found.type)}; ` +
            `passed type: ${typeToString(expected)})`,
        );
      }
      if (found.value === undefined) throw new BuiltinError(`Attribute ${path} has no value`);
      return found.value;
    },
    "The value of an attribute, checked at runtime against the given type.",
  ),
  def(
    "attr_type",
    "func(string) -> typespec",
    (a, ctx) => {
      const found = ctx.host.lookupAttr(argStr(a, 0));
      return typespecValue(found.kind === "attr" ? resolveType(found.type) : tVoid);
    },
    "The type of an attribute (void when missing or a section).",
  ),
  def(
    "attr_typecmp",
    "func(string, string) -> bool",
    (a, ctx) => {
      const target = ctx.host.lookupAttr(argStr(a, 0));
      const holder = ctx.host.lookupAttr(argStr(a, 1));
      if (target.kind !== "attr" || holder.kind !== "attr") return false;
      if (prune(holder.type).kind !== "typespec") {
        throw new BuiltinError(`Field '${argStr(a, 1)}' is not a typespec.`);
      }
      if (holder.value === undefined) {
        throw new BuiltinError(`Field '${argStr(a, 1)}' has no value provided.`);
      }
      return typesMatch((holder.value as TypespecValue).type, target.type);
    },
    "Does the type of attribute 1 match the typespec stored in attribute 2?",
  ),
  def(
    "attr_split",
    "func(string) -> tuple[string, string]",
    (a) => {
      const s = argStr(a, 0);
      const i = s.lastIndexOf(".");
      return i < 0 ? ["", s] : [s.slice(0, i), s.slice(i + 1)];
    },
    'Split a dotted path at the last dot: (parent, name); ("", name) without a dot.',
  ),
  def(
    "function_exists",
    "func(func) -> bool",
    (a, ctx) => ctx.host.functionExists(a[0] as CallbackValue),
    "Does the callback resolve to a defined function?",
  ),
  def(
    "add_override",
    "func(string, `t) -> bool",
    (a, ctx) => ctx.host.addOverride(argStr(a, 0), a[1], ctx.argTypes[1] ?? tVoid),
    "Install an override for an attribute.",
  ),
  def(
    "copy_object",
    "func(string, string) -> bool",
    (a, ctx) => ctx.host.copyObject(argStr(a, 0), argStr(a, 1)),
    "Deep-copy section a.b.x to its sibling a.b.y (the second argument is the bare name).",
  ),
];
