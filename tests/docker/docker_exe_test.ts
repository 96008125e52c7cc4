import { join } from "node:path";
import { assertEquals } from "../_assert.ts";
import { findDocker, isChalkProgram } from "../../docker/docker_exe.ts";
import { CHALK } from "../e2e/_chalk.ts";

async function tree(): Promise<{ root: string; dirs: string[] }> {
  const root = await Deno.makeTempDir({ prefix: "chalk-exe-" });
  const dirs = ["self", "copy", "none", "real", "later"].map((d) => join(root, d));
  for (const d of dirs) await Deno.mkdir(d);
  return { root, dirs };
}

Deno.test("findDocker skips chalk itself and other chalk programs on PATH", async () => {
  const { root, dirs } = await tree();
  try {
    const [self, copy, none, real, later] = dirs;
    await Deno.symlink(CHALK, join(self, "docker"));
    await Deno.copyFile(CHALK, join(copy, "docker"));
    await Deno.writeTextFile(join(none, "docker"), "#!/bin/sh\n", { mode: 0o644 });
    await Deno.writeTextFile(join(real, "docker"), "#!/bin/sh\necho real\n", { mode: 0o755 });
    await Deno.writeTextFile(join(later, "docker"), "#!/bin/sh\necho later\n", { mode: 0o755 });
    const found = findDocker({ selfPath: join(self, "docker"), path: dirs.join(":") });
    assertEquals(found, join(real, "docker"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("findDocker tries docker_exe first and returns undefined when nothing fits", async () => {
  const { root, dirs } = await tree();
  try {
    const [self, , , real, later] = dirs;
    await Deno.writeTextFile(join(real, "docker"), "#!/bin/sh\n", { mode: 0o755 });
    await Deno.writeTextFile(join(later, "docker"), "#!/bin/sh\n", { mode: 0o755 });
    assertEquals(
      findDocker({ selfPath: CHALK, path: real, dockerExe: later }),
      join(later, "docker"),
    );
    assertEquals(findDocker({ selfPath: CHALK, path: self }), undefined);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("isChalkProgram recognises the chalk bundle and not ordinary programs", () => {
  assertEquals(isChalkProgram(CHALK), true);
  assertEquals(isChalkProgram("/bin/sh"), false);
});
