import { assertStrictEquals } from "../_assert.ts";
import type { MarkDict, MarkValue } from "../../codecs/mark_value.ts";
import { reportMessage } from "../../ops/reporting.ts";
import { applyFilters, rememberWritten } from "../../sinks/filters.ts";

Deno.test("pretty_json indents a report two spaces a level, keeping int64 digits and floats", () => {
  const message =
    '[ { "A" : 9223372036854775807, "B" : { "x" : [1, "q\\"\\n", []], "e" : {  } }, ' +
    '"C" : 2.0, "D" : [], "E" : null, "F" : true } ]\n';
  assertStrictEquals(
    applyFilters(message, ["pretty_json"]),
    [
      "[",
      "  {",
      '    "A": 9223372036854775807,',
      '    "B": {',
      '      "x": [',
      "        1,",
      '        "q\\"\\n",',
      "        []",
      "      ],",
      '      "e": {}',
      "    },",
      '    "C": 2.0,',
      '    "D": [],',
      '    "E": null,',
      '    "F": true',
      "  }",
      "]",
    ].join("\n"),
  );
});

Deno.test("pretty_json leaves a message that is not JSON as it is; fix_new_line ends it", () => {
  assertStrictEquals(applyFilters("not json", ["pretty_json"]), "not json");
  assertStrictEquals(applyFilters("not json", ["pretty_json", "fix_new_line"]), "not json\n");
  assertStrictEquals(applyFilters("x\n", ["fix_new_line"]), "x\n");
});

/** A report with every kind of value chalk's writer puts in one. */
function sampleReport(): MarkDict {
  return new Map<string, MarkValue>([
    ["_OPERATION", "insert"],
    ["INT", 9223372036854775807n],
    ["FLOATS", [2, -0, 0.1, 1e-7, 1e21, 123456789.25]],
    ["TEXT", 'q"\\\n\t\u0001 é 日本 \u{1f600} /'],
    ["EMPTY", [new Map(), [], ""]],
    ["FLAGS", [true, false, null]],
    ["_CHALKS", [new Map<string, MarkValue>([["CHALK_ID", "X"], ["N", 3n]])]],
  ]);
}

Deno.test("pretty_json of a report chalk wrote is what parsing the text back gives", () => {
  const report = sampleReport();
  const text = reportMessage(report);
  const fromValue = applyFilters(text, ["pretty_json"]);
  rememberWritten("", null); // forget it: the filter parses the text
  const fromText = applyFilters(text, ["pretty_json"]);
  assertStrictEquals(fromValue, fromText);
  assertStrictEquals(fromValue.indexOf('"_CHALKS"') < fromValue.indexOf('"FLOATS"'), true);
  // The remembered value is what is indented (no parse): a stand-in shows it.
  rememberWritten(text, [new Map<string, MarkValue>([["Z", 1n]])]);
  assertStrictEquals(applyFilters(text, ["pretty_json"]), '[\n  {\n    "Z": 1\n  }\n]');
});

Deno.test("pretty_json parses a message that is not the one last written", () => {
  const text = reportMessage(sampleReport());
  const other = '[ { "A" : 1 } ]\n';
  assertStrictEquals(applyFilters(other, ["pretty_json"]), '[\n  {\n    "A": 1\n  }\n]');
  // A value that would not read back as itself (NaN is written `nan`): the text decides.
  rememberWritten(text, [new Map<string, MarkValue>([["F", NaN]])]);
  rememberWritten("", null);
  const parsed = applyFilters(text, ["pretty_json"]);
  rememberWritten(text, [new Map<string, MarkValue>([["F", NaN]])]);
  assertStrictEquals(applyFilters(text, ["pretty_json"]), parsed);
  const lone = reportMessage(new Map<string, MarkValue>([["S", "\ud800"]]));
  assertStrictEquals(applyFilters(lone, ["pretty_json"]), '[\n  {\n    "S": "\ufffd"\n  }\n]');
});

Deno.test("github_log_group and gitlab_log_section fold a report into a collapsed CI log group", () => {
  assertStrictEquals(
    applyFilters("[ 1 ]\n", ["github_log_group", "fix_new_line"]),
    "::group::Chalk Report\n[ 1 ]\n::endgroup::\n",
  );
  const gitlab = applyFilters("[ 1 ]\n", ["gitlab_log_section", "fix_new_line"]);
  const esc = "\x1b[0K";
  const ts = /section_start:(\d+):/.exec(gitlab)?.[1] ?? "none";
  assertStrictEquals(
    gitlab,
    `${esc}section_start:${ts}:chalk_report[collapsed=true]\r${esc}Chalk Report\n[ 1 ]\n` +
      `${esc}section_end:${ts}:chalk_report\r${esc}\n`,
  );
});
