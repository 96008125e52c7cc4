/**
 * The mark written into an artifact (or an image, or chalk itself): the
 * template's keys, the keys every mark carries, then METADATA_HASH /
 * METADATA_ID computed over the result.
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { MAGIC } from "../codecs/mark_value.ts";
import { metadataHashOf } from "../codecs/identity.ts";
import { filterByTemplate, sortByKeyOrder } from "../reports/build_report.ts";
import { FORCED_MARK_KEYS, type Template } from "../reports/templates.ts";

/** Builds the mark from host and artifact keys; sets METADATA_* on `artifact` too. */
export function composeMark(host: MarkDict, artifact: MarkDict, template: Template): MarkDict {
  const all: MarkDict = new Map([...host, ...artifact]);
  all.set("MAGIC", MAGIC);
  const mark = filterByTemplate(
    all,
    { name: template.name, keys: new Set([...template.keys, ...FORCED_MARK_KEYS]) },
  );
  mark.delete("METADATA_ID");
  mark.delete("METADATA_HASH");
  const { hash, id } = metadataHashOf(mark);
  if (template.keys.has("METADATA_HASH")) mark.set("METADATA_HASH", hash);
  mark.set("METADATA_ID", id);
  artifact.set("METADATA_HASH", hash);
  artifact.set("METADATA_ID", id);
  return sortByKeyOrder(mark);
}
