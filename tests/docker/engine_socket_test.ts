/**
 * chalk asks the docker engine over its unix socket instead of starting the
 * docker CLI for `docker inspect` (docker/engine_socket.ts), only when
 * nothing on the user's side picks another daemon: the decision table, the
 * socket's answer against the CLI's on a real daemon, and `chalk docker
 * build` running no `docker inspect` while it still reports the image.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { CHALK, run, sandbox } from "../e2e/_chalk.ts";
import { engineSocket, inspectOverSocket } from "../../docker/engine_socket.ts";
import { dockerUnavailable, inspectImage, lastLogReport, removeImages } from "./_docker.ts";

type Json = Record<string, unknown>;

function decide(
  globals: string[],
  env: Record<string, string>,
  config?: string,
): string | undefined {
  return engineSocket({
    globals,
    env: { HOME: "/home/u", ...env },
    readText: (path) => (path === "/home/u/.docker/config.json" ? config : undefined),
  });
}

Deno.test("engineSocket: the socket only when no flag, context or remote host decides otherwise", () => {
  assertEquals(decide([], {}), "/var/run/docker.sock");
  assertEquals(decide([], { DOCKER_HOST: "unix:///tmp/d/docker.sock" }), "/tmp/d/docker.sock");
  assertEquals(decide([], { DOCKER_HOST: "tcp://10.0.0.1:2376" }), undefined);
  assertEquals(decide([], { DOCKER_HOST: "ssh://me@host" }), undefined);
  assertEquals(decide(["-H", "unix:///x.sock"], {}), undefined);
  assertEquals(decide(["--context", "default"], {}), undefined);
  assertEquals(decide([], { DOCKER_CONTEXT: "remote" }), undefined);
  assertEquals(decide([], { DOCKER_CONTEXT: "default" }), "/var/run/docker.sock");
  assertEquals(decide([], {}, '{"currentContext":"remote"}'), undefined);
  assertEquals(decide([], {}, '{"currentContext":"default","auths":{}}'), "/var/run/docker.sock");
  assertEquals(decide([], {}, "{not json"), undefined);
  // DOCKER_HOST wins over the configured context, as in the CLI.
  assertEquals(
    decide([], { DOCKER_HOST: "unix:///s.sock" }, '{"currentContext":"remote"}'),
    "/s.sock",
  );
});

/** The socket of the daemon the tests' docker CLI talks to. */
async function testDaemonSocket(): Promise<string> {
  const r = await run("docker", ["context", "inspect", "--format", "{{.Endpoints.docker.Host}}"]);
  const host = Deno.env.get("DOCKER_HOST") ?? r.stdout.trim();
  assert(host.startsWith("unix://"), `the test daemon listens on ${host}`);
  return host.slice("unix://".length);
}

Deno.test({
  name: "inspectOverSocket answers what docker inspect prints; none for a missing image",
  ignore: dockerUnavailable !== undefined,
  fn: async () => {
    const socket = await testDaemonSocket();
    const direct = await inspectOverSocket(socket, "busybox-base:latest", "image");
    assertEquals(direct, { found: await inspectImage("busybox-base:latest") });
    assert(direct?.found?.Id, "an image document");
    assertEquals(await inspectOverSocket(socket, "chalk-test-no-such:image", "image"), {
      found: undefined,
    });
    // Not an engine, or a name the URL cannot carry: the caller asks the CLI.
    assertEquals(await inspectOverSocket("/nonexistent.sock", "busybox-base", "image"), undefined);
    assertEquals(await inspectOverSocket(socket, "a b", "image"), undefined);
  },
});

Deno.test({
  name: "chalk docker build reports the image without starting docker inspect",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    const tag = "chalk-test-engine-socket:latest";
    try {
      const realDocker = (await run("sh", ["-c", "command -v docker"])).stdout.trim();
      const shims = join(box.work, "shims");
      const calls = join(box.work, "calls.log");
      await Deno.mkdir(shims);
      await Deno.writeTextFile(
        join(shims, "docker"),
        `#!/bin/sh\necho "$1" >> '${calls}'\nexec '${realDocker}' "$@"\n`,
        { mode: 0o755 },
      );
      const dir = join(box.work, "ctx");
      await Deno.mkdir(dir);
      await Deno.writeTextFile(join(dir, "Dockerfile"), "FROM busybox-base\nENV A=1\n");
      const env = { ...box.env, PATH: `${shims}:${box.env.PATH}` };
      const socket = await testDaemonSocket();
      const built = await run(CHALK, ["docker", "build", "-t", tag, "."], {
        cwd: dir,
        env: { ...env, DOCKER_HOST: `unix://${socket}` },
      });
      assertEquals(built.code, 0, built.stderr);
      const called = (await Deno.readTextFile(calls)).trim().split("\n");
      assert(called.includes("build"), `docker calls: ${called.join(", ")}`);
      assert(!called.includes("inspect"), `docker calls: ${called.join(", ")}`);
      const chalk = ((await lastLogReport(box.home))._CHALKS as Json[])[0];
      const id = ((await inspectImage(tag))?.Id as string).replace(/^sha256:/, "");
      assertEquals(chalk._IMAGE_ID, id);
    } finally {
      await removeImages(tag);
      await box.cleanup();
    }
  },
});
