/**
 * The attribute tree: nested scopes (sections) holding typed attributes, with the attribute set
 * rule for locks and overrides. Insertion order is kept everywhere so that hosts can list sections
 * and fields in the order the configs wrote them.
 *
 * @module
 */

import { type Type, typeToString, unify } from "./types.ts";
import { type Con4mValue, valuesEqual } from "./values.ts";

/** One attribute: a typed slot that may hold a value, an override and lock flags. */
export class Attribute {
  /** Attribute name (last path component). */
  readonly name: string;
  /** The scope holding this attribute. */
  readonly scope: AttrScope;
  /** The attribute's type (established by the first assignment or by a spec default). */
  type: Type;
  /** The value written by configs (`undefined` = declared but unset). */
  value: Con4mValue | undefined;
  /** An override (command-line flag, `add_override`): beats `value` and silences writes. */
  override: Con4mValue | undefined;
  /** Locked: writes of a different value fail. */
  locked = false;
  /** Becomes locked at the next successful write. */
  lockOnWrite = false;
  /**
   * Successful assignments through {@linkcode AttrScope.setAttr}: tells a layer that wrote the
   * value already there (a user's `log_level: "warn"` over the default "warn") from one that
   * did not write it at all.
   */
  writes = 0;

  /** Create an (unset) attribute in `scope`. */
  constructor(name: string, scope: AttrScope, type: Type) {
    this.name = name;
    this.scope = scope;
    this.type = type;
  }

  /** The effective value: the override if any, else the value. */
  get effective(): Con4mValue | undefined {
    return this.override !== undefined ? this.override : this.value;
  }

  /** Dotted path from the root. */
  get path(): string {
    const base = this.scope.path;
    return base === "" ? this.name : `${base}.${this.name}`;
  }
}

/** Outcome of {@linkcode AttrScope.setAttr}. */
export type SetOutcome =
  | { ok: true }
  | { ok: false; reason: string };

/** Options of {@linkcode AttrScope.setAttr}. */
export interface SetAttrOptions {
  /** Lock the attribute after a successful write (`~a: v`). */
  lock?: boolean;
  /** Ignore locks and overrides (host writes that must happen). */
  force?: boolean;
}

/**
 * A section scope: an ordered map of names to attributes and sub-scopes.
 *
 * @example
 * ```ts
 * const root = new AttrScope("");
 * root.setAttr(["exec", "heartbeat", "run"], true, tBool);
 * root.lookup(["exec", "heartbeat"]) instanceof AttrScope; // true
 * ```
 */
export class AttrScope {
  /** Section name ("" for the root). */
  readonly name: string;
  /** Enclosing scope (undefined for the root). */
  readonly parent: AttrScope | undefined;
  readonly #contents: ScopeContents = new ScopeContents();
  #fill: (() => void) | undefined;

  /** Children in insertion order. */
  get contents(): ScopeContents {
    const fill = this.#fill;
    if (fill !== undefined) {
      this.#fill = undefined;
      fill();
    }
    return this.#contents;
  }

  /**
   * Defers filling this scope's children until they are first read: restoring a snapshot
   * then costs only what a run looks at (most runs never read most keyspecs).
   */
  deferContents(fill: () => void): void {
    this.#fill = fill;
  }

  /** Create a scope named `name` under `parent`. */
  constructor(name: string, parent?: AttrScope) {
    this.name = name;
    this.parent = parent;
  }

  /** Dotted path from the root ("" for the root). */
  get path(): string {
    if (this.parent === undefined) return "";
    const base = this.parent.path;
    return base === "" ? this.name : `${base}.${this.name}`;
  }

  /** The root scope. */
  get root(): AttrScope {
    // deno-lint-ignore no-this-alias
    let s: AttrScope = this;
    while (s.parent !== undefined) s = s.parent;
    return s;
  }

  /** The attribute or scope at `path` relative to this scope, or undefined. */
  lookup(path: readonly string[]): Attribute | AttrScope | undefined {
    // deno-lint-ignore no-this-alias
    let cur: Attribute | AttrScope = this;
    for (const part of path) {
      if (!(cur instanceof AttrScope)) return undefined;
      const next: Attribute | AttrScope | undefined = cur.contents.get(part);
      if (next === undefined) return undefined;
      cur = next;
    }
    return cur;
  }

  /** The sub-scope at `path`, created when missing; throws AttrTreeError on an attr clash. */
  ensureScope(path: readonly string[]): AttrScope {
    // deno-lint-ignore no-this-alias
    let cur: AttrScope = this;
    for (const part of path) {
      const next = cur.contents.get(part);
      if (next === undefined) {
        const s = new AttrScope(part, cur);
        cur.contents.set(part, s);
        cur = s;
      } else if (next instanceof AttrScope) {
        cur = next;
      } else {
        throw new AttrTreeError(
          `${joinPath(cur.path, part)}: should be a section, but already have it as an attr`,
        );
      }
    }
    return cur;
  }

  /**
   * The attribute at `path`, created (unset, with `type`) when missing. Intermediate scopes
   * are created. Throws AttrTreeError when a section is in the way.
   */
  ensureAttr(path: readonly string[], type: Type): Attribute {
    if (path.length === 0) throw new AttrTreeError("empty attribute path");
    const scope = this.ensureScope(path.slice(0, -1));
    const name = path[path.length - 1];
    const cur = scope.contents.get(name);
    if (cur instanceof AttrScope) {
      throw new AttrTreeError(
        `${joinPath(scope.path, name)}: should be an attr, but already have it as a section`,
      );
    }
    if (cur !== undefined) return cur;
    const a = new Attribute(name, scope, type);
    scope.contents.set(name, a);
    return a;
  }

  /**
   * Set the attribute at `path` through the attribute set rule: an override silently wins; a locked
   * attribute accepts only its current value; lock-on-write locks. A first write fixes the type;
   * later writes must unify with it.
   */
  setAttr(
    path: readonly string[],
    value: Con4mValue,
    type: Type,
    opts: SetAttrOptions = {},
  ): SetOutcome {
    const existed = this.lookup(path) !== undefined;
    const attr = this.ensureAttr(path, type);
    if (existed && !unify(attr.type, type)) {
      return {
        ok: false,
        reason: `Attribute assignment of ${attr.path} doesn't match previous type ('${
          typeToString(attr.type)
        }' vs '${typeToString(type)}')`,
      };
    }
    if (!opts.force) {
      if (attr.override !== undefined) {
        if (opts.lock) attr.locked = true;
        return { ok: true };
      }
      if (attr.locked) {
        if (attr.value !== undefined && valuesEqual(attr.value, value)) return { ok: true };
        return { ok: false, reason: `${attr.path}: attribute is locked and can't be set` };
      }
    }
    attr.value = value;
    attr.writes++;
    if (opts.lock || attr.lockOnWrite) {
      attr.locked = true;
      attr.lockOnWrite = false;
    }
    return { ok: true };
  }

  /** Names of direct sub-scopes, in order (a fresh array). */
  sectionNames(): string[] {
    return [...this.contents.names().sections];
  }

  /** Names of direct attributes, in order (a fresh array). */
  fieldNames(): string[] {
    return [...this.contents.names().fields];
  }
}

/**
 * The children of a scope: a Map that remembers its section and attribute names between
 * changes (validators list the same sections thousands of times).
 */
export class ScopeContents extends Map<string, Attribute | AttrScope> {
  #names: { sections: string[]; fields: string[] } | undefined;

  /** Store a child (invalidates the name lists). */
  override set(key: string, value: Attribute | AttrScope): this {
    this.#names = undefined;
    return super.set(key, value);
  }

  /** Remove a child (invalidates the name lists). */
  override delete(key: string): boolean {
    this.#names = undefined;
    return super.delete(key);
  }

  /** Remove all children. */
  override clear(): void {
    this.#names = undefined;
    super.clear();
  }

  /** Section and attribute names, in order (cached; do not mutate). */
  names(): { sections: readonly string[]; fields: readonly string[] } {
    if (this.#names === undefined) {
      const sections: string[] = [];
      const fields: string[] = [];
      for (const [k, v] of this) (v instanceof AttrScope ? sections : fields).push(k);
      this.#names = { sections, fields };
    }
    return this.#names;
  }
}

/** A structural clash in the attribute tree (section vs attribute). */
export class AttrTreeError extends Error {
  /** The one-line reason. */
  readonly reason: string;

  /** Create an error with a one-line reason. */
  constructor(reason: string) {
    super(reason);
    this.name = "AttrTreeError";
    this.reason = reason;
  }
}

/** Split a dotted path ("" → []). */
export function splitPath(path: string): string[] {
  return path === "" ? [] : path.split(".");
}

/** Join a base path and a name with a dot ("" base → name). */
export function joinPath(base: string, name: string): string {
  return base === "" ? name : `${base}.${name}`;
}
