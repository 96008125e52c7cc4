import { assertEquals } from "../_assert.ts";
import {
  classifyOtherLiteral,
  formatDuration,
  formatSize,
  parseCIDR,
  parseDate,
  parseDateTime,
  parseDuration,
  parseIPAddr,
  parseSize,
  parseTime,
} from "../../con4m/other_literals.ts";

const SEC = 1_000_000n;

Deno.test("parseDuration reads every corpus duration form", () => {
  assertEquals(parseDuration("3 sec"), 3n * SEC);
  assertEquals(parseDuration("1 seconds"), SEC);
  assertEquals(parseDuration("10 minutes"), 600n * SEC);
  assertEquals(parseDuration("50 msecs"), 50_000n);
  assertEquals(parseDuration("1 hrs"), 3600n * SEC);
});

Deno.test("parseDuration sums groups separated by spaces or commas", () => {
  assertEquals(parseDuration("1 hr 6 min 22s"), (3600n + 360n + 22n) * SEC);
  assertEquals(parseDuration("2d,4h"), (2n * 86400n + 4n * 3600n) * SEC);
  assertEquals(parseDuration("1y 1w 10usec"), (365n + 7n) * 86400n * SEC + 10n);
  assertEquals(parseDuration("5 MS"), 5000n);
});

Deno.test("parseDuration refuses repeated units, unknown units and bare numbers", () => {
  assertEquals(parseDuration("1 sec 2 sec"), undefined);
  assertEquals(parseDuration("3 parsecs"), undefined);
  assertEquals(parseDuration("42"), undefined);
  assertEquals(parseDuration(""), undefined);
  assertEquals(parseDuration("sec"), undefined);
});

Deno.test("parseSize uses powers of 1000 and of 1024 for the i units", () => {
  assertEquals(parseSize("250mb"), 250_000_000n);
  assertEquals(parseSize("0mb"), 0n);
  assertEquals(parseSize("1b"), 1n);
  assertEquals(parseSize("10 KiB"), 10240n);
  assertEquals(parseSize("2 Gi"), 2n << 30n);
  assertEquals(parseSize("1TB"), 10n ** 12n);
  assertEquals(parseSize("1 gB"), undefined);
  assertEquals(parseSize("mb"), undefined);
  assertEquals(parseSize("99999999999 TiB"), undefined);
});

Deno.test("parseDate accepts ISO and month-name forms and normalises them", () => {
  assertEquals(parseDate("2004-01-06"), "2004-01-06");
  assertEquals(parseDate("20040106"), "2004-01-06");
  assertEquals(parseDate("--03"), "--03");
  assertEquals(parseDate("--03-02"), "--03-02");
  assertEquals(parseDate("Jan 7, 2007"), "2007-01-07");
  assertEquals(parseDate("Jan 18 2027"), "2027-01-18");
  assertEquals(parseDate("Jan 2027"), "2027-01");
  assertEquals(parseDate("Mar 0600"), "0600-03");
  assertEquals(parseDate("2 Mar 1401"), "1401-03-02");
  assertEquals(parseDate("2 Mar"), "--03-02");
  assertEquals(parseDate("sept 9"), "--09-09");
});

Deno.test("parseDate refuses impossible days, including 31 April", () => {
  assertEquals(parseDate("2004-04-31"), undefined);
  assertEquals(parseDate("2004-06-31"), undefined);
  assertEquals(parseDate("2004-02-30"), undefined);
  assertEquals(parseDate("2004-13-01"), undefined);
  assertEquals(parseDate("Apr 31"), undefined);
  assertEquals(parseDate("2004-0106"), undefined);
  assertEquals(parseDate("Foo 3"), undefined);
  assertEquals(parseDate("2004-03-31"), "2004-03-31");
});

Deno.test("parseTime normalises to HH:MM:SS with fraction and zone", () => {
  assertEquals(parseTime("9:05"), "09:05:00");
  assertEquals(parseTime("12:30:00"), "12:30:00");
  assertEquals(parseTime("23:59:60.25Z"), "23:59:60.25Z");
  assertEquals(parseTime("10:00:01+05:30"), "10:00:01+05:30");
  assertEquals(parseTime("10:00-08:00"), "10:00:00-08:00");
  assertEquals(parseTime("9:05pm"), "21:05:00");
  assertEquals(parseTime("12:00am"), "00:00:00");
  assertEquals(parseTime("12:15:01PM"), "12:15:01");
});

Deno.test("parseTime refuses out-of-range fields", () => {
  assertEquals(parseTime("24:00"), undefined);
  assertEquals(parseTime("12:60"), undefined);
  assertEquals(parseTime("12:30:61"), undefined);
  assertEquals(parseTime("13:00pm"), undefined);
  assertEquals(parseTime("10:00+24:00"), undefined);
  assertEquals(parseTime("12:30.5"), undefined);
});

Deno.test("parseDateTime joins a date and a time at one T", () => {
  assertEquals(parseDateTime("2024-03-01T12:30"), "2024-03-01T12:30:00");
  assertEquals(parseDateTime("2024-03-01t12:30:00Z"), "2024-03-01T12:30:00Z");
  assertEquals(parseDateTime("2024-03-01T"), undefined);
  assertEquals(parseDateTime("2024-03-01T12:30Tx"), undefined);
  assertEquals(parseDateTime("2024-03-01"), undefined);
});

Deno.test("parseIPAddr and parseCIDR check ranges", () => {
  assertEquals(parseIPAddr("10.0.0.1"), "10.0.0.1");
  assertEquals(parseIPAddr("256.0.0.1"), undefined);
  assertEquals(parseIPAddr("1.2.3"), undefined);
  assertEquals(parseIPAddr("::"), "::");
  assertEquals(
    parseIPAddr("2001:db8:3333:4444:5555:6666:7777:8888"),
    "2001:db8:3333:4444:5555:6666:7777:8888",
  );
  assertEquals(parseIPAddr("2001:db8:33333::1"), undefined);
  assertEquals(parseCIDR("192.168.0.0/16"), "192.168.0.0/16");
  assertEquals(parseCIDR("192.168.0.0/33"), undefined);
  assertEquals(parseCIDR("2001:db8:1::ab9:C0A8:102/127"), "2001:db8:1::ab9:C0A8:102/127");
  assertEquals(parseCIDR("::/129"), undefined);
  assertEquals(parseCIDR("10.0.0.0/"), undefined);
});

Deno.test("classifyOtherLiteral tries the types in spec order", () => {
  assertEquals(classifyOtherLiteral(" 3 sec "), { type: "Duration", value: 3n * SEC });
  assertEquals(classifyOtherLiteral("250mb"), { type: "Size", value: 250_000_000n });
  assertEquals(classifyOtherLiteral("10 m"), { type: "Duration", value: 600n * SEC });
  assertEquals(classifyOtherLiteral("10 M"), { type: "Duration", value: 600n * SEC });
  assertEquals(classifyOtherLiteral("10 Mi"), { type: "Size", value: 10n << 20n });
  assertEquals(classifyOtherLiteral("12:30:00"), { type: "Time", value: "12:30:00" });
  assertEquals(classifyOtherLiteral("2024-01-02"), { type: "Date", value: "2024-01-02" });
  assertEquals(classifyOtherLiteral("2024-01-02T03:04"), {
    type: "DateTime",
    value: "2024-01-02T03:04:00",
  });
  assertEquals(classifyOtherLiteral("10.0.0.1"), { type: "IPAddr", value: "10.0.0.1" });
  assertEquals(classifyOtherLiteral("10.0.0.0/8"), { type: "CIDR", value: "10.0.0.0/8" });
  assertEquals(classifyOtherLiteral("hello world"), undefined);
});

Deno.test("formatDuration prints words that parse back to the same value", () => {
  for (const us of [1n, 999n, 1000n, SEC, 3982n * SEC, 126331567000010n, 90061001001n]) {
    assertEquals(parseDuration(formatDuration(us)), us);
  }
  assertEquals(formatDuration(3982n * SEC), "1 hr 6 mins 22 secs");
  assertEquals(formatDuration(0n), "0 secs");
});

Deno.test("formatSize picks the unit with the smallest whole number", () => {
  assertEquals(formatSize(250_000_000n), "250MB");
  assertEquals(formatSize(1n << 20n), "1MiB");
  assertEquals(formatSize(1500n), "1500B");
  assertEquals(formatSize(0n), "0B");
  for (const b of [1n, 1000n, 1024n, 3n << 40n, 7n * 10n ** 12n, 123456789n]) {
    assertEquals(parseSize(formatSize(b)), b);
  }
});
