/**
 * Parsing and printing of con4m's "other literals": the text between `<<` and `>>` (and bare dotted
 * numbers) classified as DateTime, Date, Time, Duration, Size, IPAddr or CIDR. The same parsers
 * back the conversion builtins `Duration(s)`, `Size(s)`, `Date(s)`, ...
 *
 * Representations: Duration is a number of microseconds and Size a number of bytes (both `bigint`);
 * the other five are normalised strings.
 *
 * Deviations from the original (docs/con4m.md, "Compatibility notes"): day 31 is refused for
 * April too, and `12pm`/`12am` map to 12:00/00:00 instead of being rejected or wrapped.
 *
 * @module
 */

/** The seven types an other-literal can have, in classification order. */
export type OtherLiteralType =
  | "DateTime"
  | "Date"
  | "Time"
  | "Duration"
  | "Size"
  | "IPAddr"
  | "CIDR";

/** A classified other-literal: its type and its runtime value. */
export type OtherLiteral =
  | { type: "Duration" | "Size"; value: bigint }
  | { type: "DateTime" | "Date" | "Time" | "IPAddr" | "CIDR"; value: string };

const INT64_MAX = (1n << 63n) - 1n;
const DIGITS = /^[0-9]+$/;

const USEC_PER_SEC = 1_000_000n;
const DURATION_UNITS: ReadonlyArray<[readonly string[], bigint]> = [
  [["us", "usec", "usecs"], 1n],
  [["ms", "msec", "msecs"], 1000n],
  [["s", "sec", "secs", "seconds"], USEC_PER_SEC],
  [["m", "min", "mins", "minutes"], 60n * USEC_PER_SEC],
  [["h", "hr", "hrs", "hours"], 3600n * USEC_PER_SEC],
  [["d", "day", "days"], 86400n * USEC_PER_SEC],
  [["w", "wk", "wks", "week", "weeks"], 7n * 86400n * USEC_PER_SEC],
  [["y", "yr", "yrs", "year", "years"], 365n * 86400n * USEC_PER_SEC],
];

const SIZE_UNITS: ReadonlyArray<[readonly string[], bigint]> = [
  [["b", "B", "Bytes", "bytes"], 1n],
  [["k", "K", "kb", "Kb", "KB"], 1000n],
  [["ki", "Ki", "kib", "KiB", "KIB"], 1n << 10n],
  [["m", "M", "mb", "Mb", "MB"], 1000n ** 2n],
  [["mi", "Mi", "mib", "MiB", "MIB"], 1n << 20n],
  [["g", "G", "gb", "Gb", "GB"], 1000n ** 3n],
  [["gi", "Gi", "gib", "GiB", "GIB"], 1n << 30n],
  [["t", "T", "tb", "Tb", "TB"], 1000n ** 4n],
  [["ti", "Ti", "tib", "TiB", "TIB"], 1n << 40n],
];

const MONTHS: ReadonlyArray<readonly string[]> = [
  ["jan", "january"],
  ["feb", "february"],
  ["mar", "march"],
  ["apr", "april"],
  ["may"],
  ["jun", "june"],
  ["jul", "july"],
  ["aug", "august"],
  ["sep", "sept", "september"],
  ["oct", "october"],
  ["nov", "november"],
  ["dec", "december"],
];

/**
 * Parse a duration such as `3 sec`, `1 hr 30 mins` or `2d,4h` into microseconds.
 * Returns `undefined` when the text is not a duration (or exceeds int64).
 *
 * @example
 * ```ts
 * parseDuration("1 hr 6 min 22s"); // 3982000000n
 * ```
 */
export function parseDuration(text: string): bigint | undefined {
  const s = text.trim();
  if (s === "") return undefined;
  const group = /([0-9]+) *([A-Za-z]+)[ ,]*/y;
  const seen = new Set<number>();
  let total = 0n;
  let pos = 0;
  while (pos < s.length) {
    group.lastIndex = pos;
    const m = group.exec(s);
    if (m === null) return undefined;
    pos = group.lastIndex;
    const unit = m[2].toLowerCase();
    const idx = DURATION_UNITS.findIndex(([names]) => names.includes(unit));
    if (idx < 0 || seen.has(idx)) return undefined;
    seen.add(idx);
    total += BigInt(m[1]) * DURATION_UNITS[idx][1];
  }
  return total > INT64_MAX ? undefined : total;
}

/**
 * Parse a size such as `250mb`, `10 KiB` or `1b` into bytes (`k`/`m`/`g`/`t` are powers of
 * 1000, the `i` forms powers of 1024). Returns `undefined` when the text is not a size.
 *
 * @example
 * ```ts
 * parseSize("250mb"); // 250000000n
 * ```
 */
export function parseSize(text: string): bigint | undefined {
  const m = /^([0-9]+)\s*([A-Za-z]+)$/.exec(text.trim());
  if (m === null) return undefined;
  const unit = SIZE_UNITS.find(([names]) => names.includes(m[2]));
  if (unit === undefined) return undefined;
  const total = BigInt(m[1]) * unit[1];
  return total > INT64_MAX ? undefined : total;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function validDay(month: number, day: number): boolean {
  if (day > 31) return false;
  if (month === 2 && day > 29) return false;
  if (day === 31 && [4, 6, 9, 11].includes(month)) return false;
  return true;
}

function isoDate(s: string): string | undefined {
  let m = /^--([01][0-9])$/.exec(s);
  if (m !== null) return Number(m[1]) <= 12 ? s : undefined;
  m = /^--([01][0-9])-([0-3][0-9])$/.exec(s);
  if (m !== null) {
    const month = Number(m[1]);
    return month <= 12 && validDay(month, Number(m[2])) ? s : undefined;
  }
  m = /^([0-9]{4})-?([01][0-9])-?([0-3][0-9])$/.exec(s);
  if (m === null) return undefined;
  // Either both dashes or neither.
  if (s.length !== 8 && s.length !== 10) return undefined;
  const month = Number(m[2]);
  if (month > 12 || !validDay(month, Number(m[3]))) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  const i = MONTHS.findIndex((names) => names.includes(lower));
  return i < 0 ? undefined : i + 1;
}

function writtenDate(month: number, dayText: string, yearText: string): string | undefined {
  let day = dayText === "" ? 0 : Number(dayText);
  let year = yearText === "" ? 0 : Number(yearText);
  if (dayText.length === 4 && yearText === "") {
    year = day;
    day = 0;
  }
  if (!validDay(month, day)) return undefined;
  const mm = pad2(month);
  if (year !== 0) {
    const yyyy = String(year).padStart(4, "0");
    if (yyyy.length > 4) return undefined;
    return day === 0 ? `${yyyy}-${mm}` : `${yyyy}-${mm}-${pad2(day)}`;
  }
  return day === 0 ? `--${mm}` : `--${mm}-${pad2(day)}`;
}

function monthFirstDate(s: string): string | undefined {
  const m = /^([A-Za-z]+) *([0-9]*)(?:,)? *([0-9]*)$/.exec(s);
  if (m === null) return undefined;
  const month = monthNumber(m[1]);
  return month === undefined ? undefined : writtenDate(month, m[2], m[3]);
}

function dayFirstDate(s: string): string | undefined {
  const m = /^([0-9]+) *([A-Za-z]+)(?:,)? *([0-9]*)$/.exec(s);
  if (m === null) return undefined;
  const month = monthNumber(m[2]);
  return month === undefined ? undefined : writtenDate(month, m[1], m[3]);
}

/**
 * Parse a date: ISO `YYYY-MM-DD`, `YYYYMMDD`, `--MM`, `--MM-DD`, or English month-name forms
 * (`Jan 7, 2007`, `2 Mar 1401`, `Jan 2027`). Returns the ISO-8601 text or `undefined`.
 *
 * @example
 * ```ts
 * parseDate("Jan 7, 2007"); // "2007-01-07"
 * ```
 */
export function parseDate(text: string): string | undefined {
  const s = text.trim();
  if (s === "") return undefined;
  return isoDate(s) ?? monthFirstDate(s) ?? dayFirstDate(s);
}

/**
 * Parse a time of day: `H:MM`, `HH:MM[:SS][.frac][Z|±HH:MM]` or `HH:MM[:SS]am|pm`.
 * Returns the normalised `HH:MM:SS[.frac][zone]` text or `undefined`.
 *
 * @example
 * ```ts
 * parseTime("9:05pm"); // "21:05:00"
 * ```
 */
export function parseTime(text: string): string | undefined {
  const s = text.trim();
  const iso =
    /^([0-9]{1,2}):([0-5][0-9])(?::([0-6]?[0-9])(?:\.([0-9]+))?)?(Z|z|[+-][0-2][0-9]:[0-5][0-9])?$/
      .exec(s);
  const ampm = /^([0-9]{1,2}):([0-5][0-9])(?::([0-6]?[0-9]))? ?([AaPp])[Mm]$/.exec(s);
  const m = iso ?? ampm;
  if (m === null) return undefined;
  let hour = Number(m[1]);
  const min = Number(m[2]);
  const sec = m[3] === undefined ? 0 : Number(m[3]);
  let suffix = "";
  if (iso !== null) {
    if (iso[4] !== undefined) suffix += `.${iso[4]}`;
    if (iso[5] !== undefined) {
      const zone = iso[5].toUpperCase();
      if (zone !== "Z" && Number(zone.slice(1, 3)) > 23) return undefined;
      suffix += zone;
    }
  } else if (ampm !== null) {
    if (hour < 1 || hour > 12) return undefined;
    const pm = ampm[4].toLowerCase() === "p";
    if (hour === 12) hour = pm ? 12 : 0;
    else if (pm) hour += 12;
  }
  if (hour > 23 || min > 59 || sec > 60) return undefined;
  return `${pad2(hour)}:${pad2(min)}:${pad2(sec)}${suffix}`;
}

/**
 * Parse a date-time: a date and a time joined by exactly one `T` (or `t`).
 *
 * @example
 * ```ts
 * parseDateTime("2024-03-01T12:30"); // "2024-03-01T12:30:00"
 * ```
 */
export function parseDateTime(text: string): string | undefined {
  const s = text.trim();
  const upper = s.indexOf("T");
  const lower = s.indexOf("t");
  if (upper >= 0 && lower >= 0) return undefined;
  const at = upper >= 0 ? upper : lower;
  if (at < 0 || at === s.length - 1) return undefined;
  if (s.indexOf(s[at], at + 1) >= 0) return undefined;
  const date = parseDate(s.slice(0, at));
  const time = parseTime(s.slice(at + 1));
  return date === undefined || time === undefined ? undefined : `${date}T${time}`;
}

function isIPv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 &&
    parts.every((p) => DIGITS.test(p) && p.length <= 3 && Number(p) <= 255);
}

function isIPv6(s: string): boolean {
  if (!/^[0-9A-Fa-f:]+$/.test(s)) return false;
  const groups = s.split(":");
  return groups.length >= 3 && groups.length <= 8 && groups.every((g) => g.length <= 4);
}

/**
 * Parse an IP address (dotted-quad IPv4 or a loose IPv6 form of 3..8 hex groups).
 * Returns the trimmed text or `undefined`.
 *
 * @example
 * ```ts
 * parseIPAddr("10.0.0.1"); // "10.0.0.1"
 * ```
 */
export function parseIPAddr(text: string): string | undefined {
  const s = text.trim();
  return isIPv4(s) || isIPv6(s) ? s : undefined;
}

/**
 * Parse a CIDR block `<IPAddr>/<n>` (n ≤ 128, and ≤ 32 for IPv4).
 *
 * @example
 * ```ts
 * parseCIDR("192.168.0.0/16"); // "192.168.0.0/16"
 * ```
 */
export function parseCIDR(text: string): string | undefined {
  const s = text.trim();
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const addr = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (parseIPAddr(addr) === undefined || !DIGITS.test(bits)) return undefined;
  const n = Number(bits);
  if (n > 128 || (n > 32 && addr.includes("."))) return undefined;
  return s;
}

/**
 * Classify the text of an other-literal, trying DateTime, Date, Time, Duration, Size, IPAddr and
 * CIDR in that order. Returns `undefined` when nothing matches (the checker then reports
 * `Invalid literal: <<text>>`).
 *
 * @example
 * ```ts
 * classifyOtherLiteral("3 sec"); // { type: "Duration", value: 3000000n }
 * classifyOtherLiteral("250mb"); // { type: "Size", value: 250000000n }
 * ```
 */
export function classifyOtherLiteral(text: string): OtherLiteral | undefined {
  const s = text.trim();
  const dt = parseDateTime(s);
  if (dt !== undefined) return { type: "DateTime", value: dt };
  const date = parseDate(s);
  if (date !== undefined) return { type: "Date", value: date };
  const time = parseTime(s);
  if (time !== undefined) return { type: "Time", value: time };
  const dur = parseDuration(s);
  if (dur !== undefined) return { type: "Duration", value: dur };
  const size = parseSize(s);
  if (size !== undefined) return { type: "Size", value: size };
  const ip = parseIPAddr(s);
  if (ip !== undefined) return { type: "IPAddr", value: ip };
  const cidr = parseCIDR(s);
  if (cidr !== undefined) return { type: "CIDR", value: cidr };
  return undefined;
}

const DURATION_PARTS: ReadonlyArray<[bigint, string, string]> = [
  [365n * 86400n * USEC_PER_SEC, "year", "years"],
  [7n * 86400n * USEC_PER_SEC, "week", "weeks"],
  [86400n * USEC_PER_SEC, "day", "days"],
  [3600n * USEC_PER_SEC, "hr", "hrs"],
  [60n * USEC_PER_SEC, "min", "mins"],
  [USEC_PER_SEC, "sec", "secs"],
  [1000n, "msec", "msecs"],
  [1n, "usec", "usecs"],
];

/**
 * Render a duration (microseconds) in words, e.g. `1 hr 6 mins 22 secs`. The output parses
 * back with {@linkcode parseDuration} to the same value. Zero is `0 secs`.
 */
export function formatDuration(usec: bigint): string {
  if (usec <= 0n) return `${usec} secs`;
  const parts: string[] = [];
  let rest = usec;
  for (const [unit, one, many] of DURATION_PARTS) {
    const n = rest / unit;
    if (n === 0n) continue;
    rest -= n * unit;
    parts.push(`${n} ${n === 1n ? one : many}`);
  }
  return parts.join(" ");
}

const SIZE_PRINT: ReadonlyArray<[bigint, string]> = [
  [1n << 40n, "TiB"],
  [1000n ** 4n, "TB"],
  [1n << 30n, "GiB"],
  [1000n ** 3n, "GB"],
  [1n << 20n, "MiB"],
  [1000n ** 2n, "MB"],
  [1n << 10n, "KiB"],
  [1000n, "KB"],
];

/**
 * Render a size (bytes) with the unit giving the smallest whole number, e.g. `250MB`, `1MiB`,
 * `1500B`. The output parses back with {@linkcode parseSize} to the same value.
 */
export function formatSize(bytes: bigint): string {
  let best: string = `${bytes}B`;
  let bestN = bytes;
  if (bytes <= 0n) return best;
  for (const [unit, name] of SIZE_PRINT) {
    if (bytes % unit === 0n && bytes / unit < bestN) {
      bestN = bytes / unit;
      best = `${bestN}${name}`;
    }
  }
  return best;
}
