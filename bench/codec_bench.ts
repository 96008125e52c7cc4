/**
 * Codec micro-benchmarks: `deno bench -A bench/codec_bench.ts`.
 * Inputs are synthetic and large: a ~1 MB mark (SBOM-like nested data)
 * and a 64 MiB ELF, hashed through its plans (ops/hash_pass.ts) against a
 * plain SHA-256 of the same bytes.
 */

import { createHash } from "node:crypto";
import { elfCodec } from "../codecs/elf.ts";
import { normalizeMark } from "../codecs/identity.ts";
import { parseMarkJson, writeMarkJson } from "../codecs/mark_json.ts";
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { sourceCodec } from "../codecs/source.ts";
import { syntheticElf } from "../fixtures/codecs/synthetic_elf.ts";
import { wholeView } from "../codecs/byte_view.ts";
import { wholeArtifact } from "../codecs/plan.ts";
import { HashPass } from "../ops/hash_pass.ts";
import { insertBytes } from "../tests/codecs/_in_memory.ts";

function bigMark(): MarkDict {
  const components: MarkValue[] = [];
  for (let i = 0; i < 4000; i++) {
    components.push(
      new Map<string, MarkValue>([
        ["name", `package-${i}`],
        ["version", `1.${i % 17}.${i % 5}`],
        ["purl", `pkg:npm/package-${i}@1.${i % 17}.${i % 5}`],
        ["hashes", [`sha256:${i.toString(16).padStart(64, "0")}`]],
        ["size", BigInt(i * 1013)],
        ["score", i / 7],
        ["dev", i % 3 === 0],
      ]),
    );
  }
  return new Map<string, MarkValue>([
    ["MAGIC", "dadfedabbadabbed"],
    ["CHALK_ID", "64V66C-V36G-TK8D-HJCSHK"],
    ["CHALK_VERSION", "0.1.0"],
    ["SBOM", new Map<string, MarkValue>([["components", components]])],
    ["X-TEXT", 'quote " backslash \\ tab \t unicode é '.repeat(1000)],
  ]);
}

const mark = bigMark();
const markText = writeMarkJson(mark);
const markBytes = new TextEncoder().encode(markText);
const elf = syntheticElf(64 << 20);
const markedElf = insertBytes(elfCodec, elf, markText);
const markedView = wholeView(markedElf);
/** The marked ELF as the executor reads it: 1 MiB at a time. */
const chunks = {
  chunk: (offset: number, max = 1 << 20) => markedElf.subarray(offset, offset + max),
};
const script = new TextEncoder().encode(
  `#!/bin/sh\n${"echo hello world\n".repeat(200000)}# ${markText}\n`,
);

Deno.bench(`parseMarkJson ${(markBytes.length / 1e6).toFixed(1)} MB mark`, () => {
  parseMarkJson(markBytes, 0);
});

Deno.bench(`writeMarkJson ${(markBytes.length / 1e6).toFixed(1)} MB mark`, () => {
  writeMarkJson(mark);
});

Deno.bench(`normalizeMark ${(markBytes.length / 1e6).toFixed(1)} MB mark`, () => {
  normalizeMark(mark);
});

Deno.bench({
  name: "sha256 of a 64 MiB ELF (baseline)",
  group: "elf-hash",
  baseline: true,
  fn: () => {
    createHash("sha256").update(markedElf).digest();
  },
});

Deno.bench({
  name: "HASH of a 64 MiB marked ELF (hash plan through HashPass)",
  group: "elf-hash",
  fn: () => {
    new HashPass(chunks).add("hash", elfCodec.hashPlan(markedView)).run().hex("hash");
  },
});

Deno.bench({
  name: "HASH and the file hash of a 64 MiB marked ELF in one pass (extract)",
  group: "elf-hash",
  fn: () => {
    new HashPass(chunks).add("hash", elfCodec.hashPlan(markedView))
      .add("current", wholeArtifact(markedElf.length)).run();
  },
});

Deno.bench("ELF hashPlan alone (the codec's work), 64 MiB marked ELF", () => {
  elfCodec.hashPlan(markedView);
});

Deno.bench(`source findMark in a ${(script.length / 1e6).toFixed(1)} MB script`, () => {
  sourceCodec.findMark(wholeView(script));
});
