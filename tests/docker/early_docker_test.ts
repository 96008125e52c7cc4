/**
 * The early docker of a BuildKit build (docker/early_docker.ts): started before the
 * Dockerfile exists, fed when it does; the legacy builder starts only when everything
 * is ready; an abort kills it before it reads anything. A shell script stands in for
 * docker: what is checked is when chalk starts the program and what reaches its stdin.
 */
import { join } from "node:path";
import { assertEquals, assertRejects } from "../_assert.ts";
import { DockerClient } from "../../docker/docker_client.ts";
import { EarlyDocker } from "../../docker/early_docker.ts";

/** At start: is MARK there? Then the whole stdin into OUT (written only after EOF). */
const STAND_IN = `
if [ -e "$MARK" ]; then echo present > "$SEEN"; else echo absent > "$SEEN"; fi
data=$(cat)
printf '%s' "$data" > "$OUT"
exit 3
`;

type StandIn = Awaited<ReturnType<typeof standIn>>;

/** Runs `fn` with a fresh stand-in, its folder removed afterwards. */
async function withStandIn(fn: (s: StandIn) => Promise<void>): Promise<void> {
  const s = await standIn();
  try {
    await fn(s);
  } finally {
    await Deno.remove(s.dir, { recursive: true });
  }
}

async function standIn() {
  const dir = await Deno.makeTempDir({ prefix: "chalk-early-" });
  const paths = { MARK: join(dir, "mark"), SEEN: join(dir, "seen"), OUT: join(dir, "out") };
  const client = new DockerClient("/bin/sh");
  const args = ["-c", Object.entries(paths).map(([k, v]) => `${k}='${v}'`).join(" ") + STAND_IN];
  /**
   * Waits until the stand-in has looked for the mark. The shell creates SEEN before it
   * writes the word: an empty file means "not yet" (a full suite once read it in between).
   */
  const started = async () => {
    for (let i = 0; i < 500; i++) {
      try {
        const seen = (await Deno.readTextFile(paths.SEEN)).trim();
        if (seen !== "") return seen;
      } catch { /* not created yet */ }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error("the stand-in never started");
  };
  return { dir, paths, client, args, started };
}

Deno.test("with BuildKit docker starts before the mark exists and gets the Dockerfile later", () =>
  withStandIn(async (s) => {
    const docker = new EarlyDocker(s.client, s.args);
    docker.startWhen({ buildkit: true });
    assertEquals(await s.started(), "absent");
    await Deno.writeTextFile(s.paths.MARK, "{}");
    const status = await docker.run(new TextEncoder().encode("FROM scratch\n"));
    assertEquals(status, 3);
    assertEquals(await Deno.readTextFile(s.paths.OUT), "FROM scratch");
    await docker.abort(); // what chalkBuild's finally does: nothing once docker was fed
    assertEquals(await Deno.readTextFile(s.paths.OUT), "FROM scratch");
  }));

Deno.test("the legacy builder starts only once the Dockerfile (and the mark) are ready", () =>
  withStandIn(async (s) => {
    const docker = new EarlyDocker(s.client, s.args);
    docker.startWhen(Promise.resolve({ buildkit: false }));
    await new Promise((r) => setTimeout(r, 200));
    await assertRejects(() => Deno.stat(s.paths.SEEN), Deno.errors.NotFound);
    await Deno.writeTextFile(s.paths.MARK, "{}");
    assertEquals(await docker.run(new TextEncoder().encode("FROM scratch\n")), 3);
    assertEquals(await s.started(), "present");
    assertEquals(await Deno.readTextFile(s.paths.OUT), "FROM scratch");
  }));

Deno.test("an aborted early docker is killed before it reads a byte", () =>
  withStandIn(async (s) => {
    const docker = new EarlyDocker(s.client, s.args);
    docker.startWhen({ buildkit: true });
    assertEquals(await s.started(), "absent");
    await docker.abort();
    // Fed an end of file instead, the stand-in would have written OUT.
    await new Promise((r) => setTimeout(r, 200));
    await assertRejects(() => Deno.stat(s.paths.OUT), Deno.errors.NotFound);
  }));

Deno.test("a build probe that fails starts nothing early; the build still runs when ready", () =>
  withStandIn(async (s) => {
    const docker = new EarlyDocker(s.client, s.args);
    const probe = Promise.reject(new Error("buildx version failed"));
    docker.startWhen(probe);
    await new Promise((r) => setTimeout(r, 100));
    await assertRejects(() => Deno.stat(s.paths.SEEN), Deno.errors.NotFound);
    assertEquals(await docker.run(new TextEncoder().encode("FROM scratch\n")), 3);
  }));
