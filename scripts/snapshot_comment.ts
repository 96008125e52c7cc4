/**
 * The bundle keeps the base configuration's snapshot in a comment (docs/architecture.md,
 * "Start-up"). esbuild prints the 295 KB snapshot string as a template literal, and V8 scans it
 * character by character when the module that holds it is first compiled, at every full-path
 * start (it runs after Deno stores the code cache): 12-13 ms here, 7-8 ms as a plain string. A
 * comment is skipped at a fraction of that, and `Function.prototype.toString` gives its text back
 * (the exact source, as ES2019 requires): ~0.3-0.7 ms. The value is the same string, so the
 * program reads it as before; only the bundle's text changes, and run from source or compiled it
 * stays the literal.
 *
 * @module
 */

/** Prepended to the bundle: the text of the comment inside `f`. */
export const COMMENT_TEXT_SHIM =
  'var __commentText=(f)=>{const s=String(f);return s.slice(s.indexOf("/*")+2,s.lastIndexOf("*/"))};';

const LITERAL_START = '`{"version":';

/** The value of a template literal without substitutions (the escapes esbuild writes). */
function templateValue(literal: string): string {
  let out = "";
  for (let i = 1; i < literal.length - 1; i++) {
    const c = literal[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = literal[++i];
    if (e === "u" && literal[i + 1] === "{") {
      const close = literal.indexOf("}", i);
      out += String.fromCodePoint(parseInt(literal.slice(i + 2, close), 16));
      i = close;
    } else if (e === "u") {
      out += String.fromCharCode(parseInt(literal.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      out += { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", 0: "\0" }[e] ?? e;
    }
  }
  return out;
}

/** `json` with the same value, ASCII only (the bundle stays a one-byte string) and no `*\/`. */
function commentSafe(json: string): string {
  return json
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replaceAll("*/", "*\\/");
}

/**
 * `bundle` with the template literal that holds `snapshot` replaced by a call that reads it from
 * a comment; throws when the literal is not found exactly once or does not hold `snapshot`.
 */
export function snapshotAsComment(bundle: string, snapshot: string): string {
  const start = bundle.indexOf(LITERAL_START);
  if (start < 0 || bundle.indexOf(LITERAL_START, start + 1) >= 0) {
    throw new Error("the base snapshot's literal is not in the bundle exactly once");
  }
  let end = start + 1;
  while (end < bundle.length && bundle[end] !== "`") end += bundle[end] === "\\" ? 2 : 1;
  const literal = bundle.slice(start, end + 1);
  if (templateValue(literal) !== snapshot) {
    throw new Error("the template literal found does not hold the base snapshot");
  }
  const json = commentSafe(snapshot);
  if (JSON.stringify(JSON.parse(json)) !== JSON.stringify(JSON.parse(snapshot))) {
    throw new Error("the snapshot's comment form does not parse to the same value");
  }
  return `${bundle.slice(0, start)}__commentText(function(){/*${json}*/})${bundle.slice(end + 1)}`;
}
