/**
 * Short-lived workloads (issue 15; target: every run delivered its report to the server or
 * printed chalk's warning line, and at least 95 of 100 delivered): `docker run --rm` of a
 * wrapped image whose workload exits at once, N times in a row, reporting to chalk's own
 * server. With `--report-wait 0` as the second argument, the same with the wait turned off
 * (`exec.report_wait: 0 sec`), to show what it saves and what it loses. With `init`, the image
 * starts through chalk's native init (`docker.wrap_init: true`).
 *
 * Usage: deno task build && deno run -A bench/short_lived_bench.ts [runs] [report_wait|init]
 */
import { sandbox } from "../tests/e2e/_chalk.ts";
import { shortLivedRuns } from "../tests/docker/_short_lived.ts";

const RUNS = Number(Deno.args[0] ?? "100");
const INIT = Deno.args[1] === "init";
const WAIT = INIT ? undefined : Deno.args[1];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const box = await sandbox();
try {
  const extra = INIT
    ? "docker.wrap_init: true\n"
    : WAIT === undefined
    ? ""
    : `exec.report_wait: <<${WAIT}>>\n`;
  const r = await shortLivedRuns(box.work, box.env, RUNS, extra);
  const load = (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  console.log(
    `${r.runs} runs of docker run --rm (${INIT ? "native init, " : ""}` +
      `exec.report_wait: ${WAIT ?? "default, 1 sec"}; ` +
      `load average ${load}): delivered ${r.delivered}, warned ${r.warned}, ` +
      `silently lost ${r.silent.length}; docker run median ${median(r.ms).toFixed(0)} ms`,
  );
  if (r.silent.length > 0) console.log(`silently lost: ${r.silent.join(", ")}`);
} finally {
  await box.cleanup();
}
