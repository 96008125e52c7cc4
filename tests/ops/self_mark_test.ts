import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { selfMark } from "../../ops/self_mark.ts";
import { sandbox } from "../e2e/_chalk.ts";

Deno.test("selfMark reads a program's mark once, and again once the file is replaced", async () => {
  const sb = await sandbox();
  try {
    const path = join(sb.work, "tool.sh");
    await Deno.writeTextFile(path, "#!/bin/sh\necho hi\n", { mode: 0o755 });
    const self = { path, kind: "bundle" as const };
    assertEquals(selfMark(self), undefined);
    const first = await sb.chalk(["insert", "tool.sh"]);
    assertEquals(first.code, 0, first.stderr);
    const mark = selfMark(self);
    assert(mark?.get("CHALK_ID"), "the mark chalk inserted is read");
    // The same file: the mark read before, not a second search.
    assert(selfMark(self) === mark);
    const again = await sb.chalk(["insert", "tool.sh"]);
    assertEquals(again.code, 0, again.stderr);
    const next = selfMark(self);
    assert(next !== mark, "a replaced file is read again");
    assert(next?.get("METADATA_ID") !== mark?.get("METADATA_ID"), "the new mark is read");
  } finally {
    await sb.cleanup();
  }
});
