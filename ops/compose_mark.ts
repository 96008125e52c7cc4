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
import type { SigningKey, VerifyKey } from "../trust/signing_key.ts";

/**
 * Builds the mark from host and artifact keys; sets METADATA_* (and the
 * signing keys) on `artifact` too. A mark without HASH (an image's) is not
 * signed by hash: it carries the signer's public key for its attestation, and
 * a public key alone (`VerifyKey`) is enough for that.
 */
export function composeMark(
  host: MarkDict,
  artifact: MarkDict,
  template: Template,
  signer?: SigningKey | VerifyKey,
): MarkDict {
  const hashValue = artifact.has("HASH") ? artifact.get("HASH") : host.get("HASH");
  const privateKey = signer !== undefined && "privateKey" in signer ? signer : undefined;
  const byHash = privateKey !== undefined && typeof hashValue === "string";
  let mark: MarkDict;
  if (signer) {
    const all: MarkDict = new Map([...host, ...artifact]);
    all.set("MAGIC", MAGIC);
    const keys = new Set(markKeys(template));
    prepareSignedMark(all, signer, byHash);
    for (const k of byHash ? SIGNED_MARK_KEYS : ["INJECTOR_PUBLIC_KEY"]) keys.add(k);
    mark = filterByTemplate(all, { name: template.name, keys });
  } else mark = pickMarkKeys(host, artifact, markKeys(template));
  mark.delete("METADATA_ID");
  mark.delete("METADATA_HASH");
  const { hash, id } = metadataHashOf(mark);
  if (template.keys.has("METADATA_HASH")) mark.set("METADATA_HASH", hash);
  mark.set("METADATA_ID", id);
  if (byHash) signMark(mark, privateKey!, hash);
  for (const k of ["METADATA_HASH", "METADATA_ID", ...SIGNED_MARK_KEYS]) {
    const v = k === "METADATA_HASH" ? hash : mark.get(k);
    if (v !== undefined) artifact.set(k, v);
  }
  return sortByKeyOrder(mark);
}

const markKeySets = new WeakMap<Template, ReadonlySet<string>>();

/** The template's keys and the keys every mark carries; made once per template. */
function markKeys(template: Template): ReadonlySet<string> {
  let keys = markKeySets.get(template);
  if (keys === undefined) {
    keys = new Set([...template.keys, ...FORCED_MARK_KEYS]);
    markKeySets.set(template, keys);
  }
  return keys;
}

/**
 * The keys of `host` then `artifact` (an artifact's value wins, in the host key's place) that
 * `keys` names, and MAGIC: what filtering the merged dictionary gives, without building it for
 * every artifact of a run.
 */
function pickMarkKeys(host: MarkDict, artifact: MarkDict, keys: ReadonlySet<string>): MarkDict {
  const mark: MarkDict = new Map();
  host.forEach((v, k) => {
    if (keys.has(k)) mark.set(k, k === "MAGIC" ? MAGIC : artifact.has(k) ? artifact.get(k)! : v);
  });
  artifact.forEach((v, k) => {
    if (!host.has(k) && keys.has(k)) mark.set(k, k === "MAGIC" ? MAGIC : v);
  });
  if (keys.has("MAGIC") && !mark.has("MAGIC")) mark.set("MAGIC", MAGIC);
  return mark;
}
