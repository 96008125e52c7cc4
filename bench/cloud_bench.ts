/**
 * What cloud metadata costs a host outside every cloud (target: at most 50 ms in total).
 * Measured side by side in one run, medians of alternating rounds:
 *
 * - `cloudKeys` with chalk's defaults on this host (no local hint: nothing is asked);
 * - `cloudKeys` with `probe_without_hints` against a loopback black hole that accepts
 *   connections and never answers (the worst case: every probe waits its full timeout) and
 *   against a closed port (refused at once);
 * - whole commands: `dist/chalk insert` of one file with the defaults against the same
 *   command with `cloud_provider.enabled: false` (the baseline).
 *
 * Run: `deno task build && deno run -A bench/cloud_bench.ts`. Only loopback is contacted.
 */
import { join } from "node:path";
import { cloudKeys, type CloudSettings, DEFAULT_CLOUD_SETTINGS } from "../collectors/cloud.ts";

const ROUNDS = 31;
const CHALK = new URL("../dist/chalk", import.meta.url).pathname;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeIt(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

// A black hole: the kernel accepts the connection, nobody ever reads or answers.
const hole = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const holePort = (hole.addr as Deno.NetAddr).port;
const held: Deno.Conn[] = [];
(async () => {
  for await (const c of hole) held.push(c);
})();
// A closed port: bind, learn the number, close.
const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const closedPort = (closed.addr as Deno.NetAddr).port;
closed.close();

const probing = (port: number): CloudSettings => ({
  ...DEFAULT_CLOUD_SETTINGS,
  metadataIp: `127.0.0.1:${port}`,
  probeWithoutHints: true,
});

const cases: [string, CloudSettings][] = [
  ["defaults, this host (no hint)", DEFAULT_CLOUD_SETTINGS],
  ["probe_without_hints, black hole", probing(holePort)],
  ["probe_without_hints, closed port", probing(closedPort)],
];
const times = new Map<string, number[]>(cases.map(([n]) => [n, []]));
for (let i = 0; i < ROUNDS; i++) {
  for (const [name, settings] of cases) {
    times.get(name)!.push(await timeIt(() => cloudKeys(settings, Deno.env.toObject())));
  }
}
console.log(
  `cloudKeys, median of ${ROUNDS} (probe timeout ${DEFAULT_CLOUD_SETTINGS.probeTimeoutMs} ms):`,
);
for (const [name, xs] of times) console.log(`  ${name.padEnd(36)} ${median(xs).toFixed(2)} ms`);

// Whole command, paired with the baseline that never looks for a cloud.
const dir = await Deno.makeTempDir({ prefix: "chalk_cloud_bench_" });
await Deno.copyFile("/bin/true", join(dir, "app"));
const off = join(dir, "off.c4m");
await Deno.writeTextFile(off, "cloud_provider.enabled: false\n");
const on = join(dir, "on.c4m");
await Deno.writeTextFile(on, "cloud_provider.enabled: true\n");
const env = { HOME: dir, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" };
const chalk = (config: string) =>
  new Deno.Command(CHALK, {
    args: ["--config-file", config, "--skip-summary-report", "--none", "insert", "app"],
    cwd: dir,
    env,
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).output();
const withCloud: number[] = [];
const baseline: number[] = [];
await chalk(off);
for (let i = 0; i < ROUNDS; i++) {
  baseline.push(await timeIt(() => chalk(off)));
  withCloud.push(await timeIt(() => chalk(on)));
}
const b = median(baseline);
const w = median(withCloud);
console.log(`chalk insert of one file, median of ${ROUNDS}:`);
console.log(`  cloud_provider.enabled: false (baseline) ${b.toFixed(1)} ms`);
console.log(`  defaults (cloud lookup on)               ${w.toFixed(1)} ms`);
console.log(`  difference ${(w - b).toFixed(1)} ms, ratio ${(w / b).toFixed(3)}`);

for (const c of held) c.close();
hole.close();
await Deno.remove(dir, { recursive: true });
