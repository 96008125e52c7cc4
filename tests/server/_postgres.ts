/**
 * A throwaway PostgreSQL cluster for the server tests: `initdb` into a temporary folder, started
 * with `pg_ctl` on a free loopback port (never one that may already run), one fresh database per
 * test, stopped and removed when the test process ends. Needs the Debian package `postgresql`
 * (scripts/test_setup.sh installs it); as root the cluster runs as the `postgres` user.
 */

const PG_BIN = Deno.env.get("CHALK_PG_BIN") ?? findPgBin();

function findPgBin(): string {
  try {
    const versions = [...Deno.readDirSync("/usr/lib/postgresql")].map((e) => e.name)
      .filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const bin = `/usr/lib/postgresql/${v}/bin`;
      try {
        Deno.statSync(`${bin}/pg_ctl`);
        return bin;
      } catch { /* next */ }
    }
  } catch { /* none */ }
  return "";
}

const IS_ROOT = Deno.uid() === 0;

/** A running cluster. */
export interface PgCluster {
  /** Data directory (also holds the socket). */
  dir: string;
  /** Loopback port. */
  port: number;
  /** `postgres://postgres@127.0.0.1:PORT/DB`. */
  url(db?: string): string;
  /** Creates an empty database with a fresh name and returns its URL. */
  freshDatabase(): Promise<string>;
  /** `pg_ctl stop` (fast). */
  stop(): Promise<void>;
  /** `pg_ctl start` again on the same port. */
  start(): Promise<void>;
  /** Stops the cluster and removes its folder. */
  destroy(): Promise<void>;
}

async function run(cmd: string, args: string[]): Promise<string> {
  const full = IS_ROOT ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] as const : [
    cmd,
    args,
  ] as const;
  const out = await new Deno.Command(full[0], {
    args: [...full[1]],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed: ${text.trim()}`);
  return text;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** True when PostgreSQL's server binaries are installed. */
export function havePostgres(): boolean {
  return PG_BIN !== "";
}

/** Starts a new cluster. */
export async function startCluster(): Promise<PgCluster> {
  if (!havePostgres()) {
    throw new Error("PostgreSQL is missing: install the Debian package postgresql");
  }
  const dir = await Deno.makeTempDir({ prefix: "chalk_pg_" });
  if (IS_ROOT) await new Deno.Command("chown", { args: ["postgres:", dir] }).output();
  await run(`${PG_BIN}/initdb`, ["-D", dir, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const port = freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off ` +
    `-c max_connections=200 -c shared_buffers=64MB`;
  const start = () =>
    run(`${PG_BIN}/pg_ctl`, ["-D", dir, "-o", options, "-l", `${dir}/log`, "-w", "start"]).then(
      () => {},
    );
  const stop = () =>
    run(`${PG_BIN}/pg_ctl`, ["-D", dir, "-m", "fast", "-w", "stop"]).then(() => {});
  await start();
  let n = 0;
  const url = (db = "postgres") => `postgres://postgres@127.0.0.1:${port}/${db}`;
  return {
    dir,
    port,
    url,
    async freshDatabase(): Promise<string> {
      const name = `t${Deno.pid}_${++n}_${Math.random().toString(36).slice(2, 8)}`;
      await run(`${PG_BIN}/../bin/psql`, [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        "postgres",
        "-q",
        "-c",
        `CREATE DATABASE ${name}`,
      ]);
      return url(name);
    },
    stop,
    start,
    async destroy(): Promise<void> {
      await stop().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

let shared: Promise<PgCluster> | undefined;

/**
 * The test process's cluster, started on first use and destroyed when the process exits, so
 * that the tests of one file share one `initdb`.
 */
export function sharedCluster(): Promise<PgCluster> {
  if (shared === undefined) {
    shared = startCluster();
    shared.then((c) => {
      globalThis.addEventListener("unload", () => {
        const args = ["-D", c.dir, "-m", "immediate", "-w", "stop"];
        new Deno.Command(IS_ROOT ? "runuser" : `${PG_BIN}/pg_ctl`, {
          args: IS_ROOT ? ["-u", "postgres", "--", `${PG_BIN}/pg_ctl`, ...args] : args,
          stdout: "null",
          stderr: "null",
        }).outputSync();
        try {
          Deno.removeSync(c.dir, { recursive: true });
        } catch { /* best effort */ }
      });
    }, () => {});
  }
  return shared;
}
