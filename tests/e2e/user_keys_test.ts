/**
 * A configuration's own keys (`keyspec X_...` / `_X_...` with `value:` or `callback:`) reach
 * marks and reports as their `kind` says (docs/configuration.md, "Your own keys"), through
 * dist/chalk on a copy of /bin/ls: in the bytes of the mark, in chalk.log, back out of `extract`.
 * A callback that fails is one warning line; the key is left out and the run succeeds.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { type Sandbox, sandbox } from "./_chalk.ts";

type Json = Record<string, unknown>;

/** The reports appended to the sandbox's chalk.log, oldest first. */
function loggedReports(sb: Sandbox): Json[] {
  const text = Deno.readTextFileSync(join(sb.home, ".local/chalk/chalk.log"));
  return text.trim().split("\n").map((line) => (JSON.parse(line) as Json[])[0]);
}

/** The (flat) mark in the bytes of `file`, as `strings file | grep MAGIC` shows it. */
function markInFile(file: string): Json {
  const text = new TextDecoder("latin1").decode(Deno.readFileSync(file));
  const at = text.indexOf('{ "MAGIC"');
  assert(at >= 0, `no mark in ${file}`);
  return JSON.parse(text.slice(at, text.indexOf("}", at) + 1));
}

// The finding's configuration, as docs/configuration.md shows X_TEAM.
const TEAM = `keyspec X_TEAM {
 kind: ChalkTimeHost
 type: string
 value: "payments"
}
report_template r {
 key._OPERATION.use = true
 key._CHALKS.use = true
 key.X_TEAM.use = true
}
mark_template mm {
 key.CHALK_ID.use = true
 key.X_TEAM.use = true
}
`;

Deno.test("a keyspec's value goes into the mark and the report its templates name (X_TEAM)", async () => {
  const sb = await sandbox();
  try {
    await Deno.writeTextFile(join(sb.work, "xteam.c4m"), TEAM);
    await Deno.copyFile("/bin/ls", join(sb.work, "ls3"));
    const conf = ["--config-file", "xteam.c4m"];
    const insert = await sb.chalk([...conf, "insert", "--mark-template", "mm"].concat(
      ["--report-template", "r", "ls3"],
    ));
    assertEquals(insert.code, 0, insert.stderr);
    assertEquals(markInFile(join(sb.work, "ls3")).X_TEAM, "payments");
    const [inserted] = loggedReports(sb);
    assertEquals(inserted.X_TEAM, "payments");

    // Read back from the mark by extract.
    const extract = await sb.chalk([...conf, "extract", "--report-template", "r", "ls3"]);
    assertEquals(extract.code, 0, extract.stderr);
    const extracted = loggedReports(sb)[1];
    assertEquals(extracted._OPERATION, "extract");
    assertEquals((extracted._CHALKS as Json[])[0].X_TEAM, "payments");
  } finally {
    await sb.cleanup();
  }
});

const CALLBACKS = `
keyspec X_WHERE {
  kind:     ChalkTimeArtifact
  type:     string
  callback: func where
}
keyspec X_FOLDERS {
  kind:     ChalkTimeHost
  type:     string
  callback: func folders
}
keyspec _X_SEEN {
  kind:     RunTimeArtifact
  type:     dict[string, int]
  callback: func seen
}
keyspec _X_REPORTED_FROM {
  kind:     RunTimeHost
  type:     string
  callback: func folders
}
keyspec X_BROKEN {
  kind:     ChalkTimeArtifact
  type:     string
  callback: func broken
}
keyspec X_NOT_AN_INT {
  kind:     ChalkTimeHost
  type:     int
  callback: func folders
}
func where(path) { return "marked at " + path }
func folders(dirs) { return dirs }
func seen(path: string) { return {"path_length": len(path)} }
func broken(path) { return parse_json("{") }

mark_template mark_default {
  key.X_WHERE.use      = true
  key.X_FOLDERS.use    = true
  key.X_BROKEN.use     = true
  key.X_NOT_AN_INT.use = true
}
report_template insertion_default {
  key.X_WHERE.use          = true
  key.X_FOLDERS.use        = true
  key._X_SEEN.use          = true
  key._X_REPORTED_FROM.use = true
  key.X_BROKEN.use         = true
}
report_template report_default {
  key.X_WHERE.use          = true
  key.X_FOLDERS.use        = true
  key._X_SEEN.use          = true
  key._X_REPORTED_FROM.use = true
}
`;

Deno.test("keyspec callbacks: artifact keys get the path, host keys the folders; a failing one is one warning", async () => {
  const sb = await sandbox();
  try {
    await Deno.writeTextFile(join(sb.work, "keys.c4m"), CALLBACKS);
    const bin = join(sb.work, "bin");
    await Deno.mkdir(bin);
    const ls = join(bin, "ls");
    await Deno.copyFile("/bin/ls", ls);
    const conf = ["--config-file", "keys.c4m"];

    const insert = await sb.chalk([...conf, "insert", "bin"]);
    assertEquals(insert.code, 0, insert.stderr);
    const warnings = insert.stderr.split("\n").filter((l) => l.startsWith("warn:"));
    const broken = warnings.filter((l) => l.includes("X_BROKEN"));
    assertEquals(broken.length, 1, insert.stderr);
    assertMatch(
      broken[0],
      /^warn: {2}\S+\/bin\/ls: key X_BROKEN left out: callback broken failed: \S*keys\.c4m:\d+:\d+: .*parse_json/,
    );
    const notInt = warnings.filter((l) => l.includes("X_NOT_AN_INT"));
    assertEquals(notInt, [
      `warn:  key X_NOT_AN_INT left out: callback folders returned "${bin}" is not of type int`,
    ]);
    assert(!insert.stderr.includes("    at "), insert.stderr);

    // In the mark: chalk-time keys, nothing of the failed ones.
    const extract = await sb.chalk([...conf, "extract", "bin"]);
    assertEquals(extract.code, 0, extract.stderr);
    const [inserted, extracted] = loggedReports(sb);
    const marked = (extracted._CHALKS as Json[])[0];
    assertEquals(marked.X_WHERE, `marked at ${ls}`);
    assertEquals(marked.X_FOLDERS, bin);
    assert(!("X_BROKEN" in marked) && !("X_NOT_AN_INT" in marked));
    // Run-time keys: computed again for each report.
    assertEquals(marked._X_SEEN, { path_length: ls.length });
    assertEquals(extracted._X_REPORTED_FROM, bin);

    // The insert report: chalk-time host keys at the top, artifact keys per artifact.
    assertEquals(inserted.X_FOLDERS, bin);
    assertEquals(inserted._X_REPORTED_FROM, bin);
    const chalked = (inserted._CHALKS as Json[])[0];
    assertEquals(chalked.X_WHERE, `marked at ${ls}`);
    assertEquals(chalked._X_SEEN, { path_length: ls.length });
    assert(!("X_BROKEN" in chalked));
  } finally {
    await sb.cleanup();
  }
});
