/**
 * Helpers for the tests that drive a real docker daemon: bring it up once
 * (tests/docker/start_docker.sh), read labels and `/chalk.json` from images
 * without running them, and snapshot a build context to prove chalk left it
 * as it found it.
 */
import { join } from "node:path";
import { ROOT, run } from "../e2e/_chalk.ts";

type Json = Record<string, unknown>;

/** The registry the push tests use (started by start_docker.sh). */
export const REGISTRY = "127.0.0.1:5000";

async function dockerInfoOk(): Promise<boolean> {
  try {
    return (await run("docker", ["info", "--format", "{{.ServerVersion}}"])).code === 0;
  } catch {
    return false;
  }
}

async function prepare(): Promise<string | undefined> {
  const script = join(ROOT, "tests/docker/start_docker.sh");
  const r = await run("sh", [script], {}).catch((e) => ({
    code: 1,
    stdout: "",
    stderr: String(e),
  }));
  if (r.code !== 0 || !(await dockerInfoOk())) {
    return `docker cannot run here: ${
      r.stderr.trim().split("\n").pop() ?? "start_docker.sh failed"
    }`;
  }
  return undefined;
}

/** Why the docker tests cannot run (undefined when docker is ready). Computed once. */
export const dockerUnavailable: string | undefined = await prepare();
if (dockerUnavailable) console.error(`skipping docker tests: ${dockerUnavailable}`);

/** Runs docker and returns stdout; throws with docker's stderr on failure. */
export async function docker(args: readonly string[], stdin?: string): Promise<string> {
  const r = await run("docker", args, { stdin });
  if (r.code !== 0) throw new Error(`docker ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** `docker image inspect` as JSON, or undefined when there is no such image. */
export async function inspectImage(ref: string): Promise<Json | undefined> {
  const r = await run("docker", ["image", "inspect", ref]);
  return r.code === 0 ? (JSON.parse(r.stdout) as Json[])[0] : undefined;
}

/** The image's labels. */
export async function imageLabels(ref: string): Promise<Record<string, string>> {
  const i = await inspectImage(ref);
  return ((i?.Config as Json | undefined)?.Labels ?? {}) as Record<string, string>;
}

/** A file of an image, read through `docker create` + `docker cp` (tar): its text and mode. */
export async function fileInImage(
  ref: string,
  path: string,
): Promise<{ text: string; mode: number } | undefined> {
  const id = (await docker(["create", "--entrypoint=false", ref])).trim();
  try {
    const out = await new Deno.Command("docker", {
      args: ["cp", `${id}:${path}`, "-"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) return undefined;
    const tar = out.stdout;
    const field = (from: number, len: number) =>
      new TextDecoder().decode(tar.subarray(from, from + len)).replace(/\0.*$/s, "").trim();
    const mode = parseInt(field(100, 8), 8);
    const size = parseInt(field(124, 12), 8);
    return { text: new TextDecoder().decode(tar.subarray(512, 512 + size)), mode };
  } finally {
    await run("docker", ["rm", "-f", id]);
  }
}

/** Every file under `dir` (except `.git`) with its bytes and mode, for before/after equality. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  async function walk(d: string, rel: string): Promise<void> {
    for await (const e of Deno.readDir(d)) {
      if (e.name === ".git") continue;
      const p = join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      const st = await Deno.lstat(p);
      if (e.isDirectory) await walk(p, r);
      else out.set(r, `${st.mode?.toString(8)} ${await Deno.readTextFile(p)}`);
    }
  }
  await walk(dir, "");
  return out;
}

/** The last full report chalk appended to `<home>/.local/chalk/chalk.log`. */
export async function lastLogReport(home: string): Promise<Json> {
  const lines = (await Deno.readTextFile(join(home, ".local/chalk/chalk.log"))).trim().split("\n");
  return (JSON.parse(lines[lines.length - 1]) as Json[])[0];
}

/** Removes images, ignoring the ones that do not exist. */
export async function removeImages(...refs: string[]): Promise<void> {
  if (refs.length > 0) await run("docker", ["rmi", "-f", ...refs]);
}

/** chalk's summary report at the end of stdout, after docker's own output. */
export function summaryAfterDockerOutput(stdout: string): Json {
  const at = stdout.startsWith("[\n") ? 0 : stdout.lastIndexOf("\n[\n") + 1;
  if (at === 0 && !stdout.startsWith("[\n")) throw new Error(`no summary report in: ${stdout}`);
  return (JSON.parse(stdout.slice(at)) as Json[])[0];
}

/**
 * A PATH on which `docker build` uses BuildKit with DOCKER_BUILDKIT=1 (a docker
 * client with built-in BuildKit, or one with the buildx plugin), or undefined.
 */
export const buildkitPath: string | undefined = await (async () => {
  if (dockerUnavailable) return undefined;
  const denoDir = Deno.execPath().replace(/\/[^/]+$/, "");
  for (const dir of ["/usr/bin", "/usr/local/bin"]) {
    const path = `${dir}:/bin:${denoDir}`;
    const probe = new Deno.Command(`${dir}/docker`, {
      args: ["build", "-q", "-"],
      env: { PATH: path, DOCKER_BUILDKIT: "1", HOME: Deno.env.get("HOME") ?? "/" },
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    });
    try {
      const child = probe.spawn();
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode("FROM busybox-base\n"));
      await w.close();
      const out = await child.output();
      if (out.success) {
        const id = new TextDecoder().decode(out.stdout).trim();
        if (id.startsWith("sha256:")) await run("docker", ["rmi", id]);
        return path;
      }
    } catch {
      // No docker there.
    }
  }
  return undefined;
})();

/** True when `dir/docker` builds with BuildKit under DOCKER_BUILDKIT=1. */
async function buildsWithBuildKit(dir: string): Promise<boolean> {
  try {
    const child = new Deno.Command(join(dir, "docker"), {
      args: ["build", "-q", "-"],
      env: { DOCKER_BUILDKIT: "1" },
      stdin: "piped",
      stdout: "null",
      stderr: "null",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode("FROM busybox-base\n"));
    await w.close();
    return (await child.status).success;
  } catch {
    return false;
  }
}

/**
 * The first folder of `path`, then /usr/bin, whose docker builds with BuildKit (buildx
 * installed, or BuildKit built into the client, as Debian's docker.io 20.10 has it); undefined
 * when none does.
 */
export async function buildKitDockerDir(
  path: string = Deno.env.get("PATH") ?? "",
): Promise<string | undefined> {
  for (const dir of [...path.split(":"), "/usr/bin"]) {
    if (dir !== "" && await buildsWithBuildKit(dir)) return dir;
  }
  return undefined;
}
