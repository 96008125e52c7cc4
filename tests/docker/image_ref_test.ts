import { assertEquals } from "../_assert.ts";
import { parseImageRef } from "../../docker/image_ref.ts";

Deno.test("parseImageRef normalizes Docker Hub names", () => {
  assertEquals(parseImageRef("alpine"), {
    registry: "docker.io",
    repo: "library/alpine",
    tag: undefined,
    digest: undefined,
  });
  assertEquals(parseImageRef("team/app:1.2").repo, "team/app");
});

Deno.test("parseImageRef finds registries with a port, a dot or localhost", () => {
  assertEquals(parseImageRef("127.0.0.1:5000/a/b:v1"), {
    registry: "127.0.0.1:5000",
    repo: "a/b",
    tag: "v1",
    digest: undefined,
  });
  assertEquals(parseImageRef("localhost/x").registry, "localhost");
  assertEquals(parseImageRef("ghcr.io/o/r@sha256:ab").digest, "sha256:ab");
});
