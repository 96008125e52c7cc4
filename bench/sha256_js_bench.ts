/**
 * Throughput of the TypeScript SHA-256 (internal/sha256_js.ts) against
 * node:crypto, on many small inputs and on megabyte ones: the numbers behind
 * JS_SHA256_LIMIT (internal/sha256.ts).
 *
 * Usage: deno run -A bench/sha256_js_bench.ts
 */
import { createHash } from "node:crypto";
import { Sha256 } from "../internal/sha256_js.ts";

const CASES: [label: string, size: number, count: number][] = [
  ["1 KiB x 10000", 1024, 10_000],
  ["1 MiB x 50", 1024 * 1024, 50],
];

const IMPLEMENTATIONS: [label: string, hash: (b: Uint8Array) => Uint8Array][] = [
  ["Sha256 (TypeScript)", (b) => new Sha256().update(b).digest()],
  ["node:crypto", (b) => createHash("sha256").update(b).digest()],
];

/** MB/s of `hash` over `count` hashes of `input`, best of five runs (a warm JIT, a quiet moment). */
function throughput(hash: (b: Uint8Array) => Uint8Array, input: Uint8Array, count: number) {
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) hash(input);
    best = Math.min(best, performance.now() - t0);
  }
  return (input.length * count) / 1e6 / (best / 1000);
}

for (const [label, size, count] of CASES) {
  const input = Uint8Array.from({ length: size }, (_, i) => (i * 131 + 7) & 0xff);
  for (const [name, hash] of IMPLEMENTATIONS) {
    console.log(`${label}: ${name.padEnd(20)} ${throughput(hash, input, count).toFixed(0)} MB/s`);
  }
}
