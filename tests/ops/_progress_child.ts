/** Child of scan_progress_test.ts: a tracked loop drawing progress around a log line. */
import { Logger } from "../../internal/logger.ts";
import { ScanProgress } from "../../ops/scan_progress.ts";

async function* files(): AsyncGenerator<string> {
  yield "a";
  yield "b";
}

const progress = new ScanProgress("insert", { draw: true, delayMs: 0 });
for await (const name of progress.track(files())) {
  if (name === "a") {
    progress.count("done");
    new Logger("info").info("a log line");
    await new Promise((r) => setTimeout(r, 150));
  } else {
    progress.count("skipped");
  }
}
// track() took the line away when the loop ended.
console.log(JSON.stringify(progress.counts));
