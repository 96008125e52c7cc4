/**
 * Short-lived workloads are never silently lost (docs/exec.md, "Short-lived workloads in
 * containers"): `docker run --rm` of a wrapped image whose workload exits at once, ten times;
 * every run delivered its exec report to the server or printed chalk's warning line, and at
 * least nine delivered. bench/short_lived_bench.ts runs the same 100 times.
 */
import { assert, assertEquals } from "../_assert.ts";
import { sandbox } from "../e2e/_chalk.ts";
import { dockerUnavailable } from "./_docker.ts";
import { shortLivedRuns } from "./_short_lived.ts";

const VARIANTS = [
  { name: "docker run --rm of an instantly exiting wrapped workload", config: undefined },
  {
    name: "docker.wrap_init: an instantly exiting workload's report",
    config: "docker.wrap_init: true\n",
  },
];

for (const v of VARIANTS) {
  Deno.test({
    name: `${v.name}: delivered or told, 10 runs`,
    ignore: dockerUnavailable !== undefined,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const box = await sandbox();
      try {
        const r = await shortLivedRuns(box.work, box.env, 10, v.config);
        assertEquals(r.silent, [], `silently lost: ${r.silent.join(", ")}`);
        assert(r.delivered >= 9, `only ${r.delivered} of ${r.runs} delivered (${r.warned} warned)`);
      } finally {
        await box.cleanup();
      }
    },
  });
}
