import { assert, assertEquals } from "../_assert.ts";
import {
  DockerfileError,
  parseDockerfile,
  parseExecForm,
  readInstructions,
  shellWords,
  substituteVars,
  targetStage,
} from "../../docker/dockerfile_parse.ts";

function throwsDockerfileError(f: () => unknown, line: number): void {
  try {
    f();
  } catch (e) {
    assert(e instanceof DockerfileError, `not a DockerfileError: ${e}`);
    assertEquals(e.line, line);
    return;
  }
  throw new Error("expected a DockerfileError");
}

Deno.test("readInstructions joins continuations and skips comments inside them", () => {
  const { instructions } = readInstructions(
    "FROM a\nRUN echo 1 \\\n# note\n  && echo 2\n\nCMD x\n",
  );
  assertEquals(instructions.map((i) => [i.keyword, i.startLine, i.endLine]), [
    ["FROM", 0, 0],
    ["RUN", 1, 3],
    ["CMD", 5, 5],
  ]);
  assertEquals(instructions[1].args, "echo 1   && echo 2");
});

Deno.test("readInstructions skips blank lines inside a continuation, as docker does", () => {
  // docker joins `RUN a` with `FROM b AS c` here: one stage, not two.
  const { instructions } = readInstructions("FROM a\nRUN echo 1 \\\n\n  \nFROM b AS c\n");
  assertEquals(instructions.map((i) => [i.keyword, i.startLine, i.endLine]), [
    ["FROM", 0, 0],
    ["RUN", 1, 4],
  ]);
  assertEquals(instructions[1].args, "echo 1 FROM b AS c");
  assertEquals(instructions[1].openContinuation, undefined);
});

Deno.test("readInstructions marks a continuation still open at the end of the file", () => {
  for (const tail of ["", "\n", "\n\n# trailing comment\n", " \t\n"]) {
    const { instructions } = readInstructions(`FROM a\nRUN echo 1 && \\\n  echo 2 \\${tail}`);
    assertEquals(instructions[1].args, "echo 1 &&   echo 2", JSON.stringify(tail));
    assertEquals([instructions[1].endLine, instructions[1].openContinuation], [2, 2]);
  }
  const backtick = readInstructions("# escape=`\nFROM a\nRUN x `\n");
  assertEquals(backtick.instructions[1].openContinuation, 2);
});

Deno.test("readInstructions honours the escape directive", () => {
  const r = readInstructions("# escape=`\nFROM a\nRUN x `\n  y\n");
  assertEquals(r.escape, "`");
  assertEquals(r.instructions[1].endLine, 3);
});

Deno.test("readInstructions gives heredoc bodies to their instruction", () => {
  const r = readInstructions("FROM a\nRUN <<EOF\nFROM not-a-stage\nEOF\nCMD x\n");
  assertEquals(r.instructions.map((i) => i.keyword), ["FROM", "RUN", "CMD"]);
  assertEquals(r.instructions[1].endLine, 3);
});

Deno.test("substituteVars expands $X, ${X}, ${X:-d} and ${X:+a}", () => {
  const vars = new Map([["A", "1"], ["E", ""]]);
  assertEquals(substituteVars("$A-${A}-${E:-d}-${A:+y}-${U:+n}-$U.", vars), "1-1-d-y--.");
  assertEquals(substituteVars("\\$A", vars), "$A");
});

Deno.test("parseDockerfile evaluates ARG before FROM with build args", () => {
  const text = "ARG BASE=alpine\nARG TAG=1\nFROM ${BASE}:$TAG AS b\nFROM b\n";
  const f = parseDockerfile(text, new Map([["BASE", "busybox-base"]]));
  assertEquals(f.stages.map((s) => s.image), ["busybox-base:1", "b"]);
  assertEquals(f.stages[0].name, "b");
  assertEquals([...f.globalArgs], [["BASE", "alpine"], ["TAG", "1"]]);
});

Deno.test("parseDockerfile reads FROM --platform and the stage's commands", () => {
  const f = parseDockerfile(
    'FROM --platform=linux/arm64 x\nSHELL ["/bin/bash","-c"]\nUSER 1000\n' +
      'LABEL a=1 "b c"="d e"\nENTRYPOINT echo hi\nCMD ["-x"]\n',
  );
  const s = f.stages[0];
  assertEquals(s.platform, "linux/arm64");
  assertEquals(s.shell, ["/bin/bash", "-c"]);
  assertEquals(s.user, "1000");
  assertEquals([...s.labels], [["a", "1"], ["b c", "d e"]]);
  assertEquals(s.entrypoint, { form: "shell", text: "echo hi" });
  assertEquals(s.cmd, { form: "exec", argv: ["-x"] });
  assertEquals(s.endLine, 5);
});

Deno.test("parseExecForm tells exec form from shell form", () => {
  assertEquals(parseExecForm("[]"), []);
  assertEquals(parseExecForm('[""]'), [""]);
  assertEquals(parseExecForm("[not json"), undefined);
  assertEquals(parseExecForm("echo [x]"), undefined);
});

Deno.test("shellWords honours quotes and escapes", () => {
  assertEquals(shellWords(`a "b c" 'd e' f\\ g`), ["a", "b c", "d e", "f g"]);
});

Deno.test("targetStage picks --target case-insensitively, else the last stage", () => {
  const f = parseDockerfile("FROM a AS One\nFROM b\n");
  assertEquals(targetStage(f, "ONE").index, 0);
  assertEquals(targetStage(f).index, 1);
  throwsDockerfileError(() => targetStage(f, "nope"), 1);
});

Deno.test("parseDockerfile rejects a file without FROM and instructions before FROM", () => {
  throwsDockerfileError(() => parseDockerfile("# only a comment\n"), 1);
  throwsDockerfileError(() => parseDockerfile("ARG X\nRUN x\nFROM a\n"), 2);
});

Deno.test("parseDockerfile lets FROM use the automatic platform args undeclared", () => {
  const f = parseDockerfile(
    "FROM --platform=$BUILDPLATFORM busybox-base AS b\nFROM x-${TARGETARCH}\n",
    new Map([["BUILDPLATFORM", "linux/amd64"], ["TARGETARCH", "arm64"], ["OTHER", "no"]]),
  );
  assertEquals(f.stages[0].platform, "linux/amd64");
  assertEquals(f.stages[1].image, "x-arm64");
  assertEquals(f.globalArgs.size, 0);
});
