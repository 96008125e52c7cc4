/**
 * `chalk extract [PATH|IMAGE|CONTAINER...|images|containers|all]`: report
 * the chalk marks found in files, images and containers.
 *
 * @module
 */
import type { Command } from "commander";
import { scanningCommand } from "./cmd_insert.ts";
import type { Runner } from "./program.ts";
import { examplesText } from "../internal/help_examples.ts";
import type { ImageExtractor } from "../ops/extract.ts";
import { wantsDocker } from "../ops/extract_targets.ts";

/** Adds `extract` to the command tree. */
export function defineExtract(program: Command, run: Runner): void {
  scanningCommand(program, "extract", "report the chalk marks found in artifacts")
    .addHelpText(
      "after",
      examplesText([
        ["chalk extract app", "report the mark of app (and validate it)"],
        ["chalk extract", "every mark under the current folder"],
        ["chalk extract my-image:latest", "the mark of a docker image"],
      ]),
    )
    .action((paths: string[], _o: unknown, c: Command) =>
      run(c, async (ctx) => {
        const { extractMarks } = await import("../ops/extract.ts");
        // The docker side loads only for images and containers (~3 ms a file extract skips).
        const images: ImageExtractor = async (targets) => {
          if (!wantsDocker(targets)) return { artifacts: [], chalked: 0, unmarked: [] };
          const { dockerImageExtractor } = await import("../docker/docker_extract.ts");
          return await dockerImageExtractor(ctx)(targets);
        };
        return await extractMarks(ctx, paths, images);
      }, paths)
    );
}
