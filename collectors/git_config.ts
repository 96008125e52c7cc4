/**
 * A small reader for git's INI-like configuration files and the rule
 * that picks a repository's ORIGIN_URI ({@link selectOrigin}). Pure: text
 * in, data out.
 */
import { GitReadError } from "./git_error.ts";

/** One `key = value` line of a git config file. */
export interface GitConfigEntry {
  /** Section name, lower-cased (`remote`). */
  section: string;
  /** Subsection, case kept (`origin`); undefined for `[core]`. */
  subsection: string | undefined;
  /** Variable name, lower-cased (`url`). */
  key: string;
  /** The value with quotes and escapes resolved; undefined for a bare `key` (boolean true). */
  value: string | undefined;
}

const isAlpha = (c: string): boolean => /^[A-Za-z]$/.test(c);
const isKeyChar = (c: string): boolean => /^[A-Za-z0-9-]$/.test(c);
const isSectionChar = (c: string): boolean => /^[A-Za-z0-9.-]$/.test(c);
const isBlank = (c: string): boolean => c === " " || c === "\t" || c === "\r";

/**
 * Parse the text of a git config file: `[section]`, `[section "sub"]`,
 * the old `[section.sub]` form, `#`/`;` comments, double quotes, the
 * escapes `\n \t \b \" \\`, and backslash line continuations.
 * `include` directives are kept as plain entries, not followed.
 *
 * @param text the file's content
 * @param file the file's path, for error messages
 * @throws {GitReadError} naming `file` and the line of the first syntax error
 */
export function parseGitConfig(text: string, file = "config"): GitConfigEntry[] {
  const out: GitConfigEntry[] = [];
  // A UTF-8 byte order mark (an editor on Windows writes one) is skipped, as git does.
  let pos = text.startsWith("\uFEFF") ? 1 : 0;
  let line = 1;
  let section: string | undefined;
  let subsection: string | undefined;
  const fail = (reason: string): never => {
    throw new GitReadError(file, `line ${line}: ${reason}`);
  };
  const peek = (): string => text[pos] ?? "";
  const next = (): string => {
    const c = text[pos++] ?? "";
    if (c === "\n") line++;
    return c;
  };
  const skipToEol = (): void => {
    while (pos < text.length && text[pos] !== "\n") pos++;
  };

  const parseHeader = (): void => {
    let name = "";
    while (isSectionChar(peek())) name += next();
    let sub: string | undefined;
    if (isBlank(peek())) {
      while (isBlank(peek())) next();
      if (next() !== '"') fail("expected '\"' in section header");
      sub = "";
      while (true) {
        if (peek() === "" || peek() === "\n") fail("unterminated subsection name");
        const c = next();
        if (c === '"') break;
        sub += c === "\\" ? next() : c;
      }
    }
    if (next() !== "]") fail("expected ']' to close section header");
    if (name === "") fail("empty section name");
    if (sub === undefined && name.includes(".")) {
      const dot = name.indexOf(".");
      sub = name.slice(dot + 1).toLowerCase();
      name = name.slice(0, dot);
    }
    section = name.toLowerCase();
    subsection = sub;
  };

  const parseValue = (): string => {
    let value = "";
    let spaces = 0;
    let quoted = false;
    let comment = false;
    while (pos < text.length) {
      if (quoted && peek() === "\n") fail("newline inside quoted value");
      const c = next();
      if (c === "\n") return value;
      if (comment) continue;
      if (!quoted && isBlank(c)) {
        if (value !== "") spaces++;
        continue;
      }
      if (!quoted && (c === "#" || c === ";")) {
        comment = true;
        continue;
      }
      value += " ".repeat(spaces);
      spaces = 0;
      if (c === "\\") {
        const e = next();
        if (e === "\n") continue;
        if (e === "\r" && peek() === "\n") {
          next();
          continue;
        }
        const mapped =
          ({ n: "\n", t: "\t", b: "\b", '"': '"', "\\": "\\" } as Record<string, string>)[
            e
          ];
        if (mapped === undefined) fail(`bad escape '\\${e}' in value`);
        value += mapped;
        continue;
      }
      if (c === '"') {
        quoted = !quoted;
        continue;
      }
      value += c;
    }
    if (quoted) fail("unterminated quoted value");
    return value;
  };

  while (pos < text.length) {
    const c = peek();
    if (isBlank(c) || c === "\n") {
      next();
    } else if (c === "#" || c === ";") {
      skipToEol();
    } else if (c === "[") {
      next();
      parseHeader();
    } else if (isAlpha(c)) {
      let key = "";
      while (isKeyChar(peek())) key += next();
      while (isBlank(peek())) next();
      let value: string | undefined;
      if (peek() === "=") {
        next();
        value = parseValue();
      } else if (peek() === "\n" || peek() === "" || peek() === "#" || peek() === ";") {
        skipToEol();
      } else {
        fail(`unexpected '${peek()}' after key '${key}'`);
      }
      if (section === undefined) fail(`key '${key}' outside any section`);
      out.push({ section: section as string, subsection, key: key.toLowerCase(), value });
    } else {
      fail(`unexpected '${c}'`);
    }
  }
  return out;
}

/** All values of `section.subsection.key`, in file order. */
export function configValues(
  entries: GitConfigEntry[],
  section: string,
  subsection: string | undefined,
  key: string,
): string[] {
  const s = section.toLowerCase();
  const k = key.toLowerCase();
  return entries
    .filter((e) => e.section === s && e.subsection === subsection && e.key === k)
    .map((e) => e.value ?? "true");
}

/**
 * Remove `user[:password]@` from http(s) URLs (everything up to the last
 * `@` of the authority), as the original does. Other `scheme://` URLs
 * (`ssh://`, `ftps://`, `git+https://`) keep their user, which names the
 * account (`ssh://git@host`), but lose a password: git ignores one there,
 * yet a token written into it would otherwise reach every report.
 * scp-like `user@host:path` has no password and is returned unchanged.
 *
 * @example
 * ```ts
 * stripUrlCredentials("https://u:p@host/x.git"); // "https://host/x.git"
 * stripUrlCredentials("ssh://git:p@host/x.git"); // "ssh://git@host/x.git"
 * ```
 */
export function stripUrlCredentials(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (m === null) return url;
  const at = m[2].lastIndexOf("@");
  if (at < 0) return url;
  const host = m[2].slice(at + 1);
  if (/^https?:\/\/$/i.test(m[1])) return m[1] + host + m[3];
  const user = m[2].slice(0, at);
  const colon = user.indexOf(":");
  return colon < 0 ? url : `${m[1]}${user.slice(0, colon)}@${host}${m[3]}`;
}

/**
 * The ORIGIN_URI of a repository: the url of the remote
 * named by `[branch "<branch>"] remote`; else `[remote "origin"] url`;
 * else the first remote with a url; else `local`. Credentials are removed
 * from http(s) URLs.
 */
export function selectOrigin(entries: GitConfigEntry[], branch: string | undefined): string {
  const firstUrl = (remote: string): string | undefined =>
    configValues(entries, "remote", remote, "url")[0];
  if (branch !== undefined) {
    const remote = configValues(entries, "branch", branch, "remote").at(-1);
    const url = remote === undefined ? undefined : firstUrl(remote);
    if (url !== undefined) return stripUrlCredentials(url);
  }
  const origin = firstUrl("origin");
  if (origin !== undefined) return stripUrlCredentials(origin);
  const any = entries.find((e) => e.section === "remote" && e.key === "url" && e.value);
  if (any?.value !== undefined) return stripUrlCredentials(any.value);
  return "local";
}
