/**
 * composeMark picks the template's keys from host and artifact facts without
 * merging them per artifact; the mark must be what filtering the merged
 * dictionary gave: an artifact's value wins over the host's, MAGIC is always
 * there, and METADATA_ID covers exactly the picked keys.
 */
import { assertEquals } from "../_assert.ts";
import { composeMark } from "../../ops/compose_mark.ts";
import { MAGIC, type MarkDict } from "../../codecs/mark_value.ts";
import { metadataHashOf } from "../../codecs/identity.ts";
import { filterByTemplate, sortByKeyOrder } from "../../reports/build_report.ts";
import { FORCED_MARK_KEYS, type Template } from "../../reports/templates.ts";

/** The mark as filtering the merged dictionary builds it. */
function reference(host: MarkDict, artifact: MarkDict, template: Template): MarkDict {
  const all: MarkDict = new Map([...host, ...artifact]);
  all.set("MAGIC", MAGIC);
  const mark = filterByTemplate(all, {
    name: template.name,
    keys: new Set([...template.keys, ...FORCED_MARK_KEYS]),
  });
  mark.delete("METADATA_ID");
  mark.delete("METADATA_HASH");
  const { hash, id } = metadataHashOf(mark);
  if (template.keys.has("METADATA_HASH")) mark.set("METADATA_HASH", hash);
  mark.set("METADATA_ID", id);
  return sortByKeyOrder(mark);
}

Deno.test("composeMark gives what filtering host + artifact gave, artifact values first", () => {
  const template: Template = {
    name: "t",
    keys: new Set(["CHALK_RAND", "DATE_CHALKED", "ARTIFACT_TYPE", "HOST_ONLY", "METADATA_HASH"]),
  };
  const host: MarkDict = new Map<string, unknown>([
    ["DATE_CHALKED", "host date"],
    ["HOST_ONLY", 1n],
    ["NOT_IN_TEMPLATE", "x"],
    ["CHALK_VERSION", "0.1.0"],
  ]) as MarkDict;
  const cases: MarkDict[] = [
    new Map<string, unknown>([["HASH", "ab"], ["CHALK_ID", "ID"], ["ARTIFACT_TYPE", "ELF"]]),
    new Map<string, unknown>([["DATE_CHALKED", "artifact date"], ["MAGIC", "stale"], [
      "HASH",
      "cd",
    ]]),
    new Map<string, unknown>([["METADATA_ID", "old"], ["CHALK_RAND", "r"]]),
  ] as MarkDict[];
  for (const artifact of cases) {
    const expected = reference(host, new Map(artifact), template);
    const got = composeMark(host, new Map(artifact), template);
    assertEquals([...got], [...expected]);
    assertEquals(got.get("MAGIC"), MAGIC);
  }
  // The same template object serves many artifacts (its key set is made once): still exact.
  assertEquals([...composeMark(host, new Map(cases[1]), template)], [
    ...reference(host, new Map(cases[1]), template),
  ]);
});
