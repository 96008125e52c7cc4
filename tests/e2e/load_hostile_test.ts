/**
 * `chalk load URL` against a hostile server (issue 13, item 1): every way a
 * body can be incomplete, oversized or not text ends with exit code 2, one
 * line naming the reason, within the deadline, and the program byte-identical.
 * Prints one line per case with its time.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { errorLines, privateChalk, run, type Sandbox, sandbox, sha256sum } from "./_chalk.ts";
import { type HostileServer, startHostileServer } from "./_hostile_http.ts";

const TIMEOUT_S = 3;
/** Start-up, validation and a loaded machine on top of the deadline. */
const SLACK_MS = 10_000;

/** On a loaded machine even the headers of a stalling server may come after the deadline. */
const LATE = /: (no answer|the configuration did not arrive) within 3 s/;

const CASES: [path: string, reason: RegExp][] = [
  ["/no-answer", /: no answer within 3 s$/],
  ["/stall-after-headers", LATE],
  ["/stall-mid-body", LATE],
  ["/trickle", LATE],
  ["/short-body", /: the connection ended before the whole configuration arrived \(18 of 1000/],
  ["/chunked-cut", /: the connection ended before the whole configuration arrived/],
  ["/gzip-bomb", /: larger than the 1 MiB a configuration may have$/],
  ["/redirect-loop", /: more than 5 redirects$/],
  ["/redirect-file", /: redirect 302 to file:\/\/\/etc\/passwd: not an http\(s\) URL$/],
  ["/50mb-declared", /: larger than the 1 MiB a configuration may have \(52428800 bytes\)$/],
  ["/50mb-chunked", /: larger than the 1 MiB a configuration may have$/],
  ["/binary", /: binary data \(a NUL byte at offset 7\), not con4m text$/],
  ["/latin1", /: not UTF-8 text \(invalid byte at offset 47\)$/],
];

/** Runs `body` with a private chalk in a sandbox and a hostile server, then cleans up. */
async function withHostileServer(
  body: (chalk: string, box: Sandbox, server: HostileServer) => Promise<void>,
): Promise<void> {
  const box = await sandbox();
  const server = startHostileServer();
  try {
    await body(await privateChalk(box.work), box, server);
  } finally {
    await server.stop();
    await box.cleanup();
  }
}

Deno.test("load URL: every hostile server case exits 2 in bounded time, program unchanged", () =>
  withHostileServer(async (chalk, box, server) => {
    const pristine = await sha256sum(chalk);
    const results = await Promise.all(CASES.map(async ([path, reason]) => {
      const started = performance.now();
      const r = await run(chalk, ["load", "--timeout", `${TIMEOUT_S}s`, server.base + path], {
        cwd: box.work,
        env: box.env,
      });
      return { path, reason, r, ms: Math.round(performance.now() - started) };
    }));
    for (const { path, reason, r, ms } of results) {
      console.log(`${path.padEnd(22)} exit ${r.code} in ${ms} ms`);
      assertEquals(r.code, 2, `${path}: ${r.stderr}`);
      const errors = errorLines(r.stderr);
      assertEquals(errors.length, 1, `${path}: one error line\n${r.stderr}`);
      assertMatch(errors[0], new RegExp(`^error: ${server.base}${path}`), path);
      assertMatch(errors[0], reason, path);
      assert(ms < TIMEOUT_S * 1000 + SLACK_MS, `${path}: took ${ms} ms`);
    }
    assertEquals(await sha256sum(chalk), pristine, "the program is byte-identical");
  }));

Deno.test("load URL follows up to 5 redirects and takes a whole body", () =>
  withHostileServer(async (chalk, box, server) => {
    const r = await run(chalk, ["load", `${server.base}/redirect-good`], {
      cwd: box.work,
      env: box.env,
    });
    assertEquals(r.code, 0, r.stderr);
    assertEquals((await run(chalk, ["dump"], { env: box.env })).stdout, 'log_level: "info"\n');
  }));

Deno.test("load --max-size raises the cap; a bad --timeout or --max-size is a usage error", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const pristine = await sha256sum(chalk);
    const big = join(box.work, "big.c4m");
    await Deno.writeTextFile(big, "#".repeat(2 * 1024 * 1024 - 1) + "\n");
    const refused = await run(chalk, ["load", big], { cwd: box.work, env: box.env });
    assertEquals(refused.code, 2, refused.stderr);
    assertMatch(refused.stderr, /big\.c4m: larger than the 1 MiB a configuration may have/);
    for (const args of [["--timeout", "soon"], ["--timeout", "0s"], ["--max-size", "lots"]]) {
      const r = await run(chalk, ["load", ...args, big], { cwd: box.work, env: box.env });
      assertEquals(r.code, 2, r.stderr);
      assertMatch(r.stderr, new RegExp(`error: ${args[0]}: '${args[1]}' is not a`));
    }
    assertEquals(await sha256sum(chalk), pristine);
    const taken = await run(chalk, ["load", "--max-size", "4MiB", big], {
      cwd: box.work,
      env: box.env,
    });
    assertEquals(taken.code, 0, taken.stderr);
    assertEquals((await run(chalk, ["dump"], { env: box.env })).stdout.length, 2 * 1024 * 1024);
  } finally {
    await box.cleanup();
  }
});
