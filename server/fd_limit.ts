/**
 * The process's open-file limit (the soft `RLIMIT_NOFILE`), read from `/proc/self/limits`
 * because Deno has no `getrlimit`. The connection cap stays below it, so accepting never runs
 * out of descriptors.
 *
 * @module
 */

/** Descriptors kept for the database, log files, TLS material and the runtime itself. */
export const FD_RESERVE = 96;

/** The soft open-file limit, or `null` when it cannot be read (not Linux) or is unlimited. */
export function openFileLimit(limitsText?: string): number | null {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = Deno.readTextFileSync("/proc/self/limits");
    } catch {
      return null;
    }
  }
  const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
  return m === null || m[1] === "unlimited" ? null : Number(m[1]);
}

/** The connection cap: `wanted`, lowered to leave {@linkcode FD_RESERVE} descriptors free. */
export function connectionCap(wanted: number, limit: number | null = openFileLimit()): number {
  if (limit === null) return wanted;
  return Math.max(8, Math.min(wanted, limit - FD_RESERVE));
}
