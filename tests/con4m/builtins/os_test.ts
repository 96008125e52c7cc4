import { assert, assertEquals, assertStrictEquals } from "../../_assert.ts";
import os from "node:os";
import { archName, containerNameFromMountinfo, osName } from "../../../con4m/builtins/os.ts";
import { callSync } from "./_call.ts";

Deno.test("osname and arch use Nim's host names", () => {
  assertStrictEquals(callSync("osname", "func() -> string", []), osName());
  assertStrictEquals(osName(), Deno.build.os === "darwin" ? "macosx" : Deno.build.os);
  const arch = callSync("arch", "func() -> string", []);
  assert(arch === archName());
  if (Deno.build.arch === "x86_64") assertStrictEquals(arch, "amd64");
});

Deno.test("uname lists sysname, nodename, release, version, machine", () => {
  const u = callSync("uname", "func() -> list[string]", []) as string[];
  assertStrictEquals(u.length, 5);
  assertStrictEquals(u[1], os.hostname());
  assertStrictEquals(u[2], os.release());
  if (Deno.build.os === "linux") assertStrictEquals(u[0], "Linux");
});

Deno.test("getpid, getuid and geteuid match the process", () => {
  assertStrictEquals(callSync("getpid", "func() -> int", []), BigInt(Deno.pid));
  assertStrictEquals(callSync("getuid", "func() -> int", []), BigInt(Deno.uid()!));
  assertStrictEquals(callSync("geteuid", "func() -> int", []), BigInt(Deno.uid()!));
});

Deno.test("program_args, program_path and program_name use the host hooks", () => {
  const host = {
    programArgs: () => ["insert", "."],
    programPath: () => "/usr/local/bin/chalk",
  };
  assertEquals(callSync("program_args", "func() -> list[string]", [], { host }), [
    "insert",
    ".",
  ]);
  assertStrictEquals(
    callSync("program_path", "func() -> string", [], { host }),
    "/usr/local/bin/chalk",
  );
  assertStrictEquals(callSync("program_name", "func() -> string", [], { host }), "chalk");
  assertStrictEquals(callSync("program_path", "func() -> string", []), Deno.execPath());
});

Deno.test("now is the Unix time in milliseconds", () => {
  const before = BigInt(Date.now());
  const now = callSync("now", "func() -> int", []) as bigint;
  assert(now >= before && now <= BigInt(Date.now()));
});

Deno.test("containerNameFromMountinfo finds the docker container id", () => {
  const line =
    "1 0 0:1 /docker/containers/abc123def/resolv.conf /etc/resolv.conf rw - ext4 /dev/x rw";
  assertStrictEquals(containerNameFromMountinfo(`x\n${line}\n`), "abc123def");
  assertStrictEquals(
    containerNameFromMountinfo("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"),
    undefined,
  );
});

Deno.test("in_container agrees with container_name", () => {
  const name = callSync("container_name", "func() -> string", []);
  const inside = callSync("in_container", "func() -> bool", []);
  assertStrictEquals(inside, name !== "");
});

Deno.test("using_tty and tty_name agree with the standard streams", () => {
  const anyTty = Deno.stdin.isTerminal() || Deno.stdout.isTerminal() || Deno.stderr.isTerminal();
  assertStrictEquals(callSync("using_tty", "func() -> bool", []), anyTty);
  const name = callSync("tty_name", "func() -> string", []) as string;
  if (!anyTty) assertStrictEquals(name, "");
  else assert(name.startsWith("/dev/"));
});
