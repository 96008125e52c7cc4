/**
 * UserKeys over a real configuration and run context: only keys a template of the operation
 * uses are filled, each kind at its own phase, never over a key already collected; a failing
 * callback leaves its key out and the run goes on; host callbacks get the context directories.
 */
import * as path from "node:path";
import { assertEquals } from "../_assert.ts";
import { Logger } from "../../internal/logger.ts";
import type { MarkDict } from "../../codecs/mark_value.ts";
import { loadChalkConfig } from "../../config/load_config.ts";
import type { ChalkConfig } from "../../config/chalk_config.ts";
import { DEFAULT_CACHE, hubFor, type RunContext } from "../../ops/run_context.ts";
import { selfInfo } from "../../ops/self_path.ts";
import { contextDirectories, UserKeys } from "../../ops/user_keys.ts";

const KEYS = `
keyspec X_TEAM {
  kind:  ChalkTimeHost
  type:  string
  value: "payments"
}
keyspec X_WHERE {
  kind:     ChalkTimeArtifact
  type:     string
  callback: func where
}
keyspec _X_SEEN {
  kind:     RunTimeArtifact
  type:     string
  callback: func where
}
keyspec _X_DIRS {
  kind:     RunTimeHost
  type:     string
  callback: func dirs
}
keyspec X_UNUSED {
  kind:  ChalkTimeHost
  type:  string
  value: "nobody asks"
}
keyspec X_BROKEN {
  kind:     ChalkTimeArtifact
  type:     string
  callback: func broken
}
func where(path) { return "at " + path }
func dirs(d) { return d }
func broken(path) { return parse_json("{") }
mark_template only_team {
  key.X_TEAM.use = true
  key.X_BROKEN.use = true
}
report_template insertion_default {
  key.X_WHERE.use = true
  key._X_SEEN.use = true
  key._X_DIRS.use = true
}
`;

let dir = "";
let config: ChalkConfig;

/** Runs `fn` with `dir` (a configuration and an artifact in it) and `config` loaded from it. */
async function withConfig(fn: () => Promise<void>): Promise<void> {
  dir = await Deno.makeTempDir({ prefix: "chalk-user-keys-ops-" });
  try {
    const configFile = path.join(dir, "keys.c4m");
    await Deno.writeTextFile(configFile, KEYS);
    await Deno.writeTextFile(path.join(dir, "artifact"), "#!/bin/sh\n");
    config = await loadChalkConfig({ command: "insert", configFile, noExternalConfig: true });
    await fn();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function contextFor(command: string, commandArgs: string[]): RunContext {
  const log = new Logger("none");
  const output = config.outputConfig();
  return {
    command,
    self: selfInfo(),
    log,
    output,
    hub: hubFor(output, log, { ...DEFAULT_CACHE, enabled: false }),
    config,
    template: (name) => config.template(name),
    ignorePatterns: [],
    options: {
      recursive: true,
      virtual: false,
      symlinkChalking: "skip",
      skipSummaryReport: true,
      skipCommandReport: false,
    },
    failed: false,
    facts: {
      selfPath: "/opt/chalk",
      args: [command, ...commandArgs],
      commandArgs,
      flags: [],
      started: new Date(),
      version: "0.1.0",
    },
  };
}

Deno.test("UserKeys fills each kind at its phase, only keys the operation's templates use", () =>
  withConfig(async () => {
    const ctx = contextFor("insert", [path.join(dir, "artifact")]);
    const keys = UserKeys.for(ctx, "insert", ctx.template("only_team"))!;
    const host: MarkDict = new Map();
    await keys.addHostKeys(host, "chalk");
    // X_UNUSED has a value but no template of insert names it.
    assertEquals([...host], [["X_TEAM", "payments"]]);
    await keys.addHostKeys(host, "run");
    assertEquals(host.get("_X_DIRS"), dir);

    const data: MarkDict = new Map();
    await keys.addArtifactKeys(data, "chalk", "/w/ls");
    // X_BROKEN's callback failed: left out, and nothing thrown.
    assertEquals([...data], [["X_WHERE", "at /w/ls"]]);
    await keys.addArtifactKeys(data, "run", "/w/ls");
    assertEquals(data.get("_X_SEEN"), "at /w/ls");
  }));

Deno.test("UserKeys never replaces a key already collected (the mark's, on extract)", () =>
  withConfig(async () => {
    // extract's report_default names none of them: nothing to do, at no cost.
    assertEquals(UserKeys.for(contextFor("extract", []), "extract"), undefined);
    const insert = UserKeys.for(contextFor("insert", []), "insert")!;
    const data: MarkDict = new Map([["X_WHERE", "from the mark"]]);
    await insert.addArtifactKeys(data, "chalk", "/w/ls");
    assertEquals(data.get("X_WHERE"), "from the mark");
  }));

Deno.test("contextDirectories: search paths (a file stands for its folder), a docker context, else none", () =>
  withConfig(() => {
    assertEquals(contextDirectories(contextFor("insert", [])), [Deno.cwd()]);
    assertEquals(
      contextDirectories(contextFor("extract", [path.join(dir, "artifact"), "/no/such/dir"])),
      [dir, "/no/such/dir"],
    );
    assertEquals(contextDirectories(contextFor("exec", ["sleep", "5"])), []);
    const build = contextFor("docker", ["build", "."]);
    build.contextDirectories = ["/ctx"];
    assertEquals(contextDirectories(build), ["/ctx"]);
    return Promise.resolve();
  }));
