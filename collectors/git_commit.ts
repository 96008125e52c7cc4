/**
 * Parsing commit and tag object content (the part after the
 * `type size\0` header): header lines, signatures, messages. Pure.
 */
import { type GitIdent, parseIdent } from "./git_date.ts";

/** A commit object, reduced to what chalk reports. */
export interface ParsedCommit {
  /** The root tree's id. */
  tree: string | undefined;
  /** Parent commit ids (absent ones in a shallow clone are never read). */
  parents: string[];
  /** The `author` header. */
  author: GitIdent | undefined;
  /** The `committer` header. */
  committer: GitIdent | undefined;
  /** True when the commit carries a `gpgsig` (or `gpgsig-sha256`) header. */
  signed: boolean;
  /** The message, trimmed. */
  message: string;
}

/** An annotated tag object, reduced to what chalk reports. */
export interface ParsedTag {
  /** The tagged object's id. */
  object: string | undefined;
  /** The tagged object's type (`commit`, or `tag` for a tag of a tag). */
  type: string | undefined;
  /** The tag name recorded inside the object. */
  tag: string | undefined;
  /** The `tagger` header (absent in some very old tags). */
  tagger: GitIdent | undefined;
  /** True when the message ends in a signature block (or a `gpgsig` header is present). */
  signed: boolean;
  /** The message without the signature block, trimmed. */
  message: string;
}

/** Prefixes of the lines that open a signature appended to a tag message (git `gpg-interface.c`). */
const SIGNATURE_STARTS = [
  "-----BEGIN PGP SIGNATURE-----",
  "-----BEGIN PGP MESSAGE-----",
  "-----BEGIN SSH SIGNATURE-----",
  "-----BEGIN SIGNED MESSAGE-----",
];
const SIGNATURE_HEADERS = new Set(["gpgsig", "gpgsig-sha256"]);

interface SplitObject {
  headers: [string, string][];
  body: Uint8Array;
}

const decoder = new TextDecoder();
const latin1 = new TextDecoder("latin1");

/**
 * The decoder for an object's text: the one its `encoding` header names
 * (looked up in the raw header bytes, read as Latin-1, which keeps ASCII
 * intact), else UTF-8. The header covers the whole object, identities
 * included: with `i18n.commitEncoding=ISO-8859-1` git writes the author's
 * name in Latin-1 too, and `git log` shows it re-encoded.
 */
function objectDecoder(head: Uint8Array): TextDecoder {
  const label = /^encoding (.+)$/m.exec(latin1.decode(head))?.[1].trim();
  if (label === undefined) return decoder;
  try {
    return new TextDecoder(label);
  } catch {
    return decoder; // unknown label: UTF-8, as git falls back to for display
  }
}

/** Split object content into header fields (continuation lines joined) and the body. */
function splitObject(data: Uint8Array): SplitObject {
  let end = -1;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0a && (i === 0 || data[i - 1] === 0x0a)) {
      end = i;
      break;
    }
  }
  const head = end < 0 ? data : data.subarray(0, end);
  const headText = objectDecoder(head).decode(head);
  const body = end < 0 ? new Uint8Array(0) : data.subarray(end + 1);
  const headers: [string, string][] = [];
  for (const line of headText.split("\n")) {
    if (line === "") continue;
    if (line.startsWith(" ") && headers.length > 0) {
      headers[headers.length - 1][1] += "\n" + line.slice(1);
      continue;
    }
    const sp = line.indexOf(" ");
    headers.push(sp < 0 ? [line, ""] : [line.slice(0, sp), line.slice(sp + 1)]);
  }
  return { headers, body };
}

function header(headers: [string, string][], name: string): string | undefined {
  return headers.find(([k]) => k === name)?.[1];
}

function decodeBody(body: Uint8Array, headers: [string, string][]): string {
  const encoding = header(headers, "encoding");
  if (encoding !== undefined) {
    try {
      return new TextDecoder(encoding.trim()).decode(body);
    } catch {
      // unknown label: fall back to UTF-8 like git does for display
    }
  }
  return decoder.decode(body);
}

/**
 * Parse the content of a commit object.
 *
 * @example
 * ```ts
 * const c = parseCommit(new TextEncoder().encode("tree t\nauthor A <a> 1 +0000\n\nmsg\n"));
 * // c.message === "msg"
 * ```
 */
export function parseCommit(data: Uint8Array): ParsedCommit {
  const { headers, body } = splitObject(data);
  const author = header(headers, "author");
  const committer = header(headers, "committer");
  return {
    tree: header(headers, "tree"),
    parents: headers.filter(([k]) => k === "parent").map(([, v]) => v),
    author: author === undefined ? undefined : parseIdent(author),
    committer: committer === undefined ? undefined : parseIdent(committer),
    signed: headers.some(([k]) => SIGNATURE_HEADERS.has(k)),
    message: decodeBody(body, headers).trim(),
  };
}

/** Offset of the last line that opens a signature block, or -1. */
function signatureStart(text: string): number {
  let found = -1;
  let pos = 0;
  while (pos < text.length) {
    if (SIGNATURE_STARTS.some((s) => text.startsWith(s, pos))) found = pos;
    const nl = text.indexOf("\n", pos);
    if (nl < 0) break;
    pos = nl + 1;
  }
  return found;
}

/** Parse the content of an annotated tag object. */
export function parseTag(data: Uint8Array): ParsedTag {
  const { headers, body } = splitObject(data);
  const text = decodeBody(body, headers);
  const sig = signatureStart(text);
  const tagger = header(headers, "tagger");
  return {
    object: header(headers, "object"),
    type: header(headers, "type"),
    tag: header(headers, "tag"),
    tagger: tagger === undefined ? undefined : parseIdent(tagger),
    signed: sig >= 0 || headers.some(([k]) => SIGNATURE_HEADERS.has(k)),
    message: (sig >= 0 ? text.slice(0, sig) : text).trim(),
  };
}
