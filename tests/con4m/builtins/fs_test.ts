import { assert, assertEquals, assertStrictEquals } from "../../_assert.ts";
import { join } from "node:path";
import { splitPath } from "../../../con4m/builtins/fs.ts";
import { callSync } from "./_call.ts";

function withDir(fn: (dir: string) => void): void {
  const dir = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "con4m_fs_test_" }));
  try {
    fn(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

const S_B = "func(string) -> bool";
const SS_B = "func(string, string) -> bool";

Deno.test("write_file, read_file and file_len work relative to the host cwd", () => {
  withDir((dir) => {
    const host = { cwd: () => dir };
    assertStrictEquals(callSync("write_file", SS_B, ["a.txt", "héllo"], { host }), true);
    assertStrictEquals(Deno.readTextFileSync(join(dir, "a.txt")), "héllo");
    assertStrictEquals(
      callSync("read_file", "func(string) -> string", ["a.txt"], { host }),
      "héllo",
    );
    assertStrictEquals(callSync("file_len", "func(string) -> int", ["a.txt"], { host }), 6n);
    assertStrictEquals(callSync("file_len", "func(string) -> int", ["missing"], { host }), -1n);
    assertStrictEquals(callSync("read_file", "func(string) -> string", ["missing"], { host }), "");
    assertStrictEquals(callSync("write_file", SS_B, ["no/such/dir/x", "y"], { host }), false);
  });
});

Deno.test("is_dir, is_file and is_link test the entry itself", () => {
  withDir((dir) => {
    Deno.writeTextFileSync(join(dir, "f"), "x");
    Deno.mkdirSync(join(dir, "d"));
    Deno.symlinkSync(join(dir, "d"), join(dir, "l"));
    const host = { cwd: () => dir };
    assertStrictEquals(callSync("is_file", S_B, ["f"], { host }), true);
    assertStrictEquals(callSync("is_file", S_B, ["d"], { host }), false);
    assertStrictEquals(callSync("is_dir", S_B, ["d"], { host }), true);
    assertStrictEquals(callSync("is_dir", S_B, ["l"], { host }), false);
    assertStrictEquals(callSync("is_link", S_B, ["l"], { host }), true);
    assertStrictEquals(callSync("is_link", S_B, ["f"], { host }), false);
    assertStrictEquals(callSync("is_dir", S_B, ["nothing"], { host }), false);
  });
});

Deno.test("copy_file, move_file and rm_file manage files and directories", () => {
  withDir((dir) => {
    const host = { cwd: () => dir };
    Deno.writeTextFileSync(join(dir, "src"), "data");
    assertStrictEquals(callSync("copy_file", SS_B, ["src", "copy"], { host }), true);
    assertStrictEquals(Deno.readTextFileSync(join(dir, "copy")), "data");
    assertStrictEquals(callSync("move_file", SS_B, ["copy", "moved"], { host }), true);
    assertStrictEquals(callSync("is_file", S_B, ["copy"], { host }), false);
    assertStrictEquals(Deno.readTextFileSync(join(dir, "moved")), "data");
    assertStrictEquals(callSync("copy_file", SS_B, ["absent", "x"], { host }), false);
    Deno.mkdirSync(join(dir, "tree/sub"), { recursive: true });
    Deno.writeTextFileSync(join(dir, "tree/sub/f"), "x");
    assertStrictEquals(callSync("move_file", SS_B, ["tree", "tree2"], { host }), true);
    assertStrictEquals(callSync("rm_file", S_B, ["tree2"], { host }), true);
    assertStrictEquals(callSync("is_dir", S_B, ["tree2"], { host }), false);
    assertStrictEquals(callSync("rm_file", S_B, ["moved"], { host }), true);
    assertStrictEquals(callSync("rm_file", S_B, ["moved"], { host }), false);
  });
});

Deno.test("mkdir creates parents and chmod sets permission bits", () => {
  withDir((dir) => {
    const host = { cwd: () => dir };
    assertStrictEquals(callSync("mkdir", S_B, ["a/b/c"], { host }), true);
    assert(Deno.statSync(join(dir, "a/b/c")).isDirectory);
    Deno.writeTextFileSync(join(dir, "script"), "#!/bin/sh\n");
    assertStrictEquals(
      callSync("chmod", "func(string, int) -> bool", ["script", 0o750n], { host }),
      true,
    );
    assertStrictEquals(Deno.statSync(join(dir, "script")).mode! & 0o777, 0o750);
    assertStrictEquals(
      callSync("chmod", "func(string, int) -> bool", ["none", 0o750n], { host }),
      false,
    );
  });
});

Deno.test("list_dir lists full paths and gives [] for a bad directory", () => {
  withDir((dir) => {
    Deno.writeTextFileSync(join(dir, "one"), "");
    Deno.mkdirSync(join(dir, "two"));
    const host = { cwd: () => dir };
    const listed = callSync("list_dir", "func(string) -> list[string]", ["."], {
      host,
    }) as string[];
    assertEquals([...listed].sort(), [join(dir, "one"), join(dir, "two")]);
    const cwdList = callSync("list_dir", "func() -> list[string]", [], { host }) as string[];
    assertEquals([...cwdList].sort(), [join(dir, "one"), join(dir, "two")]);
    assertEquals(callSync("list_dir", "func(string) -> list[string]", ["nope"], { host }), []);
  });
});

Deno.test("cwd and chdir go through the host", () => {
  withDir((dir) => {
    let current = "/";
    const host = { cwd: () => current, chdir: (p: string) => void (current = p) };
    Deno.mkdirSync(join(dir, "sub"));
    assertStrictEquals(callSync("cwd", "func() -> string", [], { host }), "/");
    assertStrictEquals(callSync("chdir", S_B, [join(dir, "sub")], { host }), true);
    assertStrictEquals(current, join(dir, "sub"));
    assertStrictEquals(callSync("chdir", S_B, ["/definitely/not/here"]), false);
    assertStrictEquals(callSync("cwd", "func() -> string", []), Deno.cwd());
  });
});

Deno.test("join_path, resolve_path and path_split handle paths like Nim", () => {
  const jp = "func(string, string) -> string";
  assertStrictEquals(callSync("join_path", jp, ["/repo", ".git"]), "/repo/.git");
  assertStrictEquals(callSync("join_path", jp, ["/repo/", "/x"]), "/repo/x");
  assertStrictEquals(callSync("join_path", jp, ["usr/lib", "../bin"]), "usr/bin");
  const host = {
    cwd: () => "/work/here",
    getEnv: (n: string) => (n === "HOME" ? "/home/u" : undefined),
  };
  const rp = "func(string) -> string";
  assertStrictEquals(callSync("resolve_path", rp, ["~/conf/../x.c4m"], { host }), "/home/u/x.c4m");
  assertStrictEquals(callSync("resolve_path", rp, ["rel/./f"], { host }), "/work/here/rel/f");
  assertStrictEquals(callSync("resolve_path", rp, ["/abs//p/"], { host }), "/abs/p");
  const ps = "func(string) -> tuple[string, string]";
  assertEquals(callSync("path_split", ps, ["/usr/local/bin"]), ["/usr/local", "bin"]);
  assertEquals(splitPath("/bin"), ["/", "bin"]);
  assertEquals(splitPath("bin"), ["", "bin"]);
  assertEquals(splitPath("/bin/"), ["/bin", ""]);
  assertEquals(splitPath(""), ["", ""]);
});

Deno.test("find_exe searches PATH then the extra directories for an executable", () => {
  withDir((dir) => {
    Deno.mkdirSync(join(dir, "extra"));
    Deno.writeTextFileSync(join(dir, "extra/mytool"), "#!/bin/sh\n");
    Deno.chmodSync(join(dir, "extra/mytool"), 0o755);
    Deno.writeTextFileSync(join(dir, "extra/notexec"), "");
    const sig = "func(string, list[string]) -> string";
    assertStrictEquals(
      callSync("find_exe", sig, ["mytool", [join(dir, "extra")]]),
      join(dir, "extra/mytool"),
    );
    assertStrictEquals(callSync("find_exe", sig, ["mytool", []]), "");
    assertStrictEquals(callSync("find_exe", sig, ["notexec", [join(dir, "extra")]]), "");
    const sh = callSync("find_exe", sig, ["sh", []]) as string;
    assert(sh.endsWith("/sh"));
  });
});

Deno.test("to_tmp_file writes a new file with the extension under tmp_dir", () => {
  withDir((dir) => {
    const host = { getEnv: (n: string) => (n === "TMPDIR" ? dir : Deno.env.get(n)) };
    assertStrictEquals(callSync("tmp_dir", "func() -> string", [], { host }), dir);
    const p = callSync("to_tmp_file", "func(string, string) -> string", ["echo hi", ".sh"], {
      host,
    }) as string;
    assert(p.startsWith(dir + "/") && p.endsWith(".sh"));
    assertStrictEquals(Deno.readTextFileSync(p), "echo hi");
    const p2 = callSync("to_tmp_file", "func(string, string) -> string", ["x", ".sh"], { host });
    assert(p2 !== p);
    const bad = { getEnv: (n: string) => (n === "TMPDIR" ? join(dir, "missing") : undefined) };
    assertStrictEquals(
      callSync("to_tmp_file", "func(string, string) -> string", ["x", ".txt"], { host: bad }),
      "",
    );
  });
});

Deno.test("tmp_dir defaults to /tmp", () => {
  assertStrictEquals(
    callSync("tmp_dir", "func() -> string", [], { host: { getEnv: () => undefined } }),
    "/tmp",
  );
});
