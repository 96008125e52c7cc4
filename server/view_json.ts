/**
 * JSON text of a dashboard view's data for its `/api` twin. Stored report texts (`raw` fields)
 * are spliced in as JSON objects, exactly as received, so large integers keep every digit.
 *
 * @module
 */

/** Serialises `data`; every string field named `raw` becomes a `report` object. */
export function viewJson(data: unknown): string {
  const raws: string[] = [];
  // A fresh nonce per call: no stored text can spell the marker in advance.
  const nonce = crypto.randomUUID();
  const text = JSON.stringify(data, function (key, value) {
    if (key === "raw" && typeof value === "string") {
      raws.push(value);
      return `${nonce}:${raws.length - 1}`;
    }
    return value;
  });
  return text.replace(
    new RegExp(`"raw":"${nonce}:(\\d+)"`, "g"),
    (_, i) => `"report":${raws[Number(i)]}`,
  );
}
