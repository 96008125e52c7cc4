/**
 * `chalk verify [--policy FILE] ARTIFACT|IMAGE`: exit 0 when the mark is
 * signed by an allowed signer and meets the policy, 1 with the reasons
 * otherwise (docs/trust.md, "chalk verify").
 *
 * @module
 */
import type { Command } from "commander";
import type { Runner } from "./program.ts";
import { nonEmptyPath } from "./path_option.ts";

/** Adds `verify` to the command tree. */
export function defineVerify(program: Command, run: Runner): void {
  program.command("verify <target>")
    .description(
      "check that a file's or image's mark is validly signed and meets the verify policy",
    )
    .option(
      "--policy <file>",
      "a con4m file with the verify_policy section to apply",
      nonEmptyPath,
    )
    .action((target: string, o: { policy?: string }, c: Command) =>
      run(c, async (ctx) => {
        const { dockerImageVerifier } = await import("../docker/verify_image.ts");
        const { verifyTarget } = await import("../ops/verify.ts");
        return await verifyTarget(ctx, target, o, dockerImageVerifier(ctx));
      }, [target])
    );
}
