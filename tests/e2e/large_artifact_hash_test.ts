/**
 * Above WORKER_WORTH the file's own hash is computed on a second thread
 * (ops/hash_worker.ts): through the built program, insert, extract and delete
 * of such a file report the hashes sha256sum gives, the mark still checks, and
 * HASH survives delete and re-insert.
 */
import { assert, assertEquals } from "../_assert.ts";
import { WORKER_WORTH } from "../../ops/hash_worker.ts";
import { bigProgram, parseReports, sandbox, sha256sum } from "./_chalk.ts";

type Json = Record<string, unknown>;

function onlyChalk(stdout: string): Json {
  const chalks = parseReports(stdout)[0]._CHALKS as Json[];
  assertEquals(chalks.length, 1);
  return chalks[0];
}

Deno.test("a file above WORKER_WORTH: insert, extract, delete report sha256sum's hashes; HASH holds", async () => {
  const box = await sandbox();
  try {
    const mb = Math.ceil(WORKER_WORTH / (1 << 20)) + 4;
    const prog = await bigProgram(box.work, "large", mb);
    assert((await Deno.stat(prog)).size >= WORKER_WORTH, "the file reaches the worker's size");
    const pristine = await sha256sum(prog);

    const inserted = await box.chalk(["insert", "large"]);
    assertEquals(inserted.code, 0, inserted.stderr);
    const mark = onlyChalk(inserted.stdout);
    assertEquals(mark.PRE_CHALK_HASH, pristine);
    assertEquals(mark._CURRENT_HASH, await sha256sum(prog));

    const extracted = await box.chalk(["extract", "large"]);
    assertEquals(extracted.code, 0, extracted.stderr);
    const found = onlyChalk(extracted.stdout);
    assertEquals(found._CURRENT_HASH, await sha256sum(prog));
    assertEquals(found.CHALK_ID, mark.CHALK_ID);
    assert(!/doesn't match/.test(extracted.stderr), extracted.stderr);

    const deleted = await box.chalk(["delete", "large"]);
    assertEquals(deleted.code, 0, deleted.stderr);
    assertEquals(onlyChalk(deleted.stdout)._CURRENT_HASH, await sha256sum(prog));
    // The unmarked file hashes (HASH) as the pristine one did.
    const again = await box.chalk(["insert", "large"]);
    assertEquals(again.code, 0, again.stderr);
    assertEquals(onlyChalk(again.stdout).HASH, mark.HASH);
  } finally {
    await box.cleanup();
  }
});
