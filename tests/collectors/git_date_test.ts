/** parseIdent / formatGitDate, checked against GNU date for the same instants. */
import { assertStrictEquals } from "../_assert.ts";
import {
  formatGitDate,
  identDate,
  identTimestampMs,
  parseIdent,
} from "../../collectors/git_date.ts";

/** GNU date's ISO-8601 rendering of `epoch` in a fixed offset given as `+hhmm`. */
async function gnuDate(epoch: bigint, tz: string): Promise<string> {
  // POSIX TZ offsets have the opposite sign: UTC-4 is "XXX+04:00"
  const posix = `XXX${tz[0] === "+" ? "-" : "+"}${tz.slice(1, 3)}:${tz.slice(3)}`;
  const out = await new Deno.Command("date", {
    args: ["-d", `@${epoch}`, "+%Y-%m-%dT%H:%M:%S.000%:z"],
    env: { TZ: posix },
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("formatGitDate matches GNU date in the commit's own offset", async () => {
  const cases: [bigint, string][] = [
    [1695487268n, "-0400"],
    [1695487268n, "+0000"],
    [1695522600n, "+0530"],
    [0n, "+1400"],
    [-86_400n * 400n, "-0930"],
    [4_102_444_800n, "+0100"],
  ];
  for (const [epoch, tz] of cases) {
    assertStrictEquals(formatGitDate(epoch, tz), await gnuDate(epoch, tz), `${epoch} ${tz}`);
  }
});

Deno.test("parseIdent splits person, epoch and offset", () => {
  const id = parseIdent("Ann Example <ann@example.com> 1695487268 -0400");
  assertStrictEquals(id.person, "Ann Example <ann@example.com>");
  assertStrictEquals(identTimestampMs(id), 1695487268000n);
  assertStrictEquals(identDate(id), formatGitDate(1695487268n, "-0400"));
  const noDate = parseIdent("Odd <o@x>");
  assertStrictEquals(noDate.person, "Odd <o@x>");
  assertStrictEquals(identDate(noDate), undefined);
  assertStrictEquals(identTimestampMs(noDate), undefined);
  assertStrictEquals(parseIdent("Bad <b@x> notanumber +0000").epochSeconds, undefined);
});
