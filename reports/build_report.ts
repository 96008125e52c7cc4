/**
 * Assembles one report from collected data and a template: host keys at the top
 * level in normalized order, one `_CHALKS` entry per artifact in collection
 * order.
 */
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { keyOrder } from "../codecs/key_order.ts";
import type { Template } from "./templates.ts";

/** Keeps the keys of `data` that `template` uses, in their order. */
export function filterByTemplate(data: MarkDict, template: Template): MarkDict {
  const out: MarkDict = new Map();
  const keys = template.keys;
  // forEach: no [key, value] pair allocated per key (this runs for every artifact of a report).
  data.forEach((v, k) => {
    if (keys.has(k)) out.set(k, v);
  });
  return out;
}

/** Orders top-level keys as chalk writes them: normalized order, then byte-wise name. */
export function sortByKeyOrder(data: MarkDict): MarkDict {
  // Each key's order looked up once, not at every comparison.
  const entries: { key: string; value: MarkValue; order: bigint }[] = [];
  data.forEach((value, key) => entries.push({ key, value, order: keyOrder(key) }));
  entries.sort((a, b) => {
    if (a.order !== b.order) return a.order < b.order ? -1 : 1;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  const out: MarkDict = new Map();
  for (const e of entries) out.set(e.key, e.value);
  return out;
}

/** Builds a report; artifacts whose filtered data is empty are left out of `_CHALKS`. */
export function buildReport(
  host: MarkDict,
  artifacts: readonly MarkDict[],
  template: Template,
): MarkDict {
  const report = filterByTemplate(host, template);
  if (template.keys.has("_CHALKS")) {
    const chalks: MarkValue[] = artifacts
      .map((a) => filterByTemplate(a, template))
      .filter((a) => a.size > 0);
    if (chalks.length > 0) report.set("_CHALKS", chalks);
  }
  return sortByKeyOrder(report);
}
