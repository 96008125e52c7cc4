/**
 * The assertions the tests use, on top of `node:assert/strict` (std's
 * `@std/assert` lives on JSR, which this network cannot reach).
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

/** Fails unless `actual` matches `re`. */
export function assertMatch(actual: string, re: RegExp, message?: string): void {
  nodeAssert.match(actual, re, message);
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
