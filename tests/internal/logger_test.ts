import { assertEquals } from "../_assert.ts";
import { Logger } from "../../internal/logger.ts";

// Level "none": nothing reaches stderr, and `errors` keeps the order lines would have had.
Deno.test("Logger.hold keeps held artifacts' lines in the order they were held", () => {
  const log = new Logger("none");
  log.error("0 before");
  const a = log.hold();
  log.error("2 after a");
  const b = log.hold();
  log.error("4 after b");
  b.error("3 b's own");
  b.release();
  assertEquals(log.errors, ["0 before"], "b waits for a");
  a.error("1 a's own");
  a.release();
  assertEquals(log.errors, ["0 before", "1 a's own", "2 after a", "3 b's own", "4 after b"]);
  log.error("5 nothing held");
  assertEquals(log.errors.at(-1), "5 nothing held");
});
