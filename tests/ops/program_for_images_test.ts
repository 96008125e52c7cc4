/**
 * programForImages: the copy of chalk put into wrapped images leaves out the encrypted private
 * key `chalk setup` stored, keeps everything else of the mark, and its mark still validates.
 * Real programs: dist/chalk, set up by `chalk setup` in a sandbox.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { CHALK, privateChalk, run, sandbox } from "../e2e/_chalk.ts";
import { findMarkInBytes } from "../../codecs/find_mark.ts";
import { metadataHashOf } from "../../codecs/identity.ts";
import { programForImages } from "../../ops/program_for_images.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("programForImages returns a program without a private key as it is", () => {
  const bundle = Deno.readFileSync(CHALK);
  assertEquals(programForImages(bundle), bundle);
});

Deno.test("programForImages leaves $CHALK_ENCRYPTED_PRIVATE_KEY out of a set-up chalk's copy; its mark validates", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const env = { ...box.env, CHALK_PASSWORD: "pw" };
    const conf = join(box.work, "c.c4m");
    await Deno.writeTextFile(conf, "docker.wrap_entrypoint: true\n");
    assertEquals((await run(chalk, ["load", conf], { cwd: box.work, env })).code, 0);
    const setup = await run(chalk, ["setup"], { cwd: box.work, env });
    assertEquals(setup.code, 0, setup.stderr);
    const bundle = Deno.readFileSync(chalk);
    // A line of the encrypted key's base64, as `chalk setup` wrote it to chalk.key.
    const keyLine = (await Deno.readTextFile(join(box.work, "chalk.key"))).split("\n")[1];
    assert(text(bundle).includes(keyLine));

    const copy = programForImages(bundle)!;
    const before = findMarkInBytes(bundle)!;
    const after = findMarkInBytes(copy)!;
    // Only the mark line changed; the program before it is the same bytes.
    assertEquals(copy.subarray(0, before.start), bundle.subarray(0, before.start));
    assert(!text(copy).includes(keyLine), "no private key in the copy");
    assert(!after.mark.has("$CHALK_ENCRYPTED_PRIVATE_KEY"));
    const kept = [...before.mark.keys()].filter((k) =>
      !["$CHALK_ENCRYPTED_PRIVATE_KEY", "METADATA_ID", "METADATA_HASH"].includes(k)
    );
    for (const k of kept) assertEquals(after.mark.get(k), before.mark.get(k), k);
    assertEquals(
      after.mark.get("$CHALK_PUBLIC_KEY"),
      await Deno.readTextFile(join(box.work, "chalk.pub")),
    );
    const unhashed = new Map(after.mark);
    unhashed.delete("METADATA_ID");
    unhashed.delete("METADATA_HASH");
    assertEquals(after.mark.get("METADATA_ID"), metadataHashOf(unhashed).id);
    // Made again, the same bytes: every image of one chalk shares the file.
    assertEquals(programForImages(bundle), copy);

    // The copy runs, with the embedded configuration, and extract finds its mark valid.
    const copyPath = join(box.work, "copy");
    await Deno.writeFile(copyPath, copy, { mode: 0o755 });
    const dump = await run(copyPath, ["dump"], { cwd: box.work, env: box.env });
    assertEquals([dump.code, dump.stdout], [0, "docker.wrap_entrypoint: true\n"]);
    const ext = await run(CHALK, ["extract", copyPath], { cwd: box.work, env: box.env });
    assertEquals(ext.code, 0, ext.stderr);
    const found = (JSON.parse(ext.stdout)[0]._CHALKS as Record<string, unknown>[])[0];
    assertEquals(found.METADATA_ID, after.mark.get("METADATA_ID"));
    // A stale METADATA_ID would be "extracted METADATA_ID doesn't match computed METADATA_ID".
    assert(!/^error:/m.test(ext.stderr), ext.stderr);
  } finally {
    await box.cleanup();
  }
});
