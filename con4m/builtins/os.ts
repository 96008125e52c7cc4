/**
 * Host and process information builtins: `osname`, `arch`, `uname`, `getpid`, `getuid`, `geteuid`,
 * `program_args`, `program_path`, `program_name`, `now`, `container_name`, `in_container`,
 * `using_tty`, `tty_name`.
 *
 * @module
 */

import { hostname, machine, release, type, version } from "node:os";
import { geteuid } from "node:process";
import { basename } from "../../internal/posix_path.ts";
import { type BuiltinDef, defineBuiltin } from "./builtin_def.ts";

const TAGS = ["os"];
const def = (name: string, sig: string, impl: BuiltinDef["impl"], doc: string): BuiltinDef =>
  defineBuiltin(name, sig, impl, { doc, tags: TAGS });

/** Nim's `hostOS` name for this platform (`linux`, `macosx`, `windows`, ...). */
export function osName(): string {
  const names: Record<string, string> = { darwin: "macosx" };
  return names[Deno.build.os] ?? Deno.build.os;
}

/** Nim's `hostCPU` name for this CPU (`amd64`, `arm64`, ...). */
export function archName(): string {
  const names: Record<string, string> = { x86_64: "amd64", aarch64: "arm64" };
  return names[Deno.build.arch] ?? Deno.build.arch;
}

const MOUNTINFO_MARK = "/docker/containers/";

/**
 * The docker container id found in `mountinfo` text (the path component after
 * `/docker/containers/`), or `undefined`.
 */
export function containerNameFromMountinfo(text: string): string | undefined {
  for (const line of text.split("\n")) {
    const at = line.indexOf(MOUNTINFO_MARK);
    if (at < 0) continue;
    const start = at + MOUNTINFO_MARK.length;
    const end = line.indexOf("/", start);
    return end < 0 ? line.slice(start) : line.slice(start, end);
  }
  return undefined;
}

function containerName(): string | undefined {
  try {
    return containerNameFromMountinfo(Deno.readTextFileSync("/proc/self/mountinfo"));
  } catch {
    return undefined;
  }
}

function ttyName(): string {
  const streams = [Deno.stdin, Deno.stdout, Deno.stderr];
  for (let fd = 0; fd < streams.length; fd++) {
    if (!streams[fd].isTerminal()) continue;
    try {
      return Deno.readLinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return "";
    }
  }
  return "";
}

/** The host and process builtins. */
export const OS_BUILTINS: readonly BuiltinDef[] = [
  def("osname", "func() -> string", () => osName(), "Operating system name (linux, macosx...)."),
  def("arch", "func() -> string", () => archName(), "CPU architecture (amd64, arm64...)."),
  def(
    "uname",
    "func() -> list[string]",
    () => [type(), hostname(), release(), version(), machine()],
    "sysname, nodename, release, version, machine.",
  ),
  def("getpid", "func() -> int", () => BigInt(Deno.pid), "This process's id."),
  def("getuid", "func() -> int", () => BigInt(Deno.uid() ?? -1), "The real user id."),
  def(
    "geteuid",
    "func() -> int",
    () => BigInt(geteuid?.() ?? -1),
    "The effective user id.",
  ),
  def(
    "program_args",
    "func() -> list[string]",
    (_a, ctx) => ctx.host.programArgs(),
    "The program's arguments (without argv[0]).",
  ),
  def(
    "program_path",
    "func() -> string",
    (_a, ctx) => ctx.host.programPath(),
    "Absolute path of the running executable.",
  ),
  def(
    "program_name",
    "func() -> string",
    (_a, ctx) => basename(ctx.host.programPath()),
    "File name of the running executable.",
  ),
  def("now", "func() -> int", () => BigInt(Date.now()), "Unix time in milliseconds."),
  def(
    "container_name",
    "func() -> string",
    () => containerName() ?? "",
    'The docker container id from /proc/self/mountinfo, "" outside a container.',
  ),
  def(
    "in_container",
    "func() -> bool",
    () => containerName() !== undefined,
    "Does /proc/self/mountinfo show a docker container?",
  ),
  def(
    "using_tty",
    "func() -> bool",
    () => Deno.stdin.isTerminal() || Deno.stdout.isTerminal() || Deno.stderr.isTerminal(),
    "Is any of stdin, stdout, stderr a terminal?",
  ),
  def(
    "tty_name",
    "func() -> string",
    () => ttyName(),
    'Device name of the first of stdin, stdout, stderr that is a terminal, or "".',
  ),
];
