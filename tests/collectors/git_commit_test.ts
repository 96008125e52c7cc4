/** parseCommit / parseTag on hand-written object bodies. */
import { assertStrictEquals } from "../_assert.ts";
import { parseCommit, parseTag } from "../../collectors/git_commit.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const OID = "0123456789abcdef0123456789abcdef01234567";

Deno.test("parseCommit reads parents, idents, a gpgsig header and the message after it", () => {
  const c = parseCommit(enc(
    `tree ${OID}\nparent ${OID}\nparent ${OID}\n` +
      "author A <a@x> 1 +0100\ncommitter C <c@x> 2 -0200\n" +
      "gpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----\n\n" +
      "  Subject\n\nBody\n\n",
  ));
  assertStrictEquals(c.tree, OID);
  assertStrictEquals(c.parents.length, 2);
  assertStrictEquals(c.author?.person, "A <a@x>");
  assertStrictEquals(c.committer?.tz, "-0200");
  assertStrictEquals(c.signed, true);
  assertStrictEquals(c.message, "Subject\n\nBody");
});

Deno.test("parseCommit decodes a message in the declared encoding", () => {
  const head = enc(
    `tree ${OID}\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\nencoding ISO-8859-1\n\n`,
  );
  const body = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café" in Latin-1
  const c = parseCommit(new Uint8Array([...head, ...body]));
  assertStrictEquals(c.message, "café");
  assertStrictEquals(c.signed, false);
});

Deno.test("parseCommit tolerates a commit without a message", () => {
  const c = parseCommit(enc(`tree ${OID}\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n`));
  assertStrictEquals(c.message, "");
  assertStrictEquals(c.author?.person, "A <a@x>");
});

Deno.test("parseTag cuts the last signature block from the message", () => {
  const t = parseTag(enc(
    `object ${OID}\ntype commit\ntag v1\ntagger T <t@x> 5 +0000\n\n` +
      "Release\n\nmentions -----BEGIN PGP SIGNATURE----- inline\n" +
      "-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n",
  ));
  assertStrictEquals(t.object, OID);
  assertStrictEquals(t.type, "commit");
  assertStrictEquals(t.tag, "v1");
  assertStrictEquals(t.tagger?.person, "T <t@x>");
  assertStrictEquals(t.signed, true);
  assertStrictEquals(t.message, "Release\n\nmentions -----BEGIN PGP SIGNATURE----- inline");
  const plain = parseTag(enc(`object ${OID}\ntype commit\ntag v2\n\nJust text\n`));
  assertStrictEquals(plain.signed, false);
  assertStrictEquals(plain.tagger, undefined);
  assertStrictEquals(plain.message, "Just text");
});
