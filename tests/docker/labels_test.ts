import { assertEquals } from "../_assert.ts";
import {
  dockerQuote,
  envLines,
  formatLabelKey,
  formatLabelValue,
  labelLines,
} from "../../docker/labels.ts";

Deno.test("formatLabelKey applies the prefix and the case and character rules", () => {
  assertEquals(formatLabelKey("COMMIT_ID"), "run.crashoverride.commit-id");
  assertEquals(formatLabelKey("HELLO"), "run.crashoverride.hello");
  assertEquals(formatLabelKey("$X_Y", "my.prefix"), "my.prefix._x-y");
});

Deno.test("formatLabelValue quotes for docker and skips blank values", () => {
  assertEquals(formatLabelValue("main"), '"main"');
  assertEquals(formatLabelValue('a "q" $HOME \\'), '"a \\"q\\" \\$HOME \\\\"');
  assertEquals(formatLabelValue(42n), '"42"');
  assertEquals(formatLabelValue("  "), undefined);
  assertEquals(formatLabelValue("x\ny"), '"x\\ny"');
});

Deno.test("dockerQuote uses the Dockerfile's escape character", () => {
  assertEquals(dockerQuote('a`"b', "`"), '"a```"b"');
  assertEquals(dockerQuote("a\\b", "`"), '"a\\b"');
});

Deno.test("labelLines puts every label in one LABEL instruction", () => {
  const { lines, added } = labelLines([["BRANCH", "main"], ["EMPTY", ""], ["COMMIT_ID", "abc"]]);
  assertEquals(lines, [
    'LABEL run.crashoverride.branch="main" run.crashoverride.commit-id="abc"',
  ]);
  assertEquals([...added.keys()], ["BRANCH", "COMMIT_ID"]);
  assertEquals(labelLines([]).lines, []);
});

Deno.test("envLines validates names, upper-cases them and resolves @KEY", () => {
  const warnings: string[] = [];
  const lookup = (k: string) => (k === "COMMIT_ID" ? "abc" : k === "_X" ? "no" : undefined);
  const lines = envLines(
    [["ok_name", "v"], ["1bad", "v"], ["C", "@COMMIT_ID"], ["R", "@_X"], ["M", "@MISSING"]],
    lookup,
    (m) => warnings.push(m),
  );
  assertEquals(lines, ['ENV OK_NAME="v" C="abc"']);
  assertEquals(warnings.length, 3);
});
