/**
 * Helpers for the entrypoint-wrapping tests: a chalk copy loaded with a
 * wrapping configuration that posts to the demo server (started with
 * tests/server/_server.ts), tiny base images (glibc, musl) made with
 * `docker import`, and `docker run` with a deadline.
 */
import { join } from "node:path";
import { ROOT, run } from "../e2e/_chalk.ts";

type Json = Record<string, unknown>;

/** A configuration that wraps entrypoints and prints reports as JSON on stdout, nothing else. */
export const WRAP_REPORT_ON_STDOUT = `docker.wrap_entrypoint: true
subscribe("report", "json_console_out")
unsubscribe("report", "default_out")
custom_report.terminal_chalk_time.enabled: false
`;

/** Writes a copy of dist/chalk into `dir` loaded with `configText`; returns its path. */
export async function loadedChalk(
  dir: string,
  configText: string,
  env: Record<string, string>,
): Promise<string> {
  const chalk = join(dir, "chalk");
  await Deno.copyFile(join(ROOT, "dist/chalk"), chalk);
  await Deno.chmod(chalk, 0o755);
  const conf = join(dir, "wrap.c4m");
  await Deno.writeTextFile(conf, configText);
  const load = await run(chalk, ["load", conf], { cwd: dir, env });
  if (load.code !== 0) throw new Error(`chalk load failed: ${load.stderr}`);
  return chalk;
}

/** The `post` sink configuration of the tests: every report to `url`, nothing on the terminal. */
export function postConfig(url: string, extra = ""): string {
  return `sink_config test_post {
  sink: "post"
  uri: "${url}/report"
}
subscribe("report", "test_post")
unsubscribe("report", "default_out")
custom_report.terminal_chalk_time.enabled: false
custom_report.terminal_other_op.enabled: false
docker.wrap_entrypoint: true
${extra}`;
}

async function compile(compiler: string, source: string, out: string): Promise<boolean> {
  try {
    const r = await run(compiler, ["-O2", "-o", out, source]);
    return r.code === 0;
  } catch {
    return false;
  }
}

/**
 * A base image holding only `/probe` (fixtures/docker/probe.c) and the C
 * library it links: `glibc` (the host's loader and libc.so.6) or `musl`
 * (Debian's musl, built with musl-gcc). Reused when it exists. Undefined
 * (with the reason) when the compiler is missing.
 */
export async function probeBase(libc: "glibc" | "musl"): Promise<{ ref?: string; why?: string }> {
  const ref = `chalk-wrap-${libc}-base:test`;
  if ((await run("docker", ["image", "inspect", ref])).code === 0) return { ref };
  const root = await Deno.makeTempDir({ prefix: "chalk-wrap-base-" });
  try {
    const compiler = libc === "glibc" ? "gcc" : "musl-gcc";
    await Deno.mkdir(join(root, "tmp"), { mode: 0o1777 });
    await Deno.chmod(join(root, "tmp"), 0o1777);
    if (!(await compile(compiler, join(ROOT, "fixtures/docker/probe.c"), join(root, "probe")))) {
      return {
        why: `${compiler} is not available (apt-get install ${
          libc === "musl" ? "musl-tools" : "gcc"
        })`,
      };
    }
    if (libc === "glibc") {
      await Deno.mkdir(join(root, "lib64"));
      await Deno.mkdir(join(root, "lib/x86_64-linux-gnu"), { recursive: true });
      await Deno.copyFile("/lib64/ld-linux-x86-64.so.2", join(root, "lib64/ld-linux-x86-64.so.2"));
      await Deno.copyFile(
        "/lib/x86_64-linux-gnu/libc.so.6",
        join(root, "lib/x86_64-linux-gnu/libc.so.6"),
      );
    } else {
      await Deno.mkdir(join(root, "lib"));
      await Deno.copyFile(
        Deno.realPathSync("/lib/ld-musl-x86_64.so.1"),
        join(root, "lib/ld-musl-x86_64.so.1"),
      );
    }
    const tar = `${root}.tar`;
    const t = await run("tar", ["-C", root, "-cf", tar, "."]);
    if (t.code !== 0) throw new Error(`tar: ${t.stderr}`);
    const imp = await run("docker", ["import", "-c", 'ENTRYPOINT ["/probe"]', tar, ref]);
    await Deno.remove(tar);
    if (imp.code !== 0) throw new Error(`docker import: ${imp.stderr}`);
    return { ref };
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** `docker run --rm --network=host <args>`, with stdin when given. */
export function dockerRun(args: readonly string[], stdin?: string) {
  return run("docker", ["run", "--rm", "--network=host", ...args], { stdin });
}

/** Polls `check` every 50 ms until it returns a value or `ms` pass. */
export async function waitFor<T>(
  ms: number,
  check: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A build context `<dir>/ctx` for a busybox image whose ENTRYPOINT is the shell script `name`
 * (at `/name`) with the text `script`; returns the folder.
 */
export async function scriptContext(dir: string, name: string, script: string): Promise<string> {
  const ctx = join(dir, "ctx");
  await Deno.mkdir(ctx);
  await Deno.writeTextFile(join(ctx, name), script, { mode: 0o755 });
  await Deno.chmod(join(ctx, name), 0o755);
  await Deno.writeTextFile(
    join(ctx, "Dockerfile"),
    `FROM busybox-base\nCOPY ${name} /${name}\nENTRYPOINT ["/${name}"]\n`,
  );
  return ctx;
}
