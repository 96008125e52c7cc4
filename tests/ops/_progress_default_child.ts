/** Child of scan_progress_test.ts: a tracked loop with the default drawing decision. */
import { ScanProgress } from "../../ops/scan_progress.ts";

const progress = new ScanProgress("insert", { delayMs: 0 });
for await (
  const _ of progress.track((async function* () {
    yield "a";
  })())
) {
  progress.count("done");
}
console.log("done");
