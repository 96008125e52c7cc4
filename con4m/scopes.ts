/**
 * Variable scopes: a chain of frames for blocks, plus the persistent globals (exported variables
 * and enum members) that survive between stack steps and are visible inside functions.
 *
 * @module
 */

import type { Type } from "./types.ts";
import type { Con4mValue } from "./values.ts";

/** One variable. */
export interface VarSlot {
  /** Current value (`undefined` = declared, not yet assigned). */
  value: Con4mValue | undefined;
  /** Static type, when known. */
  type?: Type;
  /** Loop indexes and enum members may not be assigned. */
  readonly?: boolean;
}

/**
 * A block's variables, chained to the enclosing block. Lookups fall back to `globals`
 * (persistent variables) after the chain.
 *
 * @example
 * ```ts
 * const top = new Frame(undefined, new Map());
 * top.assign("x", 1n);
 * new Frame(top).lookup("x")?.value; // 1n
 * ```
 */
export class Frame {
  /** Variables declared in this block. */
  readonly vars: Map<string, VarSlot> = new Map();
  /** Enclosing block. */
  readonly parent: Frame | undefined;
  /** Persistent globals shared by the whole state (exports, enums). */
  readonly globals: Map<string, VarSlot>;

  /** A frame inside `parent`; a root frame takes the persistent `globals`. */
  constructor(parent: Frame | undefined, globals?: Map<string, VarSlot>) {
    this.parent = parent;
    this.globals = parent?.globals ?? globals ?? new Map();
  }

  /** The slot for `name` in this chain or in the globals. */
  lookup(name: string): VarSlot | undefined {
    // deno-lint-ignore no-this-alias
    for (let f: Frame | undefined = this; f !== undefined; f = f.parent) {
      const s = f.vars.get(name);
      if (s !== undefined) return s;
    }
    return this.globals.get(name);
  }

  /**
   * `name := value`: update the visible variable, else declare it in this block. Returns the
   * slot, or undefined when the variable is read-only.
   */
  assign(name: string, value: Con4mValue, type?: Type): VarSlot | undefined {
    const s = this.lookup(name);
    if (s !== undefined) {
      if (s.readonly) return undefined;
      s.value = value;
      if (type !== undefined && s.type === undefined) s.type = type;
      return s;
    }
    const slot: VarSlot = { value, type };
    this.vars.set(name, slot);
    return slot;
  }

  /** Declare `name` in this block (shadowing nothing: `var`, formals, loop indexes). */
  declare(name: string, slot: VarSlot): void {
    this.vars.set(name, slot);
  }
}
