/**
 * Builtins that chalk adds to con4m but that need no chalk state, so they live here:
 * `binary_sha256`, `dir_size`, `dir_size_under`, `is_jwt_valid` (the JSON ones are in
 * `json.ts`). chalk registers them together with its stateful functions.
 *
 * `binary_sha256` hashes chalk's normalised binary encoding, the one METADATA_HASH is computed
 * over (`normalizeMark` in `codecs/identity.ts`): tags 01 string, 02 int, 03 bool, 04 list,
 * 05 dict with byte-wise sorted keys, 06 float with no payload, 07 null; lengths and ints
 * little-endian.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { join } from "../../internal/posix_path.ts";
import { Con4mDict, type Con4mValue, formatValue, isList } from "../values.ts";
import { typeToString } from "../types.ts";
import { argInt, argStr } from "./_args.ts";
import { type BuiltinDef, defineBuiltin } from "./builtin_def.ts";
import { resolveIn } from "./fs.ts";

const encoder = new TextEncoder();

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function encodeString(s: string, out: Uint8Array[]): void {
  const bytes = encoder.encode(s);
  out.push(Uint8Array.of(1), u32(bytes.length), bytes);
}

function encodeItem(v: Con4mValue, out: Uint8Array[]): void {
  if (v === null) {
    out.push(Uint8Array.of(7));
    return;
  }
  switch (typeof v) {
    case "string":
      return encodeString(v, out);
    case "bigint": {
      const b = new Uint8Array(9);
      b[0] = 2;
      new DataView(b.buffer).setBigUint64(1, BigInt.asUintN(64, v), true);
      out.push(b);
      return;
    }
    case "boolean":
      out.push(Uint8Array.of(3, v ? 1 : 0));
      return;
    case "number":
      out.push(Uint8Array.of(6));
      return;
  }
  if (isList(v)) {
    out.push(Uint8Array.of(4), u32(v.length));
    for (const x of v) encodeItem(x, out);
    return;
  }
  if (v instanceof Con4mDict) {
    const entries = [...v.entries()].map(([k, x]) => {
      const key = typeof k === "string" ? k : formatValue(k);
      return { key, bytes: Buffer.from(key, "utf8"), value: x };
    });
    entries.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
    out.push(Uint8Array.of(5), u32(entries.length));
    for (const e of entries) {
      encodeString(e.key, out);
      encodeItem(e.value, out);
    }
    return;
  }
  encodeString(v.kind === "typespec" ? typeToString(v.type) : `func ${v.name}`, out);
}

/** chalk's normalised binary encoding of a value (the input of `binary_sha256`). */
export function binaryEncode(v: Con4mValue): Uint8Array {
  const parts: Uint8Array[] = [];
  encodeItem(v, parts);
  return Buffer.concat(parts);
}

/**
 * Total size of the regular files under `dir` (recursively, symlinks not followed), stopping
 * early once it reaches `limit` when one is given. Unreadable entries count as 0.
 */
export function dirSize(dir: string, limit?: bigint): bigint {
  let total = 0n;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(current)];
    } catch {
      continue;
    }
    for (const e of entries) {
      const path = join(current, e.name);
      if (e.isDirectory) stack.push(path);
      else if (e.isFile) {
        try {
          total += BigInt(Deno.statSync(path).size);
        } catch {
          // unreadable file: counts as 0
        }
        if (limit !== undefined && total >= limit) return total;
      }
    }
  }
  return total;
}

function decodeSegment(seg: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(seg)) throw new Error("bad segment");
  return JSON.parse(Buffer.from(seg, "base64url").toString("utf8"));
}

/**
 * Is `token` a structurally valid JWT (three base64url parts, JSON header and payload
 * objects) that has not expired (`exp`, seconds since the epoch, is in the future when set)?
 */
export function isJwtValid(token: string, nowMs: number = Date.now()): boolean {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  try {
    const header = decodeSegment(parts[0]);
    const payload = decodeSegment(parts[1]);
    if (typeof header !== "object" || header === null || Array.isArray(header)) return false;
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return false;
    const exp = (payload as Record<string, unknown>).exp;
    if (exp === undefined) return true;
    return typeof exp === "number" && exp * 1000 > nowMs;
  } catch {
    return false;
  }
}

const TAGS = ["chalk"];

/** chalk's state-free builtins. */
export const CHALK_PORTABLE_BUILTINS: readonly BuiltinDef[] = [
  defineBuiltin(
    "binary_sha256",
    "func(`x) -> string",
    (a) => createHash("sha256").update(binaryEncode(a[0])).digest("hex"),
    { doc: "SHA-256 (hex) of chalk's normalised binary encoding of the value.", tags: TAGS },
  ),
  defineBuiltin(
    "dir_size",
    "func(string) -> Size",
    (a, ctx) => dirSize(resolveIn(ctx, argStr(a, 0))),
    { doc: "Total size of the files under a directory (0 if unreadable).", tags: ["fs"] },
  ),
  defineBuiltin(
    "dir_size_under",
    "func(string, Size) -> bool",
    (a, ctx) => dirSize(resolveIn(ctx, argStr(a, 0)), argInt(a, 1)) < argInt(a, 1),
    {
      doc: "Is the total size of the files under a directory below the limit? " +
        "(stops early; true if unreadable)",
      tags: ["fs"],
    },
  ),
  defineBuiltin(
    "is_jwt_valid",
    "func(string) -> bool",
    (a) => isJwtValid(argStr(a, 0)),
    { doc: "Does the token parse as a JWT that has not expired?", tags: TAGS },
  ),
];
