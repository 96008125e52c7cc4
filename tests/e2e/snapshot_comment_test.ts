/**
 * The bundle keeps the base snapshot in a comment that a function's source text gives back
 * (scripts/snapshot_comment.ts): the transform keeps the value, refuses what it does not
 * recognise, and the built program holds the snapshot that way and stays ASCII.
 */
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { COMMENT_TEXT_SHIM, snapshotAsComment } from "../../scripts/snapshot_comment.ts";
import { BASE_SNAPSHOT } from "../../config/base_snapshot.generated.ts";
import { CHALK } from "./_chalk.ts";

/** Runs `code` (a bundle-like script that sets `out`) and returns `out`. */
function evaluate(code: string): unknown {
  return new Function(`${COMMENT_TEXT_SHIM}let out;${code};return out;`)();
}

Deno.test("snapshotAsComment keeps the value: escapes, non-ASCII, */ and backticks", () => {
  const snapshot = JSON.stringify({
    version: 2,
    doc: "a → b, ${x}, `tick`, back\\slash, /* c */ and */ alone, 😀, tab\t, nl\n",
  });
  // What esbuild writes: a template literal, non-ASCII as \u escapes.
  const literal = "`" + snapshot.replaceAll("\\", "\\\\").replaceAll("`", "\\`")
    .replaceAll("${", "\\${").replaceAll("→", "\\u2192").replaceAll("😀", "\\u{1F600}") +
    "`";
  const bundle = `var a=1;out=${literal};var b=2;`;
  assertEquals(evaluate(bundle), snapshot);
  const changed = snapshotAsComment(bundle, snapshot);
  assert(changed.includes("__commentText(function(){/*"), changed);
  assert(!/[\u0080-\uffff]/.test(changed), "ASCII only");
  assertEquals(JSON.parse(evaluate(changed) as string), JSON.parse(snapshot));
});

Deno.test("snapshotAsComment refuses a missing, doubled or different literal", () => {
  const snapshot = '{"version":2}';
  assertThrows(() => snapshotAsComment("out=1", snapshot), Error, "exactly once");
  assertThrows(
    () => snapshotAsComment('out=`{"version":2}`;x=`{"version":2}`', snapshot),
    Error,
    "exactly once",
  );
  assertThrows(
    () => snapshotAsComment('out=`{"version":3}`', snapshot),
    Error,
    "does not hold",
  );
});

Deno.test("the built bundle reads its base snapshot from a comment and stays ASCII", async () => {
  const text = await Deno.readTextFile(CHALK);
  const at = text.indexOf('__commentText(function(){/*{"version":');
  assert(at >= 0, "no snapshot comment in dist/chalk");
  const end = text.indexOf("*/})", at);
  const json = text.slice(text.indexOf("/*", at) + 2, end);
  assertEquals(JSON.parse(json), JSON.parse(BASE_SNAPSHOT));
  assert(!/[\u0080-\uffff]/.test(text), "dist/chalk has non-ASCII characters");
});
