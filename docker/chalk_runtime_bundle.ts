/**
 * The self-sufficient chalk runtime that entrypoint wrapping copies into an
 * image under `/.chalk/` (docs/decisions.md,
 * "Entrypoint wrapping on any base image"): the chalk program (the running
 * bundle, which carries its embedded configuration in its own mark, less its
 * encrypted private key: ops/program_for_images.ts), the Deno
 * binary that runs it, and the host's glibc loader and the libraries Deno
 * links. Inside the image everything is started through that loader, so the
 * image needs no libc of its own (busybox-static, scratch, musl bases).
 */
import { basename, join } from "../internal/posix_path.ts";
import type { SelfInfo } from "../ops/self_path.ts";
import { RUNTIME_OWN_ENV } from "../internal/container_contract.ts";
import { initBinary } from "./init/chalk_init.ts";
import { NO_UPDATE_CHECK } from "../internal/quiet_deno.ts";
import { programForImages } from "../ops/program_for_images.ts";

/** Folder of the runtime inside the image. */
export const RUNTIME_DIR = "/.chalk";
/** Libraries folder inside {@link RUNTIME_DIR}. */
export const RUNTIME_LIB_DIR = `${RUNTIME_DIR}/lib`;
/** The chalk program inside the image. */
export const RUNTIME_PROGRAM = `${RUNTIME_DIR}/chalk`;
/** The Deno binary inside the image. */
export const RUNTIME_DENO = `${RUNTIME_DIR}/deno`;
/** chalk's native init inside the image (`docker.wrap_init`; docker/init/chalk_init.c). */
export const RUNTIME_INIT = `${RUNTIME_DIR}/chalk-init`;
/** Deno's cache folder inside the image: holds the V8 code cache made at build time. */
export const RUNTIME_CACHE = `${RUNTIME_DIR}/cache`;
/**
 * Environment file Deno reads at start (`--env-file`): points `DENO_DIR` at
 * {@link RUNTIME_CACHE} without an image `ENV` (a `DENO_DIR` set by the
 * image itself wins, as with any env file).
 */
export const RUNTIME_ENV_FILE = `${RUNTIME_DIR}/runtime.env`;
/**
 * What the env file sets for chalk's own process: the code cache folder, and
 * no `node` shim (Deno would otherwise prepend `$DENO_DIR/node_compat_bin` to
 * PATH, with a `node` that is the loader, when the image has no node), and
 * no update check of Deno's (internal/quiet_deno.ts).
 * `CHALK_TS_RUNTIME_ENV` lists them (JSON name → value) so that `chalk exec`
 * can leave them out of the workload's environment.
 */
export const RUNTIME_ENV_VARS: Readonly<Record<string, string>> = {
  DENO_DIR: RUNTIME_CACHE,
  DENO_DISABLE_NODE_SHIM: "1",
  ...NO_UPDATE_CHECK,
};

/** The env file's text. */
export function runtimeEnvFile(): string {
  const lines = Object.entries(RUNTIME_ENV_VARS).map(([k, v]) => `${k}=${v}`);
  lines.push(`${RUNTIME_OWN_ENV}=${JSON.stringify(RUNTIME_ENV_VARS)}`);
  return lines.join("\n") + "\n";
}

/** Why no runtime can be assembled on this host (wrapping is then skipped). */
export class RuntimeUnavailableError extends Error {
  /** Builds the one-line reason. */
  constructor(reason: string) {
    super(reason);
    this.name = "RuntimeUnavailableError";
  }
}

/** One file of the runtime: where it comes from on the host, where it goes under `/.chalk`. */
export interface RuntimeFile {
  source: string;
  /** Path relative to {@link RUNTIME_DIR}. */
  dest: string;
  mode: number;
}

/** The files to copy and the argv words that start chalk inside the image. */
export interface ChalkRuntime {
  files: RuntimeFile[];
  /**
   * The chalk program's bytes (written as {@link RUNTIME_PROGRAM} with the fixed time): the
   * running bundle without its encrypted private key, the same for every image of one chalk.
   */
  program: Uint8Array;
  /** The loader's path inside the image (`/.chalk/ld-linux-x86-64.so.2`). */
  loader: string;
  /** argv words that start the chalk program (the loader first). */
  argv: string[];
  /**
   * The native init's bytes (written as {@link RUNTIME_INIT}) where one is built for this
   * architecture. Always staged, so the runtime layer is the same whatever the configuration.
   */
  init?: Uint8Array;
}

/** One line of `ldd` output: a library name and the host path it resolves to. */
export interface LddEntry {
  name: string;
  path?: string;
}

/**
 * Reads `ldd` output: `libc.so.6 => /lib/.../libc.so.6 (0x...)` lines give
 * a library, a line that is an absolute path alone is the loader, and
 * `linux-vdso.so.1` (no file) is skipped.
 *
 * @throws {RuntimeUnavailableError} when a library is "not found".
 */
export function parseLdd(text: string): { loader?: string; libs: LddEntry[] } {
  const libs: LddEntry[] = [];
  let loader: string | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "") continue;
    const arrow = /^(\S+)\s+=>\s+(.*?)(?:\s+\(0x[0-9a-f]+\))?$/.exec(line);
    if (arrow) {
      if (arrow[2] === "not found") {
        throw new RuntimeUnavailableError(`ldd: ${arrow[1]} not found`);
      }
      if (arrow[2].startsWith("/")) libs.push({ name: arrow[1], path: arrow[2] });
      continue;
    }
    const alone = /^(\/\S+)\s+\(0x[0-9a-f]+\)$/.exec(line);
    if (alone) loader = alone[1];
  }
  return { loader, libs };
}

async function ldd(binary: string): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("ldd", {
      args: [binary],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    throw new RuntimeUnavailableError(`ldd cannot run: ${(e as Error).message}`);
  }
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim() || text.trim();
    throw new RuntimeUnavailableError(`ldd ${binary}: ${err.split("\n")[0]}`);
  }
  return text;
}

/**
 * The argv words that start the chalk program inside the image: Deno
 * through the copied loader, with the copied libraries, on the copied
 * bundle. No configuration file, lock file, npm or remote module of the
 * workload's folder is consulted, so nothing is fetched at start.
 */
export function runtimeArgv(loaderName: string): string[] {
  return [
    `${RUNTIME_DIR}/${loaderName}`,
    "--library-path",
    RUNTIME_LIB_DIR,
    RUNTIME_DENO,
    "run",
    "-A",
    "--no-config",
    "--no-lock",
    "--no-remote",
    "--no-npm",
    "--ext=js",
    `--env-file=${RUNTIME_ENV_FILE}`,
    RUNTIME_PROGRAM,
  ];
}

/**
 * Collects the runtime for the running chalk program.
 *
 * @throws {RuntimeUnavailableError} when the program is not the single-file
 *   bundle, or Deno's libraries cannot be resolved.
 */
export async function collectRuntime(
  self: SelfInfo,
  denoPath: string = Deno.execPath(),
): Promise<ChalkRuntime> {
  if (self.kind !== "bundle") {
    throw new RuntimeUnavailableError(
      self.kind === "source"
        ? "chalk runs from source: only the built program (dist/chalk) can be copied into an image"
        : "a compiled chalk binary cannot run through a copied loader (it reads itself from /proc/self/exe); use the bundle (dist/chalk)",
    );
  }
  const program = programForImages(Deno.readFileSync(self.path));
  if (program === undefined) {
    throw new RuntimeUnavailableError(
      `${self.path} does not end as chalk's build leaves it, so its private key cannot be left out of the image`,
    );
  }
  const { loader, libs } = parseLdd(await ldd(denoPath));
  if (!loader) throw new RuntimeUnavailableError(`ldd ${denoPath}: no dynamic loader listed`);
  const loaderName = basename(loader);
  const files: RuntimeFile[] = [
    { source: loader, dest: loaderName, mode: 0o755 },
    { source: denoPath, dest: "deno", mode: 0o755 },
    ...libs.map((l) => ({ source: l.path!, dest: `lib/${l.name}`, mode: 0o644 })),
  ];
  const init = initBinary(Deno.build.arch);
  return {
    files,
    program,
    loader: `${RUNTIME_DIR}/${loaderName}`,
    argv: runtimeArgv(loaderName),
    ...(init ? { init } : {}),
  };
}

/**
 * The modification time of every file and folder chalk writes into the runtime itself. With the
 * program's files keeping their own times (hard links, or copies given the source's time), the
 * runtime's `COPY` layer is byte-identical for every image built with the same chalk, so
 * registries and hosts store it once (docs/docker.md, "Entrypoint wrapping").
 */
export const RUNTIME_MTIME = new Date("2000-01-01T00:00:00Z");

/**
 * Puts the runtime's files into `dir` (created; `lib/` inside), hard-linked
 * when the host allows it, else copied, with the modes the image needs.
 * Hard links share their source's mode, so a link whose mode differs is
 * replaced by a copy. Also writes the chalk program, the env file and an
 * empty `cache/`.
 */
export function stageRuntime(runtime: ChalkRuntime, dir: string): void {
  Deno.mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const sub of ["lib", "cache"]) {
    Deno.mkdirSync(join(dir, sub), { recursive: true, mode: 0o755 });
    Deno.chmodSync(join(dir, sub), 0o755);
  }
  Deno.chmodSync(dir, 0o755);
  const envFile = join(dir, basename(RUNTIME_ENV_FILE));
  Deno.writeTextFileSync(envFile, runtimeEnvFile(), { mode: 0o644 });
  Deno.chmodSync(envFile, 0o644);
  for (const f of runtime.files) {
    const to = join(dir, f.dest);
    const real = Deno.realPathSync(f.source);
    const stat = Deno.statSync(real);
    let linked = false;
    try {
      if (((stat.mode ?? 0) & 0o777) === f.mode) {
        Deno.linkSync(real, to);
        linked = true;
      }
    } catch {
      // another file system, or not permitted: copy instead
    }
    if (!linked) {
      Deno.copyFileSync(real, to);
      Deno.chmodSync(to, f.mode);
      // The source's time, so that a copy and a link give the same layer.
      if (stat.mtime) Deno.utimeSync(to, stat.mtime, stat.mtime);
    }
  }
  const programFile = join(dir, basename(RUNTIME_PROGRAM));
  Deno.writeFileSync(programFile, runtime.program, { mode: 0o755 });
  Deno.chmodSync(programFile, 0o755);
  const made = [programFile, envFile, join(dir, "lib"), join(dir, "cache"), dir];
  if (runtime.init) {
    const initFile = join(dir, basename(RUNTIME_INIT));
    Deno.writeFileSync(initFile, runtime.init, { mode: 0o755 });
    Deno.chmodSync(initFile, 0o755);
    made.unshift(initFile);
  }
  // Last: adding entries above changed the folders' times.
  for (const path of made) {
    Deno.utimeSync(path, RUNTIME_MTIME, RUNTIME_MTIME);
  }
}

/** Total bytes of the runtime's files (what wrapping adds to an image). */
export function runtimeBytes(runtime: ChalkRuntime): number {
  let total = 0;
  for (const f of runtime.files) total += Deno.statSync(f.source).size;
  return total + runtime.program.length + (runtime.init?.length ?? 0);
}
