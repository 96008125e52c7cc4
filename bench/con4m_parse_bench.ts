/**
 * con4m front-end benchmarks: `deno bench -A bench/con4m_parse_bench.ts`.
 * Lex + parse + check of chalk's largest config (`base_keyspecs.c4m`, ~230 KB) and of a
 * ~1.5 KB sample config, read in place from the shared corpus. Targets: < 1 s and < 20 ms.
 */

import type { FuncRef } from "../con4m/ast.ts";
import { CHALK_PORTABLE_BUILTINS, CORE_BUILTINS } from "../con4m/builtins/mod.ts";
import { type CheckEnv, checkProgram } from "../con4m/checker.ts";
import { lexCon4m } from "../con4m/lexer.ts";
import { parseCon4m } from "../con4m/parser.ts";
import { parseSignature, parseType } from "../con4m/types.ts";

const corpus = new URL("../../shared/con4m-corpus/", import.meta.url);
const big = await Deno.readTextFile(new URL("chalk/src-configs/base_keyspecs.c4m", corpus));
const small = await Deno.readTextFile(
  new URL("chalk/configs/co/build_observables_key.c4m", corpus),
);

const funcs = new Map<string, FuncRef[]>();
for (const b of [...CORE_BUILTINS, ...CHALK_PORTABLE_BUILTINS]) {
  funcs.set(b.name, [...funcs.get(b.name) ?? [], {
    name: b.name,
    type: parseType(b.sig),
    builtin: true,
  }]);
}
for (const s of ["version() -> string", "info(string)", "error(string)"]) {
  const { name, type } = parseSignature(s);
  if (!funcs.has(name)) funcs.set(name, [{ name, type, builtin: true }]);
}
const env: CheckEnv = { functions: (n) => funcs.get(n) };

function front(text: string, file: string): number {
  return checkProgram(parseCon4m(text, file), env).length;
}

Deno.bench("lex base_keyspecs.c4m (230 KB)", { group: "big" }, () => {
  lexCon4m(big, "base_keyspecs.c4m");
});

Deno.bench("lex+parse base_keyspecs.c4m (230 KB)", { group: "big" }, () => {
  parseCon4m(big, "base_keyspecs.c4m");
});

Deno.bench("lex+parse+check base_keyspecs.c4m (230 KB)", { group: "big", baseline: true }, () => {
  front(big, "base_keyspecs.c4m");
});

Deno.bench("lex+parse+check build_observables_key.c4m (1.5 KB)", { group: "small" }, () => {
  front(small, "build_observables_key.c4m");
});
