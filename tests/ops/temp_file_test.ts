import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { createTemp, discardTemp } from "../../ops/temp_file.ts";

const CASES: [asked: number | undefined, expected: number][] = [
  [0o755, 0o755],
  [0o666, 0o644],
  [0o4755, 0o755],
  [undefined, 0o600],
];

Deno.test("createTemp: the mode asked for, never set-id bits nor write access for others", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk-temp-" });
  try {
    const umask = Deno.umask();
    for (const [asked, expected] of CASES) {
      const temp = createTemp(join(dir, "a.sh"), asked);
      try {
        const mode = Deno.statSync(temp.path).mode! & 0o7777;
        assertEquals(mode.toString(8), (expected & ~umask).toString(8), `${asked?.toString(8)}`);
        assertEquals(temp.info.mode! & 0o7777, mode, "info is the file as created");
        assert(temp.info.nlink === 1);
      } finally {
        discardTemp(temp);
      }
    }
    assertEquals([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
