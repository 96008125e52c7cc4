/**
 * Where chalk looks for its external configuration file (docs/configuration.md, "Where
 * configuration comes from"). Kept apart from the loader, and free of node built-ins and con4m,
 * so that the fast paths can tell whether a configuration file exists without loading chalk's
 * schema (docs/architecture.md, "Start-up").
 *
 * @module
 */
import { resolve } from "../internal/posix_path.ts";

/**
 * The default of `config_path` in `config/chalk.c42spec` (a write-locked field, so no
 * configuration changes it); `tests/config/external_config_test.ts` holds the two equal.
 */
export const DEFAULT_CONFIG_PATH: readonly string[] = [
  "/etc/chalk/",
  "/etc/",
  ".",
  "~/.config/chalk",
  "~",
];

/** The default of `config_filename` (write-locked too). */
export const DEFAULT_CONFIG_FILENAME = "chalk.c4m";

/** Chalk v0.1's name of the external configuration, looked for beside `chalk.c4m`. */
export const V01_CONFIG_FILENAME = "chalk.conf";

function expandHome(p: string, home: string | undefined): string | undefined {
  if (p === "~" || p.startsWith("~/")) return home === undefined ? undefined : home + p.slice(1);
  return p;
}

function isFile(p: string): boolean {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
}

/**
 * Every `<dir>/<filename>` of `dirs` that is a file (`~` expanded), with its entry. With the
 * default name `chalk.c4m`, each folder's `chalk.conf` (v0.1's name) comes after it.
 */
export function* externalConfigFiles(
  dirs: readonly string[],
  filename: string,
  home: string | undefined,
): Generator<{ entry: string; file: string }> {
  const names = filename === "chalk.c4m" ? [filename, V01_CONFIG_FILENAME] : [filename];
  for (const entry of dirs) {
    const dir = expandHome(entry, home);
    if (dir === undefined) continue;
    for (const name of names) {
      const file = resolve(dir, name);
      if (isFile(file)) yield { entry, file };
    }
  }
}
