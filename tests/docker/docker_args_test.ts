import { assert, assertEquals } from "../_assert.ts";
import {
  chalkProcesses,
  COMMANDS_CHALK_MAY_PROCESS,
  parseBuildArgs,
  parseFlags,
  parsePushArgs,
  splitDockerCommand,
} from "../../docker/docker_args.ts";

Deno.test("splitDockerCommand separates global flags with values from the subcommand", () => {
  const line = splitDockerCommand(["-H", "unix:///x.sock", "--debug", "build", "-t", "a", "."]);
  assertEquals(line.globals, ["-H", "unix:///x.sock", "--debug"]);
  assertEquals(line.command, "build");
  assertEquals(line.rest, ["-t", "a", "."]);
  assertEquals(line.globalInfo, false);
});

Deno.test("splitDockerCommand keeps --context=x as one global token", () => {
  const line = splitDockerCommand(["--context=remote", "push", "img"]);
  assertEquals(line.globals, ["--context=remote"]);
  assertEquals(line.command, "push");
});

Deno.test("splitDockerCommand finds the build verb after buildx's own flags", () => {
  const line = splitDockerCommand(["buildx", "--builder", "b1", "build", "-t", "x", "."]);
  assertEquals(line.command, "buildx");
  assertEquals(line.subcommand, "build");
  assertEquals(line.rest, ["--builder", "b1", "-t", "x", "."]);
});

Deno.test("splitDockerCommand flags --version and --help as docker's own", () => {
  assert(splitDockerCommand(["--version"]).globalInfo);
  assert(splitDockerCommand(["-h"]).globalInfo);
  assertEquals(splitDockerCommand([]).command, undefined);
});

Deno.test("parseBuildArgs reads tags, target, build args, iidfile, platform and context", () => {
  const b = parseBuildArgs([
    "-t",
    "a:1",
    "--tag=b:2",
    "--target",
    "final",
    "--build-arg",
    "BASE=busybox",
    "--build-arg=BARE",
    "--iidfile",
    "iid.txt",
    "--platform",
    "linux/amd64,linux/arm64",
    "--label",
    "team=x",
    "--no-cache",
    "ctx",
  ]);
  assertEquals(b.tags, ["a:1", "b:2"]);
  assertEquals(b.target, "final");
  assertEquals([...b.buildArgs], [["BASE", "busybox"], ["BARE", undefined]]);
  assertEquals(b.iidfile, "iid.txt");
  assertEquals(b.platforms, ["linux/amd64", "linux/arm64"]);
  assertEquals([...b.labels], [["team", "x"]]);
  assertEquals(b.context, "ctx");
});

Deno.test("parseBuildArgs removes every -f form and keeps the rest in order", () => {
  const b = parseBuildArgs(["-f", "A", "-t", "x", "--file=B", "-fC", ".", "-q"]);
  assertEquals(b.file, "C");
  assertEquals(b.withoutFile, ["-t", "x", ".", "-q"]);
});

Deno.test("parseBuildArgs treats -f - as a Dockerfile on stdin and - as a stdin context", () => {
  assertEquals(parseBuildArgs(["-f", "-", "."]).file, "-");
  assertEquals(parseBuildArgs(["-"]).context, "-");
});

Deno.test("parseBuildArgs tolerates unknown flags and notes --push / --help", () => {
  const b = parseBuildArgs(["--made-up", "--other=1", "--push", ".", "--help"]);
  assertEquals(b.context, ".");
  assert(b.push);
  assert(b.help);
});

Deno.test("parseFlags stops reading flags at --", () => {
  const p = parseFlags(["-q", "--", "-t", "x"], new Set(["-t"]));
  assertEquals(p.positionals, ["-t", "x"]);
});

Deno.test("parsePushArgs finds the image and --all-tags", () => {
  assertEquals(parsePushArgs(["-a", "reg:5000/x"]), {
    image: "reg:5000/x",
    allTags: true,
    help: false,
  });
});

Deno.test("chalk processes no command outside COMMANDS_CHALK_MAY_PROCESS (the sh prologue's list)", () => {
  // docker 28's commands and aliases, chalk's own words, and odd ones.
  const words = [
    ..."attach build builder buildx commit compose config container context cp create diff events"
      .split(" "),
    ..."exec export history image images import info inspect kill load login logout logs manifest"
      .split(" "),
    ..."network node pause plugin port ps pull push rename restart rm rmi run save search secret"
      .split(" "),
    ..."service stack start stats stop swarm system tag top trust unpause update version volume wait"
      .split(" "),
    "b",
    "BUILD",
    "build2",
    "",
  ];
  const tails = [[], ["build"], ["b", "."], ["--builder", "x", "build", "."], ["--help"], ["."]];
  let processed = 0;
  for (const word of words) {
    for (const tail of tails) {
      if (!chalkProcesses(splitDockerCommand([word, ...tail]))) continue;
      processed++;
      assert(COMMANDS_CHALK_MAY_PROCESS.includes(word), `${word} ${tail.join(" ")}`);
    }
  }
  assert(processed > 0);
});
