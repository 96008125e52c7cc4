import { deepStrictEqual, equal, ok } from "node:assert/strict";
import os from "node:os";
import { archName, containerNameFromMountinfo, osName } from "../../../con4m/builtins/os.ts";
import { callSync } from "./_call.ts";

Deno.test("osname and arch use Nim's host names", () => {
  equal(callSync("osname", "func() -> string", []), osName());
  equal(osName(), Deno.build.os === "darwin" ? "macosx" : Deno.build.os);
  const arch = callSync("arch", "func() -> string", []);
  ok(arch === archName());
  if (Deno.build.arch === "x86_64") equal(arch, "amd64");
});

Deno.test("uname lists sysname, nodename, release, version, machine", () => {
  const u = callSync("uname", "func() -> list[string]", []) as string[];
  equal(u.length, 5);
  equal(u[1], os.hostname());
  equal(u[2], os.release());
  if (Deno.build.os === "linux") equal(u[0], "Linux");
});

Deno.test("getpid, getuid and geteuid match the process", () => {
  equal(callSync("getpid", "func() -> int", []), BigInt(Deno.pid));
  equal(callSync("getuid", "func() -> int", []), BigInt(Deno.uid()!));
  equal(callSync("geteuid", "func() -> int", []), BigInt(Deno.uid()!));
});

Deno.test("program_args, program_path and program_name use the host hooks", () => {
  const host = {
    programArgs: () => ["insert", "."],
    programPath: () => "/usr/local/bin/chalk",
  };
  deepStrictEqual(callSync("program_args", "func() -> list[string]", [], { host }), [
    "insert",
    ".",
  ]);
  equal(callSync("program_path", "func() -> string", [], { host }), "/usr/local/bin/chalk");
  equal(callSync("program_name", "func() -> string", [], { host }), "chalk");
  equal(callSync("program_path", "func() -> string", []), Deno.execPath());
});

Deno.test("now is the Unix time in milliseconds", () => {
  const before = BigInt(Date.now());
  const now = callSync("now", "func() -> int", []) as bigint;
  ok(now >= before && now <= BigInt(Date.now()));
});

Deno.test("containerNameFromMountinfo finds the docker container id", () => {
  const line =
    "1 0 0:1 /docker/containers/abc123def/resolv.conf /etc/resolv.conf rw - ext4 /dev/x rw";
  equal(containerNameFromMountinfo(`x\n${line}\n`), "abc123def");
  equal(containerNameFromMountinfo("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"), undefined);
});

Deno.test("in_container agrees with container_name", () => {
  const name = callSync("container_name", "func() -> string", []);
  const inside = callSync("in_container", "func() -> bool", []);
  equal(inside, name !== "");
});

Deno.test("using_tty and tty_name agree with the standard streams", () => {
  const anyTty = Deno.stdin.isTerminal() || Deno.stdout.isTerminal() || Deno.stderr.isTerminal();
  equal(callSync("using_tty", "func() -> bool", []), anyTty);
  const name = callSync("tty_name", "func() -> string", []) as string;
  if (!anyTty) equal(name, "");
  else ok(name.startsWith("/dev/"));
});
