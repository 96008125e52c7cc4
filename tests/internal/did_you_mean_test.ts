/** suggestSimilar: the typo suggestions of usage errors. */
import { assertEquals } from "../_assert.ts";
import { editDistance, suggestSimilar } from "../../internal/did_you_mean.ts";

const COMMANDS = ["insert", "extract", "delete", "load", "dump", "docker", "exec", "version"];

Deno.test("editDistance counts a swap of neighbours as one edit", () => {
  assertEquals(editDistance("insret", "insert"), 1);
  assertEquals(editDistance("", "abc"), 3);
  assertEquals(editDistance("dump", "dump"), 0);
});

Deno.test("suggestSimilar finds typos, keeps ties, and suggests nothing for unrelated words", () => {
  assertEquals(suggestSimilar("insret", COMMANDS), ["insert"]);
  assertEquals(suggestSimilar("EXTRACT", COMMANDS), ["extract"]);
  assertEquals(suggestSimilar("dcker", COMMANDS), ["docker"]);
  assertEquals(suggestSimilar("lod", COMMANDS), ["load"]);
  assertEquals(suggestSimilar("nosuch", COMMANDS), []);
  assertEquals(suggestSimilar("x", COMMANDS), []);
});
