/**
 * What one evaluation may spend: steps (statements, loop iterations and calls), wall-clock
 * time, and how large one string, list or dict may grow. A configuration is data that runs,
 * so a runaway loop, exponential recursion or a doubling string must end in a located error
 * instead of a hung or crashed program (docs/con4m.md, "Runaway code").
 *
 * @module
 */

import type { SourcePos } from "./ast.ts";
import { Con4mError } from "./errors.ts";
import { Con4mDict, type Con4mValue, isList } from "./values.ts";

/** The bounds of one evaluation (a stack step: running a file and validating the result). */
export interface EvalLimits {
  /** Statements, loop iterations and function calls. */
  readonly maxSteps: number;
  /** Wall-clock milliseconds from the start of the evaluation. */
  readonly maxMillis: number;
  /** Longest string, in UTF-16 code units. */
  readonly maxStringLength: number;
  /** Most items in one list or dict, counting those of the lists and dicts inside it. */
  readonly maxItems: number;
}

/**
 * Far above what real configurations use and low enough that a runaway one stops within a
 * few seconds: chalk's largest (the original's 14,000-line base configuration) takes 55,000
 * steps and under a second, a user configuration a few hundred steps; 2,000,000 steps take
 * 0.5 to 1.5 s here. The clock allows for a slow or loaded machine.
 */
export const DEFAULT_EVAL_LIMITS: EvalLimits = {
  maxSteps: 2_000_000,
  maxMillis: 5_000,
  maxStringLength: 16 * 1024 * 1024,
  maxItems: 1_000_000,
};

/** How often (in steps) the clock is read: often enough to stop near the deadline, cheaply. */
const CLOCK_EVERY = 128;

function stopped(reason: string, pos: SourcePos | undefined): Con4mError {
  return new Con4mError("runtime", `Evaluation stopped: ${reason}`, pos);
}

/** The running account of one evaluation. */
export class EvalBudget {
  /** Steps taken so far. */
  steps = 0;
  readonly #deadline: number;

  /** Starts the clock for `limits`. */
  constructor(readonly limits: EvalLimits) {
    this.#deadline = performance.now() + limits.maxMillis;
  }

  /** Milliseconds left before the deadline (never negative). */
  remainingMs(): number {
    return Math.max(0, this.#deadline - performance.now());
  }

  /** Counts one step at `pos`; throws a runtime error there when the budget is spent. */
  step(pos: SourcePos | undefined): void {
    if (++this.steps > this.limits.maxSteps) {
      throw stopped(
        `more than ${
          this.limits.maxSteps.toLocaleString("en-US")
        } steps (a runaway loop or recursion?)`,
        pos,
      );
    }
    if (this.steps % CLOCK_EVERY === 0) this.checkClock(pos);
  }

  /** Throws a runtime error at `pos` once the deadline has passed. */
  checkClock(pos: SourcePos | undefined): void {
    if (performance.now() > this.#deadline) {
      throw stopped(`still running after ${this.limits.maxMillis / 1000} s`, pos);
    }
  }
}

/** Items counted per list; lists never change once made, so a count stays true. */
const itemCounts = new WeakMap<readonly Con4mValue[], number>();

/**
 * Items in `value`, counting those of nested lists and dicts, a shared one each time it
 * appears: what printing, comparing or validating it walks through.
 */
export function itemCount(value: Con4mValue | undefined): number {
  if (value === undefined) return 0;
  if (isList(value)) {
    let n = itemCounts.get(value);
    if (n === undefined) {
      n = value.length;
      for (const x of value) n += itemCount(x);
      itemCounts.set(value, n);
    }
    return n;
  }
  if (!(value instanceof Con4mDict)) return 0;
  let n = value.size;
  for (const [k, v] of value.entries()) n += itemCount(k) + itemCount(v);
  return n;
}

/** Throws a runtime error at `pos` when `value` is larger than `limits` allow. */
export function checkSize(
  value: Con4mValue | undefined,
  limits: EvalLimits,
  pos: SourcePos | undefined,
): void {
  if (typeof value === "string") {
    if (value.length > limits.maxStringLength) {
      throw stopped(
        `a string of ${value.length} characters (at most ${limits.maxStringLength})`,
        pos,
      );
    }
    return;
  }
  const items = itemCount(value);
  if (items > limits.maxItems) {
    throw stopped(`a list or dict holding ${items} items (at most ${limits.maxItems})`, pos);
  }
}

/** Something that evaluates with a budget (an `EvalState`). */
export interface Budgeted {
  /** Bounds of the evaluations this state starts. */
  limits: EvalLimits;
  /** The account of the evaluation in progress, if any. */
  budget: EvalBudget | undefined;
}

/**
 * Runs `fn` under one budget shared by `states` (a stack's config and validation states
 * while a file runs and is validated). Inside an evaluation already in progress, `fn` spends
 * from its budget.
 */
export async function withBudget<T>(
  states: readonly Budgeted[],
  fn: () => Promise<T>,
): Promise<T> {
  if (states.some((s) => s.budget !== undefined)) return await fn();
  const budget = new EvalBudget(states[0].limits);
  for (const s of states) s.budget = budget;
  try {
    return await fn();
  } finally {
    for (const s of states) s.budget = undefined;
  }
}
