/**
 * The pure parts of trust/: DSSE's PAE against the specification's example,
 * envelopes that fail on any change, provenance source URIs, and signature
 * checks of marks built here (no chalk program involved).
 */
import { assert, assertEquals } from "../_assert.ts";
import { IN_TOTO_PAYLOAD_TYPE, openEnvelope, pae, signEnvelope } from "../../trust/dsse.ts";
import { provenanceStatement } from "../../trust/provenance.ts";
import { checkMarkSignature, prepareSignedMark, signMark } from "../../trust/mark_signature.ts";
import {
  encryptPrivateKey,
  generatePemPair,
  loadSigningKey,
  unlockPrivateKey,
} from "../../trust/signing_key.ts";
import { metadataHashOf } from "../../codecs/identity.ts";
import type { MarkDict } from "../../codecs/mark_value.ts";

async function newKey() {
  const { publicPem, privatePem } = await generatePemPair();
  return loadSigningKey(encryptPrivateKey(privatePem, "pw"), publicPem, "pw", {
    key: "k",
    pub: "p",
  });
}

Deno.test("pae matches the DSSE specification's example", () => {
  const out = new TextDecoder().decode(
    pae("http://example.com/HelloWorld", new TextEncoder().encode("hello world")),
  );
  assertEquals(out, "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
});

Deno.test("openEnvelope finds the signer, and none after the payload or type changes", async () => {
  const key = await newKey();
  const other = await newKey();
  const env = signEnvelope(key, IN_TOTO_PAYLOAD_TYPE, new TextEncoder().encode('{"a":1}'));
  assertEquals(openEnvelope(env, [other, key]).signer?.fingerprint, key.fingerprint);
  assertEquals(openEnvelope(env, [other]).signer, undefined);
  assertEquals(openEnvelope({ ...env, payload: btoa('{"a":2}') }, [key]).signer, undefined);
  assertEquals(openEnvelope({ ...env, payloadType: "text/plain" }, [key]).signer, undefined);
});

Deno.test("checkMarkSignature: valid, unknown signer, invalid after an edit, unsigned", async () => {
  const key = await newKey();
  const mark: MarkDict = new Map([["CHALK_ID", "X"], ["HASH", "ab".repeat(32)], [
    "BRANCH",
    "main",
  ]]);
  prepareSignedMark(mark, key, true);
  signMark(mark, key, metadataHashOf(mark).hash);
  const hash = "ab".repeat(32);
  assertEquals(checkMarkSignature(mark, hash, new Set([key.fingerprint])).status, "valid");
  assertEquals(checkMarkSignature(mark, hash, new Set()).status, "unknown signer");
  assertEquals(
    checkMarkSignature(mark, "cd".repeat(32), new Set([key.fingerprint])).status,
    "invalid",
  );
  const edited = new Map(mark).set("BRANCH", "prod");
  assertEquals(checkMarkSignature(edited, hash, new Set([key.fingerprint])).status, "invalid");
  assertEquals(
    checkMarkSignature(new Map([["CHALK_ID", "X"]]), hash, new Set()).status,
    "unsigned",
  );
});

Deno.test("provenanceStatement names the git source only with a real URL", () => {
  const run = { chalkVersion: "0.1.0", hostname: "h", finishedOn: new Date(0) };
  const subject = { name: "r/app", sha256: "0".repeat(64) };
  const deps = (origin: string) => {
    const s = provenanceStatement(
      subject,
      new Map([["ORIGIN_URI", origin], ["COMMIT_ID", "c".repeat(40)], ["BRANCH", "main"]]),
      run,
    ) as { predicate: { buildDefinition: { resolvedDependencies: Record<string, unknown>[] } } };
    return s.predicate.buildDefinition.resolvedDependencies[0];
  };
  assertEquals(
    deps("https://github.com/a/b.git").uri,
    "git+https://github.com/a/b.git@refs/heads/main",
  );
  assertEquals(
    deps("git@github.com:a/b.git").uri,
    "git+ssh://git@github.com/a/b.git@refs/heads/main",
  );
  const local = deps("local");
  assertEquals(local.uri, undefined);
  assertEquals(local.digest, { gitCommit: "c".repeat(40) });
  assert(local.name !== undefined, "a dependency without uri still has a name");
});

Deno.test("provenanceStatement takes the parameters the mark leaves out from the build's keys", () => {
  const run = { chalkVersion: "0.1.0", hostname: "h", finishedOn: new Date(0) };
  const subject = { name: "r/app", sha256: "0".repeat(64) };
  const params = (
    mark: [string, string][],
    known: [string, string][],
  ) => ((provenanceStatement(subject, new Map(mark), { ...run, known: new Map(known) }) as {
    predicate: { buildDefinition: { externalParameters: Record<string, unknown> } };
  }).predicate.buildDefinition.externalParameters);
  // A build: mark_default has no DOCKERFILE_PATH or DOCKER_PLATFORM; the build's report has.
  assertEquals(
    params([["BRANCH", "main"], ["METADATA_ID", "M"]], [
      ["DOCKERFILE_PATH", "/src/Dockerfile"],
      ["DOCKER_PLATFORM", "linux/arm64"],
      ["BRANCH", "other"],
    ]),
    { branch: "main", dockerfile: "/src/Dockerfile", platform: "linux/arm64" },
  );
  // A push knows the pushed image's platform from docker inspect.
  assertEquals(
    params([], [["_IMAGE_OS", "linux"], ["_IMAGE_ARCHITECTURE", "arm"], ["_IMAGE_VARIANT", "v7"]]),
    { platform: "linux/arm/v7" },
  );
});

Deno.test("unlockPrivateKey: every wrong password is one, a broken PEM is corrupt", async () => {
  const { privatePem } = await generatePemPair();
  const pem = encryptPrivateKey(privatePem, "right");
  const said = new Map<string, number>();
  // ~1 wrong password in 270 decrypts to garbage with valid padding: the decoder then fails, as on
  // a broken file (1,000 tries meet one with a probability of 97%).
  for (let i = 0; i < 1000; i++) {
    try {
      unlockPrivateKey(pem, `wrong-${i}`, "k.key");
      said.set("unlocked", (said.get("unlocked") ?? 0) + 1);
    } catch (e) {
      const m = (e as Error).message;
      said.set(m, (said.get(m) ?? 0) + 1);
    }
  }
  assertEquals([...said.keys()], ["k.key: wrong password for the signing key (CHALK_PASSWORD)"]);
  for (
    const broken of [
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
      pem.replace(/\n[A-Za-z0-9+/]{8}/, "\n%%%%%%%%"),
      pem.replace(/\n[A-Za-z0-9+/=]+\n-----END/, "\n-----END"),
    ]
  ) {
    let message = "";
    try {
      unlockPrivateKey(broken, "right", "k.key");
    } catch (e) {
      message = (e as Error).message;
    }
    assertEquals(message, "k.key: corrupt private key (the PEM does not decode)");
  }
  assert(unlockPrivateKey(pem, "right", "k.key") !== undefined);
});

Deno.test("policyViolations tells an age over max_age in units that show the difference", async () => {
  const { policyViolations } = await import("../../trust/policy.ts");
  const now = new Date(1_700_000_000_000);
  const ageMessage = (ageMs: number, maxAgeMs: number) =>
    policyViolations(
      { mark: new Map([["TIMESTAMP_WHEN_CHALKED", BigInt(now.getTime() - ageMs)]]) },
      { requireSignature: false, requireAttestation: false, maxAgeMs },
      now,
    );
  const S = 1_000, MIN = 60 * S, H = 60 * MIN, D = 24 * H;
  assertEquals(ageMessage(70 * S, 30 * S), [
    "mark is 70 seconds old; the policy allows 30 seconds",
  ]);
  assertEquals(ageMessage(1 * S + 200, 1 * S), [
    "mark is 1.2 seconds old; the policy allows 1.0 seconds",
  ]);
  assertEquals(ageMessage(90 * MIN, 1 * H), [
    "mark is 90 minutes old; the policy allows 60 minutes",
  ]);
  assertEquals(ageMessage(3 * H, 2 * H + 1), [
    "mark is 3 hours old; the policy allows 2 hours",
  ]);
  assertEquals(ageMessage(2.4 * D, 2 * D), ["mark is 2.4 days old; the policy allows 2.0 days"]);
  assertEquals(ageMessage(10 * D, 30 * S), ["mark is 10 days old; the policy allows 30 seconds"]);
  assertEquals(ageMessage(10 * S, 30 * S), []);
});
