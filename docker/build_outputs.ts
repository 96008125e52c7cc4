/**
 * What a build's `-o/--output` values make: files (the `local` and `tar`
 * exporters, `oci`, and `docker` written to a file) or an image docker keeps.
 * A build that only exports files gives docker no image id to write, and
 * BuildKit fails an `--iidfile` then ("server did not provide an image ID").
 * Pure.
 *
 * @module
 */

/** One `--output` value: `type=local,dest=out`, or the shorthand `out` (local) / `-` (tar). */
export interface BuildOutput {
  type: string;
  dest?: string;
}

/** Reads one `--output` value as docker does (comma-separated `key=value`, or a bare path). */
export function parseOutput(value: string): BuildOutput {
  if (!value.includes("=")) {
    return value === "-" ? { type: "tar", dest: "-" } : { type: "local", dest: value };
  }
  const fields = new Map<string, string>();
  for (const field of value.split(",")) {
    const eq = field.indexOf("=");
    if (eq > 0) fields.set(field.slice(0, eq).trim().toLowerCase(), field.slice(eq + 1).trim());
  }
  return { type: fields.get("type") ?? "", dest: fields.get("dest") };
}

/** True for an output that writes files and leaves docker no image. */
function filesOnly(output: BuildOutput): boolean {
  if (output.type === "local" || output.type === "tar" || output.type === "oci") return true;
  return output.type === "docker" && output.dest !== undefined;
}

/**
 * True when the build names outputs and none of them is an image docker keeps: then there is
 * no image id (chalk adds no `--iidfile`) and the mark ends up as `/chalk.json` among the files.
 *
 * @example
 * ```ts
 * exportsFilesOnly(["type=local,dest=out"]); // true
 * exportsFilesOnly([]);                      // false: the image goes to docker's store
 * ```
 */
export function exportsFilesOnly(outputs: readonly string[]): boolean {
  return outputs.length > 0 && outputs.map(parseOutput).every(filesOnly);
}

/** True when an output goes to docker's stdout (`-o -`, `dest=-`), where chalk's report goes too. */
export function exportsToStdout(outputs: readonly string[]): boolean {
  return outputs.map(parseOutput).some((o) => filesOnly(o) && o.dest === "-");
}
