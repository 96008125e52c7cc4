import { strictEqual } from "node:assert/strict";
import { DEFAULT_KEY_ORDER, keyOrder, MAX_KEY_ORDER } from "../../codecs/key_order.ts";

const KEYS_TSV = new URL("../../../shared/spec/keys.tsv", import.meta.url);

/** `high()` / `high() - N` / a decimal, as written in keys.tsv. */
function tsvOrder(text: string): bigint {
  if (text === "") return DEFAULT_KEY_ORDER;
  const m = /^high\(\)(?:\s*-\s*(\d+))?$/.exec(text);
  if (m) return MAX_KEY_ORDER - BigInt(m[1] ?? 0);
  return BigInt(text);
}

Deno.test("keyOrder agrees with the normalized_order column of keys.tsv for every key", () => {
  const lines = Deno.readTextFileSync(KEYS_TSV).split("\n").filter((l) => l !== "");
  const header = lines[0].split("\t");
  const nameCol = header.indexOf("name");
  const orderCol = header.indexOf("normalized_order");
  let explicit = 0;
  for (const line of lines.slice(1)) {
    const cols = line.split("\t");
    const expected = tsvOrder(cols[orderCol]);
    if (expected !== DEFAULT_KEY_ORDER) explicit++;
    strictEqual(keyOrder(cols[nameCol]), expected, cols[nameCol]);
  }
  strictEqual(explicit, 24);
  strictEqual(lines.length - 1, 534);
});

Deno.test("keyOrder gives unknown and user keys the default 2^62", () => {
  strictEqual(keyOrder("X-MY-KEY"), 4611686018427387904n);
  strictEqual(keyOrder("SIGNATURE"), 9223372036854775807n);
});
