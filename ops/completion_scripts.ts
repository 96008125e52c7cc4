/**
 * Shell completion scripts for bash, zsh and fish, written from the
 * command tree itself (commands, their options, the global flags and their
 * choices), so they never fall behind the program.
 *
 * @module
 */
import type { Command, Option } from "commander";

/** The shells `chalk completions` writes for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;
/** One of {@linkcode SHELLS}. */
export type Shell = typeof SHELLS[number];

interface OptionSpec {
  short?: string;
  long?: string;
  help: string;
  takesValue: boolean;
  choices: readonly string[];
}

interface CommandSpec {
  name: string;
  /** Its other names (`environment` for `env`): completed after them as after the name. */
  aliases: readonly string[];
  summary: string;
  options: OptionSpec[];
  /** Takes file or folder arguments. */
  files: boolean;
  /** The only words its argument may be (`completions`: the shells); then no files. */
  values: readonly string[];
}

interface TreeSpec {
  globals: OptionSpec[];
  commands: CommandSpec[];
}

function optionSpec(o: Option): OptionSpec {
  return {
    short: o.short,
    long: o.long,
    help: o.description,
    takesValue: o.required || o.optional,
    choices: o.argChoices ?? [],
  };
}

/** The visible tree of `program` (hidden commands and options left out). */
function treeOf(program: Command): TreeSpec {
  const help = program.createHelp();
  const globals = help.visibleOptions(program).map(optionSpec);
  const isGlobal = (o: OptionSpec) => globals.some((g) => g.long === o.long);
  return {
    globals,
    commands: help.visibleCommands(program).filter((c) => c.name() !== "help").map((c) => ({
      name: c.name(),
      aliases: c.aliases(),
      summary: c.description(),
      options: help.visibleOptions(c).map(optionSpec).filter((o) => !isGlobal(o)),
      files: c.registeredArguments.length > 0 && !c.registeredArguments[0].argChoices,
      values: c.registeredArguments[0]?.argChoices ?? [],
    })).concat([
      {
        name: "help",
        aliases: [],
        summary: "show help for a command",
        options: [],
        files: false,
        values: [],
      },
    ]),
  };
}

const words = (opts: OptionSpec[]) =>
  opts.flatMap((o) => [o.short, o.long].filter((w): w is string => !!w)).join(" ");
const quoteSh = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

function bash(tree: TreeSpec): string {
  const valued = [...tree.globals, ...tree.commands.flatMap((c) => c.options)]
    .filter((o) => o.takesValue);
  const choiceCases = valued.filter((o) => o.choices.length > 0).map((o) =>
    `    ${[o.short, o.long].filter(Boolean).join("|")}) COMPREPLY=($(compgen -W ${
      quoteSh(o.choices.join(" "))
    } -- "$cur")); return ;;`
  );
  const valueWords = [...new Set(valued.flatMap((o) => [o.short, o.long]).filter(Boolean))];
  const commandCases = tree.commands.filter((c) => c.name !== "help").map((c) =>
    `    ${[c.name, ...c.aliases].join("|")}) opts=${quoteSh(words(c.options))}; files=${
      c.files ? 1 : 0
    }; values=${quoteSh(c.values.join(" "))} ;;`
  );
  return `# bash completion for chalk (written by \`chalk completions bash\`)
_chalk() {
  local cur prev cmd="" opts="" files=0 values="" i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
${choiceCases.join("\n")}
    ${valueWords.join("|")}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${valueWords.join("|")}) ((i++)) ;;
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  local globals=${quoteSh(words(tree.globals))}
  if [[ -z "$cmd" ]]; then
    if [[ "$cur" == -* ]]; then
      COMPREPLY=($(compgen -W "$globals" -- "$cur"))
    else
      COMPREPLY=($(compgen -W ${quoteSh(tree.commands.map((c) => c.name).join(" "))} -- "$cur"))
    fi
    return
  fi
  case "$cmd" in
${commandCases.join("\n")}
    help) COMPREPLY=($(compgen -W ${
    quoteSh(tree.commands.map((c) => c.name).join(" "))
  } -- "$cur")); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts $globals" -- "$cur"))
  elif [[ -n "$values" ]]; then
    # Only these words: no file names, even when none of them matches.
    compopt +o default 2>/dev/null
    COMPREPLY=($(compgen -W "$values" -- "$cur"))
  elif [[ $files == 1 ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o default -F _chalk chalk
`;
}

const quoteZsh = (s: string) => `'${s.replaceAll("'", `'\\''`).replaceAll(":", "\\:")}'`;

function zsh(tree: TreeSpec): string {
  const described = tree.commands.map((c) => `    ${quoteZsh(`${c.name}:${c.summary}`)}`);
  const commandCases = tree.commands.filter((c) => c.name !== "help").map((c) =>
    `    (${[c.name, ...c.aliases].join("|")}) opts=(${words(c.options)}); files=${
      c.files ? 1 : 0
    }; values=(${c.values.join(" ")}) ;;`
  );
  return `#compdef chalk
# zsh completion for chalk (written by \`chalk completions zsh\`)
_chalk() {
  local -a commands globals opts values
  local cmd="" files=0 i
  commands=(
${described.join("\n")}
  )
  globals=(${words(tree.globals)})
  for (( i = 2; i < CURRENT; i++ )); do
    case \${words[i]} in
      (-*) ;;
      (*) cmd=\${words[i]}; break ;;
    esac
  done
  if [[ -z $cmd ]]; then
    if [[ \${words[CURRENT]} == -* ]]; then compadd -- $globals; else _describe command commands; fi
    return
  fi
  case $cmd in
${commandCases.join("\n")}
    (help) _describe command commands; return ;;
  esac
  if [[ \${words[CURRENT]} == -* ]]; then compadd -- $opts $globals
  elif (( \${#values} )); then compadd -- $values
  elif (( files )); then _files
  fi
}
compdef _chalk chalk
`;
}

const quoteFish = (s: string) => `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

function fishOption(o: OptionSpec, condition?: string): string {
  const parts = ["complete -c chalk"];
  if (condition) parts.push(`-n ${quoteFish(condition)}`);
  if (o.short) parts.push(`-s ${o.short.slice(1)}`);
  if (o.long) parts.push(`-l ${o.long.slice(2)}`);
  if (o.choices.length > 0) parts.push(`-x -a ${quoteFish(o.choices.join(" "))}`);
  else if (o.takesValue) parts.push("-r");
  parts.push(`-d ${quoteFish(o.help)}`);
  return parts.join(" ");
}

function fish(tree: TreeSpec): string {
  const lines = [
    "# fish completion for chalk (written by `chalk completions fish`)",
    "complete -c chalk -f",
    ...tree.globals.map((o) => fishOption(o)),
  ];
  for (const c of tree.commands) {
    lines.push(
      `complete -c chalk -n __fish_use_subcommand -a ${c.name} -d ${quoteFish(c.summary)}`,
    );
    const when = `__fish_seen_subcommand_from ${[c.name, ...c.aliases].join(" ")}`;
    for (const o of c.options) lines.push(fishOption(o, when));
    if (c.values.length > 0) {
      lines.push(`complete -c chalk -n ${quoteFish(when)} -a ${quoteFish(c.values.join(" "))}`);
    }
    if (c.files) lines.push(`complete -c chalk -n ${quoteFish(when)} -F`);
  }
  const names = tree.commands.map((c) => c.name).join(" ");
  lines.push(`complete -c chalk -n '__fish_seen_subcommand_from help' -a ${quoteFish(names)}`);
  return lines.join("\n") + "\n";
}

/** The completion script of `program` for `shell`. */
export function completionScript(program: Command, shell: Shell): string {
  const tree = treeOf(program);
  return shell === "bash" ? bash(tree) : shell === "zsh" ? zsh(tree) : fish(tree);
}
