/**
 * Signing end to end with the built program (issue 16): `chalk setup`, a
 * signed insert checked by `openssl dgst -verify` (not by chalk's own code),
 * a tampered mark reported invalid, `chalk verify` with a con4m policy, and
 * the bad inputs: wrong or missing password, corrupt key, a key of another
 * curve, a public key that is not the private key's.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { CHALK, gitCommitAll, must, parseReports, run, sandbox, sha256sum } from "./_chalk.ts";

type Json = Record<string, unknown>;

const MARK_RE = /\{ "MAGIC" : "dadfedabbadabbed".*?"SIGNATURE" : "[A-Za-z0-9+/=]+" \}/;

async function privateChalk(dir: string): Promise<string> {
  const chalk = join(dir, "chalk");
  await Deno.copyFile(CHALK, chalk);
  await Deno.chmod(chalk, 0o755);
  return chalk;
}

/** The mark text inside `file` (a script or ELF), found in its bytes. */
async function markText(file: string): Promise<string> {
  const text = new TextDecoder("latin1").decode(await Deno.readFile(file));
  const m = MARK_RE.exec(text);
  if (!m) throw new Error(`${file}: no signed mark`);
  return m[0];
}

/** Encrypts a PEM private key as PKCS#8 under `password`, with openssl. */
async function encryptPkcs8(pem: string, out: string, password: string): Promise<void> {
  await must("openssl", [
    "pkcs8",
    "-topk8",
    "-v2",
    "aes-256-cbc",
    "-in",
    pem,
    "-out",
    out,
    "-passout",
    `pass:${password}`,
  ]);
}

function noStack(stderr: string): void {
  assert(!/\n\s+at /.test(stderr), `no stack trace: ${stderr}`);
}

Deno.test("setup generates a key pair, stores it in chalk, and inserts sign marks openssl verifies", async () => {
  const box = await sandbox();
  try {
    const dir = box.work;
    const chalk = await privateChalk(dir);
    // Before setup: the tutorial's warning, once, and unsigned marks.
    await Deno.writeTextFile(join(dir, "hello.sh"), "#!/bin/sh\necho hello\n");
    const before = await run(chalk, ["insert", "hello.sh"], { cwd: dir, env: box.env });
    assertEquals(before.code, 0, before.stderr);
    assertEquals(
      before.stderr.split("\n").filter((l) =>
        l === "warn:  Code signing not initialized. Run `chalk setup` to fix."
      ).length,
      1,
    );
    const unsignedChalk = (parseReports(before.stdout)[0]._CHALKS as Json[])[0];
    assertEquals(unsignedChalk.SIGNATURE, undefined);

    // setup without CHALK_PASSWORD: a generated password, printed once.
    const pristine = await sha256sum(chalk);
    const setup = await run(chalk, ["setup"], { cwd: dir, env: box.env });
    assertEquals(setup.code, 0, setup.stderr);
    const password = /^CHALK_PASSWORD=(\S+)$/m.exec(setup.stderr)?.[1];
    assert(password, setup.stderr);
    assertEquals(setup.stderr.split(password).length, 2, "password printed exactly once");
    assert(!setup.stdout.includes(password), "stdout carries only the report");
    const setupLog = await Deno.readTextFile(join(box.home, ".local/chalk/chalk.log"));
    assertEquals(JSON.parse(setupLog.trim().split("\n").at(-1)!)[0]._OPERATION, "setup");
    assert(!setupLog.includes(password), "the password is not in the report");
    assert((await sha256sum(chalk)) !== pristine, "the program was rewritten");
    assertEquals((await Deno.stat(join(dir, "chalk.key"))).mode! & 0o777, 0o600);
    // Independent checks of the files: openssl reads the encrypted PKCS#8 key with the password,
    // and derives the same public key as chalk.pub.
    const derived = await must("openssl", [
      "pkey",
      "-in",
      join(dir, "chalk.key"),
      "-passin",
      `pass:${password}`,
      "-pubout",
    ]);
    assertEquals(derived, await Deno.readTextFile(join(dir, "chalk.pub")));
    const curve = await must("openssl", ["pkey", "-pubin", "-in", join(dir, "chalk.pub"), "-text"]);
    assertMatch(curve, /prime256v1|P-256/);
    const wrong = await run("openssl", [
      "pkey",
      "-in",
      join(dir, "chalk.key"),
      "-passin",
      "pass:not-it",
    ]);
    assert(wrong.code !== 0, "the key is really encrypted");

    // The key lives in chalk's own mark now: no warning, and a signed mark.
    const env = { ...box.env, CHALK_PASSWORD: password };
    const ins = await run(chalk, ["insert", "hello.sh"], { cwd: dir, env });
    assertEquals(ins.code, 0, ins.stderr);
    assert(!ins.stderr.includes("Code signing not initialized"), ins.stderr);
    const mark = JSON.parse(await markText(join(dir, "hello.sh"))) as Json;
    assertEquals(mark.SIGNING, true);
    assertEquals(mark.SIGNATURE_ALGORITHM, "ecdsa-p256-sha256");
    assertEquals(mark.INJECTOR_PUBLIC_KEY, await Deno.readTextFile(join(dir, "chalk.pub")));
    assert(!JSON.stringify(parseReports(ins.stdout)).includes(password), "password not reported");

    // openssl: the signature is ECDSA-SHA256 (DER) over HASH + METADATA_HASH + "\n", with
    // METADATA_HASH from the full report in chalk.log.
    const log = (await Deno.readTextFile(join(box.home, ".local/chalk/chalk.log"))).trim()
      .split("\n");
    const logged = (JSON.parse(log.at(-1)!)[0]._CHALKS as Json[])[0];
    assertEquals(logged.SIGNATURE, mark.SIGNATURE);
    await Deno.writeTextFile(join(dir, "payload"), `${mark.HASH}${logged.METADATA_HASH}\n`);
    await Deno.writeFile(
      join(dir, "sig.der"),
      Uint8Array.from(atob(String(mark.SIGNATURE)), (c) => c.charCodeAt(0)),
    );
    const opensslVerify = () =>
      run("openssl", [
        "dgst",
        "-sha256",
        "-verify",
        join(dir, "chalk.pub"),
        "-signature",
        join(dir, "sig.der"),
        join(dir, "payload"),
      ]);
    const ok = await opensslVerify();
    assertEquals(ok.stdout.trim(), "Verified OK", ok.stderr);
    await Deno.writeTextFile(join(dir, "payload"), `${mark.HASH}${"0".repeat(64)}\n`);
    const bad = await opensslVerify();
    assert(bad.code !== 0, "openssl rejects another payload");

    // extract reports it valid.
    const ext = await run(chalk, ["extract", "hello.sh"], { cwd: dir, env: box.env });
    assertEquals(ext.code, 0, ext.stderr);
    const e = (parseReports(ext.stdout)[0]._CHALKS as Json[])[0];
    assertEquals(e._SIGNATURE_STATUS, "valid");
    assertMatch(ext.stderr, /hello\.sh: Signature successfully validated\./);
  } finally {
    await box.cleanup();
  }
});

/** A set-up chalk with a signed script in a git repository; returns what the tests need. */
async function signedWorld(box: Awaited<ReturnType<typeof sandbox>>) {
  const dir = box.work;
  const chalk = await privateChalk(dir);
  const env = { ...box.env, CHALK_PASSWORD: "correct horse" };
  await Deno.writeTextFile(join(dir, "tool.sh"), "#!/bin/sh\necho tool\n");
  await gitCommitAll(dir, box.env);
  const setup = await run(chalk, ["setup"], { cwd: dir, env });
  assertEquals(setup.code, 0, setup.stderr);
  assert(!setup.stderr.includes("CHALK_PASSWORD="), "a given password is not printed");
  const ins = await run(chalk, ["insert", "tool.sh"], { cwd: dir, env });
  assertEquals(ins.code, 0, ins.stderr);
  return { dir, chalk, env };
}

Deno.test("extract reports a mark edited after signing invalid, a re-signed one unknown signer", async () => {
  const box = await sandbox();
  try {
    const { dir, chalk } = await signedWorld(box);
    const file = join(dir, "tool.sh");
    const original = await Deno.readTextFile(file);
    const status = async () => {
      const r = await run(chalk, ["extract", "tool.sh"], { cwd: dir, env: box.env });
      assertEquals(r.code, 0, r.stderr);
      return { r, c: (parseReports(r.stdout)[0]._CHALKS as Json[])[0] };
    };
    assertEquals((await status()).c._SIGNATURE_STATUS, "valid");

    // An edited value (the branch): invalid, with a warning line; never valid.
    await Deno.writeTextFile(file, original.replace('"BRANCH" : "main"', '"BRANCH" : "prod"'));
    assert((await Deno.readTextFile(file)) !== original);
    let { r, c } = await status();
    assertEquals(c._SIGNATURE_STATUS, "invalid");
    const full = (JSON.parse(
      (await Deno.readTextFile(join(box.home, ".local/chalk/chalk.log"))).trim().split("\n")
        .at(-1)!,
    )[0]._CHALKS as Json[])[0];
    assertEquals(full._INVALID_SIGNATURE, true);
    assertEquals(full._VALIDATED_SIGNATURE, false);
    assertMatch(r.stderr, /warn: {2}\S+tool\.sh: invalid signature: /);

    // A corrupted signature: invalid.
    const sig = /"SIGNATURE" : "([^"]+)"/.exec(original)![1];
    const flipped = sig.slice(0, 20) + (sig[20] === "A" ? "B" : "A") + sig.slice(21);
    await Deno.writeTextFile(file, original.replace(sig, flipped));
    ({ c } = await status());
    assertEquals(c._SIGNATURE_STATUS, "invalid");

    // The script body changed (HASH no longer matches): invalid.
    await Deno.writeTextFile(file, original.replace("echo tool", "echo evil"));
    ({ c } = await status());
    assertEquals(c._SIGNATURE_STATUS, "invalid");

    // SIGNATURE stripped, SIGNATURE_ALGORITHM left: invalid, not unsigned.
    await Deno.writeTextFile(file, original.replace(/, "SIGNATURE" : "[^"]+"/, ""));
    ({ c } = await status());
    assertEquals(c._SIGNATURE_STATUS, "invalid");

    // Re-signed by someone else's key: the signature holds, the signer is unknown.
    await Deno.writeTextFile(file, original);
    const other = await privateChalk(join(dir, "..", "home"));
    const otherEnv = { ...box.env, CHALK_PASSWORD: "other" };
    const otherDir = join(dir, "..", "home");
    assertEquals((await run(other, ["setup"], { cwd: otherDir, env: otherEnv })).code, 0);
    await Deno.copyFile(file, join(otherDir, "tool.sh"));
    assertEquals(
      (await run(other, ["insert", "tool.sh"], { cwd: otherDir, env: otherEnv })).code,
      0,
    );
    await Deno.copyFile(join(otherDir, "tool.sh"), file);
    ({ r, c } = await status());
    assertEquals(c._SIGNATURE_STATUS, "unknown signer");
    assertMatch(r.stderr, /unknown signer signature: signed by sha256:[0-9a-f]{64}/);

    // ... which attestation.trusted_signers can name.
    await Deno.writeTextFile(
      join(dir, "trust.c4m"),
      `attestation {\n  trusted_signers: ["${join(otherDir, "chalk.pub")}"]\n}\n`,
    );
    const trusted = await run(chalk, ["--config-file", "trust.c4m", "extract", "tool.sh"], {
      cwd: dir,
      env: box.env,
    });
    assertEquals((parseReports(trusted.stdout)[0]._CHALKS as Json[])[0]._SIGNATURE_STATUS, "valid");
  } finally {
    await box.cleanup();
  }
});

Deno.test("verify: exit 0 for a signed mark meeting the policy, 1 with each reason otherwise", async () => {
  const box = await sandbox();
  try {
    const { dir, chalk } = await signedWorld(box);
    const verify = (args: string[]) => run(chalk, ["verify", ...args], { cwd: dir, env: box.env });
    const ok = await verify(["tool.sh"]);
    assertEquals(ok.code, 0, ok.stderr);
    assertMatch(ok.stderr, /tool\.sh: verified \(signed by sha256:[0-9a-f]{64}\)/);

    await Deno.writeTextFile(
      join(dir, "policy.c4m"),
      'verify_policy {\n  allowed_signers: ["chalk.pub"]\n  required_branch: "main"\n' +
        "  max_age: <<1 hr>>\n}\n",
    );
    const good = await verify(["--policy", "policy.c4m", "tool.sh"]);
    assertEquals(good.code, 0, good.stderr);

    await Deno.writeTextFile(
      join(dir, "strict.c4m"),
      'verify_policy {\n  required_branch: "release"\n  required_origin: "https://example.com/x"\n' +
        "  max_age: <<1 sec>>\n}\n",
    );
    await new Promise((r) => setTimeout(r, 1100));
    const strict = await verify(["--policy", "strict.c4m", "tool.sh"]);
    assertEquals(strict.code, 1, strict.stderr);
    assertMatch(strict.stderr, /tool\.sh: branch is 'main'; the policy requires 'release'/);
    assertMatch(strict.stderr, /tool\.sh: origin is 'local'; the policy requires/);
    assertMatch(
      strict.stderr,
      /tool\.sh: mark is [\d.]+ seconds old; the policy allows 1(\.0+ seconds| second)\n/,
    );

    // A signer the policy does not allow.
    const openssl = join(dir, "other.pem");
    await must("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", openssl]);
    const otherPub = await must("openssl", ["ec", "-in", openssl, "-pubout"]);
    await Deno.writeTextFile(join(dir, "other.pub"), otherPub);
    await Deno.writeTextFile(
      join(dir, "others.c4m"),
      'verify_policy {\n  allowed_signers: ["other.pub"]\n}\n',
    );
    const others = await verify(["--policy", "others.c4m", "tool.sh"]);
    assertEquals(others.code, 1);
    assertMatch(others.stderr, /signature unknown signer: signed by sha256:/);

    // Tampered, unmarked, missing, bad policy.
    const file = join(dir, "tool.sh");
    await Deno.writeTextFile(
      file,
      (await Deno.readTextFile(file)).replace('"BRANCH" : "main"', '"BRANCH" : "prod"'),
    );
    const tampered = await verify(["tool.sh"]);
    assertEquals(tampered.code, 1);
    assertMatch(tampered.stderr, /tool\.sh: mark invalid: /);
    assertMatch(tampered.stderr, /tool\.sh: signature invalid: /);
    await Deno.writeTextFile(join(dir, "plain.sh"), "#!/bin/sh\n");
    const plain = await verify(["plain.sh"]);
    assertEquals(plain.code, 1);
    assertMatch(plain.stderr, /plain\.sh: Artifact is unchalked/);
    const badPolicy = await verify(["--policy", "nope.c4m", "tool.sh"]);
    assertEquals(badPolicy.code, 2);
    assertMatch(badPolicy.stderr, /nope\.c4m: could not open configuration file: no such file/);
    for (const r of [strict, others, tampered, plain, badPolicy]) noStack(r.stderr);
  } finally {
    await box.cleanup();
  }
});

Deno.test("bad keys: each is one line, exit 2, nothing signed or stored", async () => {
  const box = await sandbox();
  try {
    const { dir, chalk, env } = await signedWorld(box);
    const program = await sha256sum(chalk);
    await Deno.writeTextFile(join(dir, "x.sh"), "#!/bin/sh\n");
    const before = await sha256sum(join(dir, "x.sh"));
    const insert = (e: Record<string, string>) =>
      run(chalk, ["insert", "x.sh"], { cwd: dir, env: e });

    const missing = await insert(box.env);
    assertEquals(missing.code, 2);
    assertMatch(missing.stderr, /^error: cannot sign: .*no password .*set CHALK_PASSWORD$/m);
    const wrong = await insert({ ...box.env, CHALK_PASSWORD: "wrong" });
    assertEquals(wrong.code, 2);
    assertMatch(wrong.stderr, /^error: cannot sign: .*wrong password .*$/m);
    assertEquals(await sha256sum(join(dir, "x.sh")), before, "nothing was written");
    assertEquals(await insert(env).then((r) => r.code), 0);

    // setup --key/--pub with bad material: the program stays as it was.
    const setup = (args: string[], e = env) => run(chalk, ["setup", ...args], { cwd: dir, env: e });
    await Deno.writeTextFile(
      join(dir, "corrupt.key"),
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
    );
    const corrupt = await setup(["--key", "corrupt.key", "--pub", "chalk.pub"]);
    assertEquals(corrupt.code, 2);
    assertMatch(corrupt.stderr, /corrupt\.key: corrupt private key/);

    await must("openssl", [
      "ecparam",
      "-name",
      "secp384r1",
      "-genkey",
      "-noout",
      "-out",
      join(dir, "p384.pem"),
    ]);
    await encryptPkcs8(join(dir, "p384.pem"), join(dir, "p384.key"), "correct horse");
    await Deno.writeTextFile(
      join(dir, "p384.pub"),
      await must("openssl", ["ec", "-in", join(dir, "p384.pem"), "-pubout"]),
    );
    const curve = await setup(["--key", "p384.key", "--pub", "p384.pub"]);
    assertEquals(curve.code, 2);
    assertMatch(curve.stderr, /p384\.pub: key is on curve secp384r1, chalk signs with P-256/);

    const mismatch = await setup(["--key", "chalk.key", "--pub", "other.pub"]);
    assertEquals(mismatch.code, 2);
    assertMatch(mismatch.stderr, /other\.pub: cannot read key file: no such file/);
    await must("openssl", [
      "ecparam",
      "-name",
      "prime256v1",
      "-genkey",
      "-noout",
      "-out",
      join(dir, "o.pem"),
    ]);
    await Deno.writeTextFile(
      join(dir, "other.pub"),
      await must("openssl", ["ec", "-in", join(dir, "o.pem"), "-pubout"]),
    );
    const notPair = await setup(["--key", "chalk.key", "--pub", "other.pub"]);
    assertEquals(notPair.code, 2);
    assertMatch(notPair.stderr, /other\.pub: is not the public key of \S+chalk\.key/);
    const wrongPw = await setup(["--key", "chalk.key", "--pub", "chalk.pub"], {
      ...box.env,
      CHALK_PASSWORD: "nope",
    });
    assertEquals(wrongPw.code, 2);
    assertMatch(wrongPw.stderr, /chalk\.key: wrong password/);
    const half = await setup(["--key", "chalk.key"]);
    assertEquals(half.code, 2);

    // An openssl-made P-256 key pair imports, and then signs.
    await encryptPkcs8(join(dir, "o.pem"), join(dir, "o.key"), "other pw");
    for (const r of [missing, wrong, corrupt, curve, mismatch, notPair, wrongPw, half]) {
      noStack(r.stderr);
      assertEquals(await sha256sum(chalk), program, "program untouched after a failed setup");
    }
    const otherEnv = { ...box.env, CHALK_PASSWORD: "other pw" };
    const imported = await setup(["--key", "o.key", "--pub", "other.pub"], otherEnv);
    assertEquals(imported.code, 0, imported.stderr);
    assertEquals((await insert(otherEnv)).code, 0);
    const mark = JSON.parse(await markText(join(dir, "x.sh"))) as Json;
    assertEquals(mark.INJECTOR_PUBLIC_KEY, await Deno.readTextFile(join(dir, "other.pub")));
  } finally {
    await box.cleanup();
  }
});

Deno.test("attestation.setup_warning: false turns the warning off", async () => {
  const box = await sandbox();
  try {
    await Deno.writeTextFile(join(box.work, "a.sh"), "#!/bin/sh\n");
    await Deno.writeTextFile(
      join(box.work, "quiet.c4m"),
      "attestation {\n  setup_warning: false\n}\n",
    );
    const r = await box.chalk(["--config-file", "quiet.c4m", "insert", "a.sh"]);
    assertEquals(r.code, 0, r.stderr);
    assert(!r.stderr.includes("Code signing not initialized"), r.stderr);
  } finally {
    await box.cleanup();
  }
});

Deno.test("CHALK_PASSWORD reaches no report's _ENV, no workload and no docker, whatever the command", async () => {
  const box = await sandbox();
  try {
    const { dir, chalk, env } = await signedWorld(box);
    await Deno.writeTextFile(join(dir, "show.c4m"), 'env_default_action: "show"\n');
    const show = ["--config-file", "show.c4m"];
    for (const args of [["extract", "tool.sh"], ["env"]]) {
      const r = await run(chalk, [...show, ...args], { cwd: dir, env });
      assert(r.stdout.includes('"_ENV"'), r.stdout);
      assert(!r.stdout.includes("correct horse"), `${args[0]}: the password is in the report`);
    }
    const exec = await run(chalk, [...show, "exec", "--", "sh", "-c", 'echo "[$CHALK_PASSWORD]"'], {
      cwd: dir,
      env,
    });
    assertEquals(exec.stdout.trim().split("\n").at(-1), "[]", exec.stderr);
    // A docker command chalk passes on: a `docker` on PATH that prints its environment.
    const bin = join(dir, "bin");
    await Deno.mkdir(bin);
    await Deno.writeTextFile(join(bin, "docker"), '#!/bin/sh\necho "[$CHALK_PASSWORD]"\n', {
      mode: 0o755,
    });
    const docker = await run(chalk, ["docker", "ps"], {
      cwd: dir,
      env: { ...env, PATH: `${bin}:${box.env.PATH}` },
    });
    assertEquals(docker.stdout.trim(), "[]", docker.stderr);
    // Still there for what signs.
    await Deno.writeTextFile(join(dir, "more.sh"), "#!/bin/sh\necho more\n");
    const ins = await run(chalk, ["insert", "more.sh"], { cwd: dir, env });
    assertEquals(ins.code, 0, ins.stderr);
    assertMatch(await markText(join(dir, "more.sh")), /"SIGNATURE" : "/);
  } finally {
    await box.cleanup();
  }
});

Deno.test("verify: an invalid signature fails even when no signature is required, and names no signer", async () => {
  const box = await sandbox();
  try {
    const { dir, chalk } = await signedWorld(box);
    const file = join(dir, "tool.sh");
    // The signature's last character changed: the mark's own hashes still hold.
    await Deno.writeTextFile(
      file,
      (await Deno.readTextFile(file)).replace(
        /("SIGNATURE" : "[^"]*?)(.)"/,
        (_, a, c) => `${a}${c === "A" ? "B" : "A"}"`,
      ),
    );
    await Deno.writeTextFile(
      join(dir, "nosig.c4m"),
      "verify_policy {\n  require_signature: false\n}\n",
    );
    const r = await run(chalk, ["verify", "--policy", "nosig.c4m", "tool.sh"], {
      cwd: dir,
      env: box.env,
    });
    assertEquals(r.code, 1, r.stderr);
    assertMatch(r.stderr, /tool\.sh: signature invalid: /);
    assert(!/signed by/.test(r.stderr), r.stderr);
    const ext = await run(chalk, ["extract", "tool.sh"], { cwd: dir, env: box.env });
    assert(!ext.stdout.includes("_SIGNER_FINGERPRINT"), "an invalid signature names no signer");
    assertMatch(ext.stdout, /"_SIGNATURE_STATUS": "invalid"/);
    noStack(r.stderr);
  } finally {
    await box.cleanup();
  }
});
