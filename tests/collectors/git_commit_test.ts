/** parseCommit / parseTag on hand-written object bodies. */
import { strict as assert } from "node:assert";
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
  assert.equal(c.tree, OID);
  assert.equal(c.parents.length, 2);
  assert.equal(c.author?.person, "A <a@x>");
  assert.equal(c.committer?.tz, "-0200");
  assert.equal(c.signed, true);
  assert.equal(c.message, "Subject\n\nBody");
});

Deno.test("parseCommit decodes a message in the declared encoding", () => {
  const head = enc(
    `tree ${OID}\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\nencoding ISO-8859-1\n\n`,
  );
  const body = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café" in Latin-1
  const c = parseCommit(new Uint8Array([...head, ...body]));
  assert.equal(c.message, "café");
  assert.equal(c.signed, false);
});

Deno.test("parseCommit tolerates a commit without a message", () => {
  const c = parseCommit(enc(`tree ${OID}\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n`));
  assert.equal(c.message, "");
  assert.equal(c.author?.person, "A <a@x>");
});

Deno.test("parseTag cuts the last signature block from the message", () => {
  const t = parseTag(enc(
    `object ${OID}\ntype commit\ntag v1\ntagger T <t@x> 5 +0000\n\n` +
      "Release\n\nmentions -----BEGIN PGP SIGNATURE----- inline\n" +
      "-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n",
  ));
  assert.equal(t.object, OID);
  assert.equal(t.type, "commit");
  assert.equal(t.tag, "v1");
  assert.equal(t.tagger?.person, "T <t@x>");
  assert.equal(t.signed, true);
  assert.equal(t.message, "Release\n\nmentions -----BEGIN PGP SIGNATURE----- inline");
  const plain = parseTag(enc(`object ${OID}\ntype commit\ntag v2\n\nJust text\n`));
  assert.equal(plain.signed, false);
  assert.equal(plain.tagger, undefined);
  assert.equal(plain.message, "Just text");
});
