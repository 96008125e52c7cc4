/**
 * `chalk setup` (docs/trust.md, "chalk setup"): give this chalk program a
 * signing identity. Imports `--key FILE --pub FILE`, or `./chalk.key` and
 * `./chalk.pub` when both exist, or generates a new ECDSA P-256 pair and
 * writes them there; then stores the public key and the encrypted private key
 * in chalk's own mark through the same validated, atomic self-rewrite as
 * `chalk load`. The password is never stored.
 *
 * @module
 */
import { join, resolve } from "../internal/posix_path.ts";
import { EXIT, osErrorReason, UsageError } from "../internal/errors.ts";
import {
  encryptPrivateKey,
  generatePassword,
  generatePemPair,
  KeyError,
  loadSigningKey,
  type SigningKey,
} from "../trust/signing_key.ts";
import { pathExists, replaceFile } from "./file_io.ts";
import { rewriteSelf, selfArtifact } from "./load.ts";
import type { RunContext } from "./run_context.ts";
import { PASSWORD_VARIABLE, signingPassword } from "./signing_identity.ts";

/** Options of `setup`. */
export interface SetupOptions {
  /** An existing encrypted private key (PKCS#8 PEM) to import. */
  key?: string;
  /** Its public key (SPKI PEM). */
  pub?: string;
  /** Where to write the rewritten program instead of replacing the running one. */
  output?: string;
}

/** The key pair to store: its PEM texts and where they came from. */
interface KeyMaterial {
  encryptedPem: string;
  publicPem: string;
  signer: SigningKey;
}

const KEY_FILE = "chalk.key";
const PUB_FILE = "chalk.pub";

function readKeyFile(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    const reason = e instanceof Deno.errors.NotFound ? "no such file" : osErrorReason(e);
    throw new UsageError(`${path}: cannot read key file: ${reason}`);
  }
}

/** Loads an existing pair; every failure is one line, exit 2, and nothing is stored. */
function importPair(keyPath: string, pubPath: string): KeyMaterial {
  const encryptedPem = readKeyFile(keyPath);
  const publicPem = readKeyFile(pubPath);
  try {
    const signer = loadSigningKey(encryptedPem, publicPem, signingPassword(), {
      key: keyPath,
      pub: pubPath,
    });
    return { encryptedPem, publicPem: signer.pem, signer };
  } catch (e) {
    if (e instanceof KeyError) throw new UsageError(e.message);
    throw e;
  }
}

/** Writes a new file atomically (temp file + rename) with `mode`. */
function writeNewFile(path: string, text: string, mode: number): void {
  replaceFile(path, [new TextEncoder().encode(text)], {
    mode,
    uid: Deno.uid(),
    gid: Deno.gid(),
  });
}

/** Generates a pair, writes chalk.key (0600) and chalk.pub (0644) into `dir`. */
async function generatePair(ctx: RunContext, dir: string): Promise<KeyMaterial> {
  const given = signingPassword();
  const password = given ?? generatePassword();
  const { publicPem, privatePem } = await generatePemPair();
  const encryptedPem = encryptPrivateKey(privatePem, password);
  const keyPath = join(dir, KEY_FILE);
  const pubPath = join(dir, PUB_FILE);
  writeNewFile(keyPath, encryptedPem, 0o600);
  writeNewFile(pubPath, publicPem, 0o644);
  ctx.log.info(`Wrote a new signing key pair: ${keyPath}, ${pubPath}`);
  if (given === undefined) printPassword(password);
  const signer = loadSigningKey(encryptedPem, publicPem, password, { key: keyPath, pub: pubPath });
  return { encryptedPem, publicPem, signer };
}

/** The generated password, once, on stderr (stdout carries only the report). */
function printPassword(password: string): void {
  const rule = "------------------------------------------";
  const text = [
    rule,
    `${PASSWORD_VARIABLE}=${password}`,
    rule,
    "Write this down. chalk signs only when this password is in the",
    `${PASSWORD_VARIABLE} environment variable; it is stored nowhere.`,
    "",
  ].join("\n");
  Deno.stderr.writeSync(new TextEncoder().encode(text));
}

/** The pair `setup` stores: imported from the options or ./chalk.{key,pub}, or generated. */
async function keyMaterial(ctx: RunContext, options: SetupOptions): Promise<KeyMaterial> {
  if ((options.key === undefined) !== (options.pub === undefined)) {
    throw new UsageError("chalk setup: give both --key FILE and --pub FILE, or neither");
  }
  if (options.key !== undefined && options.pub !== undefined) {
    return importPair(resolve(options.key), resolve(options.pub));
  }
  const dir = Deno.cwd();
  const keyPath = join(dir, KEY_FILE);
  const pubPath = join(dir, PUB_FILE);
  const haveKey = pathExists(keyPath);
  const havePub = pathExists(pubPath);
  if (haveKey && havePub) {
    ctx.log.info(`Loading the existing signing key pair: ${keyPath}, ${pubPath}`);
    return importPair(keyPath, pubPath);
  }
  if (haveKey || havePub) {
    throw new UsageError(
      `${haveKey ? keyPath : pubPath}: exists without its pair; chalk setup will not overwrite it`,
    );
  }
  return await generatePair(ctx, dir);
}

/** Runs `setup`; returns the exit status. */
export async function setupSigning(ctx: RunContext, options: SetupOptions = {}): Promise<number> {
  // Refuse before any key file is written when this program cannot be rewritten.
  const self = selfArtifact(ctx);
  try {
    const { encryptedPem, publicPem, signer } = await keyMaterial(ctx, options);
    await rewriteSelf(ctx, {
      operation: "setup",
      output: options.output,
      update: (data) => {
        data.set("$CHALK_PUBLIC_KEY", publicPem);
        data.set("$CHALK_ENCRYPTED_PRIVATE_KEY", encryptedPem);
      },
      done: `Signing key ${signer.fingerprint} stored in the chalk program.`,
    }, self);
    return EXIT.ok;
  } finally {
    self.file.close();
  }
}
