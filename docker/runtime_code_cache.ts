/**
 * The V8 code cache of chalk's runtime in wrapped images (docs/docker.md, "Entrypoint
 * wrapping"). Deno stores a module's compiled code keyed by the module's path, so the cache
 * is made where the runtime runs: once per chalk program and Deno, chalk's runtime runs
 * `__warm-up` in a throwaway container, and the cache it leaves is kept in the state folder
 * (`runtime-cache/<key>/`, compacted, fixed times). Every wrapped image then gets the same
 * files in its shared `/.chalk` layer; no image carries a cache of its own.
 *
 * @module
 */
import { join } from "../internal/posix_path.ts";
import { DatabaseSync } from "node:sqlite";
import { WARM_UP_COMMAND } from "../internal/container_contract.ts";
import { sha256Hex } from "../internal/sha256.ts";
import {
  type ChalkRuntime,
  RUNTIME_CACHE,
  RUNTIME_DIR,
  RUNTIME_MTIME,
  type RuntimeFile,
  stageRuntime,
} from "./chalk_runtime_bundle.ts";
import type { DockerClient } from "./docker_client.ts";

/** What making the cache needs. */
export interface CodeCacheRequest {
  client: DockerClient;
  runtime: ChalkRuntime;
  /** The chalk program copied into images (its bytes key the cache). */
  programPath: string;
  /** Build the throwaway image with BuildKit (as the user's build), else the legacy builder. */
  buildkit: boolean;
  /** Folder of the made caches (the state folder's `runtime-cache`). */
  root: string;
}

/** The cache could not be made; wrapped images then compile chalk at each start. */
export class CodeCacheError extends Error {
  /** Builds the one-line reason. */
  constructor(reason: string) {
    super(reason);
    this.name = "CodeCacheError";
  }
}

const SQLITE_MAGIC = "SQLite format 3\0";

/** The key of a cache: the program's bytes and the Deno that runs it. */
export function codeCacheKey(programPath: string): string {
  const digest = sha256Hex([Deno.readFileSync(programPath)]);
  return `${digest.slice(0, 32)}-deno-${Deno.version.deno}`;
}

function isSqlite(path: string): boolean {
  try {
    const file = Deno.openSync(path);
    try {
      const head = new Uint8Array(SQLITE_MAGIC.length);
      const n = file.readSync(head) ?? 0;
      return new TextDecoder("latin1").decode(head.subarray(0, n)) === SQLITE_MAGIC;
    } finally {
      file.close();
    }
  } catch {
    return false;
  }
}

function existsDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function removeIfThere(path: string): void {
  try {
    Deno.removeSync(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/**
 * Folds each database's write-ahead log into it and drops the log (Deno leaves its caches in
 * WAL mode, logs included), so the layer holds only the data; fixes modes and times.
 */
function compact(dir: string): void {
  for (const e of [...Deno.readDirSync(dir)]) {
    const path = join(dir, e.name);
    if (e.isDirectory) {
      Deno.removeSync(path, { recursive: true }); // npm/: unused by the bundle
      continue;
    }
    if (!e.isFile || e.name.endsWith("-wal") || e.name.endsWith("-shm") || !isSqlite(path)) {
      continue;
    }
    const db = new DatabaseSync(path);
    try {
      db.exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE; VACUUM;");
    } finally {
      db.close();
    }
    for (const suffix of ["-wal", "-shm"]) removeIfThere(path + suffix);
  }
  for (const e of Deno.readDirSync(dir)) {
    const path = join(dir, e.name);
    Deno.chmodSync(path, 0o644);
    Deno.utimeSync(path, RUNTIME_MTIME, RUNTIME_MTIME);
  }
  Deno.chmodSync(dir, 0o755);
  Deno.utimeSync(dir, RUNTIME_MTIME, RUNTIME_MTIME);
}

async function must(client: DockerClient, args: string[], env?: Record<string, string>) {
  const r = await client.capture(args, env);
  if (r.code !== 0) {
    const reason = r.stderr.trim().split("\n").filter((l) => l.trim() !== "").pop() ?? "";
    throw new CodeCacheError(`docker ${args[0]} failed (exit ${r.code}): ${reason}`);
  }
  return r.stdout.trim();
}

/** Runs the runtime once in a throwaway container and copies its cache out to `out`. */
async function makeCache(req: CodeCacheRequest, work: string, out: string): Promise<void> {
  const ctx = join(work, "ctx");
  stageRuntime(req.runtime, join(ctx, ".chalk"));
  Deno.writeTextFileSync(join(ctx, "Dockerfile"), `FROM scratch\nCOPY .chalk ${RUNTIME_DIR}\n`);
  const iidfile = join(work, "iid");
  const env = { DOCKER_BUILDKIT: req.buildkit ? "1" : "0" };
  await must(req.client, ["build", "-q", "--iidfile", iidfile, ctx], env);
  const image = Deno.readTextFileSync(iidfile).trim();
  let container: string | undefined;
  try {
    const [loader, ...rest] = req.runtime.argv;
    container = await must(req.client, [
      "create",
      "--network=none",
      "--entrypoint",
      loader,
      image,
      ...rest,
      WARM_UP_COMMAND,
    ]);
    await must(req.client, ["start", "-a", container]);
    await must(req.client, ["cp", `${container}:${RUNTIME_CACHE}`, out]);
  } finally {
    if (container) await req.client.capture(["rm", "-f", container]);
    await req.client.capture(["rmi", "-f", image]);
  }
}

/**
 * The cache files of this chalk's runtime (made the first time; dest `cache/<name>`).
 *
 * @throws {CodeCacheError} when docker cannot make it.
 */
export async function runtimeCodeCache(req: CodeCacheRequest): Promise<RuntimeFile[]> {
  const dir = join(req.root, codeCacheKey(req.programPath));
  // In code-unit order, the same under every locale (localeCompare would also load ICU: ~9 ms).
  const files = (): RuntimeFile[] =>
    [...Deno.readDirSync(dir)].filter((e) => e.isFile).map((e) => ({
      source: join(dir, e.name),
      dest: `cache/${e.name}`,
      mode: 0o644,
    })).sort((a, b) => a.dest < b.dest ? -1 : a.dest > b.dest ? 1 : 0);
  try {
    return files();
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  Deno.mkdirSync(req.root, { recursive: true, mode: 0o700 });
  const work = Deno.makeTempDirSync({ dir: req.root, prefix: ".making-" });
  try {
    const out = join(work, "cache");
    await makeCache(req, work, out);
    compact(out);
    try {
      Deno.renameSync(out, dir);
    } catch (e) {
      // Another build made it meanwhile: theirs is as good.
      if (!existsDir(dir)) throw e;
    }
    return files();
  } catch (e) {
    if (e instanceof CodeCacheError) throw e;
    throw new CodeCacheError((e as Error).message);
  } finally {
    Deno.removeSync(work, { recursive: true });
  }
}
