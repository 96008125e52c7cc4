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
  for (const [k, v] of data) if (template.keys.has(k)) out.set(k, v);
  return out;
}

/** Orders top-level keys as chalk writes them: normalized order, then byte-wise name. */
export function sortByKeyOrder(data: MarkDict): MarkDict {
  const entries = [...data];
  entries.sort(([a], [b]) => {
    const oa = keyOrder(a), ob = keyOrder(b);
    if (oa !== ob) return oa < ob ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return new Map(entries);
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
