import { assertEquals } from "../_assert.ts";
import {
  ADDED_BLOCK_END,
  ADDED_BLOCK_START,
  copyInstruction,
  insertAfterLine,
} from "../../docker/dockerfile_rewrite.ts";

Deno.test("insertAfterLine puts the block after the given line and keeps the rest", () => {
  const out = insertAfterLine("FROM a AS x\nRUN 1\nFROM b\nRUN 2\n", 1, ["LABEL k=v"]);
  assertEquals(
    out,
    `FROM a AS x\nRUN 1\n${ADDED_BLOCK_START}\nLABEL k=v\n${ADDED_BLOCK_END}\nFROM b\nRUN 2\n`,
  );
});

Deno.test("insertAfterLine ends a file without final newline with one", () => {
  assertEquals(
    insertAfterLine("FROM a", 0, ["X"]),
    `FROM a\n${ADDED_BLOCK_START}\nX\n${ADDED_BLOCK_END}\n`,
  );
});

Deno.test("insertAfterLine keeps CRLF line endings", () => {
  assertEquals(
    insertAfterLine("FROM a\r\n", 0, ["X"]),
    `FROM a\r\n${ADDED_BLOCK_START}\r\nX\r\n${ADDED_BLOCK_END}\r\n`,
  );
});

Deno.test("insertAfterLine closes a continuation left open at the end of the file", () => {
  assertEquals(
    insertAfterLine("FROM a\nRUN x && \\\n  y \\ \n", 2, ["X"], { line: 2, escape: "\\" }),
    `FROM a\nRUN x && \\\n  y \n${ADDED_BLOCK_START}\nX\n${ADDED_BLOCK_END}\n`,
  );
  assertEquals(
    insertAfterLine("# escape=`\r\nFROM a\r\nRUN y `", 2, ["X"], { line: 2, escape: "`" }),
    `# escape=\`\r\nFROM a\r\nRUN y \r\n${ADDED_BLOCK_START}\r\nX\r\n${ADDED_BLOCK_END}\r\n`,
  );
});

Deno.test("copyInstruction writes JSON form with an optional --chmod", () => {
  assertEquals(copyInstruction("a b.chalk", "/chalk.json"), 'COPY ["a b.chalk","/chalk.json"]');
  assertEquals(
    copyInstruction("m", "/chalk.json", "0444"),
    'COPY --chmod=0444 ["m","/chalk.json"]',
  );
});
