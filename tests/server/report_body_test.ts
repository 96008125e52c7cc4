import {
  assertEquals,
  assertMatch,
  assertNotStrictEquals,
  assertStrictEquals,
  assertThrows,
} from "../_assert.ts";
import { parseReportBody, ReportBodyError } from "../../server/report_body.ts";

Deno.test("parseReportBody merges chalk keys with report keys, report keys winning in place", () => {
  const body = `[{"_OPERATION": "Insert", "_TIMESTAMP": 5, "SHARED": "report",
    "_CHALKS": [{"CHALK_ID": "C1", "METADATA_ID": "M1", "SHARED": "chalk", "N": 99999999999999999999}],
    "AFTER": true}]`;
  const { reports } = parseReportBody(body);
  assertStrictEquals(reports.length, 1);
  assertStrictEquals(reports[0].operation, "insert");
  assertStrictEquals(reports[0].chalks.length, 1);
  assertStrictEquals(
    reports[0].chalks[0].raw,
    '{"CHALK_ID": "C1", "METADATA_ID": "M1", "SHARED": "report", "N": 99999999999999999999, ' +
      '"_OPERATION": "Insert", "_TIMESTAMP": 5, "AFTER": true}',
  );
});

Deno.test("parseReportBody makes chalk rows only for insert and build, mentions for all", () => {
  const chalks = `"_CHALKS": [{"CHALK_ID": "C1", "METADATA_ID": "M1", "COMMIT_ID": "abc",
    "_OP_ARTIFACT_PATH": "/bin/x"}, 7]`;
  const ops = ["insert", "build", "exec", "heartbeat", "push", "extract"];
  const body = "[" + ops.map((op) => `{"_OPERATION": "${op}", ${chalks}}`).join(",") + "]";
  const { reports } = parseReportBody(body);
  assertEquals(reports.map((r) => r.chalks.length), [1, 1, 0, 0, 0, 0]);
  for (const r of reports) {
    assertStrictEquals(r.mentions.length, 1);
    assertStrictEquals(r.mentions[0].commitId, "abc");
    assertStrictEquals(r.mentions[0].artifactPath, "/bin/x");
  }
});

Deno.test("parseReportBody gives equal reports equal identities and others different ones", () => {
  const a = parseReportBody('[{"_OPERATION": "exec", "_ACTION_ID": "1", "x": [1, 2]}]');
  const b = parseReportBody('{ "x":[1,2], "_ACTION_ID":"1", "_OPERATION":"exec" }');
  const c = parseReportBody('[{"_OPERATION": "exec", "_ACTION_ID": "1", "x": [2, 1]}]');
  assertStrictEquals(a.reports[0].identity, b.reports[0].identity);
  assertNotStrictEquals(a.reports[0].identity, c.reports[0].identity);
  assertMatch(a.reports[0].identity, /^[0-9a-f]{64}$/);
});

Deno.test("parseReportBody reads host fields and keeps the raw report text", () => {
  const text = `{"_OPERATION": "heartbeat", "_TIMESTAMP": 1695487500000, "_EXEC_ID": "e1",
    "_ACTION_ID": "a1", "_DATETIME": "2023-09-23T12:45:00.000-04:00", "_OP_NODENAME": "n1"}`;
  const r = parseReportBody(`[${text}]`).reports[0];
  assertEquals(
    [r.timestampMs, r.execId, r.actionId, r.datetime, r.hostname, r.raw],
    [1695487500000, "e1", "a1", "2023-09-23T12:45:00.000-04:00", "n1", text],
  );
  const huge = parseReportBody('[{"_OPERATION": "x", "_TIMESTAMP": 99999999999999999999}]');
  assertStrictEquals(huge.reports[0].timestampMs, null);
});

Deno.test("parseReportBody skips objects without a string _OPERATION and rejects non-objects", () => {
  assertStrictEquals(parseReportBody('[{"_OPERATION": 1}, {}]').skipped, 2);
  assertThrows(() => parseReportBody('[{"_OPERATION": "x"}, "y"]'), ReportBodyError);
  assertThrows(() => parseReportBody("null"), /expected an array of reports/);
  assertThrows(() => parseReportBody("[{]"), /malformed JSON at line 1, column 3/);
});
