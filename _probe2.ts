import { parseCon4m } from "./con4m/parser.ts";
import { analyzeProgram, type CheckEnv, type AttrSlot, type GlobalVar } from "./con4m/checker.ts";
import { parseType, type Type } from "./con4m/types.ts";
import type { FuncRef } from "./con4m/ast.ts";
import { CORE_BUILTINS, CHALK_PORTABLE_BUILTINS } from "./con4m/builtins/mod.ts";
const C = "/work/shared/con4m-corpus/";
const extra = ["version() -> string","subscribe(string, string) -> bool","unsubscribe(string, string) -> bool","error(string) -> void","warn(string) -> void","info(string) -> void","trace(string) -> void","command_argv() -> list[string]","command_name() -> string","auth_headers(string) -> dict[string, string]","memoize(string, func () -> string) -> string","docker_exe() -> string","canonicalize_tool(string, `x) -> `x","copy_report_template_keys(string, string) -> void"];
function mkState() {
  const funcs = new Map<string, FuncRef[]>();
  for (const b of [...CORE_BUILTINS, ...CHALK_PORTABLE_BUILTINS]) { const l = funcs.get(b.name) ?? []; l.push({ name: b.name, type: parseType(b.sig), builtin: true, impl: b }); funcs.set(b.name, l); }
  for (const s of extra) { const m = /^(\w+)(.*)$/.exec(s)!; if (funcs.has(m[1]) && !["error"].includes(m[1])) continue; const l = funcs.get(m[1]) ?? []; l.push({ name: m[1], type: parseType("func" + m[2]), builtin: true }); funcs.set(m[1], l); }
  const attrs = new Map<string, AttrSlot>();
  const globals = new Map<string, GlobalVar>();
  const env: CheckEnv = { functions: (n) => funcs.get(n), attr: (p) => attrs.get(p.join(".")), globals };
  return { env, funcs, attrs, globals };
}
function run(st: ReturnType<typeof mkState>, name: string, text: string) {
  let prog;
  try { prog = parseCon4m(text, name); } catch (e) { console.log("PARSE", String(e)); return; }
  const r = analyzeProgram(prog, st.env);
  for (const e of r.errors) console.log("  ", e.message);
  console.log(name, r.errors.length ? "ERR " + r.errors.length : "ok");
  for (const f of r.functions) { const l = st.funcs.get(f.name) ?? []; l.push(f); st.funcs.set(f.name, l); }
  for (const s of r.sections) st.attrs.set(s, { kind: "section" });
  for (const [k, t] of r.attrs) st.attrs.set(k, { kind: "attr", type: t });
  for (const [k, g] of r.globals) st.globals.set(k, g);
}
const rd = (p: string) => Deno.readTextFileSync(C + p);
const v = mkState();
run(v, "getopts.c42spec", rd("con4m/builtin-specs/getopts.c42spec"));
run(v, "chalk.c42spec", rd("chalk/src-configs/chalk.c42spec"));
const c = mkState();
const base = ["base_init","base_callbacks","base_keyspecs","base_plugins","base_sinks","base_auths","base_chalk_templates","base_report_templates","base_outconf","base_sinkconfs","dockercmd","buildkitcmd"].map(f => rd(`chalk/src-configs/${f}.c4m`)).join("\n");
run(c, "base", base);
for (const f of ["getopts","ioconfig","sbomconfig","sastconfig","secretscannerconfig","crashoverride"]) run(c, f, rd(`chalk/src-configs/${f}.c4m`));
for (const f of Deno.args) run(c, f, rd(f));
if (Deno.env.get("ALL")) {
  const files: string[] = [];
  const rec = (d: string) => { for (const e of Deno.readDirSync(C + d)) { const p = d + "/" + e.name; if (e.isDirectory) rec(p); else if (/\.c4m$/.test(e.name)) files.push(p); } };
  rec("chalk/configs"); rec("chalk/tests"); rec("con4m/tests");
  for (const f of files.sort()) {
    const st = mkState();
    run(st, "base", base);
    for (const g of ["getopts","ioconfig","sbomconfig","sastconfig","secretscannerconfig","crashoverride"]) run(st, g, rd(`chalk/src-configs/${g}.c4m`));
    console.log("=== " + f);
    run(st, f, rd(f));
  }
}
