/**
 * The chalk program as entrypoint wrapping copies it into images (`/.chalk/chalk`, docs/docker.md):
 * the running bundle, its own mark without the encrypted private key. Anyone who pulls an image
 * could otherwise take `$CHALK_ENCRYPTED_PRIVATE_KEY` and guess its password offline, and the
 * wrapped runtime never signs: it needs the embedded configuration and the public key only.
 *
 * @module
 */
import { findMarkInBytes } from "../codecs/find_mark.ts";
import { metadataHashOf } from "../codecs/identity.ts";
import { writeMarkJson } from "../codecs/mark_json.ts";
import { MARK_LINE_START } from "../internal/bundle_layout.ts";
import { markFromTail } from "./bundle_mark.ts";

/** Keys of chalk's own mark that images never get. */
export const KEYS_KEPT_FROM_IMAGES: readonly string[] = ["$CHALK_ENCRYPTED_PRIVATE_KEY"];

const LF = 0x0a;
const encoder = new TextEncoder();

/**
 * The bytes to copy into images for the bundle `bundle`: the same bytes when its mark holds
 * none of {@link KEYS_KEPT_FROM_IMAGES}; else the program with its mark line rewritten without
 * them (METADATA_HASH / METADATA_ID computed again, so the copy's mark still validates). The
 * result depends on the bundle's bytes only, so every image built by one chalk gets the same file.
 * Undefined when the bundle does not end as the build and `chalk load` leave it and a kept key
 * may be in it: then it cannot be copied safely.
 */
export function programForImages(bundle: Uint8Array): Uint8Array | undefined {
  const read = markFromTail(bundle, true);
  if (read === undefined || read === "more") {
    // Edited by hand: its mark is wherever the source codec finds it, and is not rewritten here.
    const mark = findMarkInBytes(bundle)?.mark;
    return KEYS_KEPT_FROM_IMAGES.some((k) => mark?.has(k)) ? undefined : bundle;
  }
  const mark = read.mark;
  if (mark === undefined || !KEYS_KEPT_FROM_IMAGES.some((k) => mark.has(k))) return bundle;
  const copy = new Map(mark);
  for (const k of KEYS_KEPT_FROM_IMAGES) copy.delete(k);
  const hadHash = copy.has("METADATA_HASH");
  copy.delete("METADATA_HASH");
  copy.delete("METADATA_ID");
  const { hash, id } = metadataHashOf(copy);
  if (hadHash) copy.set("METADATA_HASH", hash);
  copy.set("METADATA_ID", id);
  // markFromTail found the mark on the last line, after the program's end line.
  const end = bundle[bundle.length - 1] === LF ? bundle.length - 1 : bundle.length;
  const lineStart = bundle.lastIndexOf(LF, end - 1) + 1;
  const prefix = MARK_LINE_START.slice(0, MARK_LINE_START.indexOf("{"));
  const line = encoder.encode(`${prefix}${writeMarkJson(copy)}\n`);
  const out = new Uint8Array(lineStart + line.length);
  out.set(bundle.subarray(0, lineStart));
  out.set(line, lineStart);
  return out;
}
