/**
 * Git identities (`Name <email> <epoch> <tz>`) and their dates as chalk
 * reports them: ISO-8601 in the identity's own offset with `.000` ms, and
 * epoch milliseconds.
 */

/** A person line of a commit or tag, split up. */
export interface GitIdent {
  /** `Name <email>` */
  person: string;
  /** Seconds since the epoch, when the line has a date. */
  epochSeconds?: bigint;
  /** The offset as written by git: `+0200`, `-0400`. */
  tz?: string;
}

/**
 * Split an `author` / `committer` / `tagger` header value.
 *
 * @example
 * ```ts
 * parseIdent("Ann <a@x> 1695487268 -0400");
 * // { person: "Ann <a@x>", epochSeconds: 1695487268n, tz: "-0400" }
 * ```
 */
export function parseIdent(value: string): GitIdent {
  const close = value.lastIndexOf(">");
  if (close < 0) return { person: value.trim() };
  const person = value.slice(0, close + 1).trim();
  const m = /^\s*(-?\d+)(?:\s+([+-]\d{4}))?\s*$/.exec(value.slice(close + 1));
  if (m === null) return { person };
  return { person, epochSeconds: BigInt(m[1]), tz: m[2] ?? "+0000" };
}

/** Epoch milliseconds of an identity's date (TIMESTAMP_*). */
export function identTimestampMs(ident: GitIdent): bigint | undefined {
  return ident.epochSeconds === undefined ? undefined : ident.epochSeconds * 1000n;
}

/**
 * ISO-8601 text of an epoch time shown in a git offset (DATE_*), or
 * undefined when the time is outside what a JS Date can show.
 *
 * @example
 * ```ts
 * formatGitDate(1695487268n, "-0400"); // "2023-09-23T12:41:08.000-04:00"
 * ```
 */
export function formatGitDate(epochSeconds: bigint, tz: string): string | undefined {
  const m = /^([+-])(\d{2})(\d{2})$/.exec(tz) ?? ["+0000", "+", "00", "00"];
  const offsetMinutes = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const ms = Number(epochSeconds) * 1000 + offsetMinutes * 60_000;
  const local = new Date(ms);
  if (Number.isNaN(local.getTime())) return undefined;
  // A zero offset is `+00:00` even when git wrote `-0000` (imported history does): ISO 8601 has
  // no `-00:00`, and git's own `%aI` and the original both print `+00:00`.
  const sign = offsetMinutes === 0 ? "+" : m[1];
  return local.toISOString().replace(/Z$/, `${sign}${m[2]}:${m[3]}`);
}

/** The DATE_* text of an identity, when it has a date. */
export function identDate(ident: GitIdent): string | undefined {
  if (ident.epochSeconds === undefined) return undefined;
  return formatGitDate(ident.epochSeconds, ident.tz ?? "+0000");
}
