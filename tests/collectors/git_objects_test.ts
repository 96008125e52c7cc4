/** parseLooseObject and GitObjectStore input checks. */
import { assertRejects, assertStrictEquals, assertThrows } from "../_assert.ts";
import { GitReadError } from "../../collectors/git_error.ts";
import { GitObjectStore, parseLooseObject } from "../../collectors/git_objects.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

Deno.test("parseLooseObject splits the type header from the content", () => {
  const obj = parseLooseObject(enc("blob 5\0hello"), "f");
  assertStrictEquals(obj.type, "blob");
  assertStrictEquals(new TextDecoder().decode(obj.data), "hello");
});

Deno.test("parseLooseObject rejects bad headers and wrong sizes, naming the file", () => {
  const bad = ["blob 6\0hello", "weird 5\0hello", "blob five\0hello", "no header at all"];
  for (const raw of bad) {
    assertThrows(
      () => parseLooseObject(enc(raw), "/r/.git/objects/ab/cdef"),
      (e: unknown) => e instanceof GitReadError && e.file === "/r/.git/objects/ab/cdef",
    );
  }
});

Deno.test("GitObjectStore.read rejects a malformed id and misses cleanly", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = new GitObjectStore(dir);
    await assertRejects(store.read("xyz"), GitReadError);
    await assertRejects(store.read("ab".repeat(32)), GitReadError); // SHA-256 length in a SHA-1 store
    assertStrictEquals(await store.read("ab".repeat(20)), undefined);
    await store.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
