import { assert, assertStrictEquals } from "../_assert.ts";
import { DEFAULT_KEY_ORDER, keyOrder, MAX_KEY_ORDER } from "../../codecs/key_order.ts";
import { loadChalkConfig } from "../../config/load_config.ts";
import { KEYS_TSV, sharedTest } from "../_shared.ts";

/** `high()` / `high() - N` / a decimal, as written in keys.tsv. */
function tsvOrder(text: string): bigint {
  if (text === "") return DEFAULT_KEY_ORDER;
  const m = /^high\(\)(?:\s*-\s*(\d+))?$/.exec(text);
  if (m) return MAX_KEY_ORDER - BigInt(m[1] ?? 0);
  return BigInt(text);
}

sharedTest("keyOrder agrees with the normalized_order column of keys.tsv for every key", {
  needs: "keys.tsv",
}, () => {
  const lines = Deno.readTextFileSync(KEYS_TSV).split("\n").filter((l) => l !== "");
  const header = lines[0].split("\t");
  const nameCol = header.indexOf("name");
  const orderCol = header.indexOf("normalized_order");
  let explicit = 0;
  for (const line of lines.slice(1)) {
    const cols = line.split("\t");
    const expected = tsvOrder(cols[orderCol]);
    if (expected !== DEFAULT_KEY_ORDER) explicit++;
    assertStrictEquals(keyOrder(cols[nameCol]), expected, cols[nameCol]);
  }
  assertStrictEquals(explicit, 24);
  assertStrictEquals(lines.length - 1, 534);
});

Deno.test("keyOrder gives unknown and user keys the default 2^62", () => {
  assertStrictEquals(keyOrder("X-MY-KEY"), 4611686018427387904n);
  assertStrictEquals(keyOrder("SIGNATURE"), 9223372036854775807n);
});

Deno.test("every keyspec of the base configuration has the order keyOrder gives it", async () => {
  // Keys without an explicit order default to 2^62 (not 0), and the high() orders are kept.
  const config = await loadChalkConfig({ command: "insert", noExternalConfig: true });
  const rt = config.runtime;
  const names = rt.sectionNames("keyspec");
  assert(names.length > 500, `${names.length} keyspecs`);
  for (const name of names) {
    assertStrictEquals(rt.getInt(`keyspec.${name}.normalized_order`), keyOrder(name), name);
  }
  assertStrictEquals(rt.getInt("keyspec.ARTIFACT_TYPE.normalized_order"), DEFAULT_KEY_ORDER);
  assertStrictEquals(rt.getInt("keyspec.METADATA_ID.normalized_order"), MAX_KEY_ORDER - 200n);
});
