/**
 * JSON text of a dashboard view's data for its `/api` twin. Stored report texts (`raw` fields)
 * are spliced in as JSON objects, exactly as received, so large integers keep every digit.
 *
 * @module
 */

/** Serialises `data`; every string field named `raw` becomes a `report` object. */
export function viewJson(data: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(data, function (key, value) {
    if (key === "raw" && typeof value === "string") {
      raws.push(value);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return value;
  });
  // The marker cannot occur otherwise: JSON.stringify escapes U+0000 as \u0000.
  // deno-lint-ignore no-control-regex
  return text.replace(/"raw":"\u0000raw(\d+)\u0000"/g, (_, i) => `"report":${raws[Number(i)]}`);
}
