/**
 * Validation of an evaluated attribute tree against a c42 spec: structure (pass 1), values,
 * defaults, constraints and locks (pass 2), then field validators and `final_check()`. Errors carry
 * no source position; several are reported per run.
 *
 * @module
 */

import { didYouMean } from "../internal/did_you_mean.ts";
import { Attribute, AttrScope, joinPath } from "./attributes.ts";
import { Con4mError } from "./errors.ts";
import {
  type FieldSpec,
  fieldValidatorType,
  type SectionSpec,
  sectionValidatorType,
  type Spec,
} from "./spec.ts";
import {
  copyType,
  funcOf,
  resolveType,
  tString,
  type Type,
  typespecOf,
  typeToString,
  unify,
} from "./types.ts";
import {
  type CallbackValue,
  type Con4mValue,
  formatValue,
  isDict,
  isList,
  isTypespec,
} from "./values.ts";

/** How much checking a stack step gets. */
export type CheckLevel = "full" | "defaults" | "none";

/** Result of calling a con4m function from the validator. */
export type CallOutcome =
  | { found: false }
  | { found: true; value: Con4mValue | undefined };

/** What validation needs from the evaluation environment that runs spec callbacks. */
export interface ValidationEnv {
  /**
   * Call the con4m function `name` whose signature unifies with `sig` (the validation state's
   * functions) while introspection builtins look at the target tree.
   */
  callFunction(
    name: string,
    sig: Type,
    args: readonly Con4mValue[],
    argTypes: readonly Type[],
  ): Promise<CallOutcome>;
  /** Number of completed runs of the target state (for `stack_limit`). */
  runCount: number;
}

interface QueuedValidator {
  cb: CallbackValue;
  attr: Attribute;
  valueType: Type;
}

class Validator {
  readonly errors: Con4mError[] = [];
  readonly queued: QueuedValidator[] = [];

  constructor(
    readonly spec: Spec,
    readonly env: ValidationEnv | undefined,
    readonly defaultsOnly: boolean,
  ) {}

  err(where: string, msg: string): void {
    const full = where === "" ? msg : `When checking ${where}: ${msg}`;
    this.errors.push(new Con4mError("validate", full));
  }

  // ----- pass 1 ------------------------------------------------------------------------------

  pass1(scope: AttrScope, sec: SectionSpec): void {
    for (const [name, fs] of sec.fields) {
      if (name === "*") continue;
      const item = scope.contents.get(name);
      if (item === undefined) continue;
      if (fs.kind === "section") {
        if (item instanceof Attribute) {
          this.err(scope.path, `Expected a section '${name}', but got an attribute instead.`);
          continue;
        }
        const sub = this.spec.types.get(name);
        if (sub === undefined) continue;
        if (sub.singleton) {
          this.pass1(item, sub);
          continue;
        }
        for (const inst of item.contents.values()) {
          if (inst instanceof Attribute) {
            this.err(scope.path, `Cannot have a singleton for section type: '${name}'`);
            break;
          }
          this.pass1(inst, sub);
        }
      } else if (item instanceof AttrScope) {
        this.err(scope.path, `Expected a field '${name}' but got a section instead.`);
      }
    }
    if (!sec.fields.has("*")) {
      for (const name of scope.contents.keys()) {
        if (!sec.fields.has(name)) {
          const tn = sec.typeName === "" ? "root" : sec.typeName;
          const where = joinPath(scope.path, name);
          const hint = didYouMean(name, [...sec.fields.keys()]);
          this.errors.push(
            new Con4mError("validate", `Unknown field for a ${tn} section: ${where}${hint}`),
          );
        }
      }
    }
  }

  // ----- pass 2 ------------------------------------------------------------------------------

  exclusionPresent(scope: AttrScope, name: string, fs: FieldSpec): string {
    for (const other of fs.exclusions) {
      if (other === name) continue;
      const item = scope.contents.get(other);
      if (item === undefined) continue;
      if (item instanceof AttrScope) return other;
      if (item.effective !== undefined) return other;
    }
    return "";
  }

  async pass2(scope: AttrScope, sec: SectionSpec): Promise<void> {
    const before = this.errors.length;
    for (const [name, fs] of sec.fields) {
      if (name === "*") continue;
      if (fs.kind === "section") await this.sectionField(scope, name, fs);
      else this.attrField(scope, name, fs);
    }
    // A section validator only sees sections whose fields are valid.
    if (
      !this.defaultsOnly && sec.validator !== undefined && this.env !== undefined &&
      this.errors.length === before
    ) {
      const res = await this.env.callFunction(
        sec.validator.name,
        sectionValidatorType(),
        [scope.path],
        [tString],
      );
      this.checkCallbackResult(scope.path, sec.validator, res);
    }
  }

  checkCallbackResult(where: string, cb: CallbackValue, res: CallOutcome): void {
    if (!res.found) {
      this.err(
        where,
        `A validator was specified, but no function of the correct type is in spec file: func ${cb.name}`,
      );
      return;
    }
    if (typeof res.value === "string" && res.value !== "") this.err(where, res.value);
  }

  async sectionField(scope: AttrScope, name: string, fs: FieldSpec): Promise<void> {
    const exclusion = this.exclusionPresent(scope, name, fs);
    const item = scope.contents.get(name);
    if (item === undefined) {
      if (!this.defaultsOnly && fs.min > 0 && exclusion === "") {
        this.err(
          scope.path,
          `Required section '${name}' is missing, and there are no other fields present that would remove this constraint.`,
        );
      }
      return;
    }
    if (item instanceof Attribute) {
      if (!this.defaultsOnly) {
        this.err(scope.path, `Expected a section '${name}', but got an attribute instead.`);
      }
      return;
    }
    const sub = this.spec.types.get(name);
    if (sub === undefined) return;
    if (sub.singleton) {
      await this.pass2(item, sub);
      return;
    }
    for (const inst of item.contents.values()) {
      if (inst instanceof Attribute) {
        if (!this.defaultsOnly) {
          this.err(scope.path, `Cannot have a singleton for section type: '${name}'`);
        }
        return;
      }
      await this.pass2(inst, sub);
    }
    if (this.defaultsOnly) return;
    const n = item.contents.size;
    if (exclusion !== "") {
      if (n > 0) this.err(scope.path, `'${name}' cannot appear alongside '${exclusion}'`);
    } else {
      if (n < fs.min) {
        this.err(scope.path, `Expected ${fs.min} sections of '${name}', but only have ${n}.`);
      }
      if (fs.max !== 0 && n > fs.max) {
        this.err(
          scope.path,
          `Expected no more than ${fs.max} sections of '${name}', but got ${n}.`,
        );
      }
    }
  }

  attrField(scope: AttrScope, name: string, fs: FieldSpec): void {
    const exclusion = this.exclusionPresent(scope, name, fs);
    let item = scope.contents.get(name);
    if (item instanceof AttrScope) {
      if (!this.defaultsOnly) {
        this.err(scope.path, `Expected a field '${name}' but got a section instead.`);
      }
      return;
    }
    if (item === undefined || item.effective === undefined) {
      if (fs.min < 1 || exclusion !== "") {
        if (item === undefined) return;
      } else if (fs.default !== undefined) {
        const t = fs.type !== undefined ? copyType(fs.type) : typespecOf();
        if (item === undefined) {
          item = new Attribute(name, scope, t);
          scope.contents.set(name, item);
        }
        item.value = fs.default;
      } else if (!this.defaultsOnly) {
        this.err(
          joinPath(scope.path, name),
          `Required attribute '${name}' is missing, and there are no other fields present that would remove this constraint.`,
        );
        return;
      }
    }
    if (this.defaultsOnly || item === undefined) return;
    const attr = item;
    const value = attr.effective;
    if (value !== undefined && exclusion !== "") {
      this.err(attr.path, `'${name}' can't appear alongside '${exclusion}'`);
    }
    let valueType: Type = attr.type;
    switch (fs.kind) {
      case "attr":
        if (fs.type !== undefined && !unify(attr.type, copyType(fs.type))) {
          this.err(
            attr.path,
            `Wrong type for '${name}' (spec said ${typeToString(fs.type)} but value is a: ${
              typeToString(attr.type)
            })`,
          );
          return;
        }
        if (value !== undefined) this.constraints(attr, value, fs);
        break;
      case "typespec":
        break;
      case "typeptr": {
        const ref = fs.typeRef!;
        const refItem = scope.contents.get(ref);
        if (refItem === undefined) {
          this.err(
            scope.path,
            `Type for field '${name}' is supposed to be taken from the '${ref}' field, which was not provided.`,
          );
          return;
        }
        if (refItem instanceof AttrScope) {
          this.err(
            scope.path,
            `Expected a field named '${ref}' containing the type for the field '${name}'`,
          );
          return;
        }
        const rv = refItem.effective;
        if (rv === undefined || !isTypespec(rv)) {
          this.err(
            scope.path,
            `Field '${ref}' is supposed to contain a con4m type for field '${name}', but that type is missing.`,
          );
          return;
        }
        if (!unify(attr.type, copyType(rv.type))) {
          this.err(
            scope.path,
            `Wrong type for ${name} (expected ${
              typeToString(rv.type)
            } per the type read from field '${ref}'), but got: ${typeToString(attr.type)}`,
          );
          return;
        }
        valueType = rv.type;
        break;
      }
      case "section":
        return;
    }
    if (fs.lock) {
      if (attr.value !== undefined) attr.locked = true;
      else attr.lockOnWrite = true;
    }
    if (fs.stackLimit !== -1 && this.env !== undefined && this.env.runCount >= fs.stackLimit) {
      attr.locked = true;
    }
    if (fs.validator !== undefined && attr.effective !== undefined) {
      this.queued.push({ cb: fs.validator, attr, valueType: resolveType(valueType) });
    }
  }

  constraints(attr: Attribute, value: Con4mValue, fs: FieldSpec): void {
    if (fs.range !== undefined && typeof value === "bigint") {
      const [lo, hi] = fs.range;
      if (value < lo || value > hi) {
        this.err(attr.path, `Value '${value}' is outside of allowed range: ${lo} .. ${hi}`);
      }
    } else if (fs.choices !== undefined) {
      if (!fs.choices.some((c) => c === value)) {
        this.err(
          attr.path,
          `Value '${formatValue(value)}' is not one of the valid choices: ${
            // An empty string choice would read as nothing between two commas.
            fs.choices.map((c) => c === "" ? '""' : formatValue(c)).join(", ")}`,
        );
      }
    } else if (fs.itemCount !== undefined) {
      const n = isList(value) ? value.length : isDict(value) ? value.size : -1;
      if (n < 0) {
        this.err(attr.path, "Value must be a container.");
        return;
      }
      const [lo, hi] = fs.itemCount;
      if (lo > 0 && n < lo) {
        this.err(attr.path, `Value is require to contain between at least ${lo} values`);
      }
      if (hi > 0 && n > hi) {
        this.err(attr.path, `Value is require to contain no more than ${hi} values`);
      }
    }
  }

  async runQueued(): Promise<void> {
    const env = this.env;
    if (env === undefined) return;
    for (const q of this.queued) {
      const value = q.attr.effective;
      if (value === undefined) continue;
      const sig = fieldValidatorType();
      const res = await env.callFunction(
        q.cb.name,
        sig,
        [q.attr.path, value],
        [tString, q.valueType],
      );
      this.checkCallbackResult(q.attr.path, q.cb, res);
    }
    const fin = await env.callFunction("final_check", funcOf([], tString), [], []);
    if (fin.found && typeof fin.value === "string" && fin.value !== "") {
      this.errors.push(
        new Con4mError("validate", `In post execution check, at top-level: ${fin.value}`),
      );
    }
  }
}

/**
 * Validate `tree` against `spec` at `level`. "full" runs both passes and the callbacks, "defaults"
 * only fills in defaults, "none" does nothing. Returns the errors (empty when valid). Defaults are
 * written into `tree`; `write_lock`/`stack_limit` locks are applied.
 *
 * @example
 * ```ts
 * const errs = await validateTree(state.root, spec, "full", env);
 * if (errs.length) console.error(errs.map(String).join("\n"));
 * ```
 */
export async function validateTree(
  tree: AttrScope,
  spec: Spec,
  level: CheckLevel,
  env?: ValidationEnv,
): Promise<Con4mError[]> {
  if (level === "none") return [];
  if (level === "defaults") {
    const v = new Validator(spec, env, true);
    await v.pass2(tree, spec.root);
    return v.errors;
  }
  const v = new Validator(spec, env, false);
  v.pass1(tree, spec.root);
  if (v.errors.length > 0) return v.errors;
  await v.pass2(tree, spec.root);
  if (v.errors.length > 0) return v.errors;
  await v.runQueued();
  return v.errors;
}
