/**
 * `chalk setup [--key FILE --pub FILE]`: give this chalk program its signing
 * key (docs/trust.md, "chalk setup").
 *
 * @module
 */
import type { Command } from "commander";
import type { Runner } from "./program.ts";
import { nonEmptyPath } from "./path_option.ts";

/** Adds `setup` to the command tree. */
export function defineSetup(program: Command, run: Runner): void {
  program.command("setup")
    .description(
      "create (or import) the signing key pair and store it in this program (password: CHALK_PASSWORD)",
    )
    .option(
      "--key <file>",
      "import this encrypted PKCS#8 private key instead of generating one",
      nonEmptyPath,
    )
    .option("--pub <file>", "the public key (SPKI PEM) of --key", nonEmptyPath)
    .option(
      "-o, --output <path>",
      "write the updated program there instead of replacing this one",
      nonEmptyPath,
    )
    .action((o: { key?: string; pub?: string; output?: string }, c: Command) =>
      run(c, async (ctx) => (await import("../ops/setup.ts")).setupSigning(ctx, o))
    );
}
