/**
 * `chalk extract [PATH|IMAGE|CONTAINER...|images|containers|all]`: report
 * the chalk marks found in files, images and containers.
 *
 * @module
 */
import type { Command } from "commander";
import { dockerImageExtractor } from "../docker/docker_extract.ts";
import { extractMarks } from "../ops/extract.ts";
import { scanningCommand } from "./cmd_insert.ts";
import type { Runner } from "./main.ts";

/** Adds `extract` to the command tree. */
export function defineExtract(program: Command, run: Runner): void {
  scanningCommand(program, "extract", "report the chalk marks found in artifacts")
    .action((paths: string[], _o: unknown, c: Command) =>
      run(c, (ctx) => extractMarks(ctx, paths, dockerImageExtractor(ctx)), paths)
    );
}
