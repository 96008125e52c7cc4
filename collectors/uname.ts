/**
 * uname(2) fields without FFI: Linux exposes them under /proc, other
 * platforms fall back to what Deno reports.
 */
import { readTextIfAny } from "../internal/read_text_if_any.ts";

/** The five uname fields. */
export interface Uname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
}

function readProc(path: string): string | undefined {
  return readTextIfAny(path)?.trim();
}

const MACHINES: Record<string, string> = { x86_64: "x86_64", aarch64: "aarch64" };

/** Reads uname of the running host. */
export function readUname(): Uname {
  const os = Deno.build.os;
  return {
    sysname: readProc("/proc/sys/kernel/ostype") ?? (os === "darwin" ? "Darwin" : os),
    nodename: readProc("/proc/sys/kernel/hostname") ?? Deno.hostname(),
    release: readProc("/proc/sys/kernel/osrelease") ?? Deno.osRelease(),
    version: readProc("/proc/sys/kernel/version") ?? "",
    machine: MACHINES[Deno.build.arch] ?? Deno.build.arch,
  };
}

/** `uname -o` + space + `uname -m` style platform string, e.g. `GNU/Linux x86_64`. */
export function platformString(): string {
  const os = Deno.build.os === "linux"
    ? "GNU/Linux"
    : Deno.build.os === "darwin"
    ? "Darwin"
    : Deno.build.os;
  return `${os} ${MACHINES[Deno.build.arch] ?? Deno.build.arch}`;
}
