/** The heartbeat loop's timing and stop conditions, with real timers. */
import { assert, assertEquals } from "../_assert.ts";
import { runHeartbeats, sleep } from "../../exec/heartbeat.ts";

Deno.test("runHeartbeats counts from 1 and stops at the first dead check", async () => {
  const seen: number[] = [];
  let checks = 0;
  const n = await runHeartbeats({
    rateMs: 5,
    alive: () => ++checks <= 4,
    beat: (c) => {
      seen.push(c);
      return Promise.resolve();
    },
  });
  assertEquals([n, seen], [4, [1, 2, 3, 4]]);
});

Deno.test("runHeartbeats waits the rate between beats", async () => {
  const times: number[] = [];
  await runHeartbeats({
    rateMs: 40,
    alive: () => true,
    maxBeats: 3,
    beat: () => {
      times.push(performance.now());
      return Promise.resolve();
    },
  });
  for (let i = 1; i < times.length; i++) {
    assert(times[i] - times[i - 1] >= 35, `beats ${times[i] - times[i - 1]} ms apart`);
  }
});

Deno.test("runHeartbeats ends at once when its signal aborts mid-sleep", async () => {
  const ac = new AbortController();
  const t0 = performance.now();
  setTimeout(() => ac.abort(), 30);
  const n = await runHeartbeats({
    rateMs: 60_000,
    alive: () => true,
    signal: ac.signal,
    beat: () => Promise.resolve(),
  });
  assertEquals(n, 0);
  assert(performance.now() - t0 < 5_000, "the sleep was not interrupted");
  await sleep(1, ac.signal);
});

Deno.test("runHeartbeats notices a dead workload within a second, not a whole rate later", async () => {
  let dead = false;
  setTimeout(() => dead = true, 100);
  const t0 = performance.now();
  const n = await runHeartbeats({
    rateMs: 60_000,
    alive: () => !dead,
    beat: () => Promise.resolve(),
  });
  assertEquals(n, 0);
  assert(performance.now() - t0 < 30_000, "waited for the whole rate");
});
