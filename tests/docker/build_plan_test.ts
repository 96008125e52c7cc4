import { assert, assertEquals } from "../_assert.ts";
import { defaultDockerSettings, planBuild } from "../../docker/build_plan.ts";
import { parseDockerfile } from "../../docker/dockerfile_parse.ts";
import type { MarkDict } from "../../codecs/mark_value.ts";

const TEXT = "FROM busybox-base AS build\nCOPY a /a\nFROM busybox-base AS final\nCOPY b /b\n";
const COLLECTED: MarkDict = new Map<string, string | bigint>([
  ["COMMIT_ID", "0123abcd"],
  ["BRANCH", "main"],
  ["ORIGIN_URI", "local"],
  ["HASH", "not a label"],
]);

function plan(target?: string, chmod = false) {
  const settings = {
    ...defaultDockerSettings({
      name: "chalk_labels",
      keys: new Set(["COMMIT_ID", "ORIGIN_URI", "BRANCH"]),
    }),
    customLabels: new Map([["HELLO", "world"]]),
    additionalEnvVars: new Map([["commit", "@COMMIT_ID"]]),
  };
  return planBuild({
    dockerfileText: TEXT,
    dockerfile: parseDockerfile(TEXT),
    target,
    collected: COLLECTED,
    settings,
    markFileName: "chalk.json.chalk",
    chmod,
    warn: (m) => {
      throw new Error(m);
    },
  });
}

Deno.test("planBuild adds custom and template labels, ENV and the mark COPY in order", () => {
  const p = plan();
  assertEquals(p.addedLines, [
    'LABEL run.crashoverride.hello="world" run.crashoverride.commit-id="0123abcd" ' +
    'run.crashoverride.origin-uri="local" run.crashoverride.branch="main"',
    'ENV COMMIT="0123abcd"',
    'COPY ["chalk.json.chalk","/chalk.json"]',
  ]);
  assertEquals([...p.addedLabels.keys()], ["HELLO", "COMMIT_ID", "ORIGIN_URI", "BRANCH"]);
  assert(p.newDockerfile.endsWith('COPY ["chalk.json.chalk","/chalk.json"]\n# }}}\n'));
});

Deno.test("planBuild inserts the block right after the --target stage", () => {
  const p = plan("build");
  const lines = p.newDockerfile.split("\n");
  assertEquals(lines[2].startsWith("# {{{ added by chalk"), true);
  assertEquals(lines[lines.indexOf("# }}}") + 1], "FROM busybox-base AS final");
  assertEquals(p.stage.name, "build");
});

Deno.test("planBuild uses COPY --chmod=0444 under BuildKit", () => {
  assertEquals(
    plan(undefined, true).addedLines.at(-1),
    'COPY --chmod=0444 ["chalk.json.chalk","/chalk.json"]',
  );
});
