/** Validation errors are placed on the assignment they are about. */

import { assertEquals } from "../_assert.ts";
import { Con4mError } from "../../con4m/errors.ts";
import { parseCon4m } from "../../con4m/parser.ts";
import {
  errorExcerpt,
  errorLine,
  errorSubject,
  locateSubject,
} from "../../config/error_location.ts";

const TEXT = [
  "sink_config a {",
  '  sink: "post"',
  "  if true {",
  '    uri: "ftp://x"',
  "  }",
  "}",
  "custom_report.r.enabled: false",
  "",
].join("\n");

Deno.test("errorSubject reads the path and the quoted field of a message", () => {
  assertEquals(errorSubject("When checking sink_config.a: 'uri' must be..."), {
    path: "sink_config.a",
    field: "uri",
  });
  assertEquals(errorSubject("When checking log_level: Value is not one of"), { path: "log_level" });
  assertEquals(errorSubject("Unknown field for a root section: colour"), { path: "colour" });
  assertEquals(errorSubject("In post execution check, at top-level: x"), undefined);
});

Deno.test("locateSubject finds assignments inside sections and branches", () => {
  const program = parseCon4m(TEXT, "t.c4m");
  assertEquals(locateSubject(program, { path: "sink_config.a", field: "uri" })?.line, 4);
  assertEquals(locateSubject(program, { path: "sink_config.a.sink" })?.line, 2);
  assertEquals(locateSubject(program, { path: "sink_config.a", field: "token" })?.line, 1);
  assertEquals(locateSubject(program, { path: "custom_report.r.enabled" })?.line, 7);
  assertEquals(locateSubject(program, { path: "exec.command_name" }), undefined);
});

Deno.test("locateSubject places a section a dotted assignment or a labelled section opens", () => {
  const program = parseCon4m(
    'log_level: "info"\ntool.mytool.enabled = true\nobject_store_configs s {\n}\n',
    "t.c4m",
  );
  // A required field missing from a section only dotted assignments create.
  assertEquals(
    locateSubject(
      program,
      errorSubject(
        "When checking tool.mytool.kind: Required attribute 'kind' is missing",
      )!,
    )?.line,
    2,
  );
  // An unknown section type, written with a label.
  assertEquals(
    locateSubject(
      program,
      errorSubject(
        "Unknown field for a root section: object_store_configs",
      )!,
    )?.line,
    3,
  );
});

Deno.test("errorLine prints file:line:col or file: for unplaceable errors", () => {
  const program = parseCon4m(TEXT, "t.c4m");
  const placed = new Con4mError("validate", "When checking sink_config.a: 'uri' bad");
  assertEquals(
    errorLine(placed, "t.c4m", program),
    "t.c4m:4:5: When checking sink_config.a: 'uri' bad",
  );
  const nowhere = new Con4mError("validate", "In post execution check, at top-level: no");
  assertEquals(
    errorLine(nowhere, "t.c4m", program),
    "t.c4m: In post execution check, at top-level: no",
  );
  const positioned = new Con4mError("runtime", "boom", { file: "t.c4m", line: 2, col: 3 });
  assertEquals(errorLine(positioned, "t.c4m", program), "t.c4m:2:3: boom");
});

Deno.test("errorExcerpt shows the line an error points at and a caret under its column", () => {
  const program = parseCon4m(TEXT, "t.c4m");
  const placed = new Con4mError("validate", "When checking sink_config.a: 'uri' bad");
  assertEquals(errorExcerpt(placed, "t.c4m", program, TEXT), ['      uri: "ftp://x"', "      ^"]);
  const parse = new Con4mError("parse", "bad", { file: "t.c4m", line: 2, col: 9 });
  assertEquals(errorExcerpt(parse, "t.c4m", program, TEXT), ['    sink: "post"', "          ^"]);
  // Tabs stay tabs in the caret line; another file's error has no excerpt here.
  const tabbed = "a {\n\tb: 1\n}\n";
  const inTab = new Con4mError("check", "x", { file: "u.c4m", line: 2, col: 2 });
  assertEquals(errorExcerpt(inTab, "u.c4m", undefined, tabbed), ["  \tb: 1", "  \t^"]);
  assertEquals(errorExcerpt(inTab, "other.c4m", undefined, tabbed), []);
});
