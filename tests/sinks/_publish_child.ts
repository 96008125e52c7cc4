/**
 * A tiny chalk-like run for the concurrency tests: one hub, one sink config
 * named by the arguments, one report, then the end of reporting.
 *
 * Usage: deno run -A _publish_child.ts <sink type> <target> <id> <padding bytes> [cache path]
 * (`file`: target is the filename; `post`: target is the URI).
 */
import { ReportHub } from "../../sinks/hub.ts";
import { ReportCache } from "../../sinks/report_cache.ts";

const [type, target, id, padding, cachePath] = Deno.args;
const log = {
  info: () => {},
  warn: (m: string) => console.error(`warn: ${m}`),
  error: (m: string) => console.error(`error: ${m}`),
};
const params = type === "file" ? { filename: target } : { uri: target, timeout: 2000n };
const hub = new ReportHub([{ name: "out", sink: type, enabled: true, filters: [], params }], log, {
  reportCache: cachePath ? new ReportCache(log, { path: cachePath }) : undefined,
});
hub.subscribe("report", "out");
const report = { id: Number(id), pad: String(id).padStart(Number(padding), "x") };
const outcome = await hub.publishReport("report", `[ ${JSON.stringify(report)} ]\n`);
await hub.close();
console.log(JSON.stringify(outcome));
