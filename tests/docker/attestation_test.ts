/**
 * Signed attestations for pushed images (issue 16), against real docker:
 * the Debian registry (no referrers API: the `sha256-<hex>.att` tag) and a
 * fake OCI 1.1 registry on loopback (referrers). Independent checks: curl
 * finds the attestation through the registry API, openssl verifies the DSSE
 * signature over PAE bytes this test builds itself, and the statement is
 * checked against the in-toto Statement v1 and SLSA Provenance v1 field rules.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { CHALK, gitCommitAll, must, run, sandbox } from "../e2e/_chalk.ts";
import { dockerUnavailable, lastLogReport, REGISTRY, removeImages } from "./_docker.ts";
import { startFakeRegistry } from "./_fake_registry.ts";

type Json = Record<string, unknown>;

const ACCEPT = "application/vnd.oci.image.manifest.v1+json, " +
  "application/vnd.docker.distribution.manifest.v2+json";

async function curl(args: string[]): Promise<string> {
  return await must("curl", ["-sSf", ...args]);
}

/** The manifest digest the registry serves for `repo:tag`, read by curl. */
async function manifestDigest(registry: string, repo: string, tag: string): Promise<string> {
  const head = await curl([
    "-I",
    "-H",
    `Accept: ${ACCEPT}`,
    `http://${registry}/v2/${repo}/manifests/${tag}`,
  ]);
  const m = /^docker-content-digest:\s*(sha256:[0-9a-f]{64})/im.exec(head);
  assert(m, head);
  return m[1];
}

/** The DSSE envelopes in the manifest `ref` of `repo`, fetched by curl. */
async function envelopesAt(registry: string, repo: string, ref: string): Promise<Json[]> {
  const manifest = JSON.parse(
    await curl(["-H", `Accept: ${ACCEPT}`, `http://${registry}/v2/${repo}/manifests/${ref}`]),
  ) as { layers: { mediaType: string; digest: string }[] };
  const out: Json[] = [];
  for (const layer of manifest.layers) {
    assertEquals(layer.mediaType, "application/vnd.dsse.envelope.v1+json");
    out.push(JSON.parse(await curl([`http://${registry}/v2/${repo}/blobs/${layer.digest}`])));
  }
  return out;
}

/** PAE as the DSSE v1 specification defines it, built here from scratch. */
function paeBytes(type: string, body: Uint8Array): Uint8Array {
  const enc = new TextEncoder();
  const head = enc.encode(`DSSEv1 ${enc.encode(type).length} ${type} ${body.length} `);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

function b64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** openssl's verdict on the envelope's first signature with `pubFile`. */
async function opensslVerifies(dir: string, envelope: Json, pubFile: string): Promise<boolean> {
  const body = b64(String(envelope.payload));
  await Deno.writeFile(join(dir, "pae.bin"), paeBytes(String(envelope.payloadType), body));
  const sig = (envelope.signatures as Json[])[0];
  await Deno.writeFile(join(dir, "sig.der"), b64(String(sig.sig)));
  const r = await run("openssl", [
    "dgst",
    "-sha256",
    "-verify",
    pubFile,
    "-signature",
    join(dir, "sig.der"),
    join(dir, "pae.bin"),
  ]);
  return r.code === 0 && r.stdout.trim() === "Verified OK";
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/;

/** The field rules of in-toto Statement v1 with a SLSA Provenance v1 predicate. */
function assertStatementRules(statement: Json, digestHex: string): void {
  assertEquals(statement._type, "https://in-toto.io/Statement/v1");
  const subject = statement.subject as Json[];
  assert(Array.isArray(subject) && subject.length > 0, "subject is a non-empty list");
  for (const s of subject) {
    assert(typeof s.name === "string", "subject.name");
    const digest = s.digest as Record<string, string>;
    assert(Object.keys(digest).length > 0, "subject.digest is a non-empty map");
    for (const [alg, value] of Object.entries(digest)) {
      assertMatch(alg, /^[a-z0-9]+$/);
      assertMatch(value, /^[0-9a-f]+$/, "lower-case hex");
    }
  }
  assertEquals((subject[0].digest as Json).sha256, digestHex);
  assertEquals(statement.predicateType, "https://slsa.dev/provenance/v1");
  const predicate = statement.predicate as Json;
  const def = predicate.buildDefinition as Json;
  assertMatch(String(def.buildType), URI);
  assert(typeof def.externalParameters === "object" && def.externalParameters !== null);
  for (const dep of (def.resolvedDependencies ?? []) as Json[]) {
    assert(dep.uri !== undefined || dep.digest !== undefined || dep.content !== undefined);
    if (dep.uri !== undefined) assertMatch(String(dep.uri), URI);
  }
  const details = predicate.runDetails as Json;
  assertMatch(String((details.builder as Json).id), URI);
  const meta = (details.metadata ?? {}) as Json;
  for (const k of ["startedOn", "finishedOn"]) {
    if (meta[k] !== undefined) assertMatch(String(meta[k]), RFC3339, k);
  }
}

async function privateChalk(dir: string): Promise<string> {
  const chalk = join(dir, "chalk");
  await Deno.copyFile(CHALK, chalk);
  await Deno.chmod(chalk, 0o755);
  return chalk;
}

/** A set-up chalk and a git build context; builds and pushes `ref` through chalk. */
async function buildAndPush(
  box: Awaited<ReturnType<typeof sandbox>>,
  ref: string,
  env: Record<string, string>,
): Promise<{ chalk: string; ctx: string; push: Awaited<ReturnType<typeof run>> }> {
  const chalk = await privateChalk(box.work);
  const ctx = join(box.work, "ctx");
  await Deno.mkdir(ctx, { recursive: true });
  await Deno.writeTextFile(
    join(ctx, "Dockerfile"),
    `FROM busybox-base\nENV R=${crypto.randomUUID()}\n`,
  );
  await gitCommitAll(ctx, box.env);
  const setup = await run(chalk, ["setup"], { cwd: box.work, env });
  assertEquals(setup.code, 0, setup.stderr);
  const b = await run(chalk, ["docker", "build", "-q", "-t", ref, "."], { cwd: ctx, env });
  assertEquals(b.code, 0, b.stderr);
  const push = await run(chalk, ["--log-level", "info", "docker", "push", ref], { cwd: ctx, env });
  assertEquals(push.code, 0, push.stderr);
  return { chalk, ctx, push };
}

Deno.test({
  name:
    "docker push stores a signed SLSA attestation under the .att tag; extract and verify check it",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    const repo = `wt-trust/att-${crypto.randomUUID().slice(0, 8)}`;
    const ref = `${REGISTRY}/${repo}:v1`;
    try {
      const env = { ...box.env, CHALK_PASSWORD: "pw" };
      const { chalk, ctx, push } = await buildAndPush(box, ref, env);
      const pushed = ((await lastLogReport(box.home))._CHALKS as Json[])[0];
      const digest = await manifestDigest(REGISTRY, repo, "v1");
      const tag = `${digest.replace(":", "-")}.att`;
      assertMatch(push.stderr, new RegExp(`attestation stored: ${REGISTRY}/${repo}:${tag}`));
      assertEquals(pushed._ATTESTATION_REF, `${REGISTRY}/${repo}:${tag}`);

      // curl finds it by the tag scheme; openssl verifies it over PAE.
      const [envelope] = await envelopesAt(REGISTRY, repo, tag);
      assertEquals(envelope.payloadType, "application/vnd.in-toto+json");
      const pub = join(box.work, "chalk.pub");
      assert(await opensslVerifies(box.work, envelope, pub), "openssl verifies the DSSE signature");
      const statement = JSON.parse(new TextDecoder().decode(b64(String(envelope.payload)))) as Json;
      assertStatementRules(statement, digest.slice("sha256:".length));
      const def = (statement.predicate as Json).buildDefinition as Json;
      const params = def.externalParameters as Json;
      assertEquals(params.branch, "main");
      assertEquals(params.commit, pushed.COMMIT_ID);
      assertEquals(params.tags, [ref]);
      // A push reads the platform from the pushed image (the mark does not hold it).
      assertEquals(params.platform, `${pushed._IMAGE_OS}/${pushed._IMAGE_ARCHITECTURE}`);
      assertMatch(String(params.platform), /^linux\/\w+$/);
      assertEquals((def.internalParameters as Json).metadataId, pushed.METADATA_ID);
      assertEquals(
        (def.resolvedDependencies as Json[])[0].digest,
        { gitCommit: pushed.COMMIT_ID },
      );
      // The signed payload is what the envelope carries, not a re-serialisation.
      const tampered = { ...envelope, payload: btoa(JSON.stringify({ ...statement, x: 1 })) };
      assert(
        !(await opensslVerifies(box.work, tampered, pub)),
        "openssl rejects a changed payload",
      );

      // chalk extract and chalk verify, with the registry found from the image's RepoDigests.
      const ext = await run(chalk, ["extract", ref], { cwd: ctx, env: box.env });
      assertEquals(ext.code, 0, ext.stderr);
      const got = (JSON.parse(ext.stdout)[0]._CHALKS as Json[])[0];
      assertEquals(got._ATTESTATION_STATUS, "valid");
      assertEquals(got._SIGNATURE_STATUS, "valid");
      const ok = await run(chalk, ["verify", ref], { cwd: ctx, env: box.env });
      assertEquals(ok.code, 0, ok.stderr);

      // A tampered envelope in the registry (the statement changed, the signature kept).
      const bad = new TextEncoder().encode(JSON.stringify(tampered));
      await putEnvelopeManifest(REGISTRY, repo, tag, bad);
      const ext2 = await run(chalk, ["extract", ref], { cwd: ctx, env: box.env });
      assertEquals(ext2.code, 0, ext2.stderr);
      assertEquals(
        (JSON.parse(ext2.stdout)[0]._CHALKS as Json[])[0]._ATTESTATION_STATUS,
        "invalid",
      );
      assertMatch(ext2.stderr, /invalid signature: attestation signature does not verify/);
      const no = await run(chalk, ["verify", ref], { cwd: ctx, env: box.env });
      assertEquals(no.code, 1);
      assertMatch(no.stderr, /attestation invalid: /);
    } finally {
      await removeImages(ref);
      await box.cleanup();
    }
  },
});

/** Replaces the attestation tag with a manifest holding `envelope` (via curl: a non-chalk client). */
async function putEnvelopeManifest(
  registry: string,
  repo: string,
  tag: string,
  envelope: Uint8Array<ArrayBuffer>,
): Promise<void> {
  const hex = async (bytes: Uint8Array<ArrayBuffer>) =>
    Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)))
      .map((b) => b.toString(16).padStart(2, "0")).join("");
  const upload = async (bytes: Uint8Array<ArrayBuffer>): Promise<string> => {
    const digest = `sha256:${await hex(bytes)}`;
    const start = await fetch(`http://${registry}/v2/${repo}/blobs/uploads/`, { method: "POST" });
    await start.body?.cancel();
    const url = new URL(start.headers.get("location")!, `http://${registry}/`);
    url.searchParams.set("digest", digest);
    const put = await fetch(url, { method: "PUT", body: bytes });
    await put.body?.cancel();
    assertEquals(put.status, 201);
    return digest;
  };
  const config = new TextEncoder().encode("{}");
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {
      mediaType: "application/vnd.oci.empty.v1+json",
      digest: await upload(config),
      size: 2,
    },
    layers: [{
      mediaType: "application/vnd.dsse.envelope.v1+json",
      digest: await upload(envelope),
      size: envelope.length,
    }],
  };
  const r = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, {
    method: "PUT",
    headers: { "Content-Type": manifest.mediaType },
    body: JSON.stringify(manifest),
  });
  await r.body?.cancel();
  assertEquals(r.status, 201);
}

Deno.test({
  name: "an OCI 1.1 registry gets the attestation as a referrer; an unreachable one is one warning",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const fake = startFakeRegistry();
    let stopped = false;
    const box = await sandbox();
    const repo = `wt-trust/ref-${crypto.randomUUID().slice(0, 8)}`;
    const ref = `${fake.host}/${repo}:v1`;
    try {
      const env = { ...box.env, CHALK_PASSWORD: "pw" };
      const { chalk, ctx, push } = await buildAndPush(box, ref, env);
      const digest = await manifestDigest(fake.host, repo, "v1");
      const index = JSON.parse(
        await curl([`http://${fake.host}/v2/${repo}/referrers/${digest}`]),
      ) as { manifests: { digest: string; artifactType: string }[] };
      assertEquals(index.manifests.length, 1, push.stderr);
      assertEquals(index.manifests[0].artifactType, "application/vnd.in-toto+json");
      assertMatch(push.stderr, new RegExp(`attestation stored: ${fake.host}/${repo}@sha256:`));
      // No .att tag: the referrer is the only copy (docker.attestation_use_oci_tag is off).
      const tagged = await run("curl", [
        "-sf",
        `http://${fake.host}/v2/${repo}/manifests/${digest.replace(":", "-")}.att`,
      ]);
      assert(tagged.code !== 0, "no tag when referrers work");
      const [envelope] = await envelopesAt(fake.host, repo, index.manifests[0].digest);
      assert(await opensslVerifies(box.work, envelope, join(box.work, "chalk.pub")));

      const ext = await run(chalk, ["extract", ref], { cwd: ctx, env: box.env });
      assertEquals((JSON.parse(ext.stdout)[0]._CHALKS as Json[])[0]._ATTESTATION_STATUS, "valid");
      assertEquals((await run(chalk, ["verify", ref], { cwd: ctx, env: box.env })).code, 0);

      // The registry goes away: extract still reports, with one warning; verify says why.
      await fake.stop();
      stopped = true;
      const gone = await run(chalk, ["extract", ref], { cwd: ctx, env: box.env });
      assertEquals(gone.code, 0, gone.stderr);
      assertEquals(
        (JSON.parse(gone.stdout)[0]._CHALKS as Json[])[0]._ATTESTATION_STATUS,
        "unavailable",
      );
      assertMatch(
        gone.stderr,
        new RegExp(`attestation not checked: ${fake.host}: registry unreachable`),
      );
      const v = await run(chalk, ["verify", ref], { cwd: ctx, env: box.env });
      assertEquals(v.code, 1);
      assertMatch(v.stderr, /attestation missing: \S+: registry unreachable/);
      assert(!/\n\s+at /.test(gone.stderr + v.stderr), "no stack trace");
    } finally {
      if (!stopped) await fake.stop();
      await removeImages(ref);
      await box.cleanup();
    }
  },
});

Deno.test({
  name:
    "a signing key that does not load is one error line at the default docker log level; the build still names the public key",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    const ref = `${REGISTRY}/wt-trust/nokey-${crypto.randomUUID().slice(0, 8)}:v1`;
    // The rebuild below takes the tag: the first image is removed by its id.
    const ids: string[] = [];
    try {
      const { push, chalk, ctx } = await buildAndPush(box, ref, {
        ...box.env,
        CHALK_PASSWORD: "pw",
      });
      assertEquals(push.code, 0);
      ids.push((await run("docker", ["images", "-q", ref])).stdout.trim());
      // A build does not need the private key: the image mark names the public key all the same.
      const b = await run(chalk, ["docker", "build", "-q", "-t", ref, "."], {
        cwd: ctx,
        env: box.env,
      });
      assertEquals(b.code, 0, b.stderr);
      assert(!/^(error|warn):/m.test(b.stderr), b.stderr);
      const built = ((await lastLogReport(box.home))._CHALKS as Json[])[0];
      const pem = await Deno.readTextFile(join(box.work, "chalk.pub"));
      assertEquals(String(built.INJECTOR_PUBLIC_KEY).trim(), pem.trim());

      // A push without the password: docker's status, and one line the user sees by default.
      const p = await run(chalk, ["docker", "push", ref], { cwd: ctx, env: box.env });
      assertEquals(p.code, 0, p.stderr);
      const line =
        /^error: docker: pushed images are not attested: cannot sign: .*no password.*CHALK_PASSWORD$/m;
      assertMatch(p.stderr, line);
      assertEquals(p.stderr.match(/^error: /gm)?.length, 1, p.stderr);
      const report = await lastLogReport(box.home);
      assertMatch(String((report._OP_ERRORS as string[])[0]), /pushed images are not attested/);
      const missing = await run(chalk, ["verify", ref], { cwd: ctx, env: box.env });
      assertEquals(missing.code, 1);
      assertMatch(
        missing.stderr,
        /attestation missing: no attestation (of this image's mark )?found/,
      );

      // The same image pushed again with the password is attested: its mark names the key.
      const again = await run(chalk, ["docker", "push", ref], {
        cwd: ctx,
        env: { ...box.env, CHALK_PASSWORD: "pw" },
      });
      assertEquals(again.code, 0, again.stderr);
      assert(!/^(error|warn):/m.test(again.stderr), again.stderr);
      const ok = await run(chalk, ["verify", ref], { cwd: ctx, env: box.env });
      assertEquals(ok.code, 0, ok.stderr);
    } finally {
      await removeImages(ref, ...ids.filter((id) => id !== ""));
      await box.cleanup();
    }
  },
});
