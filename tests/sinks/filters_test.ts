import { assertStrictEquals } from "../_assert.ts";
import { applyFilters } from "../../sinks/filters.ts";

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
