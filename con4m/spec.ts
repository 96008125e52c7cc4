/**
 * The c42 spec model: section types, fields and their constraints, the built-in meta-spec that spec
 * files themselves are validated against, and the compiler that turns the attribute tree of an
 * evaluated spec file into a {@linkcode Spec}.
 *
 * @module
 */

import { Attribute, AttrScope } from "./attributes.ts";
import {
  copyType,
  funcOf,
  isPrim,
  listOf,
  newTypeVar,
  parseType,
  prune,
  tBool,
  tInt,
  tString,
  tupleOf,
  type Type,
  typeToString,
  unifies,
} from "./types.ts";
import { type CallbackValue, type Con4mValue, isCallback, isList, isTypespec } from "./values.ts";

/** How a field's type is given. */
export type FieldKind =
  /** A plain typed attribute. */
  | "attr"
  /** The field holds a type (`type: typespec`). */
  | "typespec"
  /** The field's type is read from a sibling field (`type: "type"`). */
  | "typeptr"
  /** A section of a registered section type (`allow` / `require`). */
  | "section";

/** One declared item of a section type. */
export interface FieldSpec {
  /** Field or section type name. */
  name: string;
  /** How the type is given. */
  kind: FieldKind;
  /** The declared type (kind "attr"). */
  type?: Type;
  /** Sibling field holding the type (kind "typeptr"). */
  typeRef?: string;
  /** Minimum number of occurrences (1 = required or defaulted; sections: instance count). */
  min: number;
  /** Maximum instances for sections (0 = unbounded). */
  max: number;
  /** Default value, when the spec gives one. */
  default?: Con4mValue;
  /** Lock once set (`write_lock`). */
  lock: boolean;
  /** Lock after this many completed runs (-1 = never). */
  stackLimit: number;
  /** Validator callback `func (string, `t) -> string`. */
  validator?: CallbackValue;
  /** Inclusive int range. */
  range?: readonly [bigint, bigint];
  /** Allowed values (ints or strings). */
  choices?: readonly Con4mValue[];
  /** Container size bounds (-1 = none). */
  itemCount?: readonly [number, number];
  /** Names of fields that may not appear together with this one. */
  exclusions: string[];
  /** Long documentation. */
  doc?: string;
  /** Short documentation. */
  shortdoc?: string;
  /** Hidden from generated docs. */
  hidden: boolean;
}

/** A section type (`root`, `singleton NAME`, `object NAME`). */
export interface SectionSpec {
  /** Type name ("" for the root). */
  typeName: string;
  /** Singletons have one unlabelled instance; objects have labelled instances. */
  singleton: boolean;
  /** Declared fields and allowed sections, in declaration order (`*` = any user field). */
  fields: Map<string, FieldSpec>;
  /** Section validator `func (string) -> string`. */
  validator?: CallbackValue;
  /** Long documentation. */
  doc?: string;
  /** Short documentation. */
  shortdoc?: string;
  /** Hidden from generated docs. */
  hidden: boolean;
}

/** A compiled c42 spec: the root section type plus all named section types. */
export interface Spec {
  /** The shape of a config's top level. */
  root: SectionSpec;
  /** Named section types. */
  types: Map<string, SectionSpec>;
}

/** An error in a spec definition. */
export class SpecDefinitionError extends Error {
  /** The one-line reason. */
  readonly reason: string;

  /** Create an error with a one-line reason. */
  constructor(reason: string) {
    super(reason);
    this.name = "SpecDefinitionError";
    this.reason = reason;
  }
}

/** A new empty section type. */
export function newSectionSpec(typeName: string, singleton: boolean): SectionSpec {
  return { typeName, singleton, fields: new Map(), hidden: false };
}

/** A new spec with an empty root. */
export function newSpec(): Spec {
  return { root: newSectionSpec("", true), types: new Map() };
}

function baseField(name: string, kind: FieldKind): FieldSpec {
  return { name, kind, min: 0, max: 1, lock: false, stackLimit: -1, exclusions: [], hidden: false };
}

/** Add a plain attribute field to a section type (used for the meta-spec and by hosts). */
export function addAttrField(
  sec: SectionSpec,
  name: string,
  type: Type,
  required: boolean,
  extra: Partial<FieldSpec> = {},
): FieldSpec {
  if (sec.fields.has(name)) {
    throw new SpecDefinitionError(
      `When defining section ${sec.typeName}: Duplicate field name: ${name}`,
    );
  }
  const f: FieldSpec = {
    ...baseField(name, "attr"),
    type,
    min: required || extra.default !== undefined ? 1 : 0,
    ...extra,
  };
  sec.fields.set(name, f);
  return f;
}

/** Allow (min 0) or require (min ≥ 1) sections of type `typeName` inside `sec`. */
export function addSectionField(
  spec: Spec,
  sec: SectionSpec,
  typeName: string,
  min = 0,
  max = 0,
  lock = false,
): FieldSpec {
  if (!spec.types.has(typeName)) {
    throw new SpecDefinitionError(`No section type named '${typeName}' defined in spec`);
  }
  if (sec.fields.has(typeName)) {
    throw new SpecDefinitionError(
      `When defining section ${sec.typeName || "root"}: Duplicate spec for: ${typeName}`,
    );
  }
  const f: FieldSpec = { ...baseField(typeName, "section"), min, max, lock };
  sec.fields.set(typeName, f);
  return f;
}

function addExclusion(sec: SectionSpec, a: string, b: string): void {
  const fa = sec.fields.get(a);
  const fb = sec.fields.get(b);
  if (fa === undefined) throw new SpecDefinitionError(`Cannot exclude undefined field ${a}`);
  if (fb === undefined) throw new SpecDefinitionError(`Cannot exclude undefined field ${b}`);
  if (!fa.exclusions.includes(b)) fa.exclusions.push(b);
  if (!fb.exclusions.includes(a)) fb.exclusions.push(a);
}

/** The signature field validators must have: ``(string, `t) -> string``. */
export function fieldValidatorType(): Type {
  return funcOf([tString, newTypeVar("t")], tString);
}

/** The signature section validators must have: `(string) -> string`. */
export function sectionValidatorType(): Type {
  return funcOf([tString], tString);
}

/**
 * The meta-spec: what a c42 spec file may contain. Also accepts the field property `choices`,
 * which later con4m added and chalk's schema uses (docs/con4m.md, "Compatibility notes").
 */
export function buildMetaSpec(): Spec {
  const spec = newSpec();
  const rootSec = newSectionSpec("root", true);
  const field = newSectionSpec("field", false);
  const singleton = newSectionSpec("singleton", false);
  const object = newSectionSpec("object", false);
  const require = newSectionSpec("require", false);
  const allow = newSectionSpec("allow", false);
  const exclusions = newSectionSpec("exclusions", true);
  for (const s of [rootSec, field, singleton, object, require, allow, exclusions]) {
    spec.types.set(s.typeName, s);
  }
  const secValidator = funcOf([tString], tString);
  for (const s of [rootSec, singleton, object]) {
    for (const sub of ["field", "require", "allow", "exclusions"]) addSectionField(spec, s, sub);
    addAttrField(s, "user_def_ok", tBool, true);
    addAttrField(s, "gen_typename", tString, false);
    if (s !== rootSec) addAttrField(s, "gen_fieldname", tString, false);
    addAttrField(s, "gen_field_decls", tBool, false);
    addAttrField(s, "gen_loader", tBool, false);
    addAttrField(s, "gen_setters", tBool, false);
    addAttrField(s, "gen_getters", tBool, false);
    addAttrField(s, "extra_decls", tString, false);
    if (s === rootSec) addAttrField(s, "prologue", tString, false);
    addAttrField(s, "doc", tString, false);
    addAttrField(s, "shortdoc", tString, false);
    if (s === object) addAttrField(s, "hidden", tBool, false);
    addAttrField(s, "validator", secValidator, false);
  }
  addSectionField(spec, spec.root, "root", 1, 1);
  addSectionField(spec, spec.root, "singleton");
  addSectionField(spec, spec.root, "object");

  addAttrField(field, "type", parseType("typespec or string"), true);
  addAttrField(field, "default", newTypeVar(), true);
  addAttrField(field, "require", tBool, true);
  addAttrField(field, "write_lock", tBool, false);
  addAttrField(field, "range", tupleOf([tInt, tInt]), false);
  addAttrField(field, "choice", listOf(newTypeVar("T")), false);
  addAttrField(field, "choices", listOf(newTypeVar("T")), false);
  addAttrField(field, "validator", fieldValidatorType(), false);
  addAttrField(field, "stack_limit", tInt, false);
  addAttrField(field, "min_items", tInt, false);
  addAttrField(field, "max_items", tInt, false);
  addAttrField(field, "gen_field_decl", tBool, false);
  addAttrField(field, "gen_loader", tBool, false);
  addAttrField(field, "gen_setter", tBool, false);
  addAttrField(field, "gen_getter", tBool, false);
  addAttrField(field, "gen_fieldname", tString, false);
  addAttrField(field, "doc", tString, false);
  addAttrField(field, "shortdoc", tString, false);
  addAttrField(field, "hidden", tBool, false);
  addExclusion(field, "default", "require");
  addAttrField(require, "write_lock", tBool, false);
  addAttrField(allow, "write_lock", tBool, false);
  addAttrField(exclusions, "*", newTypeVar(), false);
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Compiling an evaluated spec tree
// ---------------------------------------------------------------------------------------------

function attrOf(scope: AttrScope, name: string): Attribute | undefined {
  const a = scope.contents.get(name);
  if (a instanceof AttrScope) {
    throw new SpecDefinitionError(
      `When checking ${
        joinName(scope, name)
      }: Expected '${name}' to be a field, but it is a section`,
    );
  }
  return a;
}

function joinName(scope: AttrScope, name: string): string {
  return scope.path === "" ? name : `${scope.path}.${name}`;
}

function valueOf<T extends Con4mValue>(
  scope: AttrScope,
  name: string,
  check: (v: Con4mValue) => boolean,
  what: string,
): T | undefined {
  const a = attrOf(scope, name);
  if (a === undefined) return undefined;
  const v = a.effective;
  if (v === undefined) return undefined;
  if (!check(v)) {
    throw new SpecDefinitionError(
      `When checking ${a.path}: Field '${name}' should be ${what}, but got: ${
        typeToString(a.type)
      }`,
    );
  }
  return v as T;
}

const isBool = (v: Con4mValue): boolean => typeof v === "boolean";
const isStr = (v: Con4mValue): boolean => typeof v === "string";
const isInt = (v: Con4mValue): boolean => typeof v === "bigint";

function docInfo(scope: AttrScope): Pick<SectionSpec, "doc" | "shortdoc" | "hidden" | "validator"> {
  return {
    doc: valueOf<string>(scope, "doc", isStr, "string"),
    shortdoc: valueOf<string>(scope, "shortdoc", isStr, "string"),
    hidden: valueOf<boolean>(scope, "hidden", isBool, "bool") ?? false,
    validator: valueOf<CallbackValue>(scope, "validator", isCallback, "a callback"),
  };
}

function subScopes(scope: AttrScope | Attribute | undefined): [string, AttrScope][] {
  if (!(scope instanceof AttrScope)) return [];
  const out: [string, AttrScope][] = [];
  for (const [k, v] of scope.contents) if (v instanceof AttrScope) out.push([k, v]);
  return out;
}

function populateSections(
  spec: Spec,
  sec: SectionSpec,
  scope: AttrScope,
  required: boolean,
): void {
  for (const [k, v] of scope.contents) {
    if (!spec.types.has(k)) {
      throw new SpecDefinitionError(`No section type named '${k}' defined in spec`);
    }
    const lock = v instanceof AttrScope
      ? valueOf<boolean>(v, "write_lock", isBool, "bool") ?? false
      : false;
    if (sec.fields.has(k)) continue; // layered specs may repeat an allow
    addSectionField(spec, sec, k, required ? 1 : 0, 0, lock);
  }
}

/** The attributes a field declaration may carry, read and type-checked. */
interface FieldAttrs {
  lock: boolean;
  validator?: CallbackValue;
  stackLimit?: bigint;
  require: boolean;
  range?: readonly Con4mValue[];
  minItems?: bigint;
  maxItems?: bigint;
  /** `choice` (at least two) or `choices`, when given. */
  choiceName?: "choice" | "choices";
  choices?: readonly Con4mValue[];
  doc?: string;
  shortdoc?: string;
  hidden: boolean;
}

function fieldAttrs(fscope: AttrScope): FieldAttrs {
  const choiceName = fscope.contents.has("choice")
    ? "choice"
    : fscope.contents.has("choices")
    ? "choices"
    : undefined;
  return {
    lock: valueOf<boolean>(fscope, "write_lock", isBool, "bool") ?? false,
    validator: valueOf<CallbackValue>(fscope, "validator", isCallback, "a callback"),
    stackLimit: valueOf<bigint>(fscope, "stack_limit", isInt, "int"),
    require: valueOf<boolean>(fscope, "require", isBool, "bool") ?? false,
    range: valueOf<readonly Con4mValue[]>(
      fscope,
      "range",
      (v) => isList(v) && v.length === 2 && v.every(isInt),
      "tuple[int, int]",
    ),
    minItems: valueOf<bigint>(fscope, "min_items", isInt, "int"),
    maxItems: valueOf<bigint>(fscope, "max_items", isInt, "int"),
    choiceName,
    choices: choiceName === undefined
      ? undefined
      : valueOf<readonly Con4mValue[]>(fscope, choiceName, isList, "a list"),
    doc: valueOf<string>(fscope, "doc", isStr, "string"),
    shortdoc: valueOf<string>(fscope, "shortdoc", isStr, "string"),
    hidden: valueOf<boolean>(fscope, "hidden", isBool, "bool") ?? false,
  };
}

/** The field's default value; exactly one of `require` and `default` must be given. */
function fieldDefault(
  fscope: AttrScope,
  name: string,
  tv: Con4mValue,
): Con4mValue | undefined {
  const defAttr = attrOf(fscope, "default");
  if (defAttr === undefined) {
    if (fscope.contents.has("require")) return undefined;
    throw new SpecDefinitionError(
      `When checking ${fscope.path}: Fields must specify one of 'require' or 'default'`,
    );
  }
  if (fscope.contents.has("require")) {
    throw new SpecDefinitionError(
      `When checking ${fscope.path}: Cannot have 'require' and 'default' together`,
    );
  }
  if (typeof tv === "string") {
    throw new SpecDefinitionError(
      `When checking ${fscope.path}: Fields that get their type from other fields may not have a default value`,
    );
  }
  if (isTypespec(tv) && !unifies(copyType(tv.type), copyType(defAttr.type))) {
    throw new SpecDefinitionError(
      `When checking ${fscope.path}: for ${name}: default value actual type (${
        typeToString(defAttr.type)
      }) does not match the provided 'type' field, which had type: ${typeToString(tv.type)}`,
    );
  }
  return defAttr.effective;
}

/** At most one kind of constraint per field, and none on fields typed from another field. */
function checkConstraintCount(fscope: AttrScope, a: FieldAttrs, typePtr: boolean): void {
  const constraints = (a.choices !== undefined ? 1 : 0) + (a.range !== undefined ? 1 : 0) +
    (a.minItems !== undefined || a.maxItems !== undefined ? 1 : 0);
  if (constraints > 1) {
    throw new SpecDefinitionError(
      `When checking ${fscope.path}: Can't specify multiple constraint types on one field.`,
    );
  }
  if (constraints > 0 && typePtr) {
    throw new SpecDefinitionError(
      `When checking ${fscope.path}: Fields typed from another field can't have constraints`,
    );
  }
}

/** Adds the field's constraint (choices, range or item count) to `f`, checked against its type. */
function applyConstraint(f: FieldSpec, a: FieldAttrs, fscope: AttrScope, name: string): void {
  const userType = f.type!;
  if (a.choices !== undefined) {
    if (!isPrim(userType, "int") && !isPrim(userType, "string")) {
      throw new SpecDefinitionError(
        `When checking ${fscope.path}: Choice field must have type 'int' or 'string'`,
      );
    }
    const want = isPrim(userType, "int") ? isInt : isStr;
    if (!a.choices.every(want)) {
      throw new SpecDefinitionError(
        `When checking ${fscope.path}: Choices must have the field's type`,
      );
    }
    if (a.choiceName === "choice" && a.choices.length <= 1) {
      throw new SpecDefinitionError(
        `When defining field '${name}': must offer 2 or more choices, or else it's not a choice!`,
      );
    }
    f.choices = a.choices;
  } else if (a.range !== undefined) {
    const lo = a.range[0] as bigint;
    const hi = a.range[1] as bigint;
    if (!isPrim(userType, "int")) {
      throw new SpecDefinitionError(`When checking ${fscope.path}: Range fields must be int`);
    }
    if (lo >= hi) throw new SpecDefinitionError(`When checking ${fscope.path}: Invalid range.`);
    f.range = [lo, hi];
  } else if (a.minItems !== undefined || a.maxItems !== undefined) {
    const lo = a.minItems === undefined ? -1 : Number(a.minItems);
    const hi = a.maxItems === undefined ? -1 : Number(a.maxItems);
    if (userType.kind !== "list" && userType.kind !== "dict") {
      throw new SpecDefinitionError(
        `When checking ${fscope.path}: Bounded containers must be dict or list types`,
      );
    }
    if (lo >= 0 && hi >= 0 && lo >= hi) {
      throw new SpecDefinitionError(
        `When checking ${fscope.path}: Invalid size specification (min >= max)`,
      );
    }
    f.itemCount = [lo, hi];
  } else if (userType.kind === "typespec") {
    f.kind = "typespec";
  }
}

/** The spec of one field declaration `name` (its scope `fscope`). */
function fieldSpec(name: string, fscope: AttrScope): FieldSpec {
  const typeAttr = attrOf(fscope, "type");
  if (typeAttr === undefined || typeAttr.effective === undefined) {
    throw new SpecDefinitionError(`When checking ${fscope.path}: Expected a field 'type'`);
  }
  const tv = typeAttr.effective;
  const a = fieldAttrs(fscope);
  const def = fieldDefault(fscope, name, tv);
  const typePtr = typeof tv === "string";
  checkConstraintCount(fscope, a, typePtr);
  const common = {
    ...baseField(name, "attr" as FieldKind),
    lock: a.lock,
    validator: a.validator,
    stackLimit: a.stackLimit === undefined ? -1 : Number(a.stackLimit),
    doc: a.doc,
    shortdoc: a.shortdoc,
    hidden: a.hidden,
  };
  if (typePtr) return { ...common, kind: "typeptr", typeRef: tv, min: a.require ? 1 : 0 };
  if (!isTypespec(tv)) {
    throw new SpecDefinitionError(
      `When checking ${fscope.path}: Field 'type' should be typespec or string`,
    );
  }
  const f: FieldSpec = {
    ...common,
    type: prune(tv.type),
    min: a.require || def !== undefined ? 1 : 0,
    default: def,
  };
  applyConstraint(f, a, fscope, name);
  return f;
}

function populateFields(sec: SectionSpec, scope: AttrScope, excl: [string, string][]): void {
  for (const [name, fscope] of subScopes(scope)) {
    if (sec.fields.has(name)) continue; // already declared by an earlier spec layer
    sec.fields.set(name, fieldSpec(name, fscope));
  }
  for (const [a, b] of excl) addExclusion(sec, a, b);
}

function populateType(spec: Spec, sec: SectionSpec, scope: AttrScope): void {
  const exclScope = scope.contents.get("exclusions");
  const excl: [string, string][] = [];
  if (exclScope instanceof AttrScope) {
    for (const [k, v] of exclScope.contents) {
      if (v instanceof Attribute && typeof v.effective === "string") excl.push([k, v.effective]);
    }
  }
  const fieldScope = scope.contents.get("field");
  if (fieldScope instanceof AttrScope) populateFields(sec, fieldScope, excl);
  else if (excl.length > 0) {
    throw new SpecDefinitionError(
      `When checking ${scope.path}: Can't have exclusions without fields!`,
    );
  }
  const req = scope.contents.get("require");
  if (req instanceof AttrScope) populateSections(spec, sec, req, true);
  const allow = scope.contents.get("allow");
  if (allow instanceof AttrScope) populateSections(spec, sec, allow, false);
  const udo = valueOf<boolean>(scope, "user_def_ok", isBool, "bool");
  if (udo === true && !sec.fields.has("*")) {
    sec.fields.set("*", { ...baseField("*", "attr"), type: newTypeVar() });
  }
  const info = docInfo(scope);
  sec.doc ??= info.doc;
  sec.shortdoc ??= info.shortdoc;
  sec.validator ??= info.validator;
}

/**
 * Compile the attribute tree of an evaluated spec file (the validation state) into a
 * {@linkcode Spec}. Section types are registered before they are populated, so they may be
 * referenced before their declaration. Throws {@linkcode SpecDefinitionError}.
 *
 * @example
 * ```ts
 * const spec = compileSpec(validationState.root);
 * spec.types.get("sink_config")?.singleton; // false
 * ```
 */
export function compileSpec(tree: AttrScope): Spec {
  const spec = newSpec();
  const singles = subScopes(tree.contents.get("singleton"));
  const objects = subScopes(tree.contents.get("object"));
  for (const [name, s] of singles) register(spec, name, true, s);
  for (const [name, s] of objects) register(spec, name, false, s);
  for (const [name, s] of singles) populateType(spec, spec.types.get(name)!, s);
  for (const [name, s] of objects) populateType(spec, spec.types.get(name)!, s);
  const root = tree.contents.get("root");
  if (root instanceof AttrScope) populateType(spec, spec.root, root);
  return spec;
}

function register(spec: Spec, name: string, singleton: boolean, scope: AttrScope): void {
  if (spec.types.has(name)) {
    throw new SpecDefinitionError(
      `When defining a top-level section: Duplicate section type name: ${name}`,
    );
  }
  const sec = newSectionSpec(name, singleton);
  Object.assign(sec, docInfo(scope));
  spec.types.set(name, sec);
}
