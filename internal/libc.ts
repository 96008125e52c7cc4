/**
 * The C library, through Deno FFI: the one handle every system call chalk makes outside Deno's
 * own API goes through (`execve`, signal dispositions, pipes, `poll`, `waitpid`, ...). Opened
 * at the first call, once per process. glibc only (`libc.so.6`): chalk's runtime in wrapped
 * images carries the host's glibc (docs/docker.md, "Entrypoint wrapping").
 *
 * @module
 */

const SYMBOLS = {
  execve: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
  signal: { parameters: ["i32", "pointer"], result: "pointer" },
  syscall: { parameters: ["i64", "i64", "buffer", "pointer", "i64"], result: "i64" },
  sigprocmask: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  strerror: { parameters: ["i32"], result: "pointer" },
  __errno_location: { parameters: [], result: "pointer" },
  setpriority: { parameters: ["i32", "u32", "i32"], result: "i32" },
  waitpid: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  isatty: { parameters: ["i32"], result: "i32" },
  tcgetpgrp: { parameters: ["i32"], result: "i32" },
  getpgrp: { parameters: [], result: "i32" },
  open: { parameters: ["buffer", "i32"], result: "i32" },
  dup2: { parameters: ["i32", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  pipe2: { parameters: ["buffer", "i32"], result: "i32" },
  fcntl: { parameters: ["i32", "i32", "i32"], result: "i32" },
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "u64"], result: "i64" },
  write: { parameters: ["i32", "buffer", "u64"], result: "i64" },
  // On a thread of Deno's blocking pool: waits for a signal the whole process blocks, and
  // for a child's end.
  waitpidBlocking: {
    name: "waitpid",
    parameters: ["i32", "buffer", "i32"],
    result: "i32",
    nonblocking: true,
  },
  posix_spawn: {
    parameters: ["buffer", "buffer", "pointer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  posix_spawnattr_init: { parameters: ["buffer"], result: "i32" },
  posix_spawnattr_setflags: { parameters: ["buffer", "i16"], result: "i32" },
  posix_spawnattr_setsigmask: { parameters: ["buffer", "buffer"], result: "i32" },
  posix_spawnattr_setsigdefault: { parameters: ["buffer", "buffer"], result: "i32" },
  sigwaitinfo: { parameters: ["buffer", "pointer"], result: "i32", nonblocking: true },
} as const;

/** The opened C library. */
export type Libc = Deno.DynamicLibrary<typeof SYMBOLS>;

let handle: Libc | undefined;

/** The C library's symbols (opened at the first call). */
export function libc(): Libc {
  handle ??= Deno.dlopen("libc.so.6", SYMBOLS);
  return handle;
}

/** A NUL-terminated copy of `text`, for a `const char *` parameter. */
export function cString(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(text);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** `errno` of the last failed call, and its text. */
export function lastError(lib: Libc = libc()): { errno: number; text: string } {
  const loc = lib.symbols.__errno_location();
  const errno = loc ? new Deno.UnsafePointerView(loc).getInt32() : 0;
  const msg = lib.symbols.strerror(errno);
  return { errno, text: msg ? Deno.UnsafePointerView.getCString(msg) : `errno ${errno}` };
}
