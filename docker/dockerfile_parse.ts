/**
 * Dockerfile reading: parser directives, logical lines (escape continuations,
 * comments, heredocs), instructions with their line span, FROM stages evaluated
 * with build args, and per-stage ENTRYPOINT / CMD / SHELL / USER / LABEL. Pure:
 * text in, data out.
 */

/** A Dockerfile that cannot be understood: the line (1-based) and why. */
export class DockerfileError extends Error {
  /** 1-based line number where the problem is. */
  readonly line: number;

  /** Builds the one-line error naming the Dockerfile position. */
  constructor(line: number, reason: string) {
    super(`Dockerfile line ${line}: ${reason}`);
    this.name = "DockerfileError";
    this.line = line;
  }
}

/** One instruction, joined over its continuation lines. */
export interface Instruction {
  /** Upper-cased keyword (`FROM`, `RUN`, ...). */
  keyword: string;
  /** Everything after the keyword, continuations joined, trimmed. */
  args: string;
  /** 0-based index of its first physical line. */
  startLine: number;
  /** 0-based index of its last physical line (heredoc bodies included). */
  endLine: number;
  /**
   * 0-based line of an instruction that is still continued when the file ends: docker ends it
   * there and drops the escape character, so a line added after it must close it first.
   */
  openContinuation?: number;
}

/** ENTRYPOINT / CMD / SHELL as written: exec form (JSON list) or shell form. */
export type CommandForm = { form: "exec"; argv: string[] } | { form: "shell"; text: string };

/** One FROM section. */
export interface Stage {
  index: number;
  /** `AS name`, lower-cased as docker matches it. */
  name?: string;
  /** The FROM image after build-arg substitution. */
  image: string;
  platform?: string;
  /** Instructions of the stage, FROM first. */
  instructions: Instruction[];
  /** 0-based index of the last physical line of the stage's last instruction. */
  endLine: number;
  entrypoint?: CommandForm;
  cmd?: CommandForm;
  shell?: string[];
  user?: string;
  labels: Map<string, string>;
}

/** A parsed Dockerfile. */
export interface Dockerfile {
  /** Parser directives (`# syntax=...`, `# escape=...`), keys lower-cased. */
  directives: Map<string, string>;
  escape: string;
  /** ARG instructions before the first FROM: name → default (undefined if none). */
  globalArgs: Map<string, string | undefined>;
  instructions: Instruction[];
  stages: Stage[];
}

/** Build args docker defines itself, usable in FROM without an ARG line. */
export const AUTOMATIC_ARGS: readonly string[] = [
  "BUILDPLATFORM",
  "BUILDOS",
  "BUILDARCH",
  "BUILDVARIANT",
  "TARGETPLATFORM",
  "TARGETOS",
  "TARGETARCH",
  "TARGETVARIANT",
];

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

function readDirectives(lines: readonly string[]): { directives: Map<string, string>; at: number } {
  const directives = new Map<string, string>();
  let at = 0;
  for (; at < lines.length; at++) {
    const m = DIRECTIVE.exec(lines[at].trim());
    if (!m || directives.has(m[1].toLowerCase())) break;
    directives.set(m[1].toLowerCase(), m[2]);
  }
  return { directives, at };
}

/**
 * One logical line from physical line `start` on, as docker's parser joins it: a line ending
 * in the escape character (spaces or tabs may follow) continues on the next, and blank and
 * comment lines inside a continuation are skipped. At the end of the file a continuation
 * simply ends (docker drops the escape character); `openContinuation` is then the line that
 * carries it.
 */
function joinContinuation(
  lines: readonly string[],
  start: number,
  escape: string,
): { joined: string; end: number; openContinuation?: number } {
  let joined = "";
  let escaped = start;
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i].replace(/[ \t]+$/, "");
    const trimmed = raw.trim();
    if (i !== start && (trimmed === "" || trimmed.startsWith("#"))) continue;
    if (!raw.endsWith(escape)) return { joined: joined + raw, end: i };
    joined += raw.slice(0, -1);
    escaped = i;
  }
  return { joined, end: escaped, openContinuation: escaped };
}

/** Splits Dockerfile text into instructions with their physical line spans. */
export function readInstructions(
  text: string,
): { directives: Map<string, string>; escape: string; instructions: Instruction[] } {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const { directives, at } = readDirectives(lines);
  const escape = directives.get("escape") ?? "\\";
  if (escape !== "\\" && escape !== "`") {
    throw new DockerfileError(1, `invalid escape directive '${escape}'`);
  }
  const instructions: Instruction[] = [];
  let i = at;
  while (i < lines.length) {
    const first = lines[i].trim();
    if (first === "" || first.startsWith("#")) {
      i++;
      continue;
    }
    const start = i;
    const { joined, end: lastLine, openContinuation } = joinContinuation(lines, start, escape);
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(joined);
    if (!m) {
      i = lastLine + 1;
      continue;
    }
    const keyword = m[1].toUpperCase();
    const args = m[2].trim();
    let end = lastLine;
    // Heredocs (BuildKit): the body lines belong to the instruction.
    if (["RUN", "COPY", "ADD"].includes(keyword)) {
      for (const h of args.matchAll(HEREDOC)) {
        const word = h[3];
        const strip = h[1] === "-";
        let j = end + 1;
        while (j < lines.length) {
          const body = strip ? lines[j].replace(/^\t+/, "") : lines[j];
          if (body === word) break;
          j++;
        }
        if (j >= lines.length) {
          throw new DockerfileError(start + 1, `heredoc '${word}' is not terminated`);
        }
        end = j;
      }
    }
    instructions.push({
      keyword,
      args,
      startLine: start,
      endLine: end,
      ...(openContinuation === undefined ? {} : { openContinuation }),
    });
    i = end + 1;
  }
  return { directives, escape, instructions };
}

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` with `vars`
 * (unset variables become empty, as docker does).
 */
export function substituteVars(
  text: string,
  vars: ReadonlyMap<string, string | undefined>,
  escape = "\\",
): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === escape && text[i + 1] === "$") {
      out += "$";
      i++;
      continue;
    }
    if (c !== "$") {
      out += c;
      continue;
    }
    if (text[i + 1] === "{") {
      const close = text.indexOf("}", i + 2);
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      const body = text.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([\s\S]*))?$/.exec(body);
      if (!m) out += text.slice(i, close + 1);
      else {
        const value = vars.get(m[1]);
        const set = value !== undefined && value !== "";
        if (m[2] === "-") out += set ? value : m[3];
        else if (m[2] === "+") out += set ? m[3] : "";
        else out += value ?? "";
      }
      i = close;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (!m) {
      out += c;
      continue;
    }
    out += vars.get(m[0]) ?? "";
    i += m[0].length;
  }
  return out;
}

/** Reads an exec-form JSON list of strings, or returns undefined for shell form. */
export function parseExecForm(args: string): string[] | undefined {
  const t = args.trim();
  if (!t.startsWith("[")) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  } catch {
    // Not JSON: docker then treats the text as shell form.
  }
  return undefined;
}

function commandForm(args: string): CommandForm {
  const argv = parseExecForm(args);
  return argv ? { form: "exec", argv } : { form: "shell", text: args };
}

/** Splits shell-like words, honouring double and single quotes and backslash escapes. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let cur = "";
  let has = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === "\\" && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) words.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) words.push(cur);
  return words;
}

function labelPairs(args: string): [string, string][] {
  const words = shellWords(args);
  // Legacy form `LABEL key value`.
  if (words.length >= 1 && !words[0].includes("=")) {
    return [[words[0], words.slice(1).join(" ")]];
  }
  return words.map((w) => {
    const eq = w.indexOf("=");
    return eq < 0 ? [w, ""] : [w.slice(0, eq), w.slice(eq + 1)];
  });
}

function parseFrom(
  inst: Instruction,
  vars: ReadonlyMap<string, string | undefined>,
  escape: string,
): { image: string; name?: string; platform?: string } {
  const words = shellWords(substituteVars(inst.args, vars, escape));
  let platform: string | undefined;
  const rest: string[] = [];
  for (const w of words) {
    if (w.startsWith("--platform=")) platform = w.slice("--platform=".length);
    else if (w.startsWith("--")) continue;
    else rest.push(w);
  }
  if (rest.length === 0) throw new DockerfileError(inst.startLine + 1, "FROM requires an image");
  const image = rest[0];
  const name = rest.length >= 3 && rest[1].toLowerCase() === "as"
    ? rest[2].toLowerCase()
    : undefined;
  return { image, name, platform };
}

/**
 * Parses a Dockerfile. `buildArgs` (from `--build-arg`) override the
 * defaults of ARGs declared before the first FROM, which FROM lines use.
 *
 * @throws {DockerfileError} when there is no FROM or a FROM is malformed.
 */
export function parseDockerfile(
  text: string,
  buildArgs: ReadonlyMap<string, string | undefined> = new Map(),
): Dockerfile {
  const { directives, escape, instructions } = readInstructions(text);
  const globalArgs = new Map<string, string | undefined>();
  // The platform args are predefined in the global scope (FROM lines see them undeclared).
  const vars = new Map<string, string | undefined>(
    [...buildArgs].filter(([k]) => AUTOMATIC_ARGS.includes(k)),
  );
  const stages: Stage[] = [];
  let current: Stage | undefined;
  for (const inst of instructions) {
    if (inst.keyword === "FROM") {
      const from = parseFrom(inst, vars, escape);
      current = {
        index: stages.length,
        ...from,
        instructions: [inst],
        endLine: inst.endLine,
        labels: new Map(),
      };
      stages.push(current);
      continue;
    }
    if (!current) {
      if (inst.keyword === "ARG") {
        for (const w of shellWords(inst.args)) {
          const eq = w.indexOf("=");
          const name = eq < 0 ? w : w.slice(0, eq);
          const dflt = eq < 0 ? undefined : substituteVars(w.slice(eq + 1), vars, escape);
          globalArgs.set(name, dflt);
          vars.set(name, buildArgs.has(name) ? buildArgs.get(name) : dflt);
        }
        continue;
      }
      throw new DockerfileError(
        inst.startLine + 1,
        `${inst.keyword} before the first FROM (only ARG may come first)`,
      );
    }
    current.instructions.push(inst);
    current.endLine = inst.endLine;
    switch (inst.keyword) {
      case "ENTRYPOINT":
        current.entrypoint = commandForm(inst.args);
        break;
      case "CMD":
        current.cmd = commandForm(inst.args);
        break;
      case "SHELL": {
        const argv = parseExecForm(inst.args);
        if (!argv) throw new DockerfileError(inst.startLine + 1, "SHELL requires a JSON list");
        current.shell = argv;
        break;
      }
      case "USER":
        current.user = inst.args;
        break;
      case "LABEL":
        for (const [k, v] of labelPairs(inst.args)) current.labels.set(k, v);
        break;
    }
  }
  if (stages.length === 0) throw new DockerfileError(1, "no FROM instruction");
  return { directives, escape, globalArgs, instructions, stages };
}

/**
 * The stage `--target` names (case-insensitive), or the last stage.
 *
 * @throws {DockerfileError} when the target names no stage.
 */
export function targetStage(file: Dockerfile, target?: string): Stage {
  if (target === undefined) return file.stages[file.stages.length - 1];
  const t = target.toLowerCase();
  const found = file.stages.find((s) => s.name === t);
  if (!found) throw new DockerfileError(1, `target stage '${target}' not found`);
  return found;
}
