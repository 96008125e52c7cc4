/**
 * Ctrl-C, `kill` and a closed terminal while chalk writes: the temporary files in flight are
 * removed, one line says so, and chalk exits with 128 + the signal's number, as the original does
 * ("Aborting due to signal"). Without this, Deno died at once and left a `.NAME.chalk-XXXX.tmp`
 * as large as the artifact (hundreds of MB) until the next run in that folder swept it.
 *
 * Whatever writes a temporary file registers how to undo it ({@link onAbort}); the listeners
 * are installed before the first one is created ({@link catchTerminatingSignals}: by commands that
 * rewrite files, and by every replacement), so commands that never write pay nothing. A signal
 * is handled between two turns of the event loop, never inside a synchronous step, so a rename is
 * either done (the artifact is complete) or not started (the artifact is as it was). While the
 * undoing waits (a kernel copy still writing, the writing thread finishing its batch), the
 * command's own flow is parked at its next step ({@link parkWhileAborting}) rather than writing
 * more.
 *
 * @module
 */
import { writeAllSync } from "../internal/write_all.ts";
import { flushLogLines } from "../internal/log_lines.ts";
import { clearStatus } from "../internal/status_line.ts";
import { alarm } from "../internal/alarm.ts";
import { retiredFilesGone } from "./retired_files.ts";

/** Undoes one write in flight: removes its temporary file (synchronously, if it can). */
export type AbortCleanup = () => void | Promise<void>;

/** The signals that end chalk, with their numbers (exit status 128 + n). */
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** The longest an abort waits for a copy or the writing thread before it exits anyway. */
const MAX_WAIT_MS = 5_000;

const cleanups = new Set<AbortCleanup>();
let listening = false;
let aborting = false;

/**
 * Registers `cleanup` to run if a terminating signal arrives; call the returned function once
 * the write is finished (renamed or discarded).
 */
export function onAbort(cleanup: AbortCleanup): () => void {
  catchTerminatingSignals();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * Installs the listeners (once). Call it before creating a temporary file: a signal between the
 * file's creation and the listener's first call (its binding takes a moment) would take the
 * default action, which leaves the file.
 */
export function catchTerminatingSignals(): void {
  if (!listening) listen();
}

/** True once a terminating signal is being handled. */
export function isAborting(): boolean {
  return aborting;
}

const never = new Promise<never>(() => {});

/**
 * Returns at once, unless chalk is aborting: then it never settles, so the caller's flow stops
 * where it stands (the process exits when the cleanups are done).
 */
export function parkWhileAborting(): Promise<void> {
  return aborting ? never : Promise.resolve();
}

function listen(): void {
  listening = true;
  for (const [signal, number] of Object.entries(SIGNALS)) {
    try {
      Deno.addSignalListener(signal as Deno.Signal, () => abort(signal, number));
    } catch { /* a platform without it: the signal keeps its default action */ }
  }
}

async function withinLimit(work: Promise<unknown>): Promise<void> {
  await new Promise<void>((settled) => {
    const limit = alarm(MAX_WAIT_MS, settled);
    work.finally(() => {
      limit.cancel();
      settled();
    });
  });
}

async function abort(signal: string, number: number): Promise<void> {
  if (aborting) return;
  aborting = true;
  const pending: Promise<unknown>[] = [];
  for (const cleanup of [...cleanups]) {
    try {
      const more = cleanup();
      if (more) pending.push(more);
    } catch { /* the next run's sweep removes what is left */ }
  }
  cleanups.clear();
  flushLogLines();
  clearStatus();
  const line = `error: Aborting due to signal ${signal} (${number}); ` +
    "temporary files removed, no artifact half-written\n";
  writeAllSync(Deno.stderr, new TextEncoder().encode(line));
  pending.push(retiredFilesGone());
  await withinLimit(Promise.allSettled(pending));
  Deno.exit(128 + number);
}
