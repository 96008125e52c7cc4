/** Alarms: ring once after their delay, never once cancelled, without node's timers. */
import { assert, assertEquals } from "../_assert.ts";
import { alarm } from "../../internal/alarm.ts";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("an alarm rings once, after its delay", async () => {
  const rang: number[] = [];
  const start = performance.now();
  alarm(20, () => rang.push(performance.now() - start));
  assertEquals(rang, []);
  await wait(80);
  assertEquals(rang.length, 1);
  assert(rang[0] >= 19, `rang after ${rang[0]} ms`);
});

Deno.test("a cancelled alarm never rings; cancelling after it rang changes nothing", async () => {
  let rang = 0;
  const a = alarm(10, () => rang++);
  a.cancel();
  const b = alarm(10, () => rang += 10);
  await wait(60);
  b.cancel();
  assertEquals(rang, 10);
});

Deno.test("an alarm does not use setTimeout (node's timers load at its first call)", async () => {
  const url = new URL("../../internal/alarm.ts", import.meta.url).href;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `globalThis.setTimeout = () => { throw new Error("setTimeout called"); };
       const { alarm } = await import("${url}");
       await new Promise((r) => alarm(5, () => r(undefined)));
       console.log("rang");`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(new TextDecoder().decode(out.stdout).trim(), "rang", stderr);
});
