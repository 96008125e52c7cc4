import { assertEquals } from "../_assert.ts";
import { splitAtDocker } from "../../cli/cmd_docker.ts";
import { splitExtractTargets } from "../../ops/extract_targets.ts";

Deno.test("splitAtDocker keeps chalk's flags before docker and docker's after it", () => {
  assertEquals(splitAtDocker(["--trace", "-l", "info", "docker", "run", "-v", "a:b", "img"]), {
    chalkArgs: ["--trace", "-l", "info"],
    dockerArgs: ["run", "-v", "a:b", "img"],
  });
  assertEquals(splitAtDocker(["docker"]), { chalkArgs: [], dockerArgs: [] });
});

Deno.test("splitAtDocker ignores docker as a value or a later word", () => {
  assertEquals(splitAtDocker(["insert", "docker"]), undefined);
  assertEquals(splitAtDocker(["-l", "docker"]), undefined);
});

Deno.test("splitExtractTargets tells files, docker names and subcommand words apart", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assertEquals(splitExtractTargets([dir, "some-image:latest"]), {
      files: [dir],
      walkFiles: true,
      names: ["some-image:latest"],
      allImages: false,
      allContainers: false,
    });
    assertEquals(splitExtractTargets(["images"]).allImages, true);
    assertEquals(splitExtractTargets(["containers"]).allImages, false);
    assertEquals(splitExtractTargets(["all"]), {
      files: ["."],
      walkFiles: true,
      names: [],
      allImages: true,
      allContainers: true,
    });
    assertEquals(splitExtractTargets([]).walkFiles, true);
    assertEquals(splitExtractTargets(["only-an-image"]).walkFiles, false);
  } finally {
    await Deno.remove(dir);
  }
});

Deno.test("splitAtDocker skips the values of chalk's global flags", () => {
  assertEquals(splitAtDocker(["--config-file", "x.c4m", "docker", "ps"]), {
    chalkArgs: ["--config-file", "x.c4m"],
    dockerArgs: ["ps"],
  });
  assertEquals(splitAtDocker(["-f", "docker", "docker", "ps"])?.chalkArgs, ["-f", "docker"]);
});
