/**
 * The mark written into an artifact (or an image, or chalk itself): the
 * template's keys, the keys every mark carries, then METADATA_HASH /
 * METADATA_ID computed over the result, then, when a signing key is given,
 * the signature (docs/trust.md, "Signed marks").
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { MAGIC } from "../codecs/mark_value.ts";
import { metadataHashOf } from "../codecs/identity.ts";
import { filterByTemplate, sortByKeyOrder } from "../reports/build_report.ts";
import { FORCED_MARK_KEYS, type Template } from "../reports/templates.ts";
import { prepareSignedMark, SIGNED_MARK_KEYS, signMark } from "../trust/mark_signature.ts";
import type { SigningKey } from "../trust/signing_key.ts";

/**
 * Builds the mark from host and artifact keys; sets METADATA_* (and the
 * signing keys) on `artifact` too. A mark without HASH (an image's) is not
 * signed by hash: it carries the signer's public key for its attestation.
 */
export function composeMark(
  host: MarkDict,
  artifact: MarkDict,
  template: Template,
  signer?: SigningKey,
): MarkDict {
  const all: MarkDict = new Map([...host, ...artifact]);
  all.set("MAGIC", MAGIC);
  const keys = new Set([...template.keys, ...FORCED_MARK_KEYS]);
  const byHash = signer !== undefined && typeof all.get("HASH") === "string";
  if (signer) {
    prepareSignedMark(all, signer, byHash);
    for (const k of byHash ? SIGNED_MARK_KEYS : ["INJECTOR_PUBLIC_KEY"]) keys.add(k);
  }
  const mark = filterByTemplate(all, { name: template.name, keys });
  mark.delete("METADATA_ID");
  mark.delete("METADATA_HASH");
  const { hash, id } = metadataHashOf(mark);
  if (template.keys.has("METADATA_HASH")) mark.set("METADATA_HASH", hash);
  mark.set("METADATA_ID", id);
  if (byHash) signMark(mark, signer!, hash);
  for (const k of ["METADATA_HASH", "METADATA_ID", ...SIGNED_MARK_KEYS]) {
    const v = k === "METADATA_HASH" ? hash : mark.get(k);
    if (v !== undefined) artifact.set(k, v);
  }
  return sortByKeyOrder(mark);
}
