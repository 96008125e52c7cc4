/**
 * The tests' one assertion module, on top of `node:assert/strict` (std's `@std/assert`
 * lives on JSR, which this network cannot reach), with std's names; and snapshots of CLI
 * output ({@linkcode assertSnapshot}). Tests import assertions from here only.
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

/** Fails unless `value` is truthy. */
export function assert(value: unknown, message?: string): asserts value {
  nodeAssert.ok(value, message);
}

/** Deep, strict equality. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

/** Deep, strict inequality. */
export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message);
}

/** Strict equality (`===`, but NaN equals NaN). */
export function assertStrictEquals<T>(actual: unknown, expected: T, message?: string): void {
  nodeAssert.strictEqual(actual, expected, message);
}

/** Strict inequality. */
export function assertNotStrictEquals(actual: unknown, expected: unknown, message?: string): void {
  nodeAssert.notStrictEqual(actual, expected, message);
}

/** Fails unless `actual` matches `re`. */
export function assertMatch(actual: string, re: RegExp, message?: string): void {
  nodeAssert.match(actual, re, message);
}

/** Fails if `actual` matches `re`. */
export function assertNotMatch(actual: string, re: RegExp, message?: string): void {
  nodeAssert.doesNotMatch(actual, re, message);
}

/**
 * What a thrown error must be: a class, a pattern for its message, a predicate or an object
 * of expected properties (`node:assert` semantics). A string instead is the failure message.
 */
export type ErrorExpectation = nodeAssert.AssertPredicate | string;

/** Fails unless `fn` throws (an error that meets `expected`, when given). */
export function assertThrows(
  fn: () => unknown,
  expected?: ErrorExpectation,
  message?: string,
): void {
  if (expected === undefined || typeof expected === "string") nodeAssert.throws(fn, expected);
  else nodeAssert.throws(fn, expected, message);
}

/** Fails unless `p` (a promise, or a function returning one) rejects as `expected` says. */
export async function assertRejects(
  p: Promise<unknown> | (() => Promise<unknown>),
  expected?: ErrorExpectation,
  message?: string,
): Promise<void> {
  if (expected === undefined || typeof expected === "string") {
    await nodeAssert.rejects(p, expected);
  } else await nodeAssert.rejects(p, expected, message);
}

/** The folder of the committed snapshots. */
export const SNAPSHOT_DIR: string = new URL("./snapshots/", import.meta.url).pathname;

/**
 * Fails unless `actual` equals the committed snapshot `tests/snapshots/<name>`. With
 * `UPDATE_SNAPSHOTS=1` in the environment it writes `actual` there instead (review the diff,
 * then commit it).
 */
export async function assertSnapshot(name: string, actual: string): Promise<void> {
  const file = `${SNAPSHOT_DIR}${name}`;
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") {
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(file, actual);
    return;
  }
  let expected: string;
  try {
    expected = await Deno.readTextFile(file);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new nodeAssert.AssertionError({
      message: `no snapshot tests/snapshots/${name}: run with UPDATE_SNAPSHOTS=1 to write it`,
    });
  }
  nodeAssert.strictEqual(
    actual,
    expected,
    `output differs from tests/snapshots/${name} (UPDATE_SNAPSHOTS=1 rewrites it)`,
  );
}
