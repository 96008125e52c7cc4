/**
 * tests/docker/start_docker.sh leaves dockerd and the registry running after it
 * exits: they must not hold the caller's descriptors (a `flock FILE` around the test run
 * stayed locked by dockerd). Driven with stand-ins for docker, dockerd, docker-registry and curl
 * on PATH, so the machine's real daemon is left alone.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { ROOT, run } from "../e2e/_chalk.ts";

Deno.test({
  name: "start_docker.sh starts dockerd and the registry without the caller's descriptors",
  ignore: !(await Deno.stat("/bin/busybox").then(() => true, () => false)),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "chalk-start-docker-" });
    const state = join(dir, "state");
    const bin = join(dir, "bin");
    const fds = join(dir, "dockerd-fds");
    try {
      await Deno.mkdir(bin);
      const stub = (name: string, body: string) =>
        Deno.writeTextFile(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      // docker answers `info` once the stand-in dockerd has started; the base image is there.
      await stub("docker", `[ "$1" = info ] && { [ -e '${dir}/up' ]; exit; }\nexit 0`);
      await stub(
        "dockerd",
        `ls -l /proc/$$/fd > '${fds}'\necho $$ > '${dir}/pid'\ntouch '${dir}/up'\nexec sleep 20`,
      );
      await stub(
        "docker-registry",
        `ls -l /proc/$$/fd > '${fds}.registry'\necho $$ > '${dir}/registry-pid'\n` +
          `touch '${dir}/registry-up'\nexec sleep 20`,
      );
      await stub("curl", `[ -e '${dir}/registry-up' ]`);
      const lock = join(dir, "lock");
      const env = {
        PATH: `${bin}:${Deno.env.get("PATH")}`,
        CHALK_DOCKER_STATE: state,
      };
      const script = join(ROOT, "tests/docker/start_docker.sh");
      const r = await run("flock", [lock, "sh", script], { env });
      assertEquals(r.code, 0, r.stderr);
      for (const file of [fds, `${fds}.registry`]) {
        const open = await Deno.readTextFile(file);
        assert(!open.includes(lock), `a daemon holds the lock file:\n${open}`);
      }
      const free = await run("flock", ["-n", lock, "true"]);
      assertEquals(free.code, 0, "the lock is still held after the script ended");
    } finally {
      for (const name of ["pid", "registry-pid"]) {
        const pid = await Deno.readTextFile(join(dir, name)).catch(() => "");
        if (pid.trim() !== "") await run("kill", [pid.trim()]);
      }
      await Deno.remove(dir, { recursive: true });
    }
  },
});
