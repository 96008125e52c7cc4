/**
 * The bundle's first lines (docs/architecture.md, "Start-up"): `#!/bin/sh`, then sh that hands
 * a docker command chalk would only pass through straight to docker, and starts Deno on the
 * bundle for everything else. Deno's own start (~65 ms here) is more than issue 15's allowance
 * for `chalk docker ps`; sh's is ~1 ms.
 *
 * The same file is JavaScript: the second line opens with `":"` (a string statement for
 * JavaScript, the `:` builtin for sh) and a block comment that holds the sh and ends after its
 * last line, which sh never reads: it has exec'd by then. The source codec knows the idiom, so
 * marks stay `//` comments (codecs/_source_language.ts).
 *
 * sh passes a command through only when chalk's fast path would (docker/fast_passthrough.ts),
 * and errs towards Deno: a command chalk may process (a nesting word like `image` included), a
 * docker global flag before the command, chalk flags before `docker`, any external
 * configuration file, an embedded configuration that names `docker_exe`, `set_env`,
 * `config_path` or `config_filename` (or holds a `\u` escape that could spell one), a last line
 * that is neither the end of the program nor a mark, a docker that is a script signed as
 * chalk, or one sh already passed through (`CHALK_TS_DOCKER_HOP`: two chalk programs named
 * docker on one PATH must not hand the command back and forth).
 *
 * @module
 */
import { CONFIG_MOVERS } from "../ops/config_probe.ts";
import { DOCKER_SENSITIVE } from "../docker/fast_passthrough.ts";
import { COMMANDS_CHALK_MAY_PROCESS } from "../docker/docker_args.ts";
import { CHALK_SIGNS } from "../docker/docker_exe.ts";
import {
  DEFAULT_CONFIG_FILENAME,
  DEFAULT_CONFIG_PATH,
  V01_CONFIG_FILENAME,
} from "../config/external_config.ts";
import { DOCKER_HOP, NO_UPDATE_CHECK, SHEBANG_MARK } from "../internal/quiet_deno.ts";
import { MARK_LINE_START, PROGRAM_END } from "../internal/bundle_layout.ts";
import { CHALK_V8_FLAGS } from "../internal/v8_flags.ts";
import { PASSWORD_VARIABLE } from "../internal/signing_password.ts";

export { PROGRAM_END } from "../internal/bundle_layout.ts";

/** What chalk says, exit code 127, when no `deno` is on PATH. */
export const NO_DENO_ERROR =
  "error: deno: not found on PATH; this chalk program runs on Deno (install Deno 2.9.6, or use a compiled chalk)";

/** What chalk says, exit code 1, when started in a working folder that no longer exists. */
export const GONE_CWD_ERROR =
  "error: the working folder no longer exists (removed while in use); cd to a folder that does";

/** Quotes `text` for sh, `~` at the start becoming `$HOME`. */
function shPath(text: string): string {
  if (/["$`\\]/.test(text)) throw new Error(`sh_prologue: cannot quote ${text}`);
  return text === "~" || text.startsWith("~/") ? `"$HOME${text.slice(1)}"` : `"${text}"`;
}

function shWord(text: string): string {
  if (text.includes("'")) throw new Error(`sh_prologue: cannot quote ${text}`);
  return `'${text}'`;
}

function configFiles(): string[] {
  const files: string[] = [];
  for (const dir of DEFAULT_CONFIG_PATH) {
    for (const name of [DEFAULT_CONFIG_FILENAME, V01_CONFIG_FILENAME]) {
      files.push(shPath(dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`));
    }
  }
  return files;
}

/** The prologue's text, ending with a newline; the bundle's JavaScript follows it. */
export function shPrologue(): string {
  const denoEnv = Object.entries({ ...NO_UPDATE_CHECK, [SHEBANG_MARK]: "1" })
    .map(([k, v]) => `${k}=${v}`).join(" ");
  const words = [...DOCKER_SENSITIVE, ...CONFIG_MOVERS].map((w) => `*${w}*`).join("|");
  const signs = CHALK_SIGNS.map((s) => `-e ${shWord(s)}`).join(" ");
  const sh = [
    "#!/bin/sh",
    '":" /* chalk-ts runs on deno, started by the sh lines below',
    "# docker commands chalk does not process go straight to docker (scripts/sh_prologue.ts)",
    "chalk_docker() {",
    `  case \${1-} in ''|-*|${COMMANDS_CHALK_MAY_PROCESS.join("|")}) return ;; esac`,
    `  for chalk_f in ${configFiles().join(" ")}; do`,
    '    [ ! -e "$chalk_f" ] || return',
    "  done",
    '  chalk_last=$(tail -n 1 "$0" 2>/dev/null)',
    "  case $chalk_last in",
    `    ${shWord(PROGRAM_END)}) ;;`,
    `    ${shWord(MARK_LINE_START)}*)`,
    `      case $chalk_last in ${words}|*'\\u'*) return ;; esac ;;`,
    "    *) return ;;",
    "  esac",
    "  chalk_rest=$PATH:",
    '  while [ -n "$chalk_rest" ]; do',
    "    chalk_dir=${chalk_rest%%:*} chalk_rest=${chalk_rest#*:}",
    "    case $chalk_dir in [/]*) ;; *) continue ;; esac",
    "    chalk_exe=$chalk_dir/docker",
    '    [ -f "$chalk_exe" ] || continue',
    '    [ -x "$chalk_exe" ] || return',
    '    [ ! "$chalk_exe" -ef "$0" ] || continue',
    '    case $(head -c 2 "$chalk_exe" 2>/dev/null) in',
    `      '#!') grep -q -F ${signs} "$chalk_exe" 2>/dev/null; [ $? -eq 1 ] || return ;;`,
    "      '') return ;;",
    "    esac",
    // docker never needs the signing key's password.
    `    unset ${PASSWORD_VARIABLE}`,
    `    ${DOCKER_HOP}=1 exec "$chalk_exe" "$@"`,
    "  done",
    "}",
    `[ -n "\${${DOCKER_HOP}-}" ] || case \${0##*[/]} in`,
    '  docker) chalk_docker "$@" ;;',
    '  *) if [ "${1-}" = docker ]; then shift; chalk_docker "$@"; set -- docker "$@"; fi ;;',
    "esac",
    // Deno cannot start in a working folder that was removed: it prints its own panic-style
    // error and a backtrace. sh says why in one line instead. `$PWD` names the folder whenever
    // it exists (sh checks it at start); `pwd -P` (asks the kernel) covers a folder whose path
    // cannot be looked up, and prints nothing when the folder is gone (dash still exits 0).
    `[ . -ef "\${PWD-}" ] || [ -n "$(pwd -P 2>/dev/null)" ] || { echo ${
      shWord(GONE_CWD_ERROR)
    } >&2; exit 1; }`,
    // Without Deno on PATH, sh's own "dist/chalk: 37: exec: deno: not found" named a line of
    // this prologue; this says what is missing. 127, as sh's "not found".
    `command -v deno >/dev/null 2>&1 || { echo ${shWord(NO_DENO_ERROR)} >&2; exit 127; }`,
    `${denoEnv} exec deno run -A --ext=js --v8-flags=${CHALK_V8_FLAGS} "$0" "$@"`,
    "*/",
  ].join("\n");
  if (sh.slice(sh.indexOf("/*") + 2, sh.lastIndexOf("*/")).includes("*/")) {
    throw new Error("sh_prologue: the sh closes the JavaScript comment early");
  }
  return `${sh}\n`;
}
