import { assert, assertStrictEquals } from "../_assert.ts";
import { DEFAULT_KEY_ORDER, keyOrder, MAX_KEY_ORDER } from "../../codecs/key_order.ts";
import * as path from "node:path";
import { KEYS_TSV, REPO_ROOT, sharedTest } from "../_shared.ts";

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

Deno.test("keyOrder agrees with the small normalized_order values of config/base/keyspecs.c4m", () => {
  // keyspecs.c4m writes 0 for keys without an explicit order and leaves out the high() ones,
  // so only its non-zero finite orders (and the keys keyOrder puts first) can be compared.
  const text = Deno.readTextFileSync(path.join(REPO_ROOT, "config/base/keyspecs.c4m"));
  const orders = new Map<string, bigint>();
  for (const m of text.matchAll(/^keyspec (\S+) \{\n([\s\S]*?)^\}/gm)) {
    const o = /^\s*normalized_order: (\d+)$/m.exec(m[2]);
    if (o) orders.set(m[1], BigInt(o[1]));
  }
  assert(orders.size > 500, `${orders.size} keyspecs with an order`);
  let compared = 0;
  for (const [name, order] of orders) {
    if (order === 0n && keyOrder(name) !== 0n) continue;
    if (order >= 1000n) continue; // tutorial-era report keys the codec does not order
    assertStrictEquals(keyOrder(name), order, name);
    compared++;
  }
  assertStrictEquals(compared, 16);
  // Every key keyOrder puts last is a keyspec of chalk-ts.
  for (const k of ["ERR_INFO", "SIGNING", "METADATA_HASH", "METADATA_ID", "SIGNATURE"]) {
    assert(new RegExp(`^keyspec ${k} \\{`, "m").test(text), k);
    assert(keyOrder(k) > DEFAULT_KEY_ORDER, k);
  }
});
