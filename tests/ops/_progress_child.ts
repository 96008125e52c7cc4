/** Child of scan_progress_test.ts: draws a progress line around a log line, on stderr. */
import { Logger } from "../../internal/logger.ts";
import { ScanProgress } from "../../ops/scan_progress.ts";

const progress = new ScanProgress("insert", { draw: true, delayMs: 0 });
progress.count("done");
new Logger("info").info("a log line");
await new Promise((r) => setTimeout(r, 150));
progress.count("skipped");
progress.stop();
console.log(JSON.stringify(progress.counts));
