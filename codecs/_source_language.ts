/**
 * Language detection for the source codec (as the original's
 * `codecSource.nim` `detectCache` / `extractShebangLanguage`): extension,
 * shebang, comment prefix. Private to `codecs/`.
 */

import { isValidUtf8 } from "./_utf8.ts";
import type { ByteView } from "./byte_view.ts";

/** One decoder for every file: constructing one costs more than decoding a shebang line. */
const UTF8 = new TextDecoder();

/** Default `source_marks.text_only_extensions`: never source, for any operation. */
export const DEFAULT_TEXT_ONLY_EXTENSIONS: readonly string[] = [
  "json",
  "jsonl",
  "txt",
  "text",
  "md",
  "docx",
];

/** Default `sidecar_extensions` (left to the model sidecar codec). */
export const DEFAULT_SIDECAR_EXTENSIONS: readonly string[] = ["onnx", "bin", "pt", "pth"];

/** Default `source_marks.language_to_comment_map`, plus `deno` (chalk-ts's own bundle). */
export const DEFAULT_LANGUAGE_TO_COMMENT: Readonly<Record<string, string>> = {
  sh: "#",
  csh: "#",
  tcsh: "#",
  ksh: "#",
  zsh: "#",
  terraform: "//",
  node: "//",
  deno: "//",
  typescript: "//",
  php: "//",
  perl: "#",
  python: "#",
  ruby: "#",
  expect: "#",
  tcl: "#",
  ack: "#",
  awk: "#",
};

function langs(language: string, exts: string): [string, string][] {
  return exts.split(" ").map((e) => [e, language]);
}

/** Default `source_marks.extensions_to_languages_map` (`chalk.c42spec` 3489–3612). */
export const DEFAULT_EXTENSION_TO_LANGUAGE: Readonly<Record<string, string>> = Object.fromEntries([
  ...langs("awk", "awk"),
  ...langs("csh", "csh"),
  ...langs("gawk", "gawk"),
  ...langs("ksh", "ksh"),
  ...langs("mawk", "mawk"),
  ...langs("nawk", "nawk"),
  ...langs(
    "node",
    "bones cjs es6 jakefile jake jsb jscad jsfl jsm _js js jss mjs njs pac sjs ssjs xsjslib xsjs",
  ),
  ...langs("perl", "ack al cpanfile perl ph plh pl plx pm psgi rexfile"),
  ...langs("php", "aw ctp dist phakefile php3 php4 php5 php_cs php phps phpt phtml"),
  ...langs(
    "python",
    "bazel buck gclient gypi gyp lmi py3 pyde pyi pyp py pyt pyw sconscript sconstruct " +
      "snakefile tac workspace wscript wsgi xpy",
  ),
  ...langs(
    "ruby",
    "appraisals berksfile brewfile builder buildfile capfile dangerfile deliverfile eye fastfile " +
      "gemfile.lock gemfile gemspec god guardfile irbrc jarfile jbuilder mavenfile mspec podfile " +
      "podspec pryrc puppetfile rabl rake rb rbuild rbw rbx ru snapfile thorfile thor vagrantfile " +
      "watchr",
  ),
  ...langs("sh", "bash fish sh"),
  ...langs("tcl", "itk tcl tk"),
  ...langs("tcsh", "tcsh"),
  ...langs("terraform", "hcl nomad tf"),
  // Not in the original's table: TypeScript sources (run by Deno, Bun, ts-node).
  ...langs("typescript", "ts mts cts"),
  ...langs("zsh", "zsh"),
]);

/** The extension of `path` without its dot, like Nim `splitFile` (a leading dot is part of the name). */
export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1) : "";
}

function basename(token: string): string {
  return token.slice(token.lastIndexOf("/") + 1);
}

/** Drops trailing digits and dots (`python3.11` → `python`), keeping at least the first character. */
function stripVersion(name: string): string {
  let end = name.length - 1;
  while (end > 0) {
    const c = name.charCodeAt(end);
    if ((c >= 0x30 && c <= 0x39) || c === 0x2e) end--;
    else break;
  }
  return end > 0 ? name.slice(0, end + 1) : name;
}

const NIM_WHITESPACE = " \t\v\r\n\f";

function trimNim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && NIM_WHITESPACE.includes(s[a])) a++;
  while (b > a && NIM_WHITESPACE.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/**
 * The language named by the shebang line of `bytes` (which starts with
 * `#!`), or "" when it names none.
 *
 * The line ends at LF, CR or NUL (Nim `readLine`). After trimming, it is
 * split on single spaces and the basename of the first token is the
 * language as is (`python3` stays `python3`), unless it is `env`.
 *
 * DELIBERATE DIFFERENCE from chalk for `env`: chalk takes the LAST
 * remaining token that does not start with `-`, so `#!/usr/bin/env -S deno
 * run -A` would be language `run` with the `#` prefix, and a `#` line is
 * not valid JavaScript. chalk-ts's own offline bundle is exactly such a
 * file, so chalk-ts takes the FIRST token after `env` that does not start
 * with `-` (also skipping env's `NAME=value` assignments), then strips
 * trailing digits and dots: `deno`, prefix `//`.
 */
export function shebangLanguage(bytes: Uint8Array): string {
  let end = 2;
  while (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d && bytes[end] !== 0) {
    end++;
  }
  const line = trimNim(UTF8.decode(bytes.subarray(2, end)));
  const args = line.split(" ");
  const first = basename(args[0]);
  if (first !== "env") return first;
  for (const item of args.slice(1)) {
    if (item === "" || item.startsWith("-") || item.includes("=")) continue;
    return stripVersion(basename(item));
  }
  return "";
}

const SHELLS = new Set(["sh", "bash", "dash", "ksh", "zsh"]);

/**
 * DELIBERATE DIFFERENCE from chalk: a shell script whose second line opens with `":"` and a
 * JavaScript comment (`":" //` or `":" /*`) is a sh/JavaScript polyglot, such as chalk-ts's own
 * bundle (scripts/sh_prologue.ts): sh runs its first lines and execs a JavaScript runtime on
 * the file, which reads every line, so its mark must be a `//` comment (chalk writes `#`,
 * which breaks the program). Its language is `deno` when that line names deno, else `node`.
 */
function polyglotLanguage(view: ByteView): string | undefined {
  const head = view.bytes(0, Math.min(view.size, 1024));
  const start = head.indexOf(0x0a) + 1;
  if (start === 0) return undefined;
  let end = start;
  while (end < head.length && !isLineEnd(head[end])) end++;
  const line = UTF8.decode(head.subarray(start, end));
  if (!/^":" *\/[/*]/.test(line)) return undefined;
  return /(^|[^\w-])deno([^\w-]|$)/.test(line) ? "deno" : "node";
}

/** Options of the source codec (config section `source_marks`), all with chalk's defaults. */
export interface SourceCodecOptions {
  /** Decline non-executable files when chalking (default false). */
  onlyMarkWhenExecuteSet?: boolean;
  /** Decline files without a shebang when chalking (default true). */
  onlyMarkShebangs?: boolean;
  /** Extensions that are never source (default json, jsonl, txt, text, md, docx). */
  textOnlyExtensions?: readonly string[];
  /** Extensions left to the model sidecar codec (default onnx, bin, pt, pth). */
  sidecarExtensions?: readonly string[];
  /** Extension → language. */
  extensionToLanguage?: Readonly<Record<string, string>>;
  /** Language → comment prefix (unknown languages use `#`). */
  languageToComment?: Readonly<Record<string, string>>;
  /** `custom_logic(path, lang, ext, hasShebang, isExe)`: false declines the file. */
  customLogic?: (
    path: string,
    language: string,
    extension: string,
    hasShebang: boolean,
    executable: boolean,
  ) => boolean;
}

/** What language detection found. */
export interface SourceLanguage {
  /** The language (also the artifact type), `sh` when nothing names one. */
  language: string;
  /** The comment prefix the mark line starts with. */
  prefix: string;
  /** Whether a shebang named a language. */
  hasShebang: boolean;
  /** The file extension without its dot ("" when none). */
  extension: string;
}

function isLineEnd(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0;
}

/** The first line of the artifact (to LF, CR or NUL, or its end), read in growing windows. */
function firstLine(view: ByteView): Uint8Array {
  let length = Math.min(view.size, 512);
  for (;;) {
    const head = view.bytes(0, length);
    const end = head.findIndex(isLineEnd);
    if (end >= 0) return head.subarray(0, end);
    if (length === view.size) return head;
    length = Math.min(view.size, length * 8);
  }
}

/**
 * True when the file's `#!` line names an interpreter (`#!` alone, blanks, or `env` with nothing
 * after it name none: such a file is no shebang script, and chalk leaves it alone).
 */
export function namesInterpreter(view: ByteView): boolean {
  return shebangLanguage(firstLine(view)) !== "";
}

/**
 * Language, comment prefix and shebang presence of a text file, or
 * undefined when the extension is text-only / sidecar or the file (without
 * a shebang) does not start with 256 bytes of valid UTF-8. Reads the first
 * line and at most 256 bytes.
 */
export function detectLanguage(
  view: ByteView,
  path: string,
  options: SourceCodecOptions = {},
): SourceLanguage | undefined {
  const extension = extensionOf(path);
  let language = "";
  if (extension !== "") {
    if ((options.textOnlyExtensions ?? DEFAULT_TEXT_ONLY_EXTENSIONS).includes(extension)) return;
    if ((options.sidecarExtensions ?? DEFAULT_SIDECAR_EXTENSIONS).includes(extension)) return;
    const map = options.extensionToLanguage ?? DEFAULT_EXTENSION_TO_LANGUAGE;
    if (Object.hasOwn(map, extension)) language = map[extension];
  }
  let hasShebang = false;
  if (view.size >= 2 && view.byteAt(0) === 0x23 && view.byteAt(1) === 0x21) {
    language = shebangLanguage(firstLine(view)); // overrides the extension, even when empty
    hasShebang = language !== "";
    if (SHELLS.has(language)) language = polyglotLanguage(view) ?? language;
  } else if (!isValidUtf8(view.bytes(0, Math.min(256, view.size)))) {
    // [quirk] a multi-byte character cut at byte 256 makes the file "binary".
    return undefined;
  }
  if (language === "") language = "sh";
  const comments = options.languageToComment ?? DEFAULT_LANGUAGE_TO_COMMENT;
  const prefix = Object.hasOwn(comments, language) ? comments[language] : "#";
  return { language, prefix, hasShebang, extension };
}
