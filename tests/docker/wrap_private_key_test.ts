/**
 * A wrapped image gets chalk's program without the encrypted private key `chalk setup` stored
 * (anyone who pulls the image could guess its password offline): the image's `/.chalk/chalk`
 * keeps the public key and the embedded configuration, and the wrapped workload still reports.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { run, sandbox } from "../e2e/_chalk.ts";
import { dockerUnavailable, fileInImage, removeImages } from "./_docker.ts";
import { dockerRun, loadedChalk, WRAP_REPORT_ON_STDOUT } from "./_wrap.ts";

Deno.test({
  name: "a set-up chalk copies itself into wrapped images without its encrypted private key",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const box = await sandbox();
    const ref = `fixt-wrap-nokey:t${crypto.randomUUID().slice(0, 8)}`;
    try {
      const chalk = await loadedChalk(
        box.work,
        WRAP_REPORT_ON_STDOUT,
        box.env,
      );
      const env = { ...box.env, CHALK_PASSWORD: "pw" };
      const setup = await run(chalk, ["setup"], { cwd: box.work, env });
      assertEquals(setup.code, 0, setup.stderr);
      const keyLine = (await Deno.readTextFile(join(box.work, "chalk.key"))).split("\n")[1];
      assert((await Deno.readTextFile(chalk)).includes(keyLine), "the host's chalk has the key");

      const ctx = join(box.work, "ctx");
      await Deno.mkdir(ctx);
      await Deno.writeTextFile(
        join(ctx, "Dockerfile"),
        'FROM busybox-base\nENTRYPOINT ["sh", "-c", "sleep 2; echo hello"]\n',
      );
      const b = await run(chalk, ["docker", "build", "-q", "-t", ref, "."], { cwd: ctx, env });
      assertEquals(b.code, 0, b.stderr);

      const program = await fileInImage(ref, "/.chalk/chalk");
      assert(program, "/.chalk/chalk in the image");
      assert(!program.text.includes(keyLine), "no encrypted private key in the image");
      assert(!program.text.includes('"$CHALK_ENCRYPTED_PRIVATE_KEY" : '), "nor its mark key");
      const pub = JSON.stringify(await Deno.readTextFile(join(box.work, "chalk.pub")));
      assert(program.text.includes(`"$CHALK_PUBLIC_KEY" : ${pub}`), "the public key stays");
      assert(program.text.includes("json_console_out"), "the embedded configuration stays");

      // The workload runs through the copy, which reports with the embedded configuration.
      const r = await dockerRun([ref]);
      assertEquals(r.code, 0, r.stderr);
      assert(r.stdout.endsWith("hello\n"), r.stdout);
      const reports = JSON.parse(r.stdout.slice(0, -"hello\n".length)) as Record<string, unknown>[];
      assertEquals(reports.map((x) => x._OPERATION), ["exec"]);
    } finally {
      await removeImages(ref);
      await box.cleanup();
    }
  },
});
