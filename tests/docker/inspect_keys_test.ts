import { assert, assertEquals } from "../_assert.ts";
import {
  containerKeys,
  historyHasChalkCopy,
  imageKeys,
  jsonToMarkValue,
} from "../../docker/inspect_keys.ts";

const IMAGE = {
  Id: "sha256:aaaa",
  RepoTags: ["127.0.0.1:5000/t/x:v1", "local:latest"],
  RepoDigests: ["127.0.0.1:5000/t/x@sha256:bbbb"],
  Os: "linux",
  Size: 1234,
  Config: { Labels: { a: "b" }, Entrypoint: null, Cmd: ["sh"], User: "" },
};

Deno.test("imageKeys gives the image id without sha256: and the config fields", () => {
  const k = imageKeys(IMAGE);
  assertEquals(k.get("_CURRENT_HASH"), "aaaa");
  assertEquals(k.get("_IMAGE_ID"), "aaaa");
  assertEquals(k.get("_IMAGE_SIZE"), 1234n);
  assertEquals(k.get("_IMAGE_CMD"), ["sh"]);
  assert(!k.has("_IMAGE_ENTRYPOINT") && !k.has("_IMAGE_USER"));
});

Deno.test("imageKeys maps tags and digests per registry and repository", () => {
  const k = imageKeys(IMAGE);
  assertEquals(
    k.get("_REPO_DIGESTS"),
    new Map([["127.0.0.1:5000", new Map([["t/x", ["bbbb"]]])]]),
  );
  assertEquals(
    k.get("_REPO_TAGS"),
    new Map([
      ["127.0.0.1:5000", new Map([["t/x", new Map([["v1", "bbbb"]])]])],
      ["docker.io", new Map([["library/local", new Map([["latest", "aaaa"]])]])],
    ]),
  );
});

Deno.test("containerKeys names the container and its image", () => {
  const k = containerKeys({
    Id: "cid",
    Name: "/web",
    Image: "sha256:ii",
    State: { Status: "running", Pid: 7 },
  });
  assertEquals(k.get("_INSTANCE_NAME"), "web");
  assertEquals(k.get("_INSTANCE_IMAGE_ID"), "ii");
  assertEquals(k.get("_INSTANCE_STATUS"), "running");
  assertEquals(k.get("_INSTANCE_PID"), 7n);
});

Deno.test("historyHasChalkCopy recognises both builders' COPY lines", () => {
  assert(historyHasChalkCopy(["/bin/sh -c #(nop) COPY file:abc in /chalk.json "]));
  assert(historyHasChalkCopy(['COPY ["chalk.json.chalk","/chalk.json"] # buildkit']));
  assert(!historyHasChalkCopy(["COPY hi.sh /hi.sh"]));
});

Deno.test("jsonToMarkValue keeps floats and turns integers into bigint", () => {
  assertEquals(
    jsonToMarkValue({ a: 1, b: 1.5, c: null }),
    new Map<string, unknown>([["a", 1n], ["b", 1.5], ["c", null]]) as never,
  );
});
